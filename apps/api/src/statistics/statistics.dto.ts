import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DOMAINS, SOURCE_TYPES, type Domain, type SourceType } from '#domain';
import {
  BREAKDOWNS,
  BULLETIN_FORMATS,
  EXPORT_FORMATS,
  TREND_INTERVALS,
  type AsOf,
  type Breakdown,
  type BulletinFormat,
  type ExportFormat,
  type TrendInterval,
} from '#statistics';
import { IsDate, IsDateOrInstant, IsMonth, toList } from '../http/query.dto.js';

/** Which items the figures count; your own scope (your unit's subtree, or all) always applies too. */
export class StatScopeDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() batchId?: string;
  @ApiPropertyOptional({ enum: SOURCE_TYPES }) @IsOptional() @IsIn(SOURCE_TYPES) sourceType?: SourceType;
  @ApiPropertyOptional({
    type: [Number],
    example: '1,2',
    description: 'Inspection rounds (batch round: 第一轮 = 1, with its 回头看), comma-separated; batches of any of them',
  })
  @IsOptional()
  @Transform(({ value }) => (toList({ value }) as unknown[] | undefined)?.map((v) => (/^\d{1,2}$/.test(String(v)) ? Number(v) : v)))
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(99, { each: true })
  rounds?: number[];
  @ApiPropertyOptional({ format: 'uuid', description: 'Items led by this unit or a unit below it' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() countyUnitId?: string;
  @ApiPropertyOptional({ enum: DOMAINS }) @IsOptional() @IsIn(DOMAINS) domain?: Domain;
  @ApiPropertyOptional({ example: '2026-01-01', description: 'Current deadline on or after' })
  @IsOptional()
  @IsDate()
  deadlineFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'Current deadline on or before' }) @IsOptional() @IsDate() deadlineTo?: string;
}

export class AsOfQueryDto extends StatScopeDto {
  @ApiPropertyOptional({
    example: '2026-10-31',
    description: 'Figures as of the end of this day (Asia/Shanghai), or as of an exact instant (ISO 8601 with offset); now when absent',
  })
  @IsOptional()
  @IsDateOrInstant()
  asOf?: string;
}

export class BreakdownQueryDto extends AsOfQueryDto {
  @ApiProperty({ enum: BREAKDOWNS }) @IsIn(BREAKDOWNS) by: Breakdown;
}

export class TrendQueryDto extends StatScopeDto {
  @ApiProperty({ enum: TREND_INTERVALS }) @IsIn(TREND_INTERVALS) interval: TrendInterval;
  @ApiProperty({ example: '2026-01-01' }) @IsDate() from: string;
  @ApiProperty({ example: '2026-10-31', description: 'Up to today at most' }) @IsDate() to: string;
}

export class FiguresExportQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'xlsx' }) @IsOptional() @IsIn(EXPORT_FORMATS) format: ExportFormat = 'xlsx';
}

export class BulletinQueryDto {
  @ApiProperty({ example: '2026-10', description: 'The month (YYYY-MM); figures as of the end of its last day' })
  @IsMonth()
  month: string;

  @ApiPropertyOptional({
    enum: BULLETIN_FORMATS,
    default: 'xlsx',
    description: 'xlsx: the workbook; docx: the document in the 通报 layout',
  })
  @IsOptional()
  @IsIn(BULLETIN_FORMATS)
  format: BulletinFormat = 'xlsx';
}

/** A date means the end of that day; anything longer must be a full instant with its offset. */
export function parseAsOf(value: string | undefined): AsOf {
  if (!value) return { kind: 'now' };
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { kind: 'date', date: value };
  return { kind: 'instant', at: new Date(value) };
}

export function scopeOf(q: StatScopeDto): StatScopeDto {
  const { batchId, sourceType, rounds, unitId, countyUnitId, domain, deadlineFrom, deadlineTo } = q;
  return Object.fromEntries(
    Object.entries({ batchId, sourceType, rounds, unitId, countyUnitId, domain, deadlineFrom, deadlineTo }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}
