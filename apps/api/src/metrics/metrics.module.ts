import { Module } from '@nestjs/common';
import { QueueModule } from '#queue';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus metrics of the api process (GET /metrics, METRICS_TOKEN). */
@Module({
  imports: [QueueModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
