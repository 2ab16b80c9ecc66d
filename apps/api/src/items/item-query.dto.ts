import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { DOMAINS, RECTIFICATION_STATES, SOURCE_TYPES, type Domain, type RectificationState, type SourceType } from '#domain';
import { ITEM_SORTS, type ItemSort } from '#items';
import { PageQueryDto, toBool, toList } from '../http/query.dto.js';

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
