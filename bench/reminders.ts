/**
 * `npm run bench:reminders`: with N open items (BENCH_ITEMS, default 1,000,000), how long one
 * reminder sweep takes, and how many e-mails per second the worker delivers to a local SMTP sink.
 * Targets: the sweep under 10 s; at least 200 e-mails/s.
 *
 *  1. Seeds a database of its own, set-based (bench/lib/seed.ts): every item open (draft 2%,
 *     assigned 15%, in progress 70%, in acceptance 11%, public notice 2%), deadlines spread evenly
 *     from 60 days before to 300 days after the sweep day, a third of in-progress cooperating parts
 *     done, acceptances waiting 0–20 days; two officers in every lead-capable unit (one in ten
 *     digest-only), dispatchers and verifiers (`staff`).
 *  2. Runs the real ReminderSweepService (Nest DI: the worker's modules without the queues, so
 *     nothing relays meanwhile) for a fixed working day (BENCH_DAY, default 2026-11-17), timing each
 *     statement; again for the same day (it must write nothing); then for the next working day (a
 *     normal daily run). EXPLAIN ANALYZE of the first sweep's INSERT … SELECT statements follows, in
 *     a transaction that empties the outbox first and is rolled back.
 *  3. Keeps BENCH_EMAILS (default 5,000) of the rows written, a random sample, and parks the rest
 *     (available_at = infinity, so no relay takes them). Starts an SMTP sink in a child process and
 *     the real worker (createWorker) with SMTP_URL pointed at it; once the worker's start-up sweep is
 *     done, releases the sample and adds a relay-outbox job. Measures from the first e-mail job
 *     enqueued until the last row is marked sent: e-mails/s, enqueue→sent and per-job send times.
 *     Each variant of BENCH_SMTP (default all four) runs with a fresh worker and a fresh sample:
 *     "plain" is SMTP_URL as deployments set it (one connection per message), "pool" adds
 *     `?pool=true&maxConnections=8` to it (nodemailer's pooled transport: a configuration change);
 *     "-greet100" variants make the sink greet each connection after 100 ms, as smtp-server does
 *     by default (and the e2e tests' sink), standing for a slower or farther server.
 *
 * Settings: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rectify_bench_reminders;
 * dropped and re-created), REDIS_URL (default redis://127.0.0.1:6379/13; queues under a unique
 * prefix, removed at the end), BENCH_SMTP (variants, comma-separated, or "none"),
 * BENCH_MAIL_TIMEOUT_SECONDS (per variant, default 150), BENCH_EXPLAIN (default 1), BENCH_PROFILE
 * (a directory: CPU-profile the worker's main thread while it sends), BENCH_LOG_LEVEL (the
 * worker's, default warn), DATABASE_POOL_SIZE (the worker's pool), BENCH_REUSE_DB=1 (keep the
 * items of a previous run, empty the outbox only).
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { getQueueToken } from '@nestjs/bullmq';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AuditModule } from '#audit';
import { CalendarService } from '#calendar';
import { AppConfigModule, ClockModule, loadConfig, type AppConfig } from '#config';
import { DEFAULT_REMINDER_POLICY, deadlineWindows, overdueSteps, type Clock } from '#domain';
import { NotificationsModule, ReminderSweepService, type SweepResult } from '#notifications';
import { PersistenceModule } from '#persistence';
import { JOBS, QUEUES } from '#queue';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { cpuSample, cpuUse, type CpuUse } from './lib/cpu.js';
import { explain, type PlanSummary } from './lib/explain.js';
import { MainThreadProfiler, type ProfileSummary } from './lib/profile.js';
import { recreateDatabase, seed, type SeedReport } from './lib/seed.js';
import { SmtpSinkProcess, type SinkStats } from './lib/smtp-sink.js';
import { intEnv, log, postgresLine } from './lib/harness.js';
import { ms, percentile, table } from './lib/stats.js';

const env = process.env;
const N = intEnv('BENCH_ITEMS', 1_000_000);
const N_MAIL = intEnv('BENCH_EMAILS', 5_000);
const DAY = env.BENCH_DAY ?? '2026-11-17';
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rectify_bench_reminders';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const MAIL_TIMEOUT_S = intEnv('BENCH_MAIL_TIMEOUT_SECONDS', 150);
const EXPLAIN = (env.BENCH_EXPLAIN ?? '1') !== '0';
const REUSE = env.BENCH_REUSE_DB === '1';
/** How the worker reaches the sink: SMTP_URL query options, and how long the sink waits before greeting. */
const SMTP_VARIANTS: Record<string, { query: string; greetingMs: number; what: string }> = {
  plain: { query: '', greetingMs: 0, what: 'as deployed: a connection per e-mail, immediate greeting' },
  pool: { query: 'pool=true&maxConnections=8', greetingMs: 0, what: 'SMTP_URL ?pool=true&maxConnections=8, immediate greeting' },
  // smtp-server's own 100 ms pause before greeting (the e2e tests' sink), or a slower, farther server
  'plain-greet100': { query: '', greetingMs: 100, what: 'a connection per e-mail, greeting after 100 ms' },
  'pool-greet100': { query: 'pool=true&maxConnections=8', greetingMs: 100, what: 'pooled, greeting after 100 ms' },
};
const VARIANTS = (env.BENCH_SMTP ?? 'plain,pool,plain-greet100,pool-greet100')
  .split(',')
  .map((v) => v.trim())
  .filter((v) => v && v !== 'none');
