import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response.js';

/**
 * The one place where thrown errors become HTTP responses, including Fastify's own errors
 * (malformed JSON, body too large), which Nest hands over wrapped in an HttpException.
 * Stack traces go to the log only.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body, headers } = toErrorResponse(exception);
    if (status >= 500) {
      const err = exception as Error;
      this.logger.error(`${request.method} ${request.url} failed: ${err?.message ?? String(exception)}`, err?.stack);
    }
    if (headers) void reply.headers(headers);
    void reply.status(status).send(body);
  }
}
