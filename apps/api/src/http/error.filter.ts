import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response.js';

/**
 * The one place where thrown errors become HTTP responses, including Fastify's own errors
 * (malformed JSON, body too large), which Nest hands over wrapped in an HttpException.
 * Stack traces go to the log only (the request's logger: the line carries the request id).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body, headers } = toErrorResponse(exception);
    if (status >= 500) {
      const err = exception as Error;
      request.log.error(
        { context: 'HTTP', trace: err?.stack },
        `${request.method} ${request.url} failed: ${err?.message ?? String(exception)}`,
      );
    }
    if (headers) void reply.headers(headers);
    void reply.status(status).send(body);
  }
}
