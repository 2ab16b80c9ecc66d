import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOMAINS, ITEM_TYPES, RECTIFICATION_ACTIONS, RECTIFICATION_STATES, SOURCE_TYPES } from '#domain';
import { PersonRefDto } from '../org/org.dto.js';
import { NOTICE_END_ACTIONS } from '#items';

/** What the items API answers, for the OpenAPI document (the services return these shapes). */
export class ItemSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty() batchName: string;
  @ApiProperty({ enum: SOURCE_TYPES }) sourceType: string;
  @ApiProperty({ enum: RECTIFICATION_STATES }) state: string;
  @ApiProperty({ enum: ITEM_TYPES }) type: string;
  @ApiProperty({ enum: DOMAINS }) domain: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) countyUnitId: string | null;
  @ApiProperty({ nullable: true, type: String }) countyName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Lead unit names joined with 、' }) leadUnits: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-12-31' }) currentDeadline: string | null;
  @ApiProperty({ nullable: true, type: String }) originalDeadline: string | null;
  @ApiProperty() deadlineVersion: number;
  @ApiProperty() overdue: boolean;
  @ApiProperty() version: number;
  @ApiProperty() updatedAt: Date;
}

export class ItemPageDto {
  @ApiProperty({ type: [ItemSummaryDto] }) data: ItemSummaryDto[];
  @ApiProperty({ description: 'Matching items, counted exactly up to 1000' }) total: number;
  @ApiProperty({ description: 'False when there are more than total' }) totalIsExact: boolean;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class AvailableActionDto {
  @ApiProperty({ enum: RECTIFICATION_ACTIONS }) action: string;
  @ApiProperty() label: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: [String], description: 'Why it cannot be taken now' }) blockedBy: string[];
  @ApiProperty() requiresReason: boolean;
}

export class ItemActionsDto {
  @ApiProperty({ enum: RECTIFICATION_STATES }) state: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: [AvailableActionDto] }) actions: AvailableActionDto[];
}

export class TransitionResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RECTIFICATION_ACTIONS }) action: string;
  @ApiProperty({ enum: RECTIFICATION_STATES }) from: string;
  @ApiProperty({ enum: RECTIFICATION_STATES }) to: string;
  @ApiProperty() version: number;
  @ApiProperty() historySeq: number;
}

class ItemUnitDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ enum: ['lead', 'cooperating'] }) role: string;
  @ApiProperty({ nullable: true, type: String }) part: string | null;
  @ApiProperty({ nullable: true, type: String }) subDeadline: string | null;
  @ApiProperty({ example: 'in_progress' }) status: string;
  @ApiProperty({ nullable: true, type: String }) progress: string | null;
}

class DeadlineVersionDto {
  @ApiProperty() version: number;
  @ApiProperty() deadline: string;
  @ApiProperty({ example: 'initial' }) kind: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: PersonRefDto }) decider: PersonRefDto | null;
  @ApiProperty() createdAt: Date;
}

class ExtensionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status: string;
  @ApiProperty() fromDeadline: string;
  @ApiProperty() proposedDeadline: string;
  @ApiProperty() reason: string;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ nullable: true, type: PersonRefDto }) requester: PersonRefDto | null;
  @ApiProperty() requestedAt: Date;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: PersonRefDto }) decider: PersonRefDto | null;
  @ApiProperty({ nullable: true, type: Date }) decidedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason: string | null;
}

class ChainLevelDto {
  @ApiProperty() level: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
}

class AcceptanceRecordDto {
  @ApiProperty() submissionRound: number;
  @ApiProperty() level: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ enum: ['pass', 'return'] }) result: string;
  @ApiProperty({ nullable: true, type: String }) opinion: string | null;
  @ApiProperty() signedBy: string;
  @ApiProperty({ nullable: true, type: PersonRefDto }) signer: PersonRefDto | null;
  @ApiProperty() signedAt: Date;
}

class StageNodeViewDto {
  @ApiProperty() name: string;
  @ApiProperty() due: string;
}

