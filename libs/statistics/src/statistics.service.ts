import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AWAITING_ACCEPTANCE_STATES,
  CLOCK,
  CLOSURE_STATES,
  COMPLETED_STATES,
  DOMAIN_LABELS,
  DomainError,
  OVERDUE_STATES,
  RECTIFICATION_STATES,
  SOURCE_LABELS,
  UNCOUNTED_STATES,
  addDays,
  emptyByState,
  definitionsOf,
  figuresFrom,
  valueOf,
  listScope,
  shanghaiDate,
  type Actor,
  type Clock,
  type Domain,
  type Figure,
  type FigureDefinition,
  type FigureValue,
  type RectificationState,
  type SourceType,
  type StatCounts,
} from '#domain';
import { readScopeSql } from '#items';
import { SqlParams } from '#persistence';
import { combine, distributionSql, distributionsOf, median, type GroupDistribution } from './distribution.js';
import { StatisticsSnapshots, snapshotInstant, type Snapshot, type SnapshotKind } from './snapshots.js';
import { endOfDay, list, monthEnd, previousMonthEnd, stretchSums } from './stretches.js';

/** Which items a figure counts. Every filter narrows; the caller's own scope always applies. */
export interface StatScope {
  batchId?: string;
  sourceType?: SourceType;
  /** Batches of these inspection rounds (batch.round: 第一轮 = 1, with its 回头看), whatever their source type. */
  rounds?: number[];
  /** Led by this unit or a unit below it. */
  unitId?: string;
  countyUnitId?: string;
  domain?: Domain;
  /** Current (approved) deadline within [deadlineFrom, deadlineTo]. */
  deadlineFrom?: string;
  deadlineTo?: string;
}

