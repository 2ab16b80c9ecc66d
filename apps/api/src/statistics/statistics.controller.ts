import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CONTENT_TYPES, ReportsService, StatisticsService, type BreakdownResult, type StatsResult, type TrendPoint } from '#statistics';
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
  ) {}

  @Get('statistics/summary')
  @RequirePermission('item.read')
  @ApiOkResponse({ description: '{asOf, statDate, scope, byState, figures[{key,label,kind,value,display,numerator,denominator,formula}]}' })
  summary(@CurrentActor() actor: SessionActor, @Query() q: AsOfQueryDto): Promise<StatsResult> {
    return this.stats.summary(actor, scopeOf(q), parseAsOf(q.asOf));
  }

  @Get('statistics/breakdown')
  @RequirePermission('item.read')
  @ApiOkResponse({ description: 'The same figures per lead unit, county, domain, source type, batch or deadline month' })
  breakdown(@CurrentActor() actor: SessionActor, @Query() q: BreakdownQueryDto): Promise<BreakdownResult> {
    return this.stats.breakdown(actor, q.by, scopeOf(q), parseAsOf(q.asOf));
  }

  @Get('statistics/trend')
  @RequirePermission('item.read')
  @ApiOkResponse({ description: 'The figures as of the end of each week (Sunday) or month in the range, and of its last day' })
  async trend(@CurrentActor() actor: SessionActor, @Query() q: TrendQueryDto): Promise<{ interval: string; points: TrendPoint[] }> {
    return { interval: q.interval, points: await this.stats.trend(actor, scopeOf(q), q.interval, q.from, q.to) };
  }

  @Get('statistics/export')
  @RequirePermission('item.read')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The figures with their formulas (.csv), plus every breakdown as a sheet (.xlsx)' })
  async exportFigures(@CurrentActor() actor: SessionActor, @Query() q: FiguresExportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.reports.figures(actor, scopeOf(q), parseAsOf(q.asOf), q.format));
  }

  @Get('statistics/bulletin')
  @RequirePermission('item.read')
  @ApiProduces(CONTENT_TYPES.xlsx)
  @ApiOkResponse({ description: 'The monthly bulletin (月通报) as .xlsx: summary, by unit, by county, by batch, overdue items' })
  async bulletin(@CurrentActor() actor: SessionActor, @Query() q: BulletinQueryDto, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.reports.bulletin(actor, q.month));
  }
}
