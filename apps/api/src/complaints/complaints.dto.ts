import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
import { POLLUTION_TYPES, type PollutionType } from '#domain';
import { IsDate } from '../http/query.dto.js';

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
