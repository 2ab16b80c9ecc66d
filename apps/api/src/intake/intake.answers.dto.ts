import { ApiProperty } from '@nestjs/swagger';

/** What the intake endpoints answer (libs/intake: LedgerPreview, LedgerImportResult, DecompositionResult). */

class FieldChangeDto {
  @ApiProperty() field: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}

class KeptChangeDto extends FieldChangeDto {
  @ApiProperty({ description: 'Why the workflow keeps its value' }) reason: string;
}

class PlannedRowDto {
  @ApiProperty() row: number;
  @ApiProperty() code: string;
  @ApiProperty({ enum: ['create', 'update', 'unchanged'] }) action: 'create' | 'update' | 'unchanged';
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) itemId: string | null;
  @ApiProperty({ nullable: true, type: Number }) version: number | null;
  @ApiProperty({ type: [FieldChangeDto] }) changes: FieldChangeDto[];
  @ApiProperty({ type: [KeptChangeDto] }) kept: KeptChangeDto[];
}

class RowErrorDto {
  @ApiProperty() row: number;
  @ApiProperty() column: string;
  @ApiProperty() value: string;
  @ApiProperty() message: string;
}

class UnitSuggestionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The name or alias that resembles the name looked up' }) matched: string;
  @ApiProperty() score: number;
}

class UnmatchedUnitDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: [Number] }) rows: number[];
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty({ type: [UnitSuggestionDto] }) suggestions: UnitSuggestionDto[];
}

class PreviewSummaryDto {
  @ApiProperty() rows: number;
  @ApiProperty() create: number;
  @ApiProperty() update: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() errors: number;
  @ApiProperty() unmatchedUnits: number;
}

class PreviewHeaderDto {
  @ApiProperty({ type: [Number] }) rows: number[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'field → header as written' })
  columns: Record<string, string>;
}

export class MappedUnitDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
}

export class LedgerPreviewDto {
  @ApiProperty() previewId: string;
  @ApiProperty() fileSha256: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ type: PreviewHeaderDto }) header: PreviewHeaderDto;
  @ApiProperty({ type: PreviewSummaryDto }) summary: PreviewSummaryDto;
  @ApiProperty({ description: 'No errors and no unmatched units' }) confirmable: boolean;
  @ApiProperty({ type: [PlannedRowDto] }) rows: PlannedRowDto[];
  @ApiProperty({ type: [RowErrorDto] }) errors: RowErrorDto[];
  @ApiProperty({ type: [UnmatchedUnitDto] }) unmatchedUnits: UnmatchedUnitDto[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/MappedUnitDto' } })
  mapping: Record<string, MappedUnitDto>;
}

export class LedgerImportResultDto {
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ type: [String] }) aliasesSaved: string[];
}

class UnitNamedDto {
  @ApiProperty({ description: 'As written in the document' }) name: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty({ type: [UnitSuggestionDto], description: 'For a name that matches no unit: the closest units, best first' })
  suggestions: UnitSuggestionDto[];
}

class TextSpanDto {
  @ApiProperty() start: number;
  @ApiProperty() end: number;
  @ApiProperty() lineStart: number;
  @ApiProperty() lineEnd: number;
}

class DraftTaskDto {
  @ApiProperty() no: number;
  @ApiProperty({ description: 'The numbering path as printed, e.g. 二（一）3' }) label: string;
  @ApiProperty() title: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: [UnitNamedDto] }) lead: UnitNamedDto[];
  @ApiProperty({ type: [UnitNamedDto] }) cooperating: UnitNamedDto[];
  @ApiProperty({ type: [UnitNamedDto] }) implementing: UnitNamedDto[];
  @ApiProperty() leadExplicit: boolean;
  @ApiProperty({ type: [String], format: 'date' }) stages: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date' }) deadline: string | null;
  @ApiProperty({ enum: ['deadline', 'ongoing', 'recurring'] }) type: 'deadline' | 'ongoing' | 'recurring';
  @ApiProperty({ type: TextSpanDto }) span: TextSpanDto;
}

export class DecompositionResultDto {
  @ApiProperty({ nullable: true, type: Number }) documentYear: number | null;
  @ApiProperty({ type: [DraftTaskDto] }) tasks: DraftTaskDto[];
}

export class DecompositionCreatedDto {
  @ApiProperty({ format: 'uuid' }) sourceDocumentId: string;
  @ApiProperty({ type: [String] }) itemIds: string[];
}