const DATABASE_NAME = new URL(DATABASE_URL).pathname.slice(1);
const PROFILER = env.BENCH_PROFILE ? new MainThreadProfiler(env.BENCH_PROFILE) : null;

const SWEEP_TARGET_S = 10;
const EMAILS_TARGET_PER_S = 200;

const seconds = (msValue: number): string => (msValue / 1000).toFixed(2);
const cores = (n: number): string => n.toFixed(2);

/** The worker's modules that the sweep needs, without the queues (so nothing relays meanwhile). */
@Module({})
class SweepBenchModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: SweepBenchModule,
      imports: [AppConfigModule.forRoot(config), ClockModule.forRoot(clock), PersistenceModule, AuditModule, NotificationsModule],
    };
  }
}

/** 9:00 on the bench day, China time: the sweep's "today" (the worker's clock too). */
const clock: Clock = { now: () => new Date(`${DAY}T09:00:00+08:00`) };

function workerConfig(smtpUrl: string, prefix: string): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL,
    REDIS_URL,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'warn',
    QUEUE_PREFIX: prefix,
    SMTP_URL: smtpUrl,
    PUBLIC_URL: 'https://rectify.example.cn',
    DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE,
  });
}

interface Statement {
  kind: string;
  sql: string;
  params: unknown[];
  ms: number;
  rows: number;
}

/** Which reminder an INSERT … SELECT writes, from the dedupe key it builds. */
function kindOf(sql: string): string {
  const m = /':((?:part_)?before_\d+|overdue|escalation_\d+):'/.exec(sql) ?? /':(acceptance)_'/.exec(sql);
  return m ? (m[1] === 'acceptance' ? 'acceptance_pending' : m[1]) : 'other';
}

