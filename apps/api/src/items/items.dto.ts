import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DOMAINS,
  ITEM_TYPES,
  RECTIFICATION_ACTIONS,
  RECTIFICATION_STATES,
  SOURCE_TYPES,
  type Domain,
  type ItemType,
  type RectificationAction,
  type RectificationState,
  type SourceType,
} from '#domain';
import { BULK_ACTIONS, BULK_MAX_ITEMS, ITEM_SORTS, NOTICE_END_ACTIONS, type BulkAction, type ItemSort, type NoticeEndAction } from '#items';
import { IsDate, PageQueryDto, toBool, toList } from '../http/query.dto.js';

export class AcceptanceLevelDto {
  @ApiProperty({ example: 'city', description: 'county / city / province, or another name' })
  @IsString()
  @Length(1, 30)
  level: string;

  @ApiPropertyOptional({ example: '市级验收' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  label?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'The acceptance body; empty for county = the item’s county' })
  @IsOptional()
  @IsUUID()
  unitId?: string | null;
}

export class CreateBatchDto {
  @ApiProperty({ example: 'ZY-3-FK' })
  @IsString()
  @Length(1, 64)
  code: string;

  @ApiProperty({ example: '第三轮中央生态环境保护督察反馈问题' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: SOURCE_TYPES })
  @IsIn(SOURCE_TYPES)
  sourceType: SourceType;

