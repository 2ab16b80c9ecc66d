import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUES } from '#queue';

/** The job states a queue's depth is reported in. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/** Seconds: from a fast read (1 ms) to the 10 s pool wait and beyond. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * This api process's metrics in Prometheus form, in a registry of its own: request durations by
 * route pattern, the process's own figures (event-loop delay, memory, CPU: prom-client's defaults),
 * waits for a database connection, and, read at each scrape, the queues' depths and the outbox
 * (shared by every process, so any replica reports the same values).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly poolWait: Histogram;
  private readonly poolFailures: Counter;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.email) email: Queue,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    this.requests = new Histogram({
      name: 'rectify_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, from arrival to the last byte sent',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.poolWait = new Histogram({
      name: 'rectify_db_pool_wait_seconds',
      help: 'Time a statement waited for a database connection from the pool (free, or newly opened)',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.poolFailures = new Counter({
      name: 'rectify_db_pool_wait_failures_total',
      help: 'Statements that got no database connection (none free within DATABASE_POOL_WAIT_MS, or the database unreachable)',
      registers,
    });
    const pool = (): Pool | undefined => (this.dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'rectify_db_pool_connections',
      help: 'Database connections of this process, by state (waiting: statements queued for one)',
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p?.totalCount ?? 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });
    const queues = [maintenance, notifications, email];
    new Gauge({
      name: 'rectify_queue_jobs',
      help: 'Jobs in each BullMQ queue by state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    const ds = this.dataSource;
    new Gauge({
      name: 'rectify_outbox_lag_seconds',
      help: 'Age of the oldest outbox row that is due and not yet sent (pending, or queued and unsent); 0 when none',
      registers,
      async collect() {
        const [row] = await ds.query<{ lag: string | null }[]>(
          `SELECT extract(epoch FROM now() - least(
             (SELECT min(available_at) FROM outbox WHERE status = 'pending' AND available_at <= now()),
             (SELECT min(available_at) FROM outbox WHERE status = 'enqueued'))) AS lag`,
        );
        this.set(Math.max(0, Number(row?.lag ?? 0)));
      },
    });
    new Gauge({
      name: 'rectify_outbox_failed_emails',
      help: 'E-mails that could not be delivered and wait for an administrator (GET /api/admin/outbox/failed)',
      registers,
      async collect() {
        const [row] = await ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM outbox WHERE status = 'failed' AND kind = 'email'`);
        this.set(Number(row.n));
      },
    });
    this.instrumentPool();
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  /** Times every connection the DataSource's pool hands out (TypeORM asks with a callback). */
  private instrumentPool(): void {
    const pool = (this.dataSource.driver as unknown as { master?: Pool & { rectifyTimed?: boolean } }).master;
    if (!pool || pool.rectifyTimed) return;
    pool.rectifyTimed = true;
    const connect = pool.connect.bind(pool) as (cb?: (...args: unknown[]) => void) => unknown;
    const record = (started: number, failed: boolean): void => {
      this.poolWait.observe((performance.now() - started) / 1000);
      if (failed) this.poolFailures.inc();
    };
    (pool as unknown as { connect: typeof connect }).connect = (cb) => {
      const started = performance.now();
      if (cb) {
        return connect((err: unknown, ...rest: unknown[]) => {
          record(started, Boolean(err));
          cb(err, ...rest);
        });
      }
      return (connect() as Promise<unknown>).then(
        (client) => {
          record(started, false);
          return client;
        },
        (e: unknown) => {
          record(started, true);
          throw e;
        },
      );
    };
  }
}
