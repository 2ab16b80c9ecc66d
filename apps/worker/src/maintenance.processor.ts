import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOBS, QUEUES } from '#queue';

type MaintenanceJob = (typeof JOBS)['maintenance'][keyof (typeof JOBS)['maintenance']];

/** Housekeeping: removes sign-in tokens that expired more than a day ago; folds statistics deltas into roll-ups. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  /** Job names this processor handles; the worker checks the registry against it at boot. */
  static readonly handles: readonly MaintenanceJob[] = [JOBS.maintenance.purgeExpiredSessions, JOBS.maintenance.compactStatistics];

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async process(job: Job): Promise<{ removed: number } | { folded: number }> {
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
      default:
        throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.maintenance}`);
    }
  }
}
