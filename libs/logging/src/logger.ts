import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** Request-scoped context (request id, user) carried through async calls for log lines. */
export const logContext = new AsyncLocalStorage<Record<string, unknown>>();

export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken'], remove: true },
  });
}

/**
 * Routes Nest's own logging into the structured JSON logger, adding the request id of the
 * request being served (Fastify's per-request loggers carry it already).
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  private get logger(): Logger {
    const context = logContext.getStore();
    return context ? this.root.child(context) : this.root;
  }

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, message instanceof Error ? message.message : String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
