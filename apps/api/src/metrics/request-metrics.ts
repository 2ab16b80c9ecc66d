import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsService } from './metrics.service.js';

/**
 * Times every request by its route pattern (`/api/items/:id`, never the raw URL, so ids do not
 * multiply the series); requests that match no route count as "unmatched". Installed before the
 * routes are registered, so it sees them all.
 */
export function installRequestMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (req, reply, done) => {
      metrics.observeRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
}
