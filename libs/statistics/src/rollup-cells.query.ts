import { DataSource } from 'typeorm';
import type { SourceType } from '#domain';
import { SqlParams } from '#persistence';
import { distributionSql, type GroupDistribution } from './distribution.js';
import type { RollupRow } from './stat-counts.js';
import type { Breakdown } from './stat-scope.js';
import type { Snapshot, SnapshotKind } from './snapshots.js';

export type RollupDim = 'all' | 'batch' | 'county' | 'domain' | 'lead' | 'lead_scope' | 'read_owner' | 'read_dispatch' | 'read_accept';
export interface RollupTarget {
  dim: RollupDim;
  /** The dimension values to add up; null for all of them (a breakdown, or a source type's batches). */
  keys: string[] | null;
  sourceType?: SourceType;
}
export const ROLLUP_DIMS: Record<Exclude<Breakdown, 'deadlineMonth'>, RollupDim> = {
  leadUnit: 'lead',
  county: 'county',
  domain: 'domain',
  sourceType: 'batch',
  batch: 'batch',
};

/** Sums of the roll-up cells (live, or a month-end snapshot's) for a target, per group. */
export interface RollupCells {
  /** The live cells plus the deltas not yet folded, deadlines before `pastBefore` counted as past. */
  live(target: RollupTarget, by: Breakdown | null, pastBefore: string): Promise<[RollupRow[], GroupDistribution[]]>;
  /** A snapshot's cells: one found already, or the valid one of a month end looked up in the same statements. */
  snapshot(
    snapshot: Snapshot | { kind: SnapshotKind; monthEnd: string },
    target: RollupTarget,
    by: Breakdown | null,
    pastBefore: string,
  ): Promise<[RollupRow[], GroupDistribution[]]>;
}

export class RollupCellsQuery implements RollupCells {
  constructor(private readonly dataSource: DataSource) {}

  live(target: RollupTarget, by: Breakdown | null, pastBefore: string): Promise<[RollupRow[], GroupDistribution[]]> {
    const sums = `n, closed_with_original, on_time_original, closed_with_approved, on_time_approved, close_days_sum, close_days_n,
                  extended_items, extensions, rebound_items, rebounds`;
    return this.cellRows(
      `(SELECT dim, key, state, deadline_bucket, ${sums} FROM item_stat_cell
        UNION ALL
        SELECT dim, key, state, deadline_bucket, ${sums} FROM item_stat_delta_cells)`,
      `(SELECT dim, key, days, n FROM item_close_days_cell
        UNION ALL
        SELECT dim, key, close_days, n FROM item_stat_delta_cells WHERE close_days IS NOT NULL)`,
      target,
      by,
      pastBefore,
      null,
    );
  }

  snapshot(
    snapshot: Snapshot | { kind: SnapshotKind; monthEnd: string },
    target: RollupTarget,
    by: Breakdown | null,
    pastBefore: string,
  ): Promise<[RollupRow[], GroupDistribution[]]> {
    return this.cellRows('item_stat_snapshot_cell', 'item_stat_snapshot_days', target, by, pastBefore, (q) =>
      'id' in snapshot
        ? q.add(snapshot.id)
        : `(SELECT id FROM item_stat_snapshot WHERE kind = ${q.add(snapshot.kind)} AND month_end = ${q.add(snapshot.monthEnd)}
             AND built_at IS NOT NULL AND invalidated_at IS NULL)`,
    );
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
}
