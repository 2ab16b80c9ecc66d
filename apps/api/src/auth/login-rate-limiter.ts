import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError } from '#domain';
import { REDIS } from '#redis';

type Limit = 'failures_per_address_and_account' | 'failures_per_account' | 'failures_per_address' | 'attempts_per_address';

/**
 * Limits sign-in in fixed windows kept in Redis (shared by every api instance). Failures are
 * limited per (address, account), per account (a guess spread over many addresses) and per
 * address (many accounts tried from one). Successes count only toward a cap on all attempts per
 * address, set far above what a bureau behind one NAT address needs (hundreds of sign-ins a
 * morning), so an office never locks itself out. Every refusal is logged.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly logger = new Logger('LoginRateLimiter');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private keys(ip: string, email: string) {
    const account = email.trim().toLowerCase();
    return {
      pair: `rectify:login:fail:${ip}:${account}`,
      account: `rectify:login:fail-account:${account}`,
      address: `rectify:login:fail-ip:${ip}`,
      attempts: `rectify:login:ip:${ip}`,
    };
  }

  /** Counts this attempt and refuses it if a limit is already reached. */
  async admit(ip: string, email: string): Promise<void> {
    const k = this.keys(ip, email);
    const window = this.config.auth.loginWindowSeconds;
    const result = await this.redis
      .multi()
      .incr(k.attempts)
      .expire(k.attempts, window, 'NX')
      .ttl(k.attempts)
      .get(k.pair)
      .ttl(k.pair)
      .get(k.account)
      .ttl(k.account)
      .get(k.address)
      .ttl(k.address)
      .exec();
    if (!result) throw new DomainError('unavailable', 'RATE_LIMIT_UNAVAILABLE', 'Sign-in is unavailable right now');
    const n = (i: number) => Number(result[i][1] ?? 0);
    const auth = this.config.auth;
    const checks: [Limit, number, number, number][] = [
      ['failures_per_address_and_account', n(3), auth.loginMaxFailures, n(4)],
      ['failures_per_account', n(5), auth.loginMaxAccountFailures, n(6)],
      ['failures_per_address', n(7), auth.loginMaxFailuresPerIp, n(8)],
    ];
    for (const [limit, count, max, ttl] of checks) if (count >= max) this.refuse(limit, ip, email, ttl);
    if (n(0) > auth.loginMaxAttemptsPerIp) this.refuse('attempts_per_address', ip, email, n(2));
  }

  async recordFailure(ip: string, email: string): Promise<void> {
    const k = this.keys(ip, email);
    const window = this.config.auth.loginWindowSeconds;
    const tx = this.redis.multi();
    for (const key of [k.pair, k.account, k.address]) tx.incr(key).expire(key, window, 'NX');
    await tx.exec();
  }

  /** After a success: the (address, account) failures are forgiven; the account's and address's totals stay. */
  async reset(ip: string, email: string): Promise<void> {
    await this.redis.del(this.keys(ip, email).pair);
  }

  private refuse(limit: Limit, ip: string, email: string, ttl: number): never {
    const retryAfterSeconds = ttl > 0 ? ttl : this.config.auth.loginWindowSeconds;
    this.logger.warn(
      `sign-in refused (429): ${limit} reached for address ${ip}, account ${email.trim().toLowerCase()}; retry after ${retryAfterSeconds} s`,
    );
    throw new DomainError('rate_limited', 'LOGIN_RATE_LIMITED', `Too many sign-in attempts; try again in ${retryAfterSeconds} seconds`, {
      retryAfterSeconds,
    });
  }
}