export class ItemDetailDto extends ItemSummaryDto {
  @ApiProperty() feedbackText: string;
  @ApiProperty() goal: string;
  @ApiProperty() measures: string;
  @ApiProperty({ nullable: true, type: String }) responsibleLeader: string | null;
  @ApiProperty({ nullable: true, type: String }) responsiblePerson: string | null;
  @ApiProperty({ nullable: true, type: String }) responsiblePhone: string | null;
  @ApiProperty({ type: [StageNodeViewDto] }) stageNodes: StageNodeViewDto[];
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'How the deadline was computed when given as N working/calendar days: {rule, explanation, holidays}',
  })
  deadlineRule: Record<string, unknown> | null;
  @ApiProperty({ format: 'uuid' }) dispatcherUnitId: string;
  @ApiProperty() dispatcherUnitName: string;
  @ApiProperty({ type: [ItemUnitDto] }) units: ItemUnitDto[];
  @ApiProperty({ type: [DeadlineVersionDto] }) deadlines: DeadlineVersionDto[];
  @ApiProperty({ type: [ExtensionDto] }) extensions: ExtensionDto[];
  @ApiProperty({ type: [ChainLevelDto] }) acceptanceChain: ChainLevelDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Index of the current acceptance level (0 = first)' }) acceptanceLevel:
    number | null;
  @ApiProperty() submissionRound: number;
  @ApiProperty({ type: [AcceptanceRecordDto] }) acceptances: AcceptanceRecordDto[];
  @ApiProperty({ nullable: true, type: String }) noticeStart: string | null;
  @ApiProperty({ nullable: true, type: String }) noticeEnd: string | null;
  @ApiProperty({ nullable: true, type: Date }) firstSignedOffAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastSignedOffAt: Date | null;
  @ApiProperty() reopenCount: number;
  @ApiProperty({ nullable: true, type: String }) mergedIntoId: string | null;
  @ApiProperty() evidenceCount: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: [AvailableActionDto] }) availableActions: AvailableActionDto[];
}

export class ProgressDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty() authorName: string;
  @ApiProperty({ nullable: true, type: PersonRefDto }) author: PersonRefDto | null;
  @ApiProperty() reportedOn: string;
  @ApiProperty() text: string;
  @ApiProperty() createdAt: Date;
}

export class CommentViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty() authorName: string;
  @ApiProperty({ nullable: true, type: PersonRefDto }) author: PersonRefDto | null;
  @ApiProperty() text: string;
  @ApiProperty() createdAt: Date;
}

export class EvidenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) itemId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ nullable: true, type: String }) partUnitId: string | null;
  @ApiProperty({ nullable: true, type: Number }) acceptanceLevel: number | null;
  @ApiProperty({ nullable: true, type: String }) progressId: string | null;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedById: string;
  @ApiProperty({ nullable: true, type: PersonRefDto }) uploadedBy: PersonRefDto | null;
  @ApiProperty() uploadedAt: Date;
}

class AcceptanceLevelViewDto {
  @ApiProperty() level: string;
  @ApiPropertyOptional() label?: string;
  @ApiProperty({ nullable: true, type: String }) unitId: string | null;
}

export class BatchDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SOURCE_TYPES }) sourceType: string;
  @ApiProperty({ nullable: true, type: Number }) round: number | null;
  @ApiProperty({ nullable: true, type: String }) issuer: string | null;
  @ApiProperty({ nullable: true, type: String }) issuedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'uuid' }) dispatcherUnitId: string;
  @ApiProperty() dispatcherUnitName: string;
  @ApiProperty({ type: [AcceptanceLevelViewDto] }) acceptanceChain: AcceptanceLevelViewDto[];
  @ApiProperty() noticeDays: number;
  @ApiProperty({ enum: NOTICE_END_ACTIONS, description: 'When a public notice ends: remind the dispatchers daily, or sign off' })
  noticeEndAction: string;
  @ApiProperty() itemCount: number;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
}
