import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  MILESTONE_ACTIONS,
  PROJECT_CATEGORIES,
  SCHEDULE_STATUSES,
  parseAmount,
  type MilestoneAction,
  type ProjectCategory,
  type ScheduleStatus,
} from '#domain';
import { PROJECT_BREAKDOWNS, type ProjectBreakdown } from '#projects';
import { EXPORT_FORMATS, type ExportFormat } from '#statistics';
import { IsDate, IsMonth, PageQueryDto, toList } from '../http/query.dto.js';

/** An amount in 万元: a non-negative number with at most two decimals, as a number or a decimal string. */
const IsAmount = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isAmount',
      validator: {
        validate: (value: unknown) => parseAmount(value).ok,
        defaultMessage: (args) => {
          const parsed = parseAmount(args?.value);
          return `${args?.property} ${parsed.ok ? 'is invalid' : parsed.problem}`;
        },
      },
    },
    options,
  );

export class YearPlanDto {
  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @ApiProperty({ example: '1200.5', description: '万元' })
  @IsAmount()
  amount: string | number;
}

export class MilestoneInputDto {
  @ApiProperty({ example: '开工' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '2025-06-30' })
  @IsDate()
  plannedDate: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Default: the project’s first responsible unit' })
  @IsOptional()
  @IsUUID()
  responsibleUnitId?: string;
}

class ProjectFieldsDto {
  @ApiProperty({ example: '御河水环境综合治理工程' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: PROJECT_CATEGORIES, description: '大气/水/生态保护与修复/风险防控/监管能力/其他' })
  @IsIn(PROJECT_CATEGORIES)
  category: ProjectCategory;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  countyUnitId?: string | null;

  @ApiPropertyOptional({ example: '大同市“十四五”生态环境保护规划' })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  source?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  description?: string;

  @ApiProperty({ example: '35300', description: '计划总投资, 万元' })
  @IsAmount()
  plannedInvestment: string | number;

  @ApiPropertyOptional({ example: '0', description: '开工前已完成投资, 万元' })
  @IsOptional()
  @IsAmount()
  priorInvestment?: string | number;

  @ApiProperty({ example: 2023 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  startYear: number;

  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  endYear: number;

  @ApiPropertyOptional({ example: '2023-03-01', description: 'Default: 1 January of startYear' })
  @IsOptional()
  @IsDate()
  plannedStart?: string;

  @ApiPropertyOptional({ example: '2025-10-31', description: 'Default: 31 December of endYear' })
  @IsOptional()
  @IsDate()
  plannedEnd?: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  responsibleUnitIds: string[];

  @ApiPropertyOptional({ type: [YearPlanDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => YearPlanDto)
  yearPlans?: YearPlanDto[];
}

export class CreateProjectDto extends ProjectFieldsDto {
  @ApiProperty({ example: 'DQ-2023-01' })
  @IsString()
  @Length(1, 64)
  code: string;

  @ApiPropertyOptional({ type: [MilestoneInputDto], description: 'Default: the milestone template spread over the period' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInputDto)
  milestones?: MilestoneInputDto[];
}

/** Any ledger field, with the version read (a stale one is refused with 409). */
export class UpdateProjectDto extends PartialType(ProjectFieldsDto) {
  @ApiProperty({ description: 'The version you read; a stale one is refused with 409' })
  @IsInt()
  @Min(1)
  version: number;
}

export class ProjectQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated categories', example: 'air,water' })
  @IsOptional()
  @Transform(toList)
  @IsIn(PROJECT_CATEGORIES, { each: true })
  category?: ProjectCategory[];

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() countyUnitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Projects of this unit or a unit below it' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ description: 'Comma-separated schedule statuses', example: 'behind' })
  @IsOptional()
  @Transform(toList)
  @IsIn(SCHEDULE_STATUSES, { each: true })
  schedule?: ScheduleStatus[];

  @ApiPropertyOptional({ description: 'Projects under construction in this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'Text in the code or name' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class ProjectExportQueryDto extends ProjectQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat = 'xlsx';
}

export class MilestoneTransitionDto {
  @ApiProperty({ enum: MILESTONE_ACTIONS })
  @IsIn(MILESTONE_ACTIONS)
  action: MilestoneAction;

  @ApiProperty({ description: 'The milestone version you read' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ description: 'Required to return or replan' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'report_done: the day it was done' })
  @IsOptional()
  @IsDate()
  actualDate?: string;

  @ApiPropertyOptional({ description: 'replan: the new planned date' })
  @IsOptional()
  @IsDate()
  plannedDate?: string;
}

export class InvestmentReportDto {
  @ApiProperty({ example: '2026-10' })
  @IsMonth()
  month: string;

  @ApiProperty({ example: '320.5', description: '本月完成投资, 万元' })
  @IsAmount()
  amount: string | number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;

  @ApiPropertyOptional({ description: 'To correct a reported month: the version being corrected (the latest)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  correctsVersion?: number;

  @ApiPropertyOptional({ description: 'Why the month is corrected (required with correctsVersion)' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class InvestmentQueryDto {
  @ApiProperty({ example: '2026-10' })
  @IsMonth()
  month: string;

  @ApiPropertyOptional({ description: 'As of the end of this day (China); default now' })
  @IsOptional()
  @IsDate()
  asOf?: string;
}

export class ScheduleQueryDto {
  @ApiPropertyOptional({ description: 'Judge the schedule as of the end of this day; default today' })
  @IsOptional()
  @IsDate()
  asOf?: string;
}

export class ProjectStatsQueryDto {
  @ApiPropertyOptional({ description: 'As of the end of this day (China); default now' })
  @IsOptional()
  @IsDate()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Report month for investment; default the month before asOf’s' })
  @IsOptional()
  @IsMonth()
  month?: string;

  @ApiPropertyOptional({ enum: PROJECT_CATEGORIES }) @IsOptional() @IsIn(PROJECT_CATEGORIES) category?: ProjectCategory;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() countyUnitId?: string;
}

export class ProjectBreakdownQueryDto extends ProjectStatsQueryDto {
  @ApiProperty({ enum: PROJECT_BREAKDOWNS })
  @IsIn(PROJECT_BREAKDOWNS)
  by: ProjectBreakdown;
}

export class TemplateEntryDto {
  @ApiProperty({ example: '开工' }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ example: 0.2, description: 'Where it falls in the period: 0 start … 1 end' }) @IsNumber() @Min(0) @Max(1) share: number;
}

export class TemplateDto {
  @ApiProperty({ type: [TemplateEntryDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => TemplateEntryDto)
  template: TemplateEntryDto[];
}

export class DeleteProjectQueryDto {
  @ApiProperty({ description: 'The version you read' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ description: 'Why the project is deleted (kept in the history)' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}