export const BREAKDOWNS = ['leadUnit', 'county', 'domain', 'sourceType', 'batch', 'deadlineMonth'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const TREND_INTERVALS = ['week', 'month'] as const;
export type TrendInterval = (typeof TREND_INTERVALS)[number];

/** The instant figures are taken at: now, the end of a day (Asia/Shanghai), or an exact instant. */
export type AsOf = { kind: 'now' } | { kind: 'date'; date: string } | { kind: 'instant'; at: Date };

export interface StatsResult {
  /** The instant the figures describe. */
  asOf: string;
  /** The day against which deadlines count as passed (Asia/Shanghai). */
  statDate: string;
  scope: StatScope;
  byState: Record<RectificationState, number>;
  figures: Figure[];
}

export interface BreakdownRow {
  key: string | null;
  label: string;
  byState: Record<RectificationState, number>;
  /** Values only; what each means is in BreakdownResult.figures. */
  figures: FigureValue[];
}

export interface BreakdownResult {
  asOf: string;
  statDate: string;
  by: Breakdown;
  scope: StatScope;
  note: string;
  /** The figures each row carries: label, formula, numerator and denominator sets. */
  figures: FigureDefinition[];
  rows: BreakdownRow[];
}

export interface TrendPoint {
  periodEnd: string;
  asOf: string;
  byState: Record<RectificationState, number>;
  figures: Figure[];
}

export const MAX_TREND_POINTS = 120;

/** 'auto' reads roll-ups where they answer the question; 'count' always counts the stretches. */
export type Strategy = 'auto' | 'count';

type RollupDim = 'all' | 'batch' | 'county' | 'domain' | 'lead' | 'lead_scope' | 'read_owner' | 'read_dispatch' | 'read_accept';
interface RollupTarget {
  dim: RollupDim;
  /** The dimension values to add up; null for all of them (a breakdown, or a source type's batches). */
  keys: string[] | null;
  sourceType?: SourceType;
}
const ROLLUP_DIMS: Record<Exclude<Breakdown, 'deadlineMonth'>, RollupDim> = {
  leadUnit: 'lead',
  county: 'county',
  domain: 'domain',
  sourceType: 'batch',
  batch: 'batch',
};

interface RollupRow {
  g: string;
  state: RectificationState;
  past: boolean;
  n: number;
  cwo: number;
  oto: number;
  cwa: number;
  ota: number;
  cds: number;
  cdn: number;
  ei: number;
  ex: number;
  ri: number;
  rb: number;
}

/** Roll-up sums and days-to-close distribution, as read from cells or counted from stretches. */
interface Counted {
  cells: RollupRow[];
  days: GroupDistribution[];
}

interface PatchRow {
  g: string;
  state: RectificationState;
  n: number;
}

/** A base's counts: cells, and (live roll-ups) this month's deadlines before the day, counted from the open stretches. */
interface BaseCells extends Counted {
  patch: PatchRow[];
}
/** No corrections: the instant is the base's own. */
const NO_CHANGES: Counted = { cells: [], days: [] };

export interface OverdueItem {
  code: string;
  title: string;
  batchName: string;
  leadUnits: string | null;
  countyName: string | null;
  deadline: string;
  /** Calendar days past the deadline at the instant. */
  daysOverdue: number;
}

export interface Instant {
  /** Null for "now": the open stretches. Otherwise the exclusive end: stretches in force just before it. */
  end: Date | null;
  asOf: Date;
  statDate: string;
}

const GROUP_NOTES: Record<Breakdown, string> = {
  leadUnit: '按牵头单位分组；有多个牵头单位的事项在每个牵头单位下各计一次，各组之和可能大于合计。',
  county: '按行政区分组；未填行政区的事项单列。',
  domain: '按领域分组。',
  sourceType: '按来源分组。',
  batch: '按轮次/批次分组。',
  deadlineMonth: '按现行整改时限所在月份分组；无时限的事项单列。',
};

/**
 * Closure figures by SQL aggregates over item_timeline: its open stretches for "now", the
 * stretches in force at an instant for "as of" (so last month's bulletin comes out the same after
 * later changes). Every figure comes with its formula (see figuresFrom).
 */
@Injectable()
export class StatisticsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(StatisticsSnapshots) private readonly snapshots: StatisticsSnapshots,
  ) {}

  /**
   * The figures for a scope at an instant. "Now" for a reader of everything with at most one
   * filter is read from the roll-ups (RollupReader); every other question counts the stretches.
   * `strategy: 'count'` forces the count (tests and benchmarks compare the two).
   */
  async summary(actor: Actor, scope: StatScope, asOf: AsOf = { kind: 'now' }, strategy: Strategy = 'auto'): Promise<StatsResult> {
    const instant = this.instant(asOf);
    const target = strategy === 'auto' ? this.rollupTarget(actor, scope, null) : null;
    const counts = target
      ? ((await this.rollupCounts(actor, scope, instant, target, null)).get('') ?? emptyCounts())
      : await this.countedSummary(actor, scope, instant);
    return { asOf: instant.asOf.toISOString(), statDate: instant.statDate, scope, byState: counts.byState, figures: figuresFrom(counts) };
  }

  async breakdown(
    actor: Actor,
    by: Breakdown,
    scope: StatScope,
    asOf: AsOf = { kind: 'now' },
    strategy: Strategy = 'auto',
  ): Promise<BreakdownResult> {
    const instant = this.instant(asOf);
    const target = strategy === 'auto' ? this.rollupTarget(actor, scope, by) : null;
    const group = GROUPS[by];
    let rows: { key: string | null; counts: StatCounts }[];
    if (target) {
      const byKey = await this.rollupCounts(actor, scope, instant, target, by);
      rows = [...byKey.entries()].map(([key, counts]) => ({ key: key === '' ? null : key, counts }));
    } else {
      const q = new SqlParams();
      const source = await this.source(actor, scope, instant, q);
      const byKey = await this.counted(`FROM ${source} t ${group.join}`, `coalesce(${group.key}, '')`, q.add(instant.statDate), q);
      rows = [...byKey.entries()].map(([key, counts]) => ({ key: key === '' ? null : key, counts }));
    }
    // Names and order of the groups, looked up for the keys found.
    const labels = await this.dataSource.query<{ key: string | null; label: string | null }[]>(
      `SELECT g.key, ${group.label} AS label FROM unnest($1::text[]) AS g(key) ${group.labelJoin} ORDER BY ${group.order}`,
      [rows.map((r) => r.key)],
    );
    const countsOf = new Map(rows.map((r) => [r.key, r.counts]));
    return {
      asOf: instant.asOf.toISOString(),
      statDate: instant.statDate,
      by,
      scope,
      note: GROUP_NOTES[by],
      figures: definitionsOf(figuresFrom(emptyCounts())),
      rows: labels.map((l) => {
        const counts = countsOf.get(l.key)!;
        return { key: l.key, label: l.label ?? '（未填）', byState: counts.byState, figures: figuresFrom(counts).map(valueOf) };
      }),
    };
  }

  private async countedSummary(actor: Actor, scope: StatScope, instant: Instant): Promise<StatCounts> {
    const q = new SqlParams();
    const source = await this.source(actor, scope, instant, q);
    return (await this.counted(`FROM ${source} t`, `''`, q.add(instant.statDate), q)).get('') ?? emptyCounts();
  }

  /**
   * Counts the stretches `from` names (as t), per group, in one scan: the roll-up sums per state and
   * "deadline passed by `today`", and the days-to-close distribution (rows where days is set).
   * Each stretch counts `sign` times (an SQL expression; t.sign for corrections).
   */
  private async countedRows(from: string, group: string, today: string, q: SqlParams, sign = '1'): Promise<Counted> {
    const rows = await this.dataSource.query<(RollupRow & { days: number | null })[]>(
      `SELECT ${group} AS g, t.state, coalesce(t.current_deadline < ${today}, false) AS past,
              CASE WHEN t.state IN ${list(CLOSURE_STATES)} THEN t.close_working_days END AS days, ${stretchSums(sign)}
         ${from} GROUP BY 1, 2, 3, 4`,
      q.values,
    );
    return { cells: rows, days: distributionsOf(rows.filter((r) => r.days !== null).map((r) => ({ g: r.g, days: r.days!, n: r.n }))) };
  }

  private async counted(from: string, group: string, today: string, q: SqlParams): Promise<Map<string, StatCounts>> {
    const { cells, days } = await this.countedRows(from, group, today, q);
    return assembleRollup(cells, days, []);
  }

  /**
   * Which roll-up answers the question, if one does: for readers of everything, at most one filter
   * (batch, source type, unit, county or domain) and no deadline window, a breakdown only without
   * filters and not by deadline month (the medians are not rolled up by month); for a unit's
   * readers, its summary without filters.
   */
  private rollupTarget(actor: Actor, scope: StatScope, by: Breakdown | null): RollupTarget | null {
    if (scope.deadlineFrom || scope.deadlineTo || scope.rounds) return null;
    const filters = (['batchId', 'sourceType', 'unitId', 'countyUnitId', 'domain'] as const).filter((k) => scope[k] !== undefined);
    const access = listScope(actor, 'item.read');
    if (access.kind === 'none') return null;
    if (access.kind === 'units') {
      // A unit's own summary: what it may read, rolled up by unit (subtree, plus dispatched or accepted work).
      if (by !== null || filters.length > 0 || (access.dispatched && access.accepting)) return null;
      return { dim: access.dispatched ? 'read_dispatch' : access.accepting ? 'read_accept' : 'read_owner', keys: [access.unitId] };
    }
    if (by !== null) {
      if (filters.length > 0 || by === 'deadlineMonth') return null;
      return { dim: ROLLUP_DIMS[by], keys: null };
    }
    if (filters.length > 1) return null;
    if (scope.batchId) return { dim: 'batch', keys: [scope.batchId] };
    if (scope.sourceType) return { dim: 'batch', keys: null, sourceType: scope.sourceType };
    if (scope.unitId) return { dim: 'lead_scope', keys: [scope.unitId] };
    if (scope.countyUnitId) return { dim: 'county', keys: [scope.countyUnitId] };
    if (scope.domain) return { dim: 'domain', keys: [scope.domain] };
    return { dim: 'all', keys: [''] };
  }

  /**
   * Counts from roll-ups, per group ('' for a summary): at an instant, from the base nearest to it
   * (a month-end snapshot, or the roll-ups of now), corrected by the stretches that changed between
   * the base and the instant — so the work is at most about half a month of changes, however far
   * back the instant lies.
   */
  private async rollupCounts(
    actor: Actor,
    scope: StatScope,
    instant: Instant,
    target: RollupTarget,
    by: Breakdown | null,
  ): Promise<Map<string, StatCounts>> {
    const assemble = (base: BaseCells, corrections: Counted): Map<string, StatCounts> =>
      assembleRollup([...base.cells, ...corrections.cells], [...base.days, ...corrections.days], base.patch);
    const month = instant.end === null ? null : this.nearestMonthEnd(instant);
    if (month !== null) {
      const kind: SnapshotKind = target.dim.startsWith('read_') ? 'read' : 'main';
      const at = snapshotInstant(month);
      // The instant is the month end's own: nothing changed in between.
      const exact = at.getTime() === instant.end!.getTime();
      const [base, corrections] = await Promise.all([
        this.snapshotCells({ kind, monthEnd: month }, instant, target, by),
        exact ? NO_CHANGES : this.corrections(actor, scope, instant, at, by),
      ]);
      // The snapshot is looked up by each of the two reads (statements side by side, or parts of one
      // statement for a summary). Both finding rows means both read it. Otherwise it may not be built
      // yet, or it was invalidated between two statements (or the target has no rows, or no closures,
      // there): find or build it, and read it by its id.
      if (base.cells.length > 0 && base.days.length > 0) return assemble(base, corrections);
      const snapshot = await this.snapshots.ensure(kind, month);
      if (snapshot) return assemble(await this.snapshotCells(snapshot, instant, target, by), corrections);
    }
    const [base, corrections] = await Promise.all([
      this.liveCells(actor, scope, instant, target, by),
      instant.end === null ? NO_CHANGES : this.corrections(actor, scope, instant, null, by),
    ]);
    return assemble(base, corrections);
  }

  /**
   * The month end whose snapshot to start from at a past instant, or null for the roll-ups of now:
   * whichever of the month end before it, the one after it (once ended) and now is nearest.
   */
  private nearestMonthEnd(instant: Instant): string | null {
    const end = instant.end!.getTime();
    const now = this.clock.now().getTime();
    const distance = (m: string): number => Math.abs(snapshotInstant(m).getTime() - end);
    const candidates = [previousMonthEnd(instant.statDate), monthEnd(instant.statDate)].filter((m) => snapshotInstant(m).getTime() <= now);
    const best = candidates.sort((a, b) => distance(a) - distance(b))[0];
    return best === undefined || distance(best) >= Math.abs(now - end) ? null : best;
  }

  /**
   * The roll-ups of now: the cells plus the deltas not yet folded. Deadlines are rolled up by month
   * (by day for a unit's read scope): months before the statistics day's month are past, later ones
   * are not, and that month's deadlines before the day are counted from the open stretches (a small
   * index range: the patch).
   */
  private async liveCells(
    actor: Actor,
    scope: StatScope,
    instant: Instant,
    target: RollupTarget,
    by: Breakdown | null,
  ): Promise<BaseCells> {
    const monthStart = `${instant.statDate.slice(0, 7)}-01`;
    // A unit's read scope keeps deadlines by day (item_stat_bucket): nothing to count from the stretches.
    const byDay = target.dim.startsWith('read_');
    const sums = `n, closed_with_original, on_time_original, closed_with_approved, on_time_approved, close_days_sum, close_days_n,
                  extended_items, extensions, rebound_items, rebounds`;
    const [[cells, days], patch] = await Promise.all([
      this.cellRows(
        `(SELECT dim, key, state, deadline_bucket, ${sums} FROM item_stat_cell
          UNION ALL
          SELECT dim, key, state, deadline_bucket, ${sums} FROM item_stat_delta_cells)`,
        `(SELECT dim, key, days, n FROM item_close_days_cell
          UNION ALL
          SELECT dim, key, close_days, n FROM item_stat_delta_cells WHERE close_days IS NOT NULL)`,
        target,
        by,
        byDay ? instant.statDate : monthStart,
        null,
      ),
      byDay ? [] : this.patch(actor, scope, instant, by, monthStart),
    ]);
    return { cells, days, patch };
  }

  /**
   * A month-end snapshot's cells: deadlines are kept by day around the statistics day, so "past" is
   * exact. The snapshot is one found already, or the valid one of a month end, looked up in the same
   * statements (none: no rows).
   */
  private async snapshotCells(
    snapshot: Snapshot | { kind: SnapshotKind; monthEnd: string },
    instant: Instant,
    target: RollupTarget,
    by: Breakdown | null,
  ): Promise<BaseCells> {
    const [cells, days] = await this.cellRows('item_stat_snapshot_cell', 'item_stat_snapshot_days', target, by, instant.statDate, (q) =>
      'id' in snapshot
        ? q.add(snapshot.id)
        : `(SELECT id FROM item_stat_snapshot WHERE kind = ${q.add(snapshot.kind)} AND month_end = ${q.add(snapshot.monthEnd)}
             AND built_at IS NOT NULL AND invalidated_at IS NULL)`,
    );
    return { cells, days, patch: [] };
  }

  /**
   * The sums of the target's cells c per group, state and "deadline bucket before `pastBefore`",
   * and the distribution of days to close from its days cells. For a summary (one group, a few
   * dozen cells) both in one statement: one round trip on one connection, where two statements side
   * by side cost more than they save (measured on a month-end snapshot: equal latency while the
   * process is busy, ~5 % more answers per second at 4-10 at once, half the connections). For a
   * breakdown (many groups, scans of several milliseconds each) the two run side by side.
   */
  private async cellRows(
    cells: string,
    days: string,
    target: RollupTarget,
    by: Breakdown | null,
    pastBefore: string,
    snapshotId: ((q: SqlParams) => string) | null,
  ): Promise<[RollupRow[], GroupDistribution[]]> {
    const join = by === 'sourceType' || target.sourceType ? 'JOIN batch b ON b.id::text = c.key' : '';
    const group = by === 'sourceType' ? 'b.source_type' : by === null ? `''` : 'c.key';
    const from = (q: SqlParams): string => {
      const where = [`c.dim = ${q.add(target.dim)}`];
      if (snapshotId) where.push(`c.snapshot_id = ${snapshotId(q)}`);
      if (target.keys) where.push(`c.key = ANY(${q.add(target.keys)}::text[])`);
      if (target.sourceType) where.push(`b.source_type = ${q.add(target.sourceType)}`);
      return `${join} WHERE ${where.join(' AND ')}`;
    };
    const cellsSql = (q: SqlParams): string =>
      `SELECT ${group} AS g, c.state, coalesce(c.deadline_bucket < ${q.add(pastBefore)}::date, false) AS past,
              sum(n)::int AS n, sum(closed_with_original)::int AS cwo, sum(on_time_original)::int AS oto,
              sum(closed_with_approved)::int AS cwa, sum(on_time_approved)::int AS ota, sum(close_days_sum)::float8 AS cds,
              sum(close_days_n)::int AS cdn, sum(extended_items)::int AS ei, sum(extensions)::int AS ex,
              sum(rebound_items)::int AS ri, sum(rebounds)::int AS rb
         FROM ${cells} c ${from(q)}
        GROUP BY 1, 2, 3 HAVING sum(n) <> 0`;
    const daysSql = (q: SqlParams): string =>
      distributionSql(`(SELECT ${group} AS g, c.days, sum(c.n)::int AS n FROM ${days} c ${from(q)} GROUP BY 1, 2 HAVING sum(c.n) <> 0)`);
    const run = <R>(sql: (q: SqlParams) => string): Promise<R> => {
      const q = new SqlParams();
      return this.dataSource.query<R>(sql(q), q.values);
    };
    if (by !== null) return Promise.all([run<RollupRow[]>(cellsSql), run<GroupDistribution[]>(daysSql)]);
    const [both] = await run<{ cells: RollupRow[]; days: GroupDistribution[] }[]>(
      (q) =>
        `SELECT (SELECT coalesce(json_agg(x), '[]') FROM (${cellsSql(q)}) x) AS cells,
                (SELECT coalesce(json_agg(x), '[]') FROM (${daysSql(q)}) x) AS days`,
    );
    return [both.cells, both.days];
  }

  /** The open stretches whose deadline falls in the statistics day's month before the day (the live cells count them as not past). */
  private async patch(actor: Actor, scope: StatScope, instant: Instant, by: Breakdown | null, monthStart: string): Promise<PatchRow[]> {
    const q = new SqlParams();
    const filters = await this.filters(actor, scope, q);
    return this.dataSource.query<PatchRow[]>(
      `SELECT ${groupOfStretch(by)} AS g, t.state, count(*)::int AS n
         FROM item_timeline t ${filters.join} ${by === null ? '' : GROUPS[by].join}
        WHERE t.valid_to IS NULL AND ${filters.where}
          AND t.current_deadline >= ${q.add(monthStart)} AND t.current_deadline < ${q.add(instant.statDate)}
        GROUP BY 1, 2`,
      q.values,
    );
  }

  /**
   * What turns the figures at `from` (a snapshot's instant; null: now, the open stretches) into
   * those at the instant: the stretches in force at the instant but not at `from` count once, those
   * in force at `from` but not at the instant count minus once. Each index range is counted on its
   * own (they run side by side), reading only columns the covering indexes hold, so that no stretch
   * is read from the table.
   */
  private async corrections(actor: Actor, scope: StatScope, instant: Instant, from: Date | null, by: Breakdown | null): Promise<Counted> {
    const to = instant.end!;
    const forward = from !== null && from < to;
    // In force at lo only, or at hi only (hi null: now, the stretches still open).
    const [lo, hi] = forward ? [from, to] : [to, from];
    const [loSign, hiSign] = forward ? ['-1', '1'] : ['1', '-1'];
    const count = async (sign: string, where: (lo: string, hi: string | null) => string): Promise<Counted> => {
      const q = new SqlParams();
      const f = await this.filters(actor, scope, q);
      const range = where(q.add(lo), hi === null ? null : q.add(hi));
      return this.countedRows(
        `FROM item_timeline t ${f.join} ${by === null ? '' : GROUPS[by].join} WHERE ${range} AND ${f.where}`,
        groupOfStretch(by),
        q.add(instant.statDate),
        q,
        sign,
      );
    };
    const parts = await Promise.all([
      count(loSign, (l, h) => `t.valid_to >= ${l} ${h ? `AND t.valid_to < ${h}` : ''} AND t.valid_from < ${l}`),
      count(hiSign, (l, h) => `t.valid_to IS NULL AND t.valid_from >= ${l} ${h ? `AND t.valid_from < ${h}` : ''}`),
      ...(hi === null ? [] : [count(hiSign, (l, h) => `t.valid_to >= ${h} AND t.valid_from >= ${l} AND t.valid_from < ${h}`)]),
    ]);
    return { cells: parts.flatMap((p) => p.cells), days: parts.flatMap((p) => p.days) };
  }

  /** The items overdue and still owed at the instant, oldest deadline first (for the bulletin). */
  async overdueItems(actor: Actor, scope: StatScope, asOf: AsOf, limit: number): Promise<OverdueItem[]> {
    const instant = this.instant(asOf);
    const q = new SqlParams();
    const source = await this.source(actor, scope, instant, q);
    const today = q.add(instant.statDate);
    return this.dataSource.query<OverdueItem[]>(
      `SELECT it.code, it.title, b.name AS "batchName",
              (SELECT string_agg(o.name, '、' ORDER BY o.name) FROM org_unit o WHERE o.id = ANY(t.lead_unit_ids)) AS "leadUnits",
              c.name AS "countyName", to_char(t.current_deadline, 'YYYY-MM-DD') AS deadline,
              (${today}::date - t.current_deadline) AS "daysOverdue"
         FROM ${source} t JOIN item it ON it.id = t.item_id JOIN batch b ON b.id = t.batch_id
         LEFT JOIN org_unit c ON c.id = t.county_unit_id
        WHERE t.state IN ${list(OVERDUE_STATES)} AND t.current_deadline < ${today}
        ORDER BY t.current_deadline, it.code LIMIT ${q.add(limit)}`,
      q.values,
    );
  }

  /** The figures at the end of each week (Sunday) or month in [from, to], each as of that day's end. */
  async trend(
    actor: Actor,
    scope: StatScope,
    interval: TrendInterval,
    from: string,
    to: string,
    strategy: Strategy = 'auto',
  ): Promise<TrendPoint[]> {
    const today = shanghaiDate(this.clock.now());
    if (from > to) throw invalid('from', 'from must not be after to');
    const ends = periodEnds(interval, from, to < today ? to : today);
    if (ends.length > MAX_TREND_POINTS) throw invalid('from', `at most ${MAX_TREND_POINTS} periods per request`);
    if (ends.length === 0) return [];
    const target = strategy === 'auto' ? this.rollupTarget(actor, scope, null) : null;
    if (target) {
      // Each point as of its day's end through the roll-ups: the work is what changed since each point.
      const points: TrendPoint[] = [];
      for (const day of ends) {
        const instant: Instant = { end: new Date(endOfDay(day).getTime() + 1), asOf: endOfDay(day), statDate: day };
        const counts = (await this.rollupCounts(actor, scope, instant, target, null)).get('') ?? emptyCounts();
        points.push({ periodEnd: day, asOf: endOfDay(day).toISOString(), byState: counts.byState, figures: figuresFrom(counts) });
      }
      return points;
    }
    const q = new SqlParams();
    const points = q.add(ends);
    // Each period's end instant is the next day's midnight in Shanghai; stretches in force just before it count.
    const filters = await this.filters(actor, scope, q);
    const byDay = await this.counted(
      `FROM (SELECT d AS day, ((d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS end_at FROM unnest(${points}::date[]) d) p
         JOIN item_timeline t ON t.valid_from < p.end_at AND (t.valid_to IS NULL OR t.valid_to >= p.end_at)
         ${filters.join} WHERE ${filters.where}`,
      `to_char(p.day, 'YYYY-MM-DD')`,
      'p.day',
      q,
    );
    return ends.map((day) => {
      const counts = byDay.get(day) ?? emptyCounts();
      return { periodEnd: day, asOf: endOfDay(day).toISOString(), byState: counts.byState, figures: figuresFrom(counts) };
    });
  }

  /**
   * The stretches in force at an instant for a scope (a derived table to name t), with the instant:
   * for figures counted outside the roll-ups (ReportFiguresService).
   */
  async stretchesAt(actor: Actor, scope: StatScope, asOf: AsOf, q: SqlParams): Promise<{ source: string; instant: Instant }> {
    const instant = this.instant(asOf);
    return { source: await this.source(actor, scope, instant, q), instant };
  }

  private instant(asOf: AsOf): Instant {
    const now = this.clock.now();
    if (asOf.kind === 'now') return { end: null, asOf: now, statDate: shanghaiDate(now) };
    if (asOf.kind === 'date') {
      if (asOf.date > shanghaiDate(now)) throw invalid('asOf', 'asOf must not be in the future');
      const end = new Date(endOfDay(asOf.date).getTime() + 1);
      return { end, asOf: endOfDay(asOf.date), statDate: asOf.date };
    }
    if (asOf.at.getTime() > now.getTime()) throw invalid('asOf', 'asOf must not be in the future');
    return { end: new Date(asOf.at.getTime() + 1), asOf: asOf.at, statDate: shanghaiDate(asOf.at) };
  }

  /** The stretches to count, as a derived table named by the caller. */
  private async source(actor: Actor, scope: StatScope, instant: Instant, q: SqlParams): Promise<string> {
    const filters = await this.filters(actor, scope, q);
    if (instant.end === null) {
      return `(SELECT t.* FROM item_timeline t ${filters.join} WHERE t.valid_to IS NULL AND ${filters.where})`;
    }
    // Two index ranges: stretches still open that began before the end, and closed ones spanning it.
    const end = q.add(instant.end);
    return `(SELECT t.* FROM item_timeline t ${filters.join} WHERE t.valid_to IS NULL AND t.valid_from < ${end} AND ${filters.where}
             UNION ALL
             SELECT t.* FROM item_timeline t ${filters.join} WHERE t.valid_to >= ${end} AND t.valid_from < ${end} AND ${filters.where})`;
  }

  private async filters(actor: Actor, scope: StatScope, q: SqlParams): Promise<{ join: string; where: string }> {
    const where: string[] = [];
    let join = '';
    // Who may see an item is decided on the item as it is now, like every other read.
    const readable = readScopeSql(actor, q);
    if (readable) {
      join = 'JOIN item i ON i.id = t.item_id';
      where.push(readable);
    }
    if (scope.batchId) where.push(`t.batch_id = ${q.add(scope.batchId)}`);
    if (scope.sourceType) {
      const [{ ids }] = await this.dataSource.query<{ ids: string[] }[]>(
        `SELECT coalesce(array_agg(id), '{}') AS ids FROM batch WHERE source_type = $1`,
        [scope.sourceType],
      );
      where.push(`t.batch_id = ANY(${q.add(ids)}::uuid[])`);
    }
    if (scope.rounds) {
      const [{ ids }] = await this.dataSource.query<{ ids: string[] }[]>(
        `SELECT coalesce(array_agg(id), '{}') AS ids FROM batch WHERE round = ANY($1::int[])`,
        [scope.rounds],
      );
      where.push(`t.batch_id = ANY(${q.add(ids)}::uuid[])`);
    }
    if (scope.unitId) where.push(`t.lead_scope @> ${q.add([scope.unitId])}::uuid[]`);
    if (scope.countyUnitId) where.push(`t.county_unit_id = ${q.add(scope.countyUnitId)}`);
    if (scope.domain) where.push(`t.domain = ${q.add(scope.domain)}`);
    if (scope.deadlineFrom) where.push(`t.current_deadline >= ${q.add(scope.deadlineFrom)}`);
    if (scope.deadlineTo) where.push(`t.current_deadline <= ${q.add(scope.deadlineTo)}`);
    return { join, where: where.length ? where.join(' AND ') : 'true' };
  }
}

