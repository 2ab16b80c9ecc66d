import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { TIME_ZONE } from '#domain';
import { JOBS, QUEUES } from '#queue';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { EmailProcessor, NotificationsProcessor } from './notifications.processor.js';

/** Every job name in the registry, with the processor that declares it handles it. */
const HANDLED: Record<string, readonly string[]> = {
  [QUEUES.maintenance]: MaintenanceProcessor.handles,
  [QUEUES.notifications]: NotificationsProcessor.handles,
  [QUEUES.email]: EmailProcessor.handles,
};

/** How often the outbox is relayed to the mail queue. */
export const OUTBOX_RELAY_EVERY_MS = 5000;

/** How often the schedules are registered again (they live in Redis, which may have restarted empty). */
export const RESCHEDULE_EVERY_MS = 10_000;

/**
 * Checks that every job has a handler, then registers the repeatable jobs (idempotent upserts).
 * The schedules live in Redis: if Redis restarts without its data they would be gone, and no relay,
 * sweep or digest would run again until the worker restarted. So they are registered again every
 * few seconds; an upsert of an existing schedule changes nothing.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Scheduler.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    assertEveryJobHandled();
    await this.register();
    // Reminders go out in the morning, China time; a sweep also runs at start, catching up a missed day.
    await this.notifications.add(JOBS.notifications.sweepReminders, {});
    this.logger.log('repeatable jobs registered');
    this.timer = setInterval(() => {
      this.register().catch((e: Error) => this.logger.warn(`could not register the schedules: ${e.message}`));
    }, RESCHEDULE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async register(): Promise<void> {
    await this.maintenance.upsertJobScheduler(
      JOBS.maintenance.purgeExpiredSessions,
      { pattern: '17 3 * * *', tz: TIME_ZONE },
      { name: JOBS.maintenance.purgeExpiredSessions, data: {} },
    );
    await this.maintenance.upsertJobScheduler(
      JOBS.maintenance.compactStatistics,
      { every: 30_000 },
      { name: JOBS.maintenance.compactStatistics, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } },
    );
    // Month-end statistics snapshots: daily, so a month's is taken just after it ends and an invalidated one is rebuilt.
    await this.maintenance.upsertJobScheduler(
      JOBS.maintenance.snapshotStatistics,
      { pattern: '20 0 * * *', tz: TIME_ZONE },
      { name: JOBS.maintenance.snapshotStatistics, data: {} },
    );
    await this.notifications.upsertJobScheduler(
      JOBS.notifications.relayOutbox,
      { every: OUTBOX_RELAY_EVERY_MS },
      { name: JOBS.notifications.relayOutbox, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } },
    );
    await this.notifications.upsertJobScheduler(
      JOBS.notifications.sweepReminders,
      { pattern: '30 8 * * *', tz: TIME_ZONE },
      { name: JOBS.notifications.sweepReminders, data: {} },
    );
    // 周调度 on Monday mornings, 月通报 on the first of the month.
    await this.notifications.upsertJobScheduler(
      JOBS.notifications.weeklyDigest,
      { pattern: '0 8 * * 1', tz: TIME_ZONE },
      { name: JOBS.notifications.weeklyDigest, data: {} },
    );
    await this.notifications.upsertJobScheduler(
      JOBS.notifications.monthlyBulletin,
      { pattern: '0 9 1 * *', tz: TIME_ZONE },
      { name: JOBS.notifications.monthlyBulletin, data: {} },
    );
  }
}

export function assertEveryJobHandled(): void {
  const missing = Object.entries(JOBS).flatMap(([queue, jobs]) =>
    Object.values(jobs)
      .filter((name) => !HANDLED[queue]?.includes(name))
      .map((name) => `${queue}/${name}`),
  );
  if (missing.length > 0) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
}
