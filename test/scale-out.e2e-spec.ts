import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { addDays, shanghaiDate, type Actor } from '#domain';
import type { OrgUnitView } from '#org';
import { JOBS, QUEUES } from '#queue';
import { ApiProcess } from './support/api-process.js';
import { TestClock } from './support/clock.js';
import { openTestDataSource, separateDatabaseUrl } from './support/database.js';
import { TEST_REDIS_URL } from './support/env.js';
import { Factory, TEST_PASSWORD } from './support/factories.js';
import { freePort } from './support/private-redis.js';
import { SmtpSink, waitFor, type CapturedMail } from './support/smtp-sink.js';
import { WorkerProcess } from './support/worker-process.js';

/** The worker's e-mail concurrency (EmailProcessor): at most this many messages in flight per worker. */
const EMAIL_CONCURRENCY = 8;
/** SESSION_CHECK_CACHE_MS's default: the documented bound for another process to see a revocation. */
const SESSION_CHECK_CACHE_MS = 1000;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are read field by field
type ResponseBody = any;

function messageIdOf(mail: CapturedMail): string {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  return /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '';
}

async function settled(job: Job, timeoutMs: number): Promise<string> {
  let state = await job.getState();
  const until = Date.now() + timeoutMs;
  while (!['completed', 'failed'].includes(state) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    state = await job.getState();
  }
  return state;
}

/**
 * Two api and two worker processes (the real entry points, as child processes) on one PostgreSQL
 * database and one Redis: what one instance guarantees must hold with two of everything.
 */
