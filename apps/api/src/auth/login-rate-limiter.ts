import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError } from '#domain';
import { REDIS } from '#redis';

/**
 * Limits sign-in attempts in fixed windows kept in Redis (shared by every api instance):
 * failed attempts per (address, account) and all attempts per address.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private keys(ip: string, email: string): { failures: string; attempts: string } {
    const account = email.trim().toLowerCase();
    return { failures: `rectify:login:fail:${ip}:${account}`, attempts: `rectify:login:ip:${ip}` };
  }

  /** Counts this attempt and refuses it if either limit is already reached. */
  async admit(ip: string, email: string): Promise<void> {
    const { failures, attempts } = this.keys(ip, email);
    const window = this.config.auth.loginWindowSeconds;
    const result = await this.redis.multi().incr(attempts).expire(attempts, window, 'NX').get(failures).ttl(failures).ttl(attempts).exec();
    if (!result) throw new DomainError('unavailable', 'RATE_LIMIT_UNAVAILABLE', 'Sign-in is unavailable right now');
    const attemptCount = Number(result[0][1]);
    const failureCount = Number(result[2][1] ?? 0);
    const failureTtl = Number(result[3][1]);
    const attemptTtl = Number(result[4][1]);
    if (failureCount >= this.config.auth.loginMaxFailures) this.refuse(failureTtl);
    if (attemptCount > this.config.auth.loginMaxAttemptsPerIp) this.refuse(attemptTtl);
  }

  async recordFailure(ip: string, email: string): Promise<void> {
    const { failures } = this.keys(ip, email);
    await this.redis.multi().incr(failures).expire(failures, this.config.auth.loginWindowSeconds, 'NX').exec();
  }

  async reset(ip: string, email: string): Promise<void> {
    await this.redis.del(this.keys(ip, email).failures);
  }

  private refuse(ttl: number): never {
    const retryAfterSeconds = ttl > 0 ? ttl : this.config.auth.loginWindowSeconds;
    throw new DomainError('rate_limited', 'LOGIN_RATE_LIMITED', `Too many sign-in attempts; try again in ${retryAfterSeconds} seconds`, {
      retryAfterSeconds,
    });
  }
}
