import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { loadConfig } from '#config';
import type { Clock } from '#domain';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { openTestDataSource } from './database.js';
import { Factory, TEST_PASSWORD } from './factories.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are inspected field by field
  raw: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  ip?: string;
}

/** The real HTTP application on the real test database and Redis, listening on a loopback port. */
export class TestApi {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
    readonly ds: DataSource,
    readonly factory: Factory,
  ) {}

  static async start(opts: { env?: Record<string, string>; extraControllers?: Type[]; clock?: Clock } = {}): Promise<TestApi> {
    const ds = await openTestDataSource(opts.env?.DATABASE_URL);
    // Behind a trusted proxy, so tests can speak from different client addresses (X-Forwarded-For).
    const config = loadConfig({ ...process.env, TRUST_PROXY: 'true', ...opts.env });
    const app = await createApiApp(config, { extraControllers: opts.extraControllers, clock: opts.clock });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    return new TestApi(app, `http://127.0.0.1:${address.port}`, ds, await Factory.create(ds, undefined, { env: opts.env }));
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.factory.close();
    await this.ds.destroy();
  }

  async request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, opts: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | Buffer | undefined;
    if (opts.rawBody !== undefined) payload = opts.rawBody;
    else if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    if (opts.ip) headers['x-forwarded-for'] = opts.ip;
    const res = await fetch(`${this.baseUrl}${url}`, { method, headers, body: payload });
    const raw = await res.text();
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // not JSON: tests read `raw`
    }
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body, raw };
  }

  /** Every statement the application sent through its DataSource while `fn` ran, in order. */
  async statementsSent<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const appDs = this.app.get(DataSource);
    const send = appDs.query.bind(appDs);
    const statements: string[] = [];
    appDs.query = ((sql: string, params?: unknown[]) => {
      statements.push(sql);
      return send(sql, params);
    }) as typeof appDs.query;
    try {
      return { result: await fn(), statements };
    } finally {
      appDs.query = send;
    }
  }

  async login(email: string, password = TEST_PASSWORD, ip?: string): Promise<{ accessToken: string; refreshToken: string }> {
    const res = await this.request('POST', '/api/auth/login', { body: { email, password }, ip });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${res.raw}`);
    return res.body;
  }
}