describe('two api and two worker processes side by side (child processes, PostgreSQL, Redis, SMTP)', () => {
  let onMail: (mail: CapturedMail) => void = () => {};
  const sink = new SmtpSink({ replyDelayMs: 20, onMessage: (mail) => onMail(mail) });
  const apis: ApiProcess[] = [];
  const workers: WorkerProcess[] = [];
  const queues: Partial<Record<keyof typeof QUEUES, Queue>> = {};
  let redis: Redis | undefined;
  let ds: DataSource;
  let f: Factory;
  let city: OrgUnitView;
  let dispatcher: Actor;
  const env: Record<string, string> = {};
  // Items created two months back, so month ends have passed since the statistics timeline began.
  const past = new TestClock(new Date());
  past.setDate(addDays(shanghaiDate(new Date()), -62));

  beforeAll(async () => {
    await sink.start();
    Object.assign(env, {
      DATABASE_URL: separateDatabaseUrl('scale'),
      SMTP_URL: sink.url,
      QUEUE_PREFIX: `rectify-test-scale-${randomUUID().slice(0, 8)}`,
      REDIS_URL: TEST_REDIS_URL,
    });
    ds = await openTestDataSource(env.DATABASE_URL);
    f = await Factory.create(ds, past);
    city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    for (const [key, name] of Object.entries(QUEUES)) {
      const queue = new Queue(name, { connection: redis, prefix: env.QUEUE_PREFIX });
      queue.on('error', () => {});
      queues[key as keyof typeof QUEUES] = queue;
    }
    const [apiPorts, started] = [await Promise.all([freePort(), freePort()]), [] as Promise<unknown>[]];
    for (const port of apiPorts) started.push(ApiProcess.start(port, env).then((a) => apis.push(a)));
    for (let i = 0; i < 2; i++) started.push(WorkerProcess.start(env, 60000).then((w) => workers.push(w)));
    await Promise.all(started);
  }, 180_000);

  afterAll(async () => {
    onMail = () => {};
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await Promise.all(apis.map((a) => a.stop()));
    for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => {});
    for (const q of Object.values(queues)) await q.close().catch(() => {});
    redis?.disconnect();
    await f?.close();
    await ds?.destroy();
    await sink.stop();
  });

  async function call(
    api: ApiProcess,
    method: string,
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: ResponseBody }> {
    const res = await fetch(`${api.url}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function login(api: ApiProcess, email: string): Promise<string> {
    const res = await call(api, 'POST', '/api/auth/login', undefined, { email, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  }

  /** How long after `revoke` resolved the other api first refused the token (polled every 25 ms). */
  /**
   * How long after a revocation the other api still accepted the token: when the last request it
   * accepted was sent (ms after the revocation; 0 when none was). Timed by when requests leave, not
   * when their answers arrive, so a loaded machine's slow answers do not count against the bound.
   */
  async function acceptedFor(api: ApiProcess, token: string, revoke: () => Promise<void>): Promise<number> {
    await revoke();
    const revoked = performance.now();
    let lastAccepted = revoked;
    for (;;) {
      const sent = performance.now();
      if ((await call(api, 'GET', '/api/auth/me', token)).status !== 200) return lastAccepted - revoked;
      lastAccepted = sent;
      if (performance.now() - revoked > 5000) throw new Error('the other api still accepts the token after 5 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Every e-mail row of these recipients sent, each message carrying its row's Message-ID; returns messages per row. */
  async function deliveries(emails: string[]): Promise<{ rows: number; unsent: number; duplicates: number; foreign: number }> {
    const rows: { id: string; to: string; status: string }[] = await ds.query(
      `SELECT id, payload->>'to' AS to, status FROM outbox WHERE kind = 'email' AND payload->>'to' = ANY($1::text[])`,
      [emails],
    );
    const ids = new Set(rows.map((r) => `<outbox-${r.id}@rectify>`));
    const got = sink.messages.filter((m) => emails.includes(m.to[0])).map(messageIdOf);
    const counts = new Map<string, number>();
    for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
    return {
      rows: rows.length,
      unsent: rows.filter((r) => r.status !== 'sent').length + [...ids].filter((id) => !counts.has(id)).length,
      duplicates: [...counts.values()].reduce((sum, n) => sum + n - 1, 0),
      foreign: got.filter((id) => !ids.has(id)).length,
    };
  }

  it('both workers register the schedules once: one job scheduler of each, not two', async () => {
    const schedulers = [
      ...(await queues.maintenance!.getJobSchedulers()).map((s) => s.key),
      ...(await queues.notifications!.getJobSchedulers()).map((s) => s.key),
    ].sort();
    expect(schedulers).toEqual(
      [
        JOBS.maintenance.purgeExpiredSessions,
        JOBS.maintenance.compactStatistics,
        JOBS.maintenance.snapshotStatistics,
        JOBS.notifications.relayOutbox,
        JOBS.notifications.sweepReminders,
        JOBS.notifications.weeklyDigest,
        JOBS.notifications.monthlyBulletin,
      ].sort(),
    );
  });

  it('a sign-out on one api, and a deactivation, are effective on the other within SESSION_CHECK_CACHE_MS', async () => {
    const [a, b] = apis;
    const unit = await f.newUnit({ parent: city });
    const admin = await f.newUser(unit, ['admin']);
    const adminToken = await login(a, admin.email);

    const officer = await f.newUser(unit, ['unit_officer']);
    const token = await login(a, officer.email);
    expect((await call(b, 'GET', '/api/auth/me', token)).status).toBe(200); // b has checked (and cached) the session
    const afterSignOut = await acceptedFor(b, token, async () => {
      expect((await call(a, 'POST', '/api/auth/logout', token)).status).toBe(204);
    });

    const leaver = await f.newUser(unit, ['unit_officer']);
    const leaverToken = await login(b, leaver.email);
    expect((await call(b, 'GET', '/api/auth/me', leaverToken)).status).toBe(200);
    const afterDeactivation = await acceptedFor(b, leaverToken, async () => {
      const { body } = await call(a, 'GET', `/api/users/${leaver.id}`, adminToken);
      expect((await call(a, 'PATCH', `/api/users/${leaver.id}`, adminToken, { active: false, version: body.version })).status).toBe(200);
    });
    // No request sent later than the bound was accepted (give or take the timer's turn).
    expect({
      afterSignOut: afterSignOut < SESSION_CHECK_CACHE_MS + 50,
      afterDeactivation: afterDeactivation < SESSION_CHECK_CACHE_MS + 50,
    }).toEqual({
      afterSignOut: true,
      afterDeactivation: true,
    });
    // And the refusal holds on both.
    for (const api of apis) expect((await call(api, 'GET', '/api/auth/me', leaverToken)).status).toBe(401);
  });

  it('reminder sweeps, weekly digests and monthly bulletins run by both workers at once send each e-mail once', async () => {
    const unit = await f.newUnit({ parent: city, kind: 'county' });
    const officers = [await f.newUser(unit, ['unit_officer']), await f.newUser(unit, ['unit_officer'])];
    const auditor = await f.newUser(city, ['auditor']);
    const batch = await f.newBatch(dispatcher);
    const item = await f.newItem(dispatcher, batch, { code: 'SCALE-REM', leadUnitIds: [unit.id], deadline: '2026-12-17' });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    const everyone = [...officers.map((o) => o.email), auditor.email];

    // As if both workers' schedules fired: each job twice, side by side, on a Wednesday (1 working
    // day before the deadline), the Monday of that week and the 1st of the month.
    const notifications = queues.notifications!;
    const jobs = await Promise.all(
      [
        [JOBS.notifications.sweepReminders, '2026-12-16'],
        [JOBS.notifications.weeklyDigest, '2026-12-14'],
        [JOBS.notifications.monthlyBulletin, '2026-12-01'],
      ].flatMap(([name, day]) => [notifications.add(name, { day }), notifications.add(name, { day })]),
    );
    for (const job of jobs) expect(await settled(job, 60_000)).toBe('completed');

    const rows = async (like: string): Promise<{ to: string }[]> =>
      ds.query(`SELECT payload->>'to' AS to FROM outbox WHERE kind = 'email' AND dedupe_key LIKE $1 AND payload->>'to' = ANY($2::text[])`, [
        like,
        everyone,
      ]);
    // Hand-counted: the 1-day reminder to each of the two officers; one digest each for the week; one bulletin for the auditor.
    expect((await rows(`reminder:${item.id}:%`)).map((r) => r.to).sort()).toEqual(officers.map((o) => o.email).sort());
    expect((await rows('digest:%:2026-12-14')).map((r) => r.to).sort()).toEqual(officers.map((o) => o.email).sort());
    expect((await rows('bulletin:%')).map((r) => r.to)).toEqual([auditor.email]);

    await waitFor(async () => (await deliveries(everyone)).unsent === 0, 60_000, 'every e-mail sent');
    // Those five and the assignment notice to each officer: seven messages, each once.
    expect(await deliveries(everyone)).toEqual({ rows: 7, unsent: 0, duplicates: 0, foreign: 0 });
  }, 120_000);

  it('one statistics snapshot build per month end when both workers take the snapshots at once', async () => {
    const maintenance = queues.maintenance!;
    const [one, two] = await Promise.all([
      maintenance.add(JOBS.maintenance.snapshotStatistics, {}),
      maintenance.add(JOBS.maintenance.snapshotStatistics, {}),
    ]);
    expect([await settled(one, 90_000), await settled(two, 90_000)]).toEqual(['completed', 'completed']);
    const built =
      ((await maintenance.getJob(one.id!))!.returnvalue.built as number) +
      ((await maintenance.getJob(two.id!))!.returnvalue.built as number);
    const snapshots: { kind: string; month_end: string; n: number }[] = await ds.query(
      `SELECT kind, to_char(month_end, 'YYYY-MM-DD') AS month_end, count(*)::int AS n FROM item_stat_snapshot GROUP BY 1, 2 ORDER BY 2, 1`,
    );
    // Two kinds for each month ended since the first item (62 days back: two or three month ends).
    expect(snapshots.length).toBeGreaterThanOrEqual(4);
    expect(snapshots.every((s) => s.n === 1)).toBe(true);
    // Each month end is built by at most one of the two jobs (a worker's start-up build may have taken some first).
    expect(built).toBeLessThanOrEqual(snapshots.length);
  }, 120_000);

  it('the outbox drains when one of the two workers is killed (SIGKILL) mid-batch', async () => {
    const N = 120;
    const KILL_AT = 30;
    const unit = await f.newUnit({ parent: city, kind: 'county' });
    const emails: string[] = (
      await ds.query(
        `INSERT INTO app_user (name, email, unit_id, roles)
         SELECT '办事员' || g, 'scale-' || $2 || '-' || g || '@test.rectify.cn', $1, ARRAY['unit_officer']
           FROM generate_series(1, $3::int) g RETURNING email`,
        [unit.id, Factory.tag(), N],
      )
    ).map((r: { email: string }) => r.email);
    const mine = new Set(emails);
    let received = 0;
    const victim = workers[0];
    onMail = (mail) => {
      if (mine.has(mail.to[0]) && ++received === KILL_AT) victim.kill('SIGKILL');
    };
    const batch = await f.newBatch(dispatcher);
    const item = await f.newItem(dispatcher, batch, { code: 'SCALE-KILL', leadUnitIds: [unit.id] });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });

    await waitFor(() => !victim.running, 60_000, 'the first worker to be killed mid-batch');
    // The survivor sends the rest, and the killed worker's jobs once their locks expire.
    await waitFor(async () => (await deliveries(emails)).unsent === 0, 120_000, 'the surviving worker to drain the outbox');
    const result = await deliveries(emails);
    expect({ ...result, duplicates: result.duplicates <= EMAIL_CONCURRENCY }).toEqual({ rows: N, unsent: 0, duplicates: true, foreign: 0 });
    for (const email of emails) expect(sink.to(email).length).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
