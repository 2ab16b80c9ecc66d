import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  Min,
  ValidateNested,
} from 'class-validator';
import { RECTIFICATION_ACTIONS, type RectificationAction } from '#domain';
import { BULK_ACTIONS, BULK_MAX_ITEMS, type BulkAction } from '#items';
import { IsDate } from '../http/query.dto.js';

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
