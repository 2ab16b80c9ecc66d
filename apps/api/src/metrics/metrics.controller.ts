import { timingSafeEqual, createHash } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError } from '#domain';
import { Public } from '../auth/access.decorators.js';
import { MetricsService } from './metrics.service.js';

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * GET /metrics for Prometheus. Not a user's route: it takes the METRICS_TOKEN as a bearer token
 * (Prometheus' `authorization` setting) and is absent (404) while no token is configured.
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiBearerAuth()
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics of this api process (bearer METRICS_TOKEN)' })
  @ApiOkResponse({ description: 'Prometheus text format (version 0.0.4)', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'No bearer token, or not the METRICS_TOKEN' })
  @ApiNotFoundResponse({ description: 'Metrics are off: no METRICS_TOKEN is set' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = this.config.metrics.token;
    if (!token) throw new DomainError('not_found', 'NOT_FOUND', 'metrics are off (no METRICS_TOKEN is set)');
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!given || !sameSecret(given, token)) {
      throw new DomainError('unauthenticated', 'METRICS_TOKEN_INVALID', 'metrics need the METRICS_TOKEN as a bearer token');
    }
    void reply.header('content-type', this.metrics.registry.contentType).header('cache-control', 'no-store');
    return this.metrics.registry.metrics();
  }
}
