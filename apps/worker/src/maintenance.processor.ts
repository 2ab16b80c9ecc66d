import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOBS, QUEUES } from '#queue';
import { StatisticsSnapshots } from '#statistics';

type MaintenanceJob = (typeof JOBS)['maintenance'][keyof (typeof JOBS)['maintenance']];

/**
 * Housekeeping: removes sign-in tokens that expired more than a day ago; folds statistics deltas into
 * roll-ups; takes the month-end statistics snapshots (after a month ends, and again for any that a
 * backdated change invalidated).
 */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  /** Job names this processor handles; the worker checks the registry against it at boot. */
  static readonly handles: readonly MaintenanceJob[] = [
    JOBS.maintenance.purgeExpiredSessions,
    JOBS.maintenance.compactStatistics,
    JOBS.maintenance.snapshotStatistics,
  ];

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly snapshots: StatisticsSnapshots,
  ) {
    super();
  }

  async process(job: Job): Promise<{ removed: number } | { folded: number } | { built: number; deleted: number }> {
    switch (job.name as MaintenanceJob) {
      case JOBS.maintenance.purgeExpiredSessions: {
        const [, removed] = await this.dataSource.query<[unknown[], number]>(
          `DELETE FROM auth_refresh_token WHERE expires_at < now() - interval '1 day'`,
        );
        this.logger.log(`purged ${removed} expired refresh tokens`);
        return { removed };
      }
      case JOBS.maintenance.compactStatistics: {
        // Folds the statistics' pending deltas into the roll-up cells (readers add both, so this only keeps them few).
        const [{ folded }] = await this.dataSource.query<{ folded: string }[]>(`SELECT item_stat_compact() AS folded`);
        return { folded: Number(folded) };
      }
      case JOBS.maintenance.snapshotStatistics: {
        const done = await this.snapshots.catchUp();
        this.logger.log(`statistics snapshots: ${done.built} built, ${done.deleted} invalidated ones deleted`);
        return done;
      }
      default:
        throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.maintenance}`);
    }
  }
}
