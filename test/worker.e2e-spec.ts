import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadConfig } from '#config';
import { addDays, shanghaiDate } from '#domain';
import { JOBS, QUEUES } from '#queue';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { assertEveryJobHandled } from '../apps/worker/src/scheduler.js';
import { TestClock } from './support/clock.js';
import { openTestDataSource } from './support/database.js';
import { Factory } from './support/factories.js';
import { waitFor } from './support/smtp-sink.js';

/** The job's state once it has completed or failed (15 s at most, unless told). */
async function settled(job: Job, timeoutMs = 15000): Promise<string> {
  await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), timeoutMs, `job ${job.name}`);
  return job.getState();
}

describe('worker: connects, schedules and processes jobs (real Redis and PostgreSQL)', () => {
  let ds: DataSource;
  let worker: INestApplicationContext;
  let queue: Queue;

  beforeAll(async () => {
    ds = await openTestDataSource();
    worker = await createWorker(loadConfig({ ...process.env, QUEUE_PREFIX: `rectify-test-worker-${randomUUID().slice(0, 8)}` }));
    queue = worker.get<Queue>(getQueueToken(QUEUES.maintenance));
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await worker.close();
    await ds.destroy();
  });

  it('every job in the registry has a handler', () => {
    expect(() => assertEveryJobHandled()).not.toThrow();
  });

  it('registers the daily session purge and statistics snapshots (Asia/Shanghai time) and the statistics compaction as repeatable jobs', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(3);
    expect(schedulers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: JOBS.maintenance.purgeExpiredSessions, pattern: '17 3 * * *', tz: 'Asia/Shanghai' }),
        expect.objectContaining({ key: JOBS.maintenance.compactStatistics, every: 30000 }),
        expect.objectContaining({ key: JOBS.maintenance.snapshotStatistics, pattern: '20 0 * * *', tz: 'Asia/Shanghai' }),
      ]),
    );
  });

  it('the compaction job folds the statistics deltas into the roll-ups', async () => {
    const f = await Factory.create(ds);
    const unit = await f.newUnit();
    const dispatcher = Factory.actor(await f.newUser(unit, ['dispatcher']), unit);
    await f.newItem(dispatcher, await f.newBatch(dispatcher), { leadUnitIds: [unit.id] });
    const [{ n: before }] = await ds.query(`SELECT count(*)::int AS n FROM item_stat_delta`);
    expect(before).toBeGreaterThan(0);
    const job = await queue.add(JOBS.maintenance.compactStatistics, {});
    expect(await settled(job)).toBe('completed');
    // Folded: the unit's cell holds the new draft (other tests' deltas may have arrived meanwhile).
    const [cell] = await ds.query(`SELECT n::int FROM item_stat_cell WHERE dim = 'lead' AND key = $1 AND state = 'draft'`, [unit.id]);
    expect(cell.n).toBe(1);
    await f.close();
  });

  it('the purge job removes long-expired refresh tokens and keeps live ones', async () => {
    const f = await Factory.create(ds);
    const user = await f.newUser(await f.newUnit(), ['unit_officer']);
    const insert = (expiresAt: string) =>
      ds.query(
        `INSERT INTO auth_refresh_token (id, family_id, user_id, secret_hash, expires_at) VALUES (gen_random_uuid(), gen_random_uuid(), $1, 'h', ${expiresAt}) RETURNING id`,
        [user.id],
      );
    const [[old], [recent], [live]] = await Promise.all([
      insert(`now() - interval '3 days'`),
      insert(`now() - interval '1 hour'`),
      insert(`now() + interval '1 day'`),
    ]);

    const job = await queue.add(JOBS.maintenance.purgeExpiredSessions, {});
    expect(await settled(job)).toBe('completed');
    const remaining = (await ds.query(`SELECT id FROM auth_refresh_token WHERE user_id = $1`, [user.id]))
      .map((r: { id: string }) => r.id)
      .sort();
    expect(remaining).toEqual([recent.id, live.id].sort());
    expect(remaining).not.toContain(old.id);
    await f.close();
  });

  it('the snapshot job takes a snapshot of every ended month since the timeline began', async () => {
    // An item created two months ago (a backdated clock): every month end since then gets its snapshots.
    const created = addDays(shanghaiDate(new Date()), -62);
    const clock = new TestClock(new Date());
    clock.setDate(created);
    const f = await Factory.create(ds, clock);
    const unit = await f.newUnit();
    const dispatcher = Factory.actor(await f.newUser(unit, ['dispatcher']), unit);
    await f.newItem(dispatcher, await f.newBatch(dispatcher), { leadUnitIds: [unit.id] });
    const job = await queue.add(JOBS.maintenance.snapshotStatistics, {});
    // Every month since the oldest test clock, of both kinds: a minute at most with the other files running.
    expect(await settled(job, 60_000)).toBe('completed');
    // The last month ended (the real clock): both kinds, and the unit's draft in the main one.
    // (Other test files' backdated writes may have invalidated them since, so invalidated ones count too.)
    const lastMonthEnd = addDays(`${shanghaiDate(new Date()).slice(0, 7)}-01`, -1);
    const snapshots = await ds.query(
      `SELECT s.kind, (SELECT sum(c.n)::int FROM item_stat_snapshot_cell c WHERE c.snapshot_id = s.id AND c.dim = 'lead' AND c.key = $2) AS n
         FROM item_stat_snapshot s WHERE s.month_end = $1 AND s.built_at IS NOT NULL`,
      [lastMonthEnd, unit.id],
    );
    expect([...new Set(snapshots.map((r: { kind: string }) => r.kind))].sort()).toEqual(['main', 'read']);
    expect(snapshots.filter((r: { kind: string }) => r.kind === 'main').map((r: { n: number }) => r.n)).toEqual(
      expect.arrayContaining([1]),
    );
    await f.close();
  }, 90_000);
});
