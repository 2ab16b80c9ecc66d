import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DomainError, SOURCE_TYPES, type ReminderPolicy, type SourceType } from '#domain';
import { ReminderSweepService } from '#notifications';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';

class ReminderPolicyDto implements ReminderPolicy {
  @ApiProperty({ example: [5, 3, 1], description: 'Working days before the deadline on which the lead unit is reminded' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(60, { each: true })
  beforeDays: number[];

  @ApiProperty({ example: 5, description: 'Every this many working days overdue, one level further up the org tree' })
  @IsInt()
  @Min(1)
  @Max(60)
  escalateEveryDays: number;

  @ApiProperty({ example: 2, description: 'How many levels up escalation may go' })
  @IsInt()
  @Min(0)
  @Max(10)
  escalateMaxLevels: number;

  @ApiProperty({ example: 5, description: 'Working days an acceptance may wait at one level before its verifiers are reminded' })
  @IsInt()
  @Min(1)
  @Max(60)
  acceptancePendingDays: number;

  @ApiPropertyOptional({
    example: 5,
    description: 'After the top of the ladder, a 督办 reminder every this many working days (5: weekly; 0: none)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  recurEveryDays?: number;

  @ApiPropertyOptional({ example: false, description: 'Escalate up the org tree to the root (escalateMaxLevels is then ignored)' })
  @IsOptional()
  @IsBoolean()
  escalateToRoot?: boolean;

  @ApiPropertyOptional({ example: 1, description: 'The version this replaces (0: the scope has none yet); a stale one is a 409' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;
}

class ResetQueryDto {
  @ApiPropertyOptional({ description: 'The version being reset; a stale one is a 409' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  version?: number;
}

/** When reminders and escalations go out: a default, and optionally one per source type. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/reminder-policies')
export class ReminderPolicyController {
  constructor(private readonly reminders: ReminderSweepService) {}

  @Get()
  @ApiOperation({ summary: 'Reminder policies (default and per source type)' })
  @RequirePermission('notifications.manage')
  @ApiOkResponse({
    description: 'The policies in force, by scope ("default" or a source type)',
    schema: { type: 'object', additionalProperties: true },
  })
  async list(): Promise<Record<string, ReminderPolicy>> {
    return Object.fromEntries(await this.reminders.policies());
  }

  @Put(':scope')
  @ApiOperation({ summary: 'Set the reminder policy of a scope' })
  @RequirePermission('notifications.manage')
  @ApiOkResponse({
    description: 'The new policy, versioned and recorded in the history',
    schema: { type: 'object', additionalProperties: true },
  })
  set(@CurrentActor() actor: SessionActor, @Param('scope') scope: string, @Body() body: ReminderPolicyDto) {
    return this.reminders.setPolicy(actor, checkScope(scope), body);
  }

  @Delete(':scope')
  @ApiOperation({ summary: 'Reset the reminder policy of a scope to the default' })
  @RequirePermission('notifications.manage')
  @ApiOkResponse({
    description: 'Back to the default (a source type follows the default policy; the default, the shipped one)',
    schema: { type: 'object', additionalProperties: true },
  })
  reset(@CurrentActor() actor: SessionActor, @Param('scope') scope: string, @Query() query: ResetQueryDto) {
    return this.reminders.resetPolicy(actor, checkScope(scope), query.version);
  }
}

function checkScope(scope: string): 'default' | SourceType {
  if (scope !== 'default' && !(SOURCE_TYPES as readonly string[]).includes(scope)) {
    throw DomainError.validation('Unknown scope', [
      { field: 'scope', messages: [`must be "default" or one of ${SOURCE_TYPES.join(', ')}`] },
    ]);
  }
  return scope as 'default' | SourceType;
}
