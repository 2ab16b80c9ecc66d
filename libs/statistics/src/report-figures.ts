import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOSURE_STATES, UNCOUNTED_STATES, countFigure, ratioFigure, type Actor, type Figure } from '#domain';
import { SqlParams } from '#persistence';
import type { AsOf, StatScope } from './stat-scope.js';
import { StatisticsService } from './statistics.service.js';
import { list } from './stretches.js';

export interface ReportFiguresResult {
  asOf: string;
  statDate: string;
  scope: StatScope;
  figures: Figure[];
}

interface ReportCounts {
  total: number;
  signed_off: number;
  phase: number;
  signed_off_county: number;
  signed_off_city: number;
  signed_off_province: number;
  ever_signed_off: number;
  rebound_items: number;
  vs_original_n: number;
  vs_original_avg: number | null;
  vs_approved_n: number;
  vs_approved_avg: number | null;
  late_requests: number;
  late_approved: number;
}

const SETS = {
  counted: '纳入统计的事项（不含待分派、已撤销、已合并）',
  everSignedOff: '曾经销号的事项（含销号后重新打开的）',
  reboundItems: '销号后经回头看重新打开过的事项',
} as const;

/**
 * The figures a bureau's report sentences name ("3次中央环保督察提出的56项整改任务中，55项完成整改并省级
 * 验收销号"; "58项整改任务，已完成整改53项"), counted from the stretches in force at the instant, so
 * they are reproducible as of any past day: sign-off by the level whose pass closed the acceptance,
 * 已完成整改 with 阶段性完成 counted (as bulletins do), the rebound rate, days to close against the
 * original and the approved deadline, and late extension requests.
 */
@Injectable()
export class ReportFiguresService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StatisticsService) private readonly stats: StatisticsService,
  ) {}

  async figures(actor: Actor, scope: StatScope, asOf: AsOf = { kind: 'now' }): Promise<ReportFiguresResult> {
    const q = new SqlParams();
    const { source, instant } = await this.stats.stretchesAt(actor, scope, asOf, q);
    // Records made before the instant (now: all of them).
    const end = instant.end === null ? null : q.add(instant.end);
    const before = (column: string): string => (end === null ? 'true' : `${column} < ${end}`);
    const counted = `t.state NOT IN ${list(UNCOUNTED_STATES)}`;
    const closed = `t.state IN ${list(CLOSURE_STATES)}`;
    const [c] = await this.dataSource.query<ReportCounts[]>(
      `WITH t AS MATERIALIZED ${source}
       SELECT count(*) FILTER (WHERE ${counted})::int AS total,
              count(*) FILTER (WHERE t.state = 'signed_off')::int AS signed_off,
              count(*) FILTER (WHERE t.state = 'phase_completed')::int AS phase,
              count(*) FILTER (WHERE t.state = 'signed_off' AND lvl.level = 'county')::int AS signed_off_county,
              count(*) FILTER (WHERE t.state = 'signed_off' AND lvl.level = 'city')::int AS signed_off_city,
              count(*) FILTER (WHERE t.state = 'signed_off' AND lvl.level = 'province')::int AS signed_off_province,
              count(*) FILTER (WHERE ${counted} AND t.first_signed_off_at IS NOT NULL)::int AS ever_signed_off,
              count(*) FILTER (WHERE ${counted} AND t.reopen_count > 0)::int AS rebound_items,
              count(*) FILTER (WHERE ${closed} AND t.original_deadline IS NOT NULL AND t.closed_on IS NOT NULL)::int AS vs_original_n,
              avg(t.closed_on - t.original_deadline) FILTER (WHERE ${closed})::float8 AS vs_original_avg,
              count(*) FILTER (WHERE ${closed} AND t.current_deadline IS NOT NULL AND t.closed_on IS NOT NULL)::int AS vs_approved_n,
              avg(t.closed_on - t.current_deadline) FILTER (WHERE ${closed})::float8 AS vs_approved_avg,
              (SELECT count(*)::int FROM item_extension e
                WHERE e.late AND ${before('e.requested_at')} AND e.item_id IN (SELECT item_id FROM t)) AS late_requests,
              (SELECT count(*)::int FROM item_extension e
                WHERE e.late AND e.status = 'approved' AND ${before('e.decided_at')} AND e.item_id IN (SELECT item_id FROM t)) AS late_approved
         FROM t
         -- The level whose pass closed the acceptance: the last pass signed before the instant.
         LEFT JOIN LATERAL (SELECT a.level FROM item_acceptance a
                             WHERE a.item_id = t.item_id AND a.result = 'pass' AND ${before('a.signed_at')}
                             ORDER BY a.id DESC LIMIT 1) lvl ON t.state = 'signed_off'`,
      q.values,
    );
    return { asOf: instant.asOf.toISOString(), statDate: instant.statDate, scope, figures: reportFiguresFrom(c) };
  }
}

function reportFiguresFrom(c: ReportCounts): Figure[] {
  const levelFigure = (key: string, label: string, n: number, level: string): Figure =>
    countFigure(key, label, n, `状态为已销号、最后一级验收通过为${level}的事项`);
  return [
    countFigure('total', '整改任务', c.total, SETS.counted),
    levelFigure('signedOffAtProvince', '完成整改并省级验收销号', c.signed_off_province, '省级验收'),
    levelFigure('signedOffAtCity', '完成整改并市级验收销号', c.signed_off_city, '市级验收'),
    levelFigure('signedOffAtCounty', '完成整改并县级自验销号', c.signed_off_county, '县级自验'),
    countFigure(
      'rectified',
      '已完成整改（含阶段性完成）',
      c.signed_off + c.phase,
      '状态为已销号或阶段性完成的事项（阶段性完成计入，同通报口径）',
    ),
    countFigure('rectifiedSignedOff', '已完成整改并销号', c.signed_off, '状态为已销号的事项（不含阶段性完成）'),
    countFigure('everSignedOff', '曾销号事项', c.ever_signed_off, SETS.everSignedOff),
    ratioFigure('reboundRate', '反弹率', c.rebound_items, SETS.reboundItems, c.ever_signed_off, SETS.everSignedOff),
    daysFigure(
      'closeVsOriginalDeadline',
      '平均完成时间距原定时限',
      c.vs_original_avg,
      `已销号或阶段性完成、有原定时限的事项（${c.vs_original_n} 项）完成日期减原定整改时限的日历天数的平均值（负数为提前）`,
    ),
    daysFigure(
      'closeVsApprovedDeadline',
      '平均完成时间距批准时限',
      c.vs_approved_avg,
      `已销号或阶段性完成、有整改时限的事项（${c.vs_approved_n} 项）完成日期减批准（含延期、重新明确后）整改时限的日历天数的平均值（负数为提前）`,
    ),
    countFigure('lateExtensionRequests', '逾期后申请延期', c.late_requests, '整改时限届满后提出的延期申请次数（标记为逾期申请）'),
    countFigure('lateExtensionsApproved', '逾期后申请延期获批', c.late_approved, '逾期提出并获批准的延期申请次数'),
  ];
}

function daysFigure(key: string, label: string, value: number | null, formula: string): Figure {
  const rounded = value === null ? null : Math.round(value * 10) / 10;
  return { key, label, kind: 'calendar_days', value: rounded, display: rounded === null ? '—' : `${rounded} 天`, formula };
}
