import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  COMPLAINT_ACTIONS,
  DOMAINS,
  SATISFACTION,
  VERDICTS,
  type ComplaintAction,
  type Domain,
  type Satisfaction,
  type Verdict,
} from '#domain';
import { IsDate } from '../http/query.dto.js';

export class HandlingDto {
  @ApiPropertyOptional({ description: '责令整改 (enterprises ordered)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  ordersIssued?: number;

  @ApiPropertyOptional({ description: '罚款, 万元 (at most 4 decimals)' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0)
  @Max(100000000)
  finesWan?: number;

  @ApiPropertyOptional({ description: '立案' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  casesFiled?: number;

  @ApiPropertyOptional({ description: '拘留' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  detained?: number;

  @ApiPropertyOptional({ description: '问责' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  accountable?: number;

  @ApiPropertyOptional({ description: '约谈' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  summoned?: number;
}

export class ComplaintTransitionDto {
  @ApiProperty({ enum: COMPLAINT_ACTIONS })
  @IsIn(COMPLAINT_ACTIONS)
  action: ComplaintAction;

  @ApiProperty({ description: 'The version you read; a stale one is a 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  reason?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'transfer, reassign' })
  @IsOptional()
  @IsUUID()
  leadUnitId?: string;

  @ApiPropertyOptional({ type: [String], description: 'transfer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  cooperatingUnitIds?: string[];

  @ApiPropertyOptional({ description: 'transfer: instead of the batch’s rule' })
  @IsOptional()
  @IsDate()
  deadline?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'merge' })
  @IsOptional()
  @IsUUID()
  duplicateOfId?: string;

  @ApiPropertyOptional({ enum: VERDICTS, description: 'report_verdict, apply_closure' })
  @IsOptional()
  @IsIn(VERDICTS)
  verdict?: Verdict;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 10000)
  findings?: string;

  @ApiPropertyOptional({ description: 'What was found and done (处理情况)' })
  @IsOptional()
  @IsString()
  @Length(0, 10000)
  handlingSummary?: string;

  @ApiPropertyOptional({ type: HandlingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => HandlingDto)
  handling?: HandlingDto;

  @ApiPropertyOptional({ description: 'phase_close: the committed completion date' })
  @IsOptional()
  @IsDate()
  committedDate?: string;

  @ApiPropertyOptional({ description: 'request_extension' })
  @IsOptional()
  @IsDate()
  requestedDeadline?: string;

  @ApiPropertyOptional({ description: 'follow_up: the complainant was reached' })
  @IsOptional()
  @IsBoolean()
  reached?: boolean;

  @ApiPropertyOptional({ enum: SATISFACTION })
  @IsOptional()
  @IsIn(SATISFACTION)
  satisfaction?: Satisfaction;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDate()
  visitedOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class SpawnItemDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ format: 'uuid', description: 'The item batch the new item goes into' })
  @IsUUID()
  itemBatchId: string;

  @ApiProperty()
  @IsString()
  @Length(1, 60)
  code: string;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  title: string;

  @ApiProperty({ enum: DOMAINS })
  @IsIn(DOMAINS)
  domain: Domain;

  @ApiPropertyOptional({ description: 'The case’s closure waits for the item' })
  @IsOptional()
  @IsBoolean()
  awaitItem?: boolean;
}
