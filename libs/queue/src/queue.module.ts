import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { DEFAULT_JOB_OPTIONS, EMAIL_JOB_OPTIONS, QUEUES } from './queues.js';

function connectionFrom(url: string): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must retry forever rather than fail requests.
    maxRetriesPerRequest: null,
  };
}

@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: connectionFrom(config.redis.url),
        prefix: config.redis.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    ...Object.values(QUEUES).map((name) =>
      BullModule.registerQueue({ name, defaultJobOptions: name === QUEUES.email ? EMAIL_JOB_OPTIONS : DEFAULT_JOB_OPTIONS }),
    ),
  ],
  exports: [BullModule],
})
export class QueueModule {}
