import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CONTENT_TYPES,
  ReportFiguresService,
  ReportsService,
  StatisticsService,
  type BreakdownResult,
  type ReportFiguresResult,
  type StatsResult,
  type TrendPoint,
} from '#statistics';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { sendFile as send } from '../http/send-file.js';
import {
  AsOfQueryDto,
  BreakdownQueryDto,
  BulletinQueryDto,
  FiguresExportQueryDto,
  TrendQueryDto,
  parseAsOf,
  scopeOf,
} from './statistics.dto.js';

/** Closure figures over the items the caller may read; each figure names its formula and instant. */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller()
export class StatisticsController {
  constructor(
    @Inject(StatisticsService) private readonly stats: StatisticsService,
    @Inject(ReportsService) private readonly reports: ReportsService,
    @Inject(ReportFiguresService) private readonly reported: ReportFiguresService,
  ) {}

  @Get('statistics/summary')
  @ApiOperation({ summary: 'Closure figures (销号率, 完成率, overdue…) with their formulas, now or as of a date' })
  @RequirePermission('item.read')
  @ApiOkResponse({
    description: '{asOf, statDate, scope, byState, figures[{key,label,kind,value,display,numerator,denominator,formula}]}',
    schema: { type: 'object', additionalProperties: true },
  })
  summary(@CurrentActor() actor: SessionActor, @Query() q: AsOfQueryDto): Promise<StatsResult> {
    return this.stats.summary(actor, scopeOf(q), parseAsOf(q.asOf));
  }

  @Get('statistics/report-figures')
  @ApiOperation({
    summary:
      'The figures report sentences name: sign-off by acceptance level, 已完成整改 (阶段性完成 counted), rebound rate, days against deadlines, late extensions',
  })
  @RequirePermission('item.read')
  @ApiOkResponse({
    description: '{asOf, statDate, scope, figures[{key,label,kind,value,display,numerator,denominator,formula}]}',
    schema: { type: 'object', additionalProperties: true },
  })
  reportFigures(@CurrentActor() actor: SessionActor, @Query() q: AsOfQueryDto): Promise<ReportFiguresResult> {
    return this.reported.figures(actor, scopeOf(q), parseAsOf(q.asOf));
  }

  @Get('statistics/breakdown')
  @ApiOperation({ summary: 'Closure figures by lead unit, county, domain, source type, batch or deadline month' })
  @RequirePermission('item.read')
  @ApiOkResponse({
    description: 'The same figures per lead unit, county, domain, source type, batch or deadline month',
    schema: { type: 'object', additionalProperties: true },
  })
  breakdown(@CurrentActor() actor: SessionActor, @Query() q: BreakdownQueryDto): Promise<BreakdownResult> {
    return this.stats.breakdown(actor, q.by, scopeOf(q), parseAsOf(q.asOf));
  }

  @Get('statistics/trend')
  @ApiOperation({ summary: 'Closure figures per week or month' })
  @RequirePermission('item.read')
  @ApiOkResponse({
    description: 'The figures as of the end of each week (Sunday) or month in the range, and of its last day',
    schema: { type: 'object', additionalProperties: true },
  })
  async trend(@CurrentActor() actor: SessionActor, @Query() q: TrendQueryDto): Promise<{ interval: string; points: TrendPoint[] }> {
    return { interval: q.interval, points: await this.stats.trend(actor, scopeOf(q), q.interval, q.from, q.to) };
  }

  @Get('statistics/export')
  @ApiOperation({ summary: 'Export the figures (.xlsx or .csv)' })
  @RequirePermission('item.read')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({
    description: 'The figures with their formulas (.csv), plus every breakdown as a sheet (.xlsx)',
    schema: { type: 'string', format: 'binary' },
  })
  async exportFigures(@CurrentActor() actor: SessionActor, @Query() q: FiguresExportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.reports.figures(actor, scopeOf(q), parseAsOf(q.asOf), q.format));
  }

  @Get('statistics/bulletin')
  @ApiOperation({ summary: 'The monthly bulletin (月通报) as .xlsx, or as .docx in the 通报 layout' })
  @RequirePermission('item.read')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.docx)
  @ApiOkResponse({
    description:
      'The monthly bulletin (月通报): .xlsx with summary, by unit, by county, by batch, overdue items; or .docx with title, number, ' +
      'the month’s figures in sentences, tables by lead unit and county, the overdue list by unit and the units criticised',
    schema: { type: 'string', format: 'binary' },
  })
  async bulletin(@CurrentActor() actor: SessionActor, @Query() q: BulletinQueryDto, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.reports.bulletin(actor, q.month, q.format));
  }
}