const GROUPS: Record<Breakdown, { key: string; join: string; label: string; labelJoin: string; order: string }> = {
  leadUnit: {
    key: 'lu.id::text',
    join: 'CROSS JOIN LATERAL unnest(t.lead_unit_ids) AS lu(id)',
    label: 'o.name',
    labelJoin: 'LEFT JOIN org_unit o ON o.id::text = g.key',
    order: 'o.path NULLS LAST, g.key',
  },
  county: {
    key: 't.county_unit_id::text',
    join: '',
    label: 'o.name',
    labelJoin: 'LEFT JOIN org_unit o ON o.id::text = g.key',
    order: 'o.sort_order NULLS LAST, o.name NULLS LAST',
  },
  domain: { key: 't.domain', join: '', label: 'dl.label', labelJoin: labelsJoin('dl', DOMAIN_LABELS), order: 'dl.ord' },
  sourceType: {
    key: 'b.source_type',
    join: 'JOIN batch b ON b.id = t.batch_id',
    label: 'sl.label',
    labelJoin: labelsJoin('sl', SOURCE_LABELS),
    order: 'sl.ord',
  },
  batch: {
    key: 't.batch_id::text',
    join: '',
    label: 'b.name',
    labelJoin: 'JOIN batch b ON b.id::text = g.key',
    order: 'b.issued_on NULLS LAST, b.code',
  },
  deadlineMonth: {
    key: `to_char(t.current_deadline, 'YYYY-MM')`,
    join: '',
    label: 'g.key',
    labelJoin: '',
    order: 'g.key NULLS LAST',
  },
};

