import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { COMPLAINT_STATES, POLLUTION_TYPES, VERDICTS, type ComplaintState, type PollutionType, type Verdict } from '#domain';
import { COMPLAINT_DIMENSIONS, type ComplaintDimension } from '#complaints';
import { IsDate, toBool, toList } from '../http/query.dto.js';

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
