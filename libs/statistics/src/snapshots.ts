import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, CLOSURE_STATES, addDays, shanghaiDate, type Clock } from '#domain';
import { STRETCH_COLUMNS, list, monthEnd, previousMonthEnd, startOfDay, stretchSums } from './stretches.js';

/** 'main': all, batch, county, domain, lead, lead_scope; 'read': what each unit may read (item scopes as they are now). */
export type SnapshotKind = 'main' | 'read';

export interface Snapshot {
  id: string;
  monthEnd: string;
  /** The exclusive end: the snapshot holds the stretches in force just before it. */
  at: Date;
}

/** Registering a snapshot waits for the lock writers share this many times this long at most. */
const REGISTER_TRIES = 200;
const REGISTER_RETRY_MS = 50;

/** Invalidated snapshots are kept this long before they are deleted, so that no reader loses one mid-read. */
const KEEP_INVALIDATED = '10 minutes';

/** The instant a month end's snapshot is taken at: the first instant of the next day (Asia/Shanghai). */
export function snapshotInstant(monthEndDate: string): Date {
  return startOfDay(addDays(monthEndDate, 1));
}

/**
 * Month-end snapshots of the roll-ups (migration 1764600000000): built on demand by readers for an
 * ended month that has none, and for every ended month by the worker's maintenance job.
 */