/** A stretch's group in a breakdown, as the roll-up cells key it (a county's absence is ''). */
function groupOfStretch(by: Breakdown | null): string {
  if (by === null) return `''`;
  return by === 'county' ? `coalesce(t.county_unit_id::text, '')` : GROUPS[by].key;
}

/** A VALUES list of fixed labels (from the domain's tables, not user input) to join names on. */
function labelsJoin(alias: string, labels: Record<string, string>): string {
  const rows = Object.entries(labels).map(([k, v], i) => `('${k}', '${v}', ${i})`);
  return `LEFT JOIN (VALUES ${rows.join(', ')}) AS ${alias}(key, label, ord) ON ${alias}.key = g.key`;
}

function emptyCounts(): StatCounts {
  return {
    byState: emptyByState(),
    total: 0,
    signedOff: 0,
    awaitingAcceptance: 0,
    phaseCompleted: 0,
    due: 0,
    dueCompleted: 0,
    duePhaseCompleted: 0,
    overdueOpen: 0,
    closed: 0,
    closedWithOriginalDeadline: 0,
    closedOnTimeOriginal: 0,
    closedWithApprovedDeadline: 0,
    closedOnTimeApproved: 0,
    closeDaysCount: 0,
    closeDaysAverage: null,
    closeDaysMedian: null,
    extendedItems: 0,
    extensionsGranted: 0,
    reboundItems: 0,
    rebounds: 0,
  };
}

