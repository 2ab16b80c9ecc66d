import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOBS, QUEUES } from '#queue';

type MaintenanceJob = (typeof JOBS)['maintenance'][keyof (typeof JOBS)['maintenance']];

/** Housekeeping: removes sign-in tokens that expired more than a day ago. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  /** Job names this processor handles; the worker checks the registry against it at boot. */
  static readonly handles: readonly MaintenanceJob[] = [JOBS.maintenance.purgeExpiredSessions];

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async process(job: Job): Promise<{ removed: number }> {
    switch (job.name as MaintenanceJob) {
      case JOBS.maintenance.purgeExpiredSessions: {
        const [, removed] = await this.dataSource.query<[unknown[], number]>(
          `DELETE FROM auth_refresh_token WHERE expires_at < now() - interval '1 day'`,
        );
        this.logger.log(`purged ${removed} expired refresh tokens`);
        return { removed };
      }
      default:
        throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.maintenance}`);
    }
  }
}
