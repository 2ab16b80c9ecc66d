import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SOURCE_TYPES, type SourceType } from '#domain';
import { NOTICE_END_ACTIONS, type NoticeEndAction } from '#items';
import { IsDate } from '../http/query.dto.js';

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
