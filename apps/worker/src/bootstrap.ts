import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '#config';
import type { Clock } from '#domain';
import { JsonLogger, createLogger } from '#logging';
import { WorkerModule } from './worker.module.js';

/** Starts the queue processors and the scheduler (no HTTP); used by main and by tests. */
export async function createWorker(config: AppConfig, clock?: Clock): Promise<INestApplicationContext> {
  const logger = createLogger(config.log.level, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, clock), {
    logger: new JsonLogger(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await app.init();
  logger.info('worker ready: processing queues');
  return app;
}
