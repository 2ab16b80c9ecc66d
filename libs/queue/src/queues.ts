import type { DefaultJobOptions } from 'bullmq';

/** Every queue and job name, in one place. The worker refuses to start if a job has no handler. */
export const QUEUES = {
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  [QUEUES.maintenance]: {
    purgeExpiredSessions: 'purge-expired-sessions',
  },
} as const satisfies Record<QueueName, Record<string, string>>;

/** Transient failures retry with exponential backoff; failed jobs are kept for inspection. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: false,
};
