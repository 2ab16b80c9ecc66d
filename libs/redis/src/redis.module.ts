import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';

export const REDIS = Symbol('REDIS');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

/** One shared Redis connection for request-path use (rate limits, health). BullMQ keeps its own. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, disconnectTimeout: 200 });
        // Connection errors are reported by /health and by the failing call; ioredis keeps reconnecting.
        const logger = new Logger('Redis');
        let lastError = '';
        redis.on('error', (e: Error) => {
          if (e.message !== lastError) logger.warn(`redis: ${e.message}`);
          lastError = e.message;
        });
        redis.on('ready', () => (lastError = ''));
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
