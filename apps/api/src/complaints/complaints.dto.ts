import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
  COMPLAINT_STATES,
  DOMAINS,
  POLLUTION_TYPES,
  SATISFACTION,
  VERDICTS,
  type ComplaintAction,
  type ComplaintState,
  type Domain,
  type PollutionType,
  type Satisfaction,
  type Verdict,
} from '#domain';
import { COMPLAINT_DIMENSIONS, type ComplaintDimension } from '#complaints';
import { IsDate, toBool, toList } from '../http/query.dto.js';

export class CreateComplaintBatchDto {
  @ApiProperty({ example: '第三轮中央生态环境保护督察' })
  @IsString()
  @Length(1, 200)
  round: string;

  @ApiProperty({ example: 1, description: '第N批' })
  @IsInt()
  @Min(1)
  @Max(10000)
  batchNo: number;

  @IsDate()
  receivedOn: string;

  @ApiPropertyOptional({ example: '中央第三生态环境保护督察组' })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  issuer?: string;

  @ApiProperty({ example: 10, description: 'The deadline rule of the batch: this many days from receipt' })
  @IsInt()
  @Min(1)
  @Max(365)
  deadlineDays: number;

  @ApiProperty({
    enum: ['calendar', 'working'],
    description: 'Calendar days (a period ending on a day off ends on the next working day) or working days',
  })
  @IsIn(['calendar', 'working'])
  deadlineKind: 'calendar' | 'working';
}

export class ComplaintContactDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 100)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 40)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class CreateComplaintCaseDto {
  @ApiProperty({ example: 'X3-01-005', description: 'Case number, unique in the batch' })
  @IsString()
  @Length(1, 60)
  caseNo: string;

  @ApiPropertyOptional({ example: 'D2SX202306010005', description: 'The inspection team’s original number' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  teamNo?: string;

  @ApiPropertyOptional({ description: 'Defaults to the batch’s date' })
  @IsOptional()
  @IsDate()
  receivedOn?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 10000)
  content: string;

  @ApiProperty({ format: 'uuid', description: 'The county (区县) unit' })
  @IsUUID()
  countyUnitId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 500)
  address?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude?: number;

  @ApiProperty({ enum: POLLUTION_TYPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ArrayUnique()
  @IsIn(POLLUTION_TYPES, { each: true })
  pollutionTypes: PollutionType[];

  @ApiPropertyOptional({ description: '重点件' })
  @IsOptional()
  @IsBoolean()
  keyCase?: boolean;

  @ApiPropertyOptional({ type: ComplaintContactDto, description: 'The complainant; read only by dispatchers and administrators' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ComplaintContactDto)
  contact?: ComplaintContactDto;
}

export class ComplaintFilterDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  batchId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  countyUnitId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  leadUnitId?: string;

  @ApiPropertyOptional({ enum: COMPLAINT_STATES, isArray: true, description: 'Comma-separated' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(7)
  @IsIn(COMPLAINT_STATES, { each: true })
  state?: ComplaintState[];

  @ApiPropertyOptional({ enum: POLLUTION_TYPES })
  @IsOptional()
  @IsIn(POLLUTION_TYPES)
  pollutionType?: PollutionType;

  @ApiPropertyOptional({ enum: VERDICTS })
  @IsOptional()
  @IsIn(VERDICTS)
  verdict?: Verdict;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  keyCase?: boolean;

  @ApiPropertyOptional({ description: 'Only cases with undecided duplicate proposals' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  duplicateProposals?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDate()
  receivedFrom?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDate()
  receivedTo?: string;

  @ApiPropertyOptional({ description: 'Words in the case number, content or address' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class ComplaintListQueryDto extends ComplaintFilterDto {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page: number = 1;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 20;
}

export class ComplaintExportQueryDto extends ComplaintFilterDto {
  @ApiPropertyOptional({ description: 'Add the complainants’ contacts (dispatchers and administrators only)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeContact?: boolean;
}

export class ComplaintFiguresQueryDto extends ComplaintFilterDto {
  @ApiPropertyOptional({ description: 'The figures as they stood at the end of this day (default today)' })
  @IsOptional()
  @IsDate()
  asOf?: string;
}

export class ComplaintBreakdownQueryDto extends ComplaintFiguresQueryDto {
  @ApiProperty({ enum: COMPLAINT_DIMENSIONS })
  @IsIn(COMPLAINT_DIMENSIONS)
  dimension: ComplaintDimension;
}

export class DailyReportQueryDto {
  @ApiPropertyOptional({ description: 'The report’s date (default today)' })
  @IsOptional()
  @IsDate()
  asOf?: string;

  @ApiPropertyOptional({ enum: ['json', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx'])
  format?: 'json' | 'xlsx';
}

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
