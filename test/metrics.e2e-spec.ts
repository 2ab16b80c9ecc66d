import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '#queue';
import { TestApi } from './support/api.js';
import { separateDatabaseUrl } from './support/database.js';
import { TEST_REDIS_URL } from './support/env.js';
import { Factory } from './support/factories.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';

/** Prometheus text format → "name{labels}" → value (labels as written by prom-client, sorted by it). */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    series.set(match[1], Number(match[2]));
  }
  return series;
}

describe('GET /metrics (Prometheus; real app, PostgreSQL, Redis)', () => {
  let api: TestApi;
  let redis: Redis;
  let notifications: Queue;

  beforeAll(async () => {
    // A database of its own: the outbox figures read the whole table.
    api = await TestApi.start({ env: { DATABASE_URL: separateDatabaseUrl('metrics'), METRICS_TOKEN: TOKEN } });
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    notifications = new Queue(QUEUES.notifications, { connection: redis, prefix: process.env.QUEUE_PREFIX });
  });

  afterAll(async () => {
    await notifications?.obliterate({ force: true }).catch(() => {});
    await notifications?.close();
    redis?.disconnect();
    await api?.stop();
  });

  async function scrape(): Promise<Map<string, number>> {
    const res = await api.request('GET', '/metrics', { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(res.raw);
  }

  it('asks for the METRICS_TOKEN as a bearer token', async () => {
    const none = await api.request('GET', '/metrics');
    const wrong = await api.request('GET', '/metrics', { token: `${TOKEN}x` });
    expect([none.status, none.body.code, wrong.status, wrong.body.code]).toEqual([
      401,
      'METRICS_TOKEN_INVALID',
      401,
      'METRICS_TOKEN_INVALID',
    ]);
    expect(none.raw).not.toContain('rectify_');
  });

  it('times requests by route pattern, not by URL, with their status', async () => {
    const f = api.factory;
    const unit = await f.newUnit();
    const user = await f.newUser(unit, ['admin']);
    const { accessToken } = await api.login(user.email);
    const other = await f.newUnit();
    const key = (status: number): string =>
      `rectify_http_request_duration_seconds_count{method="GET",route="/api/org-units/:id",status="${status}"}`;
    const before = await scrape();

    for (const id of [unit.id, other.id, unit.id])
      expect((await api.request('GET', `/api/org-units/${id}`, { token: accessToken })).status).toBe(200);
    expect((await api.request('GET', `/api/org-units/${unit.id}`)).status).toBe(401);
    expect((await api.request('GET', '/api/no/such/route')).status).toBe(404);

    const after = await scrape();
    expect((after.get(key(200)) ?? 0) - (before.get(key(200)) ?? 0)).toBe(3);
    expect((after.get(key(401)) ?? 0) - (before.get(key(401)) ?? 0)).toBe(1);
    const unmatched = 'rectify_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}';
    expect((after.get(unmatched) ?? 0) - (before.get(unmatched) ?? 0)).toBe(1);
    // Ids never become labels.
    expect([...after.keys()].filter((k) => k.includes(unit.id) || k.includes('/no/such'))).toEqual([]);
    // Each of those requests took at least one connection from the pool.
    expect(after.get('rectify_db_pool_wait_seconds_count')! - before.get('rectify_db_pool_wait_seconds_count')!).toBeGreaterThanOrEqual(3);
    expect(after.get('rectify_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
  });

  it('reports the outbox lag (oldest due, unsent row) and the failed e-mails', async () => {
    const ds = api.ds;
    const start = await scrape();
    expect(start.get('rectify_outbox_lag_seconds')).toBe(0);
    const failedBefore = start.get('rectify_outbox_failed_emails')!;

    const tag = Factory.tag();
    const [{ id }] = await ds.query<{ id: string }[]>(
      `INSERT INTO outbox (kind, dedupe_key, payload, available_at) VALUES ('email', $1, '{}', now() - interval '120 seconds') RETURNING id`,
      [`metrics-pending-${tag}`],
    );
    // Not due yet: a retry waiting for its time is not lag.
    await ds.query(`INSERT INTO outbox (kind, dedupe_key, payload, available_at) VALUES ('email', $1, '{}', now() + interval '1 hour')`, [
      `metrics-later-${tag}`,
    ]);
    await ds.query(
      `INSERT INTO outbox (kind, dedupe_key, payload, status) SELECT 'email', $1 || g, '{}', 'failed' FROM generate_series(1, 2) g`,
      [`metrics-failed-${tag}-`],
    );
    const lagging = await scrape();
    expect(lagging.get('rectify_outbox_lag_seconds')).toBeGreaterThanOrEqual(120);
    expect(lagging.get('rectify_outbox_lag_seconds')).toBeLessThan(150);
    expect(lagging.get('rectify_outbox_failed_emails')).toBe(failedBefore + 2);

    // Handed to the queue 30 s ago and still not sent: the lag counts from then.
    await ds.query(`UPDATE outbox SET status = 'enqueued', available_at = now() - interval '30 seconds' WHERE id = $1`, [id]);
    const queued = (await scrape()).get('rectify_outbox_lag_seconds')!;
    expect(queued).toBeGreaterThanOrEqual(30);
    expect(queued).toBeLessThan(60);
    await ds.query(`UPDATE outbox SET status = 'sent', sent_at = now() WHERE id = $1`, [id]);
    expect((await scrape()).get('rectify_outbox_lag_seconds')).toBe(0);
  });

  it('reports the depth of each queue', async () => {
    const key = `rectify_queue_jobs{queue="${QUEUES.notifications}",state="waiting"}`;
    const before = (await scrape()).get(key)!;
    await notifications.add('weekly-digest', { day: '2026-01-05' });
    await notifications.add('weekly-digest', { day: '2026-01-12' });
    await notifications.add('weekly-digest', { day: '2026-01-19' }, { delay: 3_600_000 });
    const after = await scrape();
    expect(after.get(key)! - before).toBe(2);
    expect(after.get(`rectify_queue_jobs{queue="${QUEUES.notifications}",state="delayed"}`)).toBeGreaterThanOrEqual(1);
    expect(after.has(`rectify_queue_jobs{queue="${QUEUES.email}",state="failed"}`)).toBe(true);
  });

  it("reports the event loop's delay (a 300 ms block shows)", async () => {
    await scrape(); // the delay histogram restarts at each scrape
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // block the event loop the api shares with this test
    }
    await new Promise((r) => setTimeout(r, 50));
    const after = await scrape();
    expect(after.get('nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.25);
  });

  // Last: stopping a second app in this process closes Redis connections the first one still uses.
  it('is off (404) while no METRICS_TOKEN is set', async () => {
    const off = await TestApi.start({ env: { DATABASE_URL: separateDatabaseUrl('metrics'), METRICS_TOKEN: '' } });
    try {
      const res = await off.request('GET', '/metrics', { token: TOKEN });
      expect([res.status, res.raw.includes('rectify_')]).toEqual([404, false]);
    } finally {
      await off.stop();
    }
  });
});
