import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
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
import { DOMAINS, ITEM_TYPES, type Domain, type ItemType } from '#domain';
import { IsDate } from '../http/query.dto.js';

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
