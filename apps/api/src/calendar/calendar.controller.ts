import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CalendarService, type CalendarDayView } from '#calendar';
import type { ComputedDeadline } from '#domain';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { IsDate } from '../http/query.dto.js';

class DayRangeQuery {
  @ApiProperty({ example: '2025-01-20' })
  @IsDate()
  from: string;

  @ApiProperty({ example: '2025-02-10' })
  @IsDate()
  to: string;
}

class DeadlineQuery {
  @ApiProperty({ enum: ['working_days', 'calendar_days'] })
  @IsIn(['working_days', 'calendar_days'])
  kind: 'working_days' | 'calendar_days';

  @ApiProperty({ example: '2025-01-20', description: 'The day of the event the period runs from' })
  @IsDate()
  from: string;

  @ApiProperty({ example: 10 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  days: number;

  @ApiPropertyOptional({ example: '转办' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  event?: string;
}

class CalendarEntryDto {
  @ApiProperty({ enum: ['off', 'work'], description: 'off = a day off (holiday); work = a weekend day that is a working day (调休)' })
  @IsIn(['off', 'work'])
  kind: 'off' | 'work';

  @ApiProperty({ example: '春节' })
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiPropertyOptional({ description: 'The version you read, when changing an existing entry' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

class DayParam {
  @ApiProperty({ example: '2027-02-06' })
  @IsDate()
  day: string;
}

class VersionQuery {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}

/** The working-day calendar: China's statutory schedule plus administrators' entries. */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('days')
  @ApiOperation({ summary: 'Working days, holidays and make-up days in a date range' })
  @RequirePermission('calendar.read')
  @ApiOkResponse({
    description: 'Each day in the range: working or not, why, and where the rule comes from',
    schema: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  days(@Query() q: DayRangeQuery): Promise<CalendarDayView[]> {
    return this.calendar.days(q.from, q.to);
  }

  @Get('deadline')
  @ApiOperation({ summary: 'Compute a deadline as N working or calendar days from a date, with how it was computed' })
  @RequirePermission('calendar.read')
  @ApiOkResponse({
    description: 'The deadline N working or calendar days after a date, and how it was computed',
    schema: { type: 'object', additionalProperties: true },
  })
  deadline(@Query() q: DeadlineQuery): Promise<ComputedDeadline> {
    return this.calendar.compute({ kind: q.kind, from: q.from, days: q.days, event: q.event });
  }

  @Put('days/:day')
  @ApiOperation({ summary: 'Set a day as a holiday or a make-up working day (administrators)' })
  @RequirePermission('calendar.manage')
  @ApiOkResponse({
    description: 'The day with its new rule (versioned, recorded in the history)',
    schema: { type: 'object', additionalProperties: true },
  })
  set(@CurrentActor() actor: SessionActor, @Param() p: DayParam, @Body() body: CalendarEntryDto): Promise<CalendarDayView> {
    return this.calendar.upsert(actor, p.day, body);
  }

  @Delete('days/:day')
  @ApiOperation({ summary: "Remove an administrator's entry for a day" })
  @RequirePermission('calendar.manage')
  @ApiOkResponse({ description: 'The day with the shipped rule restored', schema: { type: 'object', additionalProperties: true } })
  remove(@CurrentActor() actor: SessionActor, @Param() p: DayParam, @Query() q: VersionQuery): Promise<CalendarDayView> {
    return this.calendar.remove(actor, p.day, q.version);
  }
}
