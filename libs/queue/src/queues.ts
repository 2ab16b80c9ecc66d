import type { DefaultJobOptions } from 'bullmq';

/** Every queue and job name, in one place. The worker refuses to start if a job has no handler. */
export const QUEUES = {
  maintenance: 'maintenance',
  notifications: 'notifications',
  email: 'email',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  [QUEUES.maintenance]: {
    purgeExpiredSessions: 'purge-expired-sessions',
    compactStatistics: 'compact-statistics',
    snapshotStatistics: 'snapshot-statistics',
  },
  [QUEUES.notifications]: {
    relayOutbox: 'relay-outbox',
    sweepReminders: 'sweep-reminders',
    weeklyDigest: 'weekly-digest',
    monthlyBulletin: 'monthly-bulletin',
  },
  [QUEUES.email]: {
    sendEmail: 'send-email',
  },
} as const satisfies Record<QueueName, Record<string, string>>;

/** E-mail: transient SMTP failures retry with exponential backoff (1 s, 2 s, 4 s … ~17 min in all). */
export const EMAIL_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 11,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 5000 },
  removeOnFail: false,
};

/** Transient failures retry with exponential backoff; failed jobs are kept for inspection. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: false,
};
