import { DataSource } from 'typeorm';
import { CLOSURE_STATES, type Actor, type StatCounts } from '#domain';
import { readScopeSql } from '#items';
import { SqlParams } from '#persistence';
import { GROUPS, groupOfStretch } from './breakdown-groups.js';
import { distributionsOf } from './distribution.js';
import { assembleRollup, type Counted, type PatchRow, type RollupRow } from './stat-counts.js';
import type { Breakdown, Instant, StatScope } from './stat-scope.js';
import { list, stretchSums } from './stretches.js';

/** Counts straight from item_timeline's stretches, within the actor's read scope and a StatScope. */
export interface StretchCounts {
  /** The stretches in force at an instant (open ones for now), as a derived table to name t. */
  source(actor: Actor, scope: StatScope, instant: Instant, q: SqlParams): Promise<string>;
  /** The join and condition (on t) for the actor's read scope and the scope's filters. */
  filters(actor: Actor, scope: StatScope, q: SqlParams): Promise<{ join: string; where: string }>;
  countedRows(from: string, group: string, today: string, q: SqlParams, sign?: string): Promise<Counted>;
  counted(from: string, group: string, today: string, q: SqlParams): Promise<Map<string, StatCounts>>;
  patch(actor: Actor, scope: StatScope, instant: Instant, by: Breakdown | null, monthStart: string): Promise<PatchRow[]>;
  corrections(actor: Actor, scope: StatScope, instant: Instant, from: Date | null, by: Breakdown | null): Promise<Counted>;
}

export class StretchCountsQuery implements StretchCounts {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Counts the stretches `from` names (as t), per group, in one scan: the roll-up sums per state and
   * "deadline passed by `today`", and the days-to-close distribution (rows where days is set).
   * Each stretch counts `sign` times (an SQL expression; t.sign for corrections).
   */
  async countedRows(from: string, group: string, today: string, q: SqlParams, sign = '1'): Promise<Counted> {
    const rows = await this.dataSource.query<(RollupRow & { days: number | null })[]>(
      `SELECT ${group} AS g, t.state, coalesce(t.current_deadline < ${today}, false) AS past,
              CASE WHEN t.state IN ${list(CLOSURE_STATES)} THEN t.close_working_days END AS days, ${stretchSums(sign)}
         ${from} GROUP BY 1, 2, 3, 4`,
      q.values,
    );
    return { cells: rows, days: distributionsOf(rows.filter((r) => r.days !== null).map((r) => ({ g: r.g, days: r.days!, n: r.n }))) };
  }

  async counted(from: string, group: string, today: string, q: SqlParams): Promise<Map<string, StatCounts>> {
    const { cells, days } = await this.countedRows(from, group, today, q);
    return assembleRollup(cells, days, []);
  }

  /** The open stretches whose deadline falls in the statistics day's month before the day (the live cells count them as not past). */
  async patch(actor: Actor, scope: StatScope, instant: Instant, by: Breakdown | null, monthStart: string): Promise<PatchRow[]> {
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
  async corrections(actor: Actor, scope: StatScope, instant: Instant, from: Date | null, by: Breakdown | null): Promise<Counted> {
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

  /** The stretches to count, as a derived table named by the caller. */
  async source(actor: Actor, scope: StatScope, instant: Instant, q: SqlParams): Promise<string> {
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

  async filters(actor: Actor, scope: StatScope, q: SqlParams): Promise<{ join: string; where: string }> {
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