/** StatCounts per group from roll-up sums, the distribution of days to close and this month's due items. */
function assembleRollup(cells: RollupRow[], days: GroupDistribution[], patch: PatchRow[]): Map<string, StatCounts> {
  const out = new Map<string, StatCounts>();
  const of = (g: string): StatCounts => {
    let c = out.get(g);
    if (!c) out.set(g, (c = emptyCounts()));
    return c;
  };
  const counted = (s: RectificationState): boolean => !UNCOUNTED_STATES.includes(s);
  const dueBy = (c: StatCounts, state: RectificationState, n: number): void => {
    if (!counted(state)) return;
    c.due += n;
    if (COMPLETED_STATES.includes(state)) c.dueCompleted += n;
    if (state === 'phase_completed') c.duePhaseCompleted += n;
    if (OVERDUE_STATES.includes(state)) c.overdueOpen += n;
  };
  const closeDaySums = new Map<string, { sum: number; n: number }>();
  const daysByGroup = new Map<string, GroupDistribution[]>();
  for (const d of days) {
    const parts = daysByGroup.get(d.g);
    if (parts) parts.push(d);
    else daysByGroup.set(d.g, [d]);
  }
  for (const r of cells) {
    const c = of(r.g);
    c.byState[r.state] += r.n;
    if (r.past) dueBy(c, r.state, r.n);
    c.closedWithOriginalDeadline += r.cwo;
    c.closedOnTimeOriginal += r.oto;
    c.closedWithApprovedDeadline += r.cwa;
    c.closedOnTimeApproved += r.ota;
    c.extendedItems += r.ei;
    c.extensionsGranted += r.ex;
    c.reboundItems += r.ri;
    c.rebounds += r.rb;
    const d = closeDaySums.get(r.g) ?? { sum: 0, n: 0 };
    closeDaySums.set(r.g, { sum: d.sum + r.cds, n: d.n + r.cdn });
  }
  for (const r of patch) if (out.has(r.g)) dueBy(of(r.g), r.state, r.n);
  // After corrections, a group may hold nothing at the instant: it did not exist then.
  for (const [g, c] of out) if (RECTIFICATION_STATES.every((st) => c.byState[st] === 0)) out.delete(g);
  for (const [g, c] of out) {
    c.total = RECTIFICATION_STATES.filter(counted).reduce((sum, s) => sum + c.byState[s], 0);
    c.signedOff = c.byState.signed_off;
    c.awaitingAcceptance = AWAITING_ACCEPTANCE_STATES.reduce((sum, s) => sum + c.byState[s], 0);
    c.phaseCompleted = c.byState.phase_completed;
    c.closed = CLOSURE_STATES.reduce((sum, s) => sum + c.byState[s], 0);
    const d = closeDaySums.get(g) ?? { sum: 0, n: 0 };
    c.closeDaysCount = d.n;
    c.closeDaysAverage = d.n > 0 ? d.sum / d.n : null;
    const parts = daysByGroup.get(g);
    c.closeDaysMedian = parts ? median(combine(parts)) : null;
  }
  return out;
}

/** Period ends (Sundays or month ends) from the first one on or after `from` up to `to`, plus `to` itself if it ends a partial period. */
export function periodEnds(interval: TrendInterval, from: string, to: string): string[] {
  const ends: string[] = [];
  let d = interval === 'week' ? nextSunday(from) : monthEnd(from);
  while (d <= to) {
    ends.push(d);
    d = interval === 'week' ? addDays(d, 7) : monthEnd(addDays(d, 1));
  }
  if (to >= from && ends[ends.length - 1] !== to) ends.push(to);
  return ends;
}

function nextSunday(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, (7 - dow) % 7);
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('unprocessable', 'INVALID_STATISTICS_QUERY', message, { field });
}
