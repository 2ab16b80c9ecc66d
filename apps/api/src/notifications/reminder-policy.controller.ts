import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Max, Min } from 'class-validator';
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
    if (scope !== 'default' && !(SOURCE_TYPES as readonly string[]).includes(scope)) {
      throw DomainError.validation('Unknown scope', [
        { field: 'scope', messages: [`must be "default" or one of ${SOURCE_TYPES.join(', ')}`] },
      ]);
    }
    return this.reminders.setPolicy(actor, scope as 'default' | SourceType, body);
  }
}
