import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CLOCK,
  DomainError,
  OVERDUE_STATES,
  addDays,
  definitionsOf,
  figuresFrom,
  valueOf,
  listScope,
  shanghaiDate,
  type Actor,
  type Clock,
  type Figure,
  type FigureDefinition,
  type FigureValue,
  type RectificationState,
  type StatCounts,
} from '#domain';
import { SqlParams } from '#persistence';
import { GROUPS, GROUP_NOTES } from './breakdown-groups.js';
import { ROLLUP_DIMS, RollupCellsQuery, type RollupCells, type RollupTarget } from './rollup-cells.query.js';
import { StatisticsSnapshots, snapshotInstant, type Snapshot, type SnapshotKind } from './snapshots.js';
import { NO_CHANGES, assembleRollup, emptyCounts, type BaseCells, type Counted } from './stat-counts.js';
import type { AsOf, Breakdown, Instant, StatScope, TrendInterval } from './stat-scope.js';
import { StretchCountsQuery, type StretchCounts } from './stretch-counts.query.js';
import { endOfDay, list, monthEnd, previousMonthEnd } from './stretches.js';

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
  ) {
    this.stretches = new StretchCountsQuery(dataSource);
    this.rollups = new RollupCellsQuery(dataSource);
  }

  private readonly stretches: StretchCounts;
  private readonly rollups: RollupCells;

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
      const source = await this.stretches.source(actor, scope, instant, q);
      const byKey = await this.stretches.counted(
        `FROM ${source} t ${group.join}`,
        `coalesce(${group.key}, '')`,
        q.add(instant.statDate),
        q,
      );
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
    const source = await this.stretches.source(actor, scope, instant, q);
    return (await this.stretches.counted(`FROM ${source} t`, `''`, q.add(instant.statDate), q)).get('') ?? emptyCounts();
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
        exact ? NO_CHANGES : this.stretches.corrections(actor, scope, instant, at, by),
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
      instant.end === null ? NO_CHANGES : this.stretches.corrections(actor, scope, instant, null, by),
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
    const [[cells, days], patch] = await Promise.all([
      this.rollups.live(target, by, byDay ? instant.statDate : monthStart),
      byDay ? [] : this.stretches.patch(actor, scope, instant, by, monthStart),
    ]);
    return { cells, days, patch };
  }

  private async snapshotCells(
    snapshot: Snapshot | { kind: SnapshotKind; monthEnd: string },
    instant: Instant,
    target: RollupTarget,
    by: Breakdown | null,
  ): Promise<BaseCells> {
    const [cells, days] = await this.rollups.snapshot(snapshot, target, by, instant.statDate);
    return { cells, days, patch: [] };
  }

  /** The items overdue and still owed at the instant, oldest deadline first (for the bulletin). */
  async overdueItems(actor: Actor, scope: StatScope, asOf: AsOf, limit: number): Promise<OverdueItem[]> {
    const instant = this.instant(asOf);
    const q = new SqlParams();
    const source = await this.stretches.source(actor, scope, instant, q);
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
    const filters = await this.stretches.filters(actor, scope, q);
    const byDay = await this.stretches.counted(
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
    return { source: await this.stretches.source(actor, scope, instant, q), instant };
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