@Injectable()
export class StatisticsSnapshots {
  private readonly logger = new Logger(StatisticsSnapshots.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The valid snapshot of a month end, built now if there is none. Null when the month has not
   * ended, or when a backdated write invalidated the snapshot while it was being built.
   */
  async ensure(kind: SnapshotKind, monthEndDate: string): Promise<Snapshot | null> {
    const at = snapshotInstant(monthEndDate);
    if (at.getTime() > this.clock.now().getTime()) return null;
    const found = await this.find(this.dataSource, kind, monthEndDate);
    if (found) return found;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const db = runner.manager;
    // One builder per month and kind; a second request waits for the first and then finds its snapshot.
    const lock = [Number(monthEndDate.slice(0, 7).replace('-', '')) * 2 + (kind === 'read' ? 1 : 0)];
    try {
      await db.query(`SELECT pg_advisory_lock(hashtext('item_stat_snapshot_build'), $1)`, lock);
      try {
        const built = await this.find(db, kind, monthEndDate);
        if (built) return built;
        const started = Date.now();
        // Register the snapshot alone against writers (they take the lock shared): from here on every
        // write that counts before `at` either has committed, so the build below sees it, or
        // invalidates this row. A row left unbuilt by a crashed builder is replaced.
        await runner.startTransaction();
        if (!(await registrationLock(db))) {
          this.logger.warn(
            `the ${kind} snapshot of ${monthEndDate} is not built: writers held the lock for ${REGISTER_TRIES * REGISTER_RETRY_MS} ms`,
          );
          return null;
        }
        await db.query(
          `DELETE FROM item_stat_snapshot WHERE kind = $1 AND month_end = $2 AND built_at IS NULL AND invalidated_at IS NULL`,
          [kind, monthEndDate],
        );
        const [{ id }] = await db.query<{ id: string }[]>(
          `INSERT INTO item_stat_snapshot (kind, month_end, at) VALUES ($1, $2, $3) RETURNING id`,
          [kind, monthEndDate, at],
        );
        await runner.commitTransaction();
        await runner.startTransaction();
        await db.query(buildSql(kind), [id, at, `${monthEndDate.slice(0, 7)}-01`, addDays(monthEnd(addDays(monthEndDate, 1)), 1)]);
        const [, done] = await db.query<[unknown[], number]>(
          `UPDATE item_stat_snapshot SET built_at = clock_timestamp() WHERE id = $1 AND invalidated_at IS NULL`,
          [id],
        );
        if (done === 0) {
          await runner.rollbackTransaction();
          this.logger.warn(`the ${kind} snapshot of ${monthEndDate} was invalidated while it was built`);
          return null;
        }
        await runner.commitTransaction();
        this.logger.log(`built the ${kind} statistics snapshot of ${monthEndDate} in ${Date.now() - started} ms`);
        return { id, monthEnd: monthEndDate, at };
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await db.query(`SELECT pg_advisory_unlock(hashtext('item_stat_snapshot_build'), $1)`, lock);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Builds the snapshots of every month ended since the timeline began that has none (the kinds
   * given), and deletes the invalidated ones readers can no longer be using.
   */
  async catchUp(kinds: readonly SnapshotKind[] = ['main', 'read']): Promise<{ built: number; deleted: number }> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM item_stat_snapshot WHERE invalidated_at < now() - interval '${KEEP_INVALIDATED}'`,
    );
    const [{ first }] = await this.dataSource.query<{ first: Date | null }[]>(
      `SELECT least((SELECT min(valid_from) FROM item_timeline WHERE valid_to IS NULL),
                    (SELECT min(valid_from) FROM item_timeline WHERE valid_to IS NOT NULL)) AS first`,
    );
    let built = 0;
    if (first) {
      const last = previousMonthEnd(shanghaiDate(this.clock.now()));
      for (let m = monthEnd(shanghaiDate(first)); m <= last; m = monthEnd(addDays(m, 1))) {
        for (const kind of kinds) {
          if (!(await this.find(this.dataSource, kind, m)) && (await this.ensure(kind, m))) built++;
        }
      }
    }
    return { built, deleted };
  }

  private async find(db: Pick<DataSource, 'query'>, kind: SnapshotKind, monthEndDate: string): Promise<Snapshot | null> {
    const [row] = await db.query<{ id: string; at: Date }[]>(
      `SELECT id, at FROM item_stat_snapshot WHERE kind = $1 AND month_end = $2 AND built_at IS NOT NULL AND invalidated_at IS NULL`,
      [kind, monthEndDate],
    );
    return row ? { id: row.id, monthEnd: monthEndDate, at: row.at } : null;
  }
}

/**
 * One statement (one view of the timeline): the stretches in force just before $2, counted under
 * every dimension value of the kind, summed per state and deadline bucket (by day within
 * [$3, $4): the snapshot's month and the next, by month otherwise) and per working days to close.
 */
function buildSql(kind: SnapshotKind): string {
  const dims =
    kind === 'main'
      ? `item_stat_dims(s.batch_id, s.county_unit_id, s.domain, s.lead_unit_ids, s.lead_scope, '{}', '{}', '{}') v`
      : `item_stat_dims(s.batch_id, s.county_unit_id, s.domain, s.lead_unit_ids, s.lead_scope, i.owner_scope,
                        ARRAY(SELECT DISTINCT unnest(i.owner_scope || i.dispatcher_scope)),
                        ARRAY(SELECT DISTINCT unnest(i.owner_scope || i.acceptance_scope))) v`;
  return `
    WITH s AS (
      SELECT ${STRETCH_COLUMNS} FROM item_timeline t WHERE t.valid_to IS NULL AND t.valid_from < $2
      UNION ALL
      SELECT ${STRETCH_COLUMNS} FROM item_timeline t WHERE t.valid_to >= $2 AND t.valid_from < $2),
    t AS (
      SELECT v.dim, v.key, s.*,
             CASE WHEN s.current_deadline >= $3::date AND s.current_deadline < $4::date THEN s.current_deadline
                  ELSE date_trunc('month', s.current_deadline)::date END AS deadline_bucket,
             CASE WHEN s.state IN ${list(CLOSURE_STATES)} THEN s.close_working_days END AS days
        FROM s ${kind === 'read' ? 'JOIN item i ON i.id = s.item_id' : ''} CROSS JOIN LATERAL ${dims}
       ${kind === 'read' ? `WHERE v.dim LIKE 'read\\_%'` : ''}),
    sums AS (
      SELECT t.dim, t.key, t.state, t.deadline_bucket, t.days, grouping(t.state) AS by_days, ${stretchSums('1')}
        FROM t GROUP BY GROUPING SETS ((t.dim, t.key, t.state, t.deadline_bucket), (t.dim, t.key, t.days))),
    cells AS (
      INSERT INTO item_stat_snapshot_cell (snapshot_id, dim, key, state, deadline_bucket, n, closed_with_original, on_time_original,
                                           closed_with_approved, on_time_approved, close_days_sum, close_days_n, extended_items,
                                           extensions, rebound_items, rebounds)
      SELECT $1, dim, key, state, deadline_bucket, n, cwo, oto, cwa, ota, cds, cdn, ei, ex, ri, rb FROM sums WHERE by_days = 0
      RETURNING 1),
    days AS (
      INSERT INTO item_stat_snapshot_days (snapshot_id, dim, key, days, n)
      SELECT $1, dim, key, days, n FROM sums WHERE by_days = 1 AND days IS NOT NULL
      RETURNING 1)
    SELECT (SELECT count(*) FROM cells)::int AS cells, (SELECT count(*) FROM days)::int AS days`;
}

/**
 * The lock writers of the timeline take shared, taken alone for the transaction. Tried rather than
 * waited for: a waiting request would queue every later writer behind it, and so behind the
 * longest transaction in flight.
 */
async function registrationLock(db: Pick<DataSource, 'query'>): Promise<boolean> {
  for (let i = 0; i < REGISTER_TRIES; i++) {
    const [{ locked }] = await db.query<{ locked: boolean }[]>(
      `SELECT pg_try_advisory_xact_lock(hashtext('item_stat_snapshot')) AS locked`,
    );
    if (locked) return true;
    await new Promise((resolve) => setTimeout(resolve, REGISTER_RETRY_MS));
  }
  return false;
}
