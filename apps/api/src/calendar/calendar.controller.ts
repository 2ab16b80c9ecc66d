import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CalendarService, HolidayNoticeService, type CalendarDayView, type CalendarStatus, type NoticePreview } from '#calendar';
import type { ComputedDeadline, NoticeDay } from '#domain';
import { DeadlineRecomputeService, type Recomputed } from '#items';
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

  @ApiPropertyOptional({ enum: ['zh', 'en'], description: 'The language of `explanation` (Chinese by default)' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  lang?: 'zh' | 'en';
}

class HolidayNoticeDto {
  @ApiProperty({ description: 'The text of 国务院办公厅关于20XX年部分节假日安排的通知 (一、元旦：…放假… 二、春节：…上班…)' })
  @IsString()
  @Length(10, 20000)
  text: string;

  @ApiPropertyOptional({ example: 2027, description: 'The year, when the pasted text does not name it' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
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
  constructor(
    private readonly calendar: CalendarService,
    private readonly notices: HolidayNoticeService,
    private readonly recompute: DeadlineRecomputeService,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Which years have a published holiday schedule, with a warning while next year is missing' })
  @RequirePermission('calendar.read')
  @ApiOkResponse({
    description: 'Which years are published, and from November a warning while next year is missing',
    schema: { type: 'object', additionalProperties: true },
  })
  status(): Promise<CalendarStatus> {
    return this.notices.status();
  }

  @Post('notices/preview')
  @HttpCode(200)
  @ApiOperation({ summary: "Parse the State Council's holiday notice into holidays and make-up days for review (stores nothing)" })
  @RequirePermission('calendar.manage')
  @ApiOkResponse({
    description: 'The days the notice gives, against the rules in force, and what does not add up (nothing is stored)',
    schema: { type: 'object', additionalProperties: true },
  })
  preview(@Body() body: HolidayNoticeDto): Promise<NoticePreview> {
    return this.notices.preview(body.text, body.year);
  }

  @Post('notices')
  @ApiOperation({ summary: "Store a year's holiday schedule from the notice and recompute provisional deadlines" })
  @RequirePermission('calendar.manage')
  @ApiOkResponse({
    description: 'The year stored as a new version; provisional deadlines recomputed (those that moved are listed)',
    schema: { type: 'object', additionalProperties: true },
  })
  async confirm(
    @CurrentActor() actor: SessionActor,
    @Body() body: HolidayNoticeDto,
  ): Promise<{ year: number; version: number; days: NoticeDay[]; recomputed: Recomputed[] }> {
    const stored = await this.notices.confirm(actor, body.text, body.year);
    return { ...stored, recomputed: await this.recompute.recomputeProvisional(actor, stored.year) };
  }

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
  async deadline(@Query() q: DeadlineQuery): Promise<ComputedDeadline> {
    const computed = await this.calendar.compute({ kind: q.kind, from: q.from, days: q.days, event: q.event });
    return q.lang === 'en' ? { ...computed, explanation: computed.explanationEn } : computed;
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