/** Times every statement the sweep sends through the DataSource (the service's own, patched in place). */
function instrument(ds: DataSource): { statements: Statement[]; other: { ms: number; count: number } } {
  const captured = { statements: [] as Statement[], other: { ms: 0, count: 0 } };
  const original = ds.query.bind(ds) as (sql: string, params?: unknown[]) => Promise<unknown>;
  const patched = async (sql: string, params: unknown[] = []): Promise<unknown> => {
    const started = performance.now();
    const result = await original(sql, params);
    const took = performance.now() - started;
    if (/^\s*WITH ins AS \(INSERT INTO outbox/.test(sql)) {
      const rows = (result as { n: number }[])[0]?.n ?? 0;
      captured.statements.push({ kind: kindOf(sql), sql, params: [...params], ms: took, rows });
    } else {
      captured.other.ms += took;
      captured.other.count += 1;
    }
    return result;
  };
  Object.assign(ds, { query: patched });
  return captured;
}

interface Sweeps {
  first: SweepRun;
  /** The same day again: must write nothing. */
  second: SweepRun;
  /** The next working day: a normal daily run. */
  next: SweepRun;
  nextDay: string;
}

interface SweepRun {
  result: SweepResult;
  wallMs: number;
  statements: Statement[];
  other: { ms: number; count: number };
  cpu: CpuUse | null;
}

async function timedSweep(service: ReminderSweepService, ds: DataSource, day?: string): Promise<SweepRun> {
  const captured = instrument(ds);
  const before = cpuSample(DATABASE_NAME);
  const started = performance.now();
  try {
    const result = await service.sweep(day);
    const wallMs = performance.now() - started;
    return { result, wallMs, ...captured, cpu: cpuUse(before, cpuSample(DATABASE_NAME)) };
  } finally {
    Reflect.deleteProperty(ds, 'query'); // the patched method was an own property over the prototype's
  }
}

async function explainFirstRun(statements: Statement[]): Promise<Map<Statement, PlanSummary>> {
  const client = new pg.Client({
    connectionString: DATABASE_URL,
    application_name: 'rectify-bench-explain',
    options: '-c max_parallel_workers_per_gather=0', // as the services' connections
  });
  await client.connect();
  const plans = new Map<Statement, PlanSummary>();
  try {
    await client.query('BEGIN');
    // The outbox as it was before the first sweep; everything is rolled back afterwards.
    await client.query('TRUNCATE outbox');
    for (const s of statements) plans.set(s, await explain(client, s.sql, s.params));
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
  return plans;
}

interface JobTimes {
  enqueuedAt: number;
  startedAt: number;
  finishedAt: number;
}

interface DeliveryRun {
  variant: string;
  smtpUrl: string;
  released: number;
  sent: number;
  failed: number;
  timedOut: boolean;
  startupSweep: SweepResult | null;
  startupSweepMs: number;
  relay: { ms: number; result: unknown };
  /** From the first e-mail job enqueued to the last row marked sent. */
  windowMs: number;
  perSecond: number;
  /** Sent rows per second in the steady middle of the run (10%–90% of the rows). */
  steadyPerSecond: number;
  enqueueToSent: number[];
  sendTimes: number[];
  jobsSampled: number;
  sink: SinkStats;
  sinkCpuCores: number;
  /** CPU time of this process (the worker) per e-mail sent, in ms. */
  workerCpuPerMail: number;
  cpu: CpuUse | null;
  profile: ProfileSummary | null;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function finished(queue: Queue, id: string): Promise<Job> {
  return waitFor(`job ${id}`, 120_000, async () => {
    const job = await queue.getJob(id);
    if (!job) throw new Error(`job ${id} is gone`);
    const state = await job.getState();
    if (state === 'failed') throw new Error(`job ${job.name} failed: ${job.failedReason}`);
    return state === 'completed' ? job : null;
  });
}

async function deliver(db: pg.Pool, variant: string): Promise<DeliveryRun> {
  const sink = await SmtpSinkProcess.start(SMTP_VARIANTS[variant].greetingMs);
  try {
    return await deliverTo(db, sink, variant);
  } finally {
    await sink.stop();
  }
}

async function deliverTo(db: pg.Pool, sink: SmtpSinkProcess, variant: string): Promise<DeliveryRun> {
  const smtpUrl = sink.url(SMTP_VARIANTS[variant].query);
  const prefix = `rectify-bench-rem-${randomUUID().slice(0, 8)}`;
  const { rows: sample } = await db.query<{ id: string }>(
    `SELECT id FROM outbox WHERE kind = 'email' AND status = 'pending' ORDER BY md5(id::text || $2::text) LIMIT $1`,
    [N_MAIL, variant],
  );
  const ids = sample.map((r) => r.id);

  const worker = await createWorker(workerConfig(smtpUrl, prefix), clock);
  const notifications = worker.get<Queue>(getQueueToken(QUEUES.notifications));
  const email = worker.get<Queue>(getQueueToken(QUEUES.email));
  try {
    // The worker sweeps at start (the same day: it must write nothing); wait for it to finish.
    const startupJob = await waitFor('the start-up sweep job', 30_000, async () => {
      const jobs = await notifications.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
      return jobs.find((j) => j.name === JOBS.notifications.sweepReminders && !j.repeatJobKey) ?? null;
    });
    const startup = await finished(notifications, startupJob.id!);
    const startupSweep = startup.returnvalue as SweepResult;

    const sinkBefore = await sink.stats();
    const cpuBefore = cpuSample(DATABASE_NAME);
    await PROFILER?.start();
    await db.query(`UPDATE outbox SET available_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
    const relayJob = await notifications.add(JOBS.notifications.relayOutbox, {});

    const until = Date.now() + MAIL_TIMEOUT_S * 1000;
    let sent = 0;
    let failed = 0;
    let timedOut = false;
    for (;;) {
      const { rows } = await db.query<{ sent: number; failed: number }>(
        `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed
           FROM outbox WHERE id = ANY($1::bigint[])`,
        [ids],
      );
      ({ sent, failed } = rows[0]);
      if (sent + failed >= ids.length) break;
      if (Date.now() > until) {
        timedOut = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const cpuAfter = cpuSample(DATABASE_NAME);
    const profile = (await PROFILER?.stop(`delivery-${variant}`)) ?? null;
    const sinkAfter = await sink.stats();
    const relay = await finished(notifications, relayJob.id!);

    // Times per e-mail: the job's enqueue (its timestamp), start and finish (after the row is marked sent).
    const jobs = (await email.getJobs(['completed'], 0, -1)).filter((j) => j.finishedOn && j.processedOn);
    const times: JobTimes[] = jobs.map((j) => ({ enqueuedAt: j.timestamp, startedAt: j.processedOn!, finishedAt: j.finishedOn! }));
    const { rows: sentAt } = await db.query<{ at: number }>(
      `SELECT (extract(epoch FROM sent_at) * 1000)::float8 AS at FROM outbox WHERE id = ANY($1::bigint[]) AND status = 'sent' ORDER BY sent_at`,
      [ids],
    );
    // The queue keeps the last 5,000 completed jobs: beyond that, the relay job's start stands for the first enqueue.
    const firstEnqueued = times.length >= ids.length ? Math.min(...times.map((t) => t.enqueuedAt)) : (relay.processedOn ?? NaN);
    const lastSent = sentAt.length ? sentAt[sentAt.length - 1].at : NaN;
    const windowMs = lastSent - firstEnqueued;
    const lo = sentAt[Math.floor(sentAt.length * 0.1)]?.at;
    const hi = sentAt[Math.floor(sentAt.length * 0.9)]?.at;
    const steadyPerSecond = hi > lo ? (Math.floor(sentAt.length * 0.9) - Math.floor(sentAt.length * 0.1)) / ((hi - lo) / 1000) : NaN;
    const cpu = cpuUse(cpuBefore, cpuAfter);
    const sinkCpuCores = cpuAfter && cpuBefore ? (sinkAfter.cpuMs - sinkBefore.cpuMs) / (cpuAfter.at - cpuBefore.at) : NaN;
    if (cpu) cpu.other = Math.max(0, cpu.other - sinkCpuCores);
    const workerCpuPerMail = cpu && cpuAfter && cpuBefore ? (cpu.node * (cpuAfter.at - cpuBefore.at)) / Math.max(1, sent) : NaN;
    return {
      variant,
      smtpUrl,
      released: ids.length,
      sent,
      failed,
      timedOut,
      startupSweep,
      startupSweepMs: (startup.finishedOn ?? 0) - (startup.processedOn ?? 0),
      relay: { ms: (relay.finishedOn ?? NaN) - (relay.processedOn ?? NaN), result: relay.returnvalue as unknown },
      windowMs,
      perSecond: sent / (windowMs / 1000),
      steadyPerSecond,
      enqueueToSent: times.map((t) => t.finishedAt - t.enqueuedAt).sort((a, b) => a - b),
      sendTimes: times.map((t) => t.finishedAt - t.startedAt).sort((a, b) => a - b),
      jobsSampled: times.length,
      sink: {
        ...sinkAfter,
        messages: sinkAfter.messages - sinkBefore.messages,
        connections: sinkAfter.connections - sinkBefore.connections,
      },
      sinkCpuCores,
      workerCpuPerMail,
      cpu,
      profile,
    };
  } finally {
    for (const q of [email, notifications, worker.get<Queue>(getQueueToken(QUEUES.maintenance))]) await q.obliterate({ force: true });
    await worker.close();
  }
}

async function seedOrReuse(): Promise<SeedReport | null> {
  if (REUSE) {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const [{ n }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM item`)).rows;
      await client.query(`TRUNCATE outbox`);
      await client.query(`VACUUM ANALYZE outbox`);
      log(`  reusing ${n} items of a previous run (outbox emptied)`);
    } finally {
      await client.end();
    }
    return null;
  }
  await recreateDatabase(DATABASE_URL);
  const { report } = await seed(DATABASE_URL, N, (l) => log(l), {
    today: DAY,
    states: [
      ['draft', 0.02],
      ['assigned', 0.17],
      ['in_progress', 0.87],
      ['in_acceptance', 0.98],
      ['public_notice', 1],
    ],
    deadlineDays: [-60, 300],
    partsDoneShare: 1 / 3,
    acceptanceWaitDays: 20,
    staff: true,
    history: false,
    bulkLoad: true,
  });
  log(`  ${report.items} items, ${report.itemUnits} item units, ${report.deadlines} deadline versions in ${report.seconds.toFixed(1)} s`);
  log(
    `  by state: ${Object.entries(report.byState)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; overdue ${report.overdue}`,
  );
  return report;
}

async function main(): Promise<void> {
  const began = Date.now();
  log(`rectify reminders benchmark: ${N} open items, sweep day ${DAY}, ${N_MAIL} e-mails per delivery run (${VARIANTS.join(', ')})`);
  log(`node ${process.version}, ${availableParallelism()} CPUs, database ${DATABASE_URL}, redis ${REDIS_URL}`);
  log();
  log('seeding');
  const seeded = await seedOrReuse();

  const db = new pg.Pool({ connectionString: DATABASE_URL, max: 2, application_name: 'rectify-bench-main' });
  log(`  ${await postgresLine(db)}`);
  const people = (
    await db.query<{ role: string; n: number; digest: number }>(
      `SELECT r AS role, count(*)::int AS n, count(*) FILTER (WHERE digest_only)::int AS digest FROM app_user, unnest(roles) r GROUP BY r ORDER BY r`,
    )
  ).rows;
  log(`  users: ${people.map((p) => `${p.n} ${p.role}${p.digest ? ` (${p.digest} digest-only)` : ''}`).join(', ')}`);

  // 1. The sweep, twice, on the bench day.
  const ctx: INestApplicationContext = await NestFactory.createApplicationContext(
    SweepBenchModule.forRoot(workerConfig('smtp://127.0.0.1:1', 'rectify-bench-unused'), clock),
    { logger: ['error', 'warn'], abortOnError: false },
  );
  let sweeps: Sweeps;
  let due: { kind: string; n: number; items: number }[];
  let itemsReminded: number;
  const windows: string[] = [];
  try {
    const ds = ctx.get(DataSource);
    const service = ctx.get(ReminderSweepService);
    const calendar = await ctx.get(CalendarService).calendar();
    if (!calendar.isWorkingDay(DAY)) throw new Error(`BENCH_DAY ${DAY} is not a working day: the sweep would skip it`);
    for (const w of deadlineWindows(calendar, DAY, DEFAULT_REMINDER_POLICY.beforeDays))
      windows.push(`${w.kind}: deadline in (${w.after}, ${w.through}]`);
    for (const s of overdueSteps(calendar, DAY, DEFAULT_REMINDER_POLICY))
      windows.push(`${s.kind}: deadline in [${s.onOrAfter}, ${s.before})`);
    windows.push(
      `acceptance_pending: waiting since after ${calendar.subtractWorkingDays(DAY, 2 * DEFAULT_REMINDER_POLICY.acceptancePendingDays)} ` +
        `up to ${calendar.subtractWorkingDays(DAY, DEFAULT_REMINDER_POLICY.acceptancePendingDays)}`,
    );
    log();
    log(`sweep of ${DAY} (default policy): ${windows.join('; ')}`);
    const first = await timedSweep(service, ds);
    log(`  first sweep: ${seconds(first.wallMs)} s, ${total(first)} rows: ${JSON.stringify(first.result.written)}`);
    const second = await timedSweep(service, ds);
    log(`  second sweep: ${seconds(second.wallMs)} s, ${total(second)} rows`);
    due = (
      await db.query<{ kind: string; n: number; items: number }>(
        `SELECT CASE WHEN split_part(dedupe_key, ':', 4) LIKE 'acceptance%' THEN 'acceptance_pending' ELSE split_part(dedupe_key, ':', 4) END AS kind,
                count(*)::int AS n, count(DISTINCT split_part(dedupe_key, ':', 2))::int AS items
           FROM outbox WHERE dedupe_key LIKE 'reminder:%' GROUP BY 1`,
      )
    ).rows;
    itemsReminded = (
      await db.query<{ n: number }>(
        `SELECT count(DISTINCT split_part(dedupe_key, ':', 2))::int AS n FROM outbox WHERE dedupe_key LIKE 'reminder:%'`,
      )
    ).rows[0].n;
    // A normal day: the next working day, after today's sweep, writes only what newly became due.
    const nextDay = calendar.addWorkingDays(DAY, 1);
    const next = await timedSweep(service, ds, nextDay);
    log(`  next working day (${nextDay}): ${seconds(next.wallMs)} s, ${total(next)} rows`);
    sweeps = { first, second, next, nextDay };
  } finally {
    await ctx.close();
  }
  const open = (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM item WHERE state IN ('assigned', 'in_progress', 'in_acceptance')`)
  ).rows[0].n;

  let plans = new Map<Statement, PlanSummary>();
  if (EXPLAIN) {
    log('  EXPLAIN ANALYZE of the first sweep’s statements (outbox emptied in a transaction, rolled back)');
    plans = await explainFirstRun(sweeps.first.statements);
  }

  // 2. Delivery. Everything the sweep wrote stays in the outbox (so the worker's start-up sweep
  // writes nothing new) but is parked; each run releases a sample of its own.
  const runs: DeliveryRun[] = [];
  try {
    if (VARIANTS.length) {
      const parked = await db.query(`UPDATE outbox SET available_at = 'infinity' WHERE status = 'pending'`);
      await db.query(`VACUUM ANALYZE outbox`);
      log();
      log(`delivery: ${parked.rowCount} e-mail rows parked; each run releases ${N_MAIL} of them`);
    }
    for (const variant of VARIANTS) {
      if (!(variant in SMTP_VARIANTS)) throw new Error(`unknown BENCH_SMTP variant ${variant}: ${Object.keys(SMTP_VARIANTS).join(', ')}`);
      const run = await deliver(db, variant);
      runs.push(run);
      log(
        `  ${variant}: ${run.sent} sent, ${run.failed} failed${run.timedOut ? ` (TIMED OUT after ${MAIL_TIMEOUT_S} s)` : ''} in ` +
          `${seconds(run.windowMs)} s = ${run.perSecond.toFixed(0)} e-mails/s; sink got ${run.sink.messages} messages on ${run.sink.connections} connections`,
      );
    }
  } finally {
    await db.end();
  }

  printReport(seeded, open, itemsReminded, due, windows, sweeps, plans, runs);
  log();
  log(`done in ${((Date.now() - began) / 1000).toFixed(0)} s`);
}

const total = (run: SweepRun): number => Object.values(run.result.written).reduce((a, b) => a + b, 0);

function cpuText(cpu: CpuUse | null): string {
  return cpu ? `node ${cores(cpu.node)}, pg ${cores(cpu.postgres)}, other ${cores(cpu.other)}` : '-';
}

function printReport(
  seeded: SeedReport | null,
  open: number,
  itemsReminded: number,
  due: { kind: string; n: number; items: number }[],
  windows: string[],
  sweeps: Sweeps,
  plans: Map<Statement, PlanSummary>,
  runs: DeliveryRun[],
): void {
  const { first, second, next, nextDay } = sweeps;
  log();
  log(`RESULTS (${seeded ? seeded.items : 'reused'} items, ${open} of them assigned, in progress or in acceptance; sweep day ${DAY})`);
  log();
  log(`SWEEP (ReminderSweepService.sweep(), per statement, in seconds; "items": items reminded)`);
  const lines = first.statements.map((s, i) => {
    const plan = plans.get(s);
    const items = due.find((d) => d.kind === s.kind);
    return [
      s.kind,
      String(s.rows),
      items ? String(items.items) : '-',
      seconds(s.ms),
      plan ? seconds(plan.executionMs) : '-',
      second.statements[i] ? seconds(second.statements[i].ms) : '-',
      second.statements[i] ? String(second.statements[i].rows) : '-',
      next.statements[i] ? seconds(next.statements[i].ms) : '-',
      next.statements[i] ? String(next.statements[i].rows) : '-',
    ];
  });
  lines.push(['(calendar, policies)', '', '', seconds(first.other.ms), '', seconds(second.other.ms), '', seconds(next.other.ms), '']);
  lines.push([
    'sweep total',
    String(total(first)),
    String(itemsReminded),
    seconds(first.wallMs),
    '',
    seconds(second.wallMs),
    String(total(second)),
    seconds(next.wallMs),
    String(total(next)),
  ]);
  log(
    table(
      ['statement (reminder kind)', `${DAY} rows`, 'items', 'time', 'EXPLAIN', 'again: time', 'rows', `${nextDay}: time`, 'rows'],
      lines,
      new Set([1, 2, 3, 4, 5, 6, 7, 8]),
    ),
  );
  log(`  first: the sweep of ${DAY} on an empty outbox; EXPLAIN: EXPLAIN ANALYZE of the same statement in the same state;`);
  log(`  again: ${DAY} a second time (must write nothing); ${nextDay}: the next working day, a normal daily run.`);
  log(`  the service's own timing: ${seconds(first.result.ms)} s, ${seconds(second.result.ms)} s, ${seconds(next.result.ms)} s`);
  log(`  cpu in cores (this process, PostgreSQL, everything else): ${[first, second, next].map((r) => cpuText(r.cpu)).join('; ')}`);
  log(`  windows on ${DAY}: ${windows.join('; ')}`);

  if (plans.size) {
    log();
    log('EXPLAIN ANALYZE of the first sweep’s INSERT … SELECT statements: costliest nodes (exclusive time)');
    for (const [s, p] of plans) log(`  ${s.kind.padEnd(20)} ${seconds(p.executionMs)} s: ${p.hotSpots.join('; ') || '-'}`);
    const slowest = [...plans.entries()].sort((a, b) => b[1].executionMs - a[1].executionMs).slice(0, 3);
    for (const [s, p] of slowest) {
      log();
      log(`  plan of ${s.kind} (${seconds(p.executionMs)} s, planning ${p.planningMs.toFixed(1)} ms, ${s.rows} rows)`);
      for (const l of p.lines) log(`    ${l}`);
    }
  }

  if (runs.length === 0) return printTargets(open, sweeps, runs);
  log();
  log('DELIVERY (relay → BullMQ email queue → EmailProcessor (concurrency 8) → nodemailer → SMTP sink in a child process)');
  log(
    table(
      [
        'variant',
        'e-mails',
        'failed',
        'seconds',
        'e-mails/s',
        'steady/s',
        'enq→sent p50',
        'p99',
        'send p50',
        'p99',
        'connections',
        'cpu node/pg/sink/other',
        'worker cpu/e-mail',
      ],
      runs.map((r) => [
        r.variant + (r.timedOut ? ' (timed out)' : ''),
        String(r.sent),
        String(r.failed),
        seconds(r.windowMs),
        r.perSecond.toFixed(0),
        r.steadyPerSecond.toFixed(0),
        ms(percentile(r.enqueueToSent, 50)),
        ms(percentile(r.enqueueToSent, 99)),
        ms(percentile(r.sendTimes, 50)),
        ms(percentile(r.sendTimes, 99)),
        String(r.sink.connections),
        r.cpu ? `${cores(r.cpu.node)}/${cores(r.cpu.postgres)}/${cores(r.sinkCpuCores)}/${cores(r.cpu.other)}` : '-',
        `${ms(r.workerCpuPerMail)} ms`,
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]),
    ),
  );
  log('  seconds: from the first e-mail job enqueued to the last row marked sent; steady/s: between 10% and 90% of the rows sent;');
  log('  enq→sent: job enqueued → job finished (the row is marked sent before), in ms, includes waiting in the queue;');
  log('  send: job start → finish (read row, render, SMTP, mark sent), in ms; cpu: cores in use on average (node = the worker,');
  log('  which runs in this process; pg = PostgreSQL for this database; sink = the SMTP sink process; other = the rest, Redis included).');
  for (const r of runs) {
    log(
      `  ${r.variant}: ${SMTP_VARIANTS[r.variant].what}; SMTP_URL ${r.smtpUrl}; worker start-up sweep wrote ${JSON.stringify(r.startupSweep?.written ?? null)} ` +
        `in ${seconds(r.startupSweepMs)} s; relay job ${seconds(r.relay.ms)} s ${JSON.stringify(r.relay.result)}; ` +
        `${r.jobsSampled} jobs timed; sink ${r.sink.messages} messages, ${(r.sink.bytes / Math.max(1, r.sink.messages) / 1024).toFixed(1)} KiB each`,
    );
    if (r.sink.messages !== r.sent)
      log(`  WARNING: ${r.variant}: the sink received ${r.sink.messages} messages for ${r.sent} rows marked sent`);
  }
  for (const r of runs.filter((x) => x.profile)) {
    const p = r.profile!;
    const share = (v: number): string => `${((100 * v) / p.busyMs).toFixed(1)}%`;
    log();
    log(`  worker main-thread profile, ${r.variant}: busy ${seconds(p.busyMs)} s, idle ${seconds(p.idleMs)} s; ${p.file}`);
    log(`    by calling package: ${p.byCaller.map(([k, v]) => `${k} ${share(v)}`).join(', ')}`);
    log(`    by function:        ${p.byFunction.map(([k, v]) => `${k} ${share(v)}`).join(', ')}`);
  }

  printTargets(open, sweeps, runs);
}

function printTargets(open: number, { first, second, next }: Sweeps, runs: DeliveryRun[]): void {
  log();
  log('TARGETS');
  const verdict = (ok: boolean): string => (ok ? 'MET   ' : 'MISSED');
  log(
    `  ${verdict(first.wallMs < SWEEP_TARGET_S * 1000)}  one sweep over ${open} open items < ${SWEEP_TARGET_S} s: ${seconds(first.wallMs)} s`,
  );
  log(
    `  ${verdict(total(second) === 0)}  a second sweep of the same day writes nothing: ${total(second)} rows (${seconds(second.wallMs)} s)`,
  );
  log(
    `  ${verdict(next.wallMs < SWEEP_TARGET_S * 1000)}  the next working day's sweep < ${SWEEP_TARGET_S} s: ${seconds(next.wallMs)} s (${total(next)} rows)`,
  );
  for (const r of runs) {
    log(
      `  ${verdict(r.perSecond >= EMAILS_TARGET_PER_S && !r.timedOut && r.failed === 0)}  ≥ ${EMAILS_TARGET_PER_S} e-mails/s delivered, ` +
        `${r.variant} (${SMTP_VARIANTS[r.variant].what}): ${r.perSecond.toFixed(0)}/s (${r.sent} of ${r.released})`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