  @ApiPropertyOptional({ example: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  round?: number;

  @ApiPropertyOptional({ example: '中央第三生态环境保护督察组' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  issuer?: string;

  @ApiPropertyOptional({ example: '2024-06-15' })
  @IsOptional()
  @IsDate()
  issuedOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to your unit' })
  @IsOptional()
  @IsUUID()
  dispatcherUnitId?: string;

  @ApiPropertyOptional({ type: [AcceptanceLevelDto], description: 'Defaults by source type (e.g. county → city → province)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => AcceptanceLevelDto)
  acceptanceChain?: AcceptanceLevelDto[];

  @ApiPropertyOptional({ description: 'Public notice (公示) days after the last acceptance; 0 = none', minimum: 0, maximum: 60 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  noticeDays?: number;

  @ApiPropertyOptional({
    enum: NOTICE_END_ACTIONS,
    default: 'remind',
    description: 'When a public notice ends with no objection upheld: remind the dispatchers daily, or sign the item off',
  })
  @IsOptional()
  @IsIn(NOTICE_END_ACTIONS)
  noticeEndAction?: NoticeEndAction;
}

/** The batch fields that may change while none of its items has been signed off, plus the version read. */
export class UpdateBatchDto extends PartialType(
  PickType(CreateBatchDto, ['name', 'round', 'issuer', 'issuedOn', 'description', 'noticeDays', 'noticeEndAction'] as const),
) {
  @ApiProperty({ description: 'The version you read' })
  @IsInt()
  @Min(1)
  version: number;
}

export class CooperatingPartDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  unitId: string;

  @ApiPropertyOptional({ description: 'What this unit is responsible for' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  part?: string;

  @ApiPropertyOptional({ example: '2026-06-30' })
  @IsOptional()
  @IsDate()
  subDeadline?: string;
}

export class StageNodeDto {
  @ApiProperty({ example: '完成方案编制' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: '2026-03-31' })
  @IsDate()
  due: string;
}

export class DeadlineRuleDto {
  @ApiProperty({ enum: ['working_days', 'calendar_days'] })
  @IsIn(['working_days', 'calendar_days'])
  kind: 'working_days' | 'calendar_days';

  @ApiProperty({ example: '2025-01-20', description: 'The day of the event the period runs from' })
  @IsDate()
  from: string;

  @ApiProperty({ example: 10, minimum: 0, maximum: 3650 })
  @IsInt()
  @Min(0)
  @Max(3650)
  days: number;

  @ApiPropertyOptional({ example: '督察组交办' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  event?: string;
}

class ItemFieldsDto {
  @ApiProperty({ example: '部分区县散煤复烧问题突出' })
  @IsString()
  @Length(1, 500)
  title: string;

  @ApiPropertyOptional({ description: '反馈问题原文' })
  @IsOptional()
  @IsString()
  @Length(0, 20000)
  feedbackText?: string;

  @ApiProperty({ enum: DOMAINS })
  @IsIn(DOMAINS)
  domain: Domain;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  countyUnitId?: string | null;

  @ApiPropertyOptional({ description: '整改目标' })
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  goal?: string;

  @ApiPropertyOptional({ description: '整改措施' })
  @IsOptional()
  @IsString()
  @Length(0, 20000)
  measures?: string;

  @ApiProperty({ enum: ITEM_TYPES, description: 'immediate 立行立改 / deadline 限期整改 / ongoing 长期坚持' })
  @IsIn(ITEM_TYPES)
  type: ItemType;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'One or more lead units (牵头单位)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'leadUnitIds must name at least one lead unit' })
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  leadUnitIds?: string[];

  @ApiPropertyOptional({ type: [CooperatingPartDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CooperatingPartDto)
  cooperating?: CooperatingPartDto[];

  @ApiPropertyOptional({ description: '责任领导' })
  @IsOptional()
  @IsString()
  @Length(0, 100)
  responsibleLeader?: string;

  @ApiPropertyOptional({ description: '责任人' })
  @IsOptional()
  @IsString()
  @Length(0, 100)
  responsiblePerson?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9+\-() ]{5,30}$/, { message: 'responsiblePhone may contain digits, spaces and + - ( ) only' })
  responsiblePhone?: string;

  @ApiPropertyOptional({ type: [StageNodeDto], description: '阶段节点' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StageNodeDto)
  stageNodes?: StageNodeDto[];

  @ApiPropertyOptional({ example: '2026-12-31', description: '整改时限 as a date' })
  @IsOptional()
  @IsDate()
  deadline?: string;

  @ApiPropertyOptional({ type: DeadlineRuleDto, description: 'Or as N working/calendar days from an event, on the work calendar' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeadlineRuleDto)
  deadlineRule?: DeadlineRuleDto;
}

export class CreateItemDto extends ItemFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  batchId: string;

  @ApiProperty({ example: 'ZY3-01', description: 'Unique within the batch' })
  @IsString()
  @Length(1, 64)
  code: string;
}

/** Any ledger field, plus the version read. */
export class UpdateItemDto extends PartialType(ItemFieldsDto) {
  @ApiProperty({ description: 'The version you read' })
  @IsInt()
  @Min(1)
  version: number;
}

export class ItemQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'One or more states, comma-separated', example: 'in_progress,assigned' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(RECTIFICATION_STATES, { each: true })
  state?: RectificationState[];

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() batchId?: string;
  @ApiPropertyOptional({ enum: SOURCE_TYPES }) @IsOptional() @IsIn(SOURCE_TYPES) sourceType?: SourceType;
  @ApiPropertyOptional({ format: 'uuid', description: 'Led by this unit or a unit below it' }) @IsOptional() @IsUUID() leadUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() cooperatingUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() countyUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Same as countyUnitId' }) @IsOptional() @IsUUID() countyId?: string;
  @ApiPropertyOptional({ enum: DOMAINS }) @IsOptional() @IsIn(DOMAINS) domain?: Domain;

  @ApiPropertyOptional({ description: 'Deadline passed while the units still owe the work' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Open items due within N days from today' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  dueWithinDays?: number;

  @ApiPropertyOptional({ description: 'Open items due from today to N working days ahead (work calendar)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(250)
  dueWithinWorkingDays?: number;

  @ApiPropertyOptional({ description: 'Items in acceptance whose current level you (a verifier) may pass or return' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  awaitingMyAcceptance?: boolean;

  @ApiPropertyOptional({ description: 'In progress again after an acceptance level returned them' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  returned?: boolean;

  @ApiPropertyOptional({ description: 'With cooperatingUnitId: only open items whose part of that unit is not done' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  cooperatingPartOpen?: boolean;

  @ApiPropertyOptional({ description: 'Items with an extension request waiting for a decision' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  extensionPending?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Dispatched by this unit or a unit below it' })
  @IsOptional()
  @IsUUID()
  dispatcherUnitId?: string;

  @ApiPropertyOptional({ description: 'Text in the code, title or feedback text' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    enum: ITEM_SORTS,
    default: 'open',
    description: 'open: open items first (overdue first, then by deadline), closed ones after',
  })
  @IsOptional()
  @IsIn(ITEM_SORTS)
  sort: ItemSort = 'open';
}

export class TransitionDto {
  @ApiProperty({ enum: RECTIFICATION_ACTIONS })
  @IsIn(RECTIFICATION_ACTIONS)
  action: RectificationAction;

  @ApiProperty({ description: 'The version you read; a stale version is refused with 409 naming the current one' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ description: 'Required for returns, cancellations, extension requests, re-opening…' })
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  reason?: string;

  @ApiPropertyOptional({ description: 'Progress text (report_progress, report_part)' })
  @IsOptional()
  @IsString()
  @Length(0, 20000)
  text?: string;

  @ApiPropertyOptional({ example: '2027-03-31', description: 'request_extension' })
  @IsOptional()
  @IsDate()
  proposedDeadline?: string;

  @ApiPropertyOptional({ enum: ['in_progress', 'done'], description: 'report_part' })
  @IsOptional()
  @IsIn(['in_progress', 'done'])
  partStatus?: 'in_progress' | 'done';

  @ApiPropertyOptional({ format: 'uuid', description: 'report_part, when your unit has several parts' })
  @IsOptional()
  @IsUUID()
  partUnitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'merge' })
  @IsOptional()
  @IsUUID()
  mergeIntoId?: string;

  @ApiPropertyOptional({ enum: ['holds', 'rebound'], description: 'spot_check' })
  @IsOptional()
  @IsIn(['holds', 'rebound'])
  spotCheckResult?: 'holds' | 'rebound';

  @ApiPropertyOptional({
    example: 'unit',
    description:
      "return: 'unit' (default: back to the unit; resubmission resumes at the returning level, lower levels' passes stand), " +
      "'recheck' (back to the unit; resubmission starts again at the first level), or a lower level's code (e.g. 'city') to examine it again",
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  returnTo?: string;

  @ApiPropertyOptional({ example: '2027-03-31', description: 'reset_deadline (重新明确整改时限), with a reason: the new deadline' })
  @IsOptional()
  @IsDate()
  newDeadline?: string;
}

export class CommentDto {
  @ApiProperty()
  @IsString()
  @Length(1, 5000)
  text: string;
}

export class BulkItemDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({ description: 'The version you read' })
  @IsInt()
  @Min(1)
  version: number;
}

export class BulkTransitionDto {
  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action: BulkAction;

  @ApiProperty({ type: [BulkItemDto], maxItems: BULK_MAX_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BulkItemDto)
  items: BulkItemDto[];

  @ApiPropertyOptional({ description: 'The reason or comment sent with each transition (an urge’s message)' })
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  comment?: string;
}

export class BulkResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ description: 'The new version (when ok)' }) version?: number;
  @ApiPropertyOptional({ description: 'The HTTP status this item alone would have had (when refused)' }) status?: number;
  @ApiPropertyOptional({ description: 'The error code (when refused)' }) code?: string;
  @ApiPropertyOptional({ description: 'Why it was refused' }) message?: string;
}

export class BulkTransitionResultDto {
  @ApiProperty({ type: [BulkResultDto] }) results: BulkResultDto[];
}
