import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Controller, Get, Inject, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '#redis';
import { Public } from '../auth/access.decorators.js';

interface Check {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

async function timed(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Event-loop delay since the previous check (ms): a blocked loop shows here, and in the check's own latency. */
interface EventLoopDelay {
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}

const ms = (ns: number) => Math.round(ns / 10_000) / 100;

@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.loopDelay.enable();
  }

  onModuleDestroy(): void {
    this.loopDelay.disable();
  }

  private eventLoopDelay(): EventLoopDelay {
    const h = this.loopDelay;
    const delay = h.count > 0 ? { meanMs: ms(h.mean), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) } : { meanMs: 0, p99Ms: 0, maxMs: 0 };
    h.reset();
    return delay;
  }

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness of the api, its database and Redis' })
  @Public()
  @ApiOkResponse({
    description: 'Database and Redis answer; eventLoop: delay of this process since the previous check',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the body says which' })
  async check(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'ok' | 'degraded'; checks: Record<string, Check>; eventLoop: EventLoopDelay }> {
    const eventLoop = this.eventLoopDelay();
    const [database, redis] = await Promise.all([timed(() => this.dataSource.query('SELECT 1')), timed(() => this.redis.ping())]);
    const ok = database.status === 'up' && redis.status === 'up';
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', checks: { database, redis }, eventLoop };
  }
}
