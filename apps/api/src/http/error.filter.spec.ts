import type { ArgumentsHost } from '@nestjs/common';
import { ErrorFilter } from './error.filter.js';

/** A Fastify request and reply as the filter sees them, recording what it does with them. */
function exchange() {
  const logged: { bindings: Record<string, unknown>; message: string }[] = [];
  const sent: { status?: number; body?: unknown; headers?: Record<string, string> } = {};
  const request = {
    method: 'GET',
    url: '/api/things',
    log: { error: (bindings: Record<string, unknown>, message: string) => logged.push({ bindings, message }) },
  };
  const reply = {
    headers: (h: Record<string, string>) => ((sent.headers = h), reply),
    status: (s: number) => ((sent.status = s), reply),
    send: (b: unknown) => ((sent.body = b), reply),
  };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { host, logged, sent };
}

describe('ErrorFilter', () => {
  it("logs a 5xx with its stack on the request's own logger (which carries the request id), and sends no internals", () => {
    const { host, logged, sent } = exchange();
    new ErrorFilter().catch(new Error('boom at line 7'), host);
    expect(sent).toEqual({ status: 500, body: { code: 'INTERNAL_ERROR', message: 'Internal server error', details: null } });
    expect(logged).toHaveLength(1);
    expect(logged[0].message).toBe('GET /api/things failed: boom at line 7');
    expect(logged[0].bindings.trace).toEqual(expect.stringContaining('error.filter.spec'));
  });

  it('logs nothing for a 4xx', () => {
    const { host, logged, sent } = exchange();
    new ErrorFilter().catch(Object.assign(new Error('bad'), { statusCode: 400 }), host);
    expect(sent.status).toBe(400);
    expect(logged).toHaveLength(0);
  });
});
