import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, DomainError, shanghaiDate, type Actor, type Clock } from '#domain';
import { bulletinDocx } from './bulletin-docx.js';
import { ReportFiguresService } from './report-figures.js';
import { addBarCharts, type BarChart } from './xlsx-chart.js';
import type { AsOf, StatScope } from './stat-scope.js';
import { StatisticsService, type BreakdownResult } from './statistics.service.js';
import { monthEnd } from './stretches.js';
import {
  BREAKDOWN_RATE_COLUMNS,
  addSheet,
  breakdownColumn,
  breakdownTable,
  figuresTable,
  toCsv,
  toXlsx,
  type BulletinFormat,
  type ExportFormat,
  type Table,
} from './workbook.js';

/** The bulletin lists at most this many overdue items. */
export const MAX_BULLETIN_OVERDUE = 2_000;

export interface ReportFile {
  filename: string;
  format: ExportFormat | BulletinFormat;
  body: Buffer;
}

/** Documents made from the ledger and the figures: exports and the monthly bulletin (月通报). */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(StatisticsService) private readonly stats: StatisticsService,
    @Inject(ReportFiguresService) private readonly reported: ReportFiguresService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The figures with their formulas, and (xlsx) one sheet per breakdown; CSV carries the figures only. */
  async figures(actor: Actor, scope: StatScope, asOf: AsOf, format: ExportFormat): Promise<ReportFile> {
    const summary = await this.stats.summary(actor, scope, asOf);
    const filename = `整改统计-${summary.statDate}.${format}`;
    if (format === 'csv') return { filename, format, body: toCsv(figuresTable(summary)) };
    const tables: Table[] = [figuresTable(summary, '统计口径', true)];
    for (const [by, name, header] of GROUPINGS) {
      tables.push(breakdownTable(await this.stats.breakdown(actor, by, scope, asOf), name, header, true));
    }
    return { filename, format, body: await toXlsx(tables) };
  }

  /**
   * The monthly bulletin for a month (YYYY-MM), as of the end of its last day (or now, for the
   * current month), so the same bulletin comes out again after later changes: the workbook, or the
   * document in the 通报 layout (.docx).
   */
  async bulletin(actor: Actor, month: string, format: BulletinFormat = 'xlsx'): Promise<ReportFile> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      throw DomainError.validation('month must be YYYY-MM', [{ field: 'month', messages: ['must be YYYY-MM'] }]);
    }
    const today = shanghaiDate(this.clock.now());
    if (`${month}-01` > today) throw new DomainError('unprocessable', 'MONTH_IN_FUTURE', `${month} has not begun`, { month });
    const last = monthEnd(`${month}-01`);
    const asOf: AsOf = last < today ? { kind: 'date', date: last } : { kind: 'now' };
    const scope: StatScope = {};
    const summary = await this.stats.summary(actor, scope, asOf);
    const [year, mon] = month.split('-').map(Number);
    const title = `生态环境问题整改工作月通报（${year}年${mon}月）`;
    const byUnit = await this.stats.breakdown(actor, 'leadUnit', scope, asOf);
    const byCounty = await this.stats.breakdown(actor, 'county', scope, asOf);
    const bySource = await this.stats.breakdown(actor, 'batch', scope, asOf);
    const overdue = await this.stats.overdueItems(actor, scope, asOf, MAX_BULLETIN_OVERDUE);
    const reported = (await this.reported.figures(actor, scope, asOf)).figures;
    if (format === 'docx') {
      const [{ name: issuer }] = await this.dataSource.query<{ name: string }[]>(`SELECT name FROM org_unit WHERE id = $1`, [actor.unitId]);
      const body = await bulletinDocx({ year, month: mon, summary, reported, byUnit, byCounty, overdue, issuer });
      return { filename: `月通报-${month}.docx`, format: 'docx', body };
    }

    const body = await toXlsx([], (wb) => {
      // The report figures (sign-off by level, rebound rate, days against deadlines, late extensions) below the closure figures.
      const figures = [...summary.figures, ...reported.filter((f) => f.key !== 'total')];
      const cover = addSheet(wb, figuresTable({ ...summary, figures }, '概况', true));
      cover.insertRow(1, [title]);
      cover.insertRow(2, [`统计时点：截至 ${summary.statDate}；数据来源：整改通（按当时状态计算，可复现）`]);
      cover.getRow(1).font = { bold: true, size: 16 };
      cover.getRow(3).font = { bold: true };
      for (const [result, name, header] of [
        [byUnit, '按牵头单位', '牵头单位'],
        [byCounty, '按行政区', '行政区'],
        [bySource, '按批次', '轮次/批次'],
      ] as const) {
        const ws = addSheet(wb, breakdownTable(result, name, header, true));
        const rows = result.rows.length + 1;
        for (const col of BREAKDOWN_RATE_COLUMNS) {
          ws.getColumn(col).numFmt = '0.00%';
          if (rows > 1) {
            // In-cell bars: the rates read at a glance, in every spreadsheet program.
            const ref = `${ws.getColumn(col).letter}2:${ws.getColumn(col).letter}${rows}`;
            ws.addConditionalFormatting({
              ref,
              rules: [
                {
                  type: 'dataBar',
                  priority: 1,
                  cfvo: [
                    { type: 'num', value: 0 },
                    { type: 'num', value: 1 },
                  ],
                  color: { argb: 'FF5B9BD5' },
                } as never,
              ],
            });
          }
        }
        ws.getRow(rows + 2).values = [result.note];
      }
      addSheet(wb, {
        name: '逾期未完成事项',
        columns: [
          { header: '编号', width: 14 },
          { header: '问题', width: 40 },
          { header: '轮次/批次', width: 24 },
          { header: '牵头单位', width: 24 },
          { header: '行政区', width: 12 },
          { header: '整改时限', width: 12 },
          { header: '逾期天数', width: 10 },
        ],
        rows: overdue.map((o) => [o.code, o.title, o.batchName, o.leadUnits, o.countyName, o.deadline, o.daysOverdue]),
      });
    });
    // A bar chart of 销号率 beside each of the by-unit and by-county tables.
    const chartsOf: [BreakdownResult, string, string][] = [
      [byUnit, '按牵头单位', '各牵头单位销号率'],
      [byCounty, '按行政区', '各行政区销号率'],
    ];
    const charts: BarChart[] = chartsOf.map(([result, sheet, title]) => ({
      sheet,
      title,
      valueColumn: breakdownColumn('signOffRate'),
      categories: result.rows.map((r) => r.label),
      values: result.rows.map((r) => r.figures.find((f) => f.key === 'signOffRate')?.value ?? null),
      numberFormat: '0%',
      at: { col: breakdownColumn('dueCompletionRate') + 1, row: 1 },
    }));
    return { filename: `月通报-${month}.xlsx`, format: 'xlsx', body: await addBarCharts(body, charts) };
  }
}

const GROUPINGS = [
  ['leadUnit', '按牵头单位', '牵头单位'],
  ['county', '按行政区', '行政区'],
  ['domain', '按领域', '领域'],
  ['sourceType', '按来源', '来源'],
  ['batch', '按批次', '轮次/批次'],
  ['deadlineMonth', '按时限月份', '时限月份'],
] as const;
