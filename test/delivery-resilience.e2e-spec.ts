import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Actor } from '#domain';
import { MAILER, NotificationsModule, OutboxService, type Mailer } from '#notifications';
import type { OrgUnitView } from '#org';
import { QUEUES } from '#queue';
import { openTestDataSource, separateDatabaseUrl } from './support/database.js';
import { TEST_REDIS_URL } from './support/env.js';
import { Factory } from './support/factories.js';
import { buildTestModule } from './support/test-module.js';
import { PrivateRedis } from './support/private-redis.js';
import { SmtpSink, waitFor, type CapturedMail } from './support/smtp-sink.js';
import { WorkerProcess } from './support/worker-process.js';

/** The worker's e-mail concurrency (EmailProcessor, apps/worker/src/notifications.processor.ts). */
const EMAIL_CONCURRENCY = 8;

/** The Message-ID header of a captured message. */
function messageIdOf(mail: CapturedMail): string {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  return /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '';
}

interface EmailRow {
  id: string;
  to: string;
  status: string;
}

/**
 * The worker runs as a real process (apps/worker/src/main.ts) that is stopped, killed and
 * restarted mid-batch; Redis is a redis-server of the test's own, stopped and restarted empty.
 */
describe('e-mail delivery when a worker dies or Redis restarts (worker processes, PostgreSQL, Redis, SMTP)', () => {
  let onMail: (mail: CapturedMail) => void = () => {};
  // A slow SMTP server: each message is answered 40 ms after its data arrived, so several are in flight.
  const sink = new SmtpSink({ replyDelayMs: 40, onMessage: (mail) => onMail(mail) });
  const workers: WorkerProcess[] = [];
  const sharedQueues: Queue[] = [];
  let sharedRedis: Redis | undefined;
  let privateRedis: PrivateRedis | undefined;
  let ds: DataSource;
  let f: Factory;
  let dispatcher: Actor;
  let city: OrgUnitView;
  let batchId: string;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    await sink.start();
    // A database of its own: the relay sweeps the whole outbox, and other test files fill the shared one.
    Object.assign(env, {
      DATABASE_URL: separateDatabaseUrl('resilience'),
      SMTP_URL: sink.url,
      QUEUE_PREFIX: `rectify-test-resilience-${randomUUID().slice(0, 8)}`,
    });
    ds = await openTestDataSource(env.DATABASE_URL);
    f = await Factory.create(ds);
    city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    batchId = (await f.newBatch(dispatcher)).id;
    // The queues on the shared Redis, to look into and to remove afterwards.
    sharedRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    for (const name of Object.values(QUEUES)) {
      const queue = new Queue(name, { connection: sharedRedis, prefix: env.QUEUE_PREFIX });
      queue.on('error', () => {});
      sharedQueues.push(queue);
    }
  });

  afterAll(async () => {
    onMail = () => {};
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    for (const q of sharedQueues) await q.obliterate({ force: true }).catch(() => {});
    for (const q of sharedQueues) await q.close().catch(() => {});
    sharedRedis?.disconnect();
    await privateRedis?.dispose();
    await f?.close();
    await ds?.destroy();
    await sink.stop();
  });

  async function startWorker(redisUrl: string): Promise<WorkerProcess> {
    const worker = await WorkerProcess.start({ ...env, REDIS_URL: redisUrl });
    workers.push(worker);
    return worker;
  }

  /** A unit with n officers (inserted directly: hashing n passwords would take most of the test). */
  async function unitWithOfficers(n: number): Promise<{ unit: OrgUnitView; emails: string[] }> {
    const unit = await f.newUnit({ parent: city, kind: 'county' });
    const rows: { email: string }[] = await ds.query(
      `INSERT INTO app_user (name, email, unit_id, roles)
       SELECT '办事员' || g, 'officer-' || $2 || '-' || g || '@test.rectify.cn', $1, ARRAY['unit_officer']
         FROM generate_series(1, $3::int) g
       RETURNING email`,
      [unit.id, Factory.tag(), n],
    );
    return { unit, emails: rows.map((r) => r.email) };
  }

  /** Assigns a new item to the unit: one event in the outbox, one e-mail per officer once relayed. */
  async function assignTo(unit: OrgUnitView, code: string): Promise<void> {
    const batch = await f.batches.get(dispatcher, batchId);
    const item = await f.newItem(dispatcher, batch, { code, leadUnitIds: [unit.id] });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
  }

  function emailRows(emails: string[]): Promise<EmailRow[]> {
    return ds.query(`SELECT id, payload->>'to' AS to, status FROM outbox WHERE kind = 'email' AND payload->>'to' = ANY($1::text[])`, [
      emails,
    ]);
  }

  async function statusCounts(emails: string[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const r of await emailRows(emails)) counts[r.status] = (counts[r.status] ?? 0) + 1;
    return counts;
  }

  /** Every recipient got one message per e-mail row, carrying that row's Message-ID, and no other. */
  async function expectEachSentOnce(emails: string[]): Promise<void> {
    const rows = await emailRows(emails);
    for (const email of emails) {
      const ids = rows.filter((r) => r.to === email).map((r) => `<outbox-${r.id}@rectify>`);
      expect({ email, messageIds: sink.to(email).map(messageIdOf).sort() }).toEqual({ email, messageIds: ids.sort() });
    }
  }

  it('a worker stopped (SIGTERM) mid-batch finishes what it started; one killed (SIGKILL) mid-batch repeats at most its messages in flight; the next sends the rest once', async () => {
    const N = 200;
    const STOP_AT = 40;
    const KILL_AT = 100;
    const { unit, emails } = await unitWithOfficers(N);
    const mine = new Set(emails);
    let received = 0;
    const emailQueue = sharedQueues.find((q) => q.name === QUEUES.email)!;
    await assignTo(unit, 'RES-BATCH');

    // 1. A planned stop (deploy, scale-in): the worker drains the jobs it had started and marks them.
    const stopped = await startWorker(TEST_REDIS_URL);
    onMail = (mail) => {
      if (mine.has(mail.to[0]) && ++received === STOP_AT) stopped.kill('SIGTERM');
    };
    await waitFor(() => !stopped.running, 30000, 'the first worker to stop mid-batch');
    const afterStop = await emailRows(emails);
    expect(afterStop).toHaveLength(N);
    expect(received).toBeLessThan(N);
    expect(await emailQueue.getActiveCount()).toBe(0);
    expect(afterStop.filter((r) => r.status === 'sent')).toHaveLength(received);

    // 2. A crash: killed the instant the sink takes its KILL_AT-th message, with jobs in flight:
    // no shutdown hook runs, no job finishes, no row is marked.
    const killed = await startWorker(TEST_REDIS_URL);
    onMail = (mail) => {
      if (mine.has(mail.to[0]) && ++received >= KILL_AT) killed.kill('SIGKILL');
    };
    await waitFor(() => !killed.running, 30000, 'the second worker to be killed mid-batch');
    expect((await killed.exited).signal).toBe('SIGKILL');
    onMail = () => {};
    const atKill = await emailRows(emails);
    expect(received).toBeGreaterThanOrEqual(KILL_AT);
    expect(atKill.filter((r) => r.status === 'sent').length).toBeLessThan(N);

    // The jobs the dead worker held: at most its concurrency. In production their locks expire
    // (lockDuration, 30 s) and a live worker's stalled-job check (every 30 s) puts them back in
    // line; here they are put back at once with the public Job.moveToWait (token "0": without the
    // lock), which is what that check does, so the test need not wait a minute.
    const active = await emailQueue.getActive();
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBeLessThanOrEqual(EMAIL_CONCURRENCY);
    const inFlight = new Set(active.map((j) => (j.data as { outboxId: string }).outboxId));
    for (const job of active) await job.moveToWait('0');

    // 3. A new worker sends the rest.
    const last = await startWorker(TEST_REDIS_URL);
    await waitFor(
      async () => {
        const counts = await emailQueue.getJobCounts('active', 'wait', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0) && (await statusCounts(emails)).sent === N;
      },
      40000,
      'every e-mail row sent and the queue idle',
    );
    await last.stop();

    const rows = await emailRows(emails);
    expect(await statusCounts(emails)).toEqual({ sent: N });
    const duplicated: string[] = [];
    for (const email of emails) {
      const { id } = rows.find((r) => r.to === email)!;
      const got = sink.to(email);
      // Every recipient got the message; a repeat carries the same Message-ID, its row's.
      expect({ email, messageIds: got.map(messageIdOf) }).toEqual({ email, messageIds: got.map(() => `<outbox-${id}@rectify>`) });
      expect(got.length).toBeGreaterThanOrEqual(1);
      if (got.length > 1) duplicated.push(id);
    }
    // What can repeat at the SMTP level (README, "What can still duplicate"): the processor sends,
    // then marks the row sent; a message the server had taken (here: received, its 250 not yet
    // answered, as RFC 1047 describes) or even acknowledged, whose row the killed worker had not
    // yet marked, is sent again by the next worker. Only jobs active at the kill are in that
    // window: at most the concurrency, each sent at most twice. The planned stop repeats nothing,
    // and whatever had not started when the worker died goes out exactly once.
    expect(duplicated.length).toBeLessThanOrEqual(EMAIL_CONCURRENCY);
    expect(duplicated.filter((id) => !inFlight.has(id))).toEqual([]);
    expect(sink.messages.filter((m) => mine.has(m.to[0]))).toHaveLength(N + duplicated.length);
  }, 90000);

  describe('Redis stopped and restarted empty (no persistence): PostgreSQL carries the work', () => {
    beforeAll(async () => {
      privateRedis = await PrivateRedis.start();
    });

    it('e-mails written while Redis is down stay pending, nothing is lost, and once it is back the running worker sends each once', async () => {
      const redis = privateRedis!;
      await redis.start(); // (running already, unless an earlier test failed half-way)
      const worker = await startWorker(redis.url);
      const before = await unitWithOfficers(5);
      await assignTo(before.unit, 'RES-BEFORE');
      await waitFor(() => before.emails.every((e) => sink.to(e).length === 1), 30000, 'the e-mails sent before the outage');

      await redis.stop();
      // Items are assigned while Redis is down: their events are in PostgreSQL.
      const during = await unitWithOfficers(30);
      await assignTo(during.unit, 'RES-DURING-1');
      await assignTo(during.unit, 'RES-DURING-2');
      // A relay now turns the events into e-mail rows (PostgreSQL only); putting them on the queue
      // fails (no retries, no offline queue: at once), and in the same transaction they stay pending.
      const noMailer: Mailer = { send: () => Promise.reject(new Error('not used')) };
      const relay = await buildTestModule({ ds, env, imports: [NotificationsModule], replace: [[MAILER, noMailer]] });
      const outbox = relay.get(OutboxService);
      expect(await outbox.expandEvents()).toBeGreaterThanOrEqual(2);
      const down = new Queue(QUEUES.email, {
        connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null },
        prefix: env.QUEUE_PREFIX,
      });
      down.on('error', () => {});
      await expect(outbox.enqueueEmails(down)).rejects.toThrow();
      await down.close().catch(() => {});
      await relay.close();
      expect(await statusCounts(during.emails)).toEqual({ pending: 60 });
      expect(worker.running).toBe(true); // the worker rides the outage out

      await redis.start();
      // The restarted Redis is empty: the worker's repeatable jobs (the relay every 5 s among them)
      // went with its data, and the running worker has to put them back for the rows to be relayed.
      // ioredis reconnects (BullMQ's worker may wait its runRetryDelay, 15 s, after an error);
      // the relay runs every 5 s: 30 s is plenty.
      await waitFor(async () => (await statusCounts(during.emails)).sent === 60, 30000, 'the e-mails of the outage').catch(() => {});
      expect(await statusCounts(during.emails)).toEqual({ sent: 60 });
      await expectEachSentOnce([...before.emails, ...during.emails]);
      await worker.stop(5000);
    }, 60000);

    it('e-mails already queued when Redis went down are not lost with its data: each goes out once after it is back (and a worker restart)', async () => {
      const redis = privateRedis!;
      await redis.start();
      const worker = await startWorker(redis.url);
      const { unit, emails } = await unitWithOfficers(100);
      const mine = new Set(emails);
      let received = 0;
      let outage: Promise<void> | undefined;
      // Redis dies as the first of these messages reaches the server: the relay has put the 100
      // rows on the queue (status "enqueued"), and the worker is sending the first ones.
      onMail = (mail) => {
        if (!mine.has(mail.to[0])) return;
        received += 1;
        outage ??= redis.stop();
      };
      await assignTo(unit, 'RES-QUEUED');
      await waitFor(() => outage !== undefined, 30000, 'the first message of the batch');
      await outage;
      // The jobs the worker had started still send and mark their rows (PostgreSQL and SMTP are
      // up); it cannot take new ones. Wait until that settles, so that no send is in flight.
      let last = '';
      let since = Date.now();
      await waitFor(
        async () => {
          const counts = await statusCounts(emails);
          const now = JSON.stringify([received, counts]);
          if (now !== last) [last, since] = [now, Date.now()];
          return counts.sent === received && Date.now() - since >= 1000;
        },
        15000,
        'the sends in flight at the outage to finish',
      );
      const atOutage = await statusCounts(emails);
      expect(atOutage.enqueued).toBeGreaterThan(0); // queued in Redis, not sent: what the outage may lose
      onMail = () => {};

      await redis.start();
      // The jobs went with Redis's data; their rows say "enqueued" in PostgreSQL, and must be put
      // on the queue again (same job id) for the e-mails to go out.
      // The worker is restarted too (nothing is in flight), so its repeatable relay is registered
      // again whatever became of the old one: only the queued rows are in question here.
      worker.kill('SIGKILL');
      await worker.exited;
      const restarted = await startWorker(redis.url);
      await waitFor(async () => (await statusCounts(emails)).sent === 100, 20000, 'the queued e-mails').catch(() => {});
      expect(await statusCounts(emails)).toEqual({ sent: 100 });
      await expectEachSentOnce(emails);
      await restarted.stop(5000);
    }, 60000);
  });
});
