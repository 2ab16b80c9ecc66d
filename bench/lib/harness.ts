import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { loadConfig, type AppConfig } from '#config';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { BENCH_PASSWORD } from './seed.js';

/** What every benchmark script shares: settings from the environment, output, the API under test. */

export function intEnv(name: string, fallback: number): number {
  const v = process.env[name] ? Number(process.env[name]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

export function numEnv(name: string, fallback: number): number {
  const v = process.env[name] ? Number(process.env[name]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
}

export function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** The server's version and the settings that matter most for the numbers, as one line. */
export async function postgresLine(db: pg.Pool): Promise<string> {
  const { rows } = await db.query<{ version: string; shared_buffers: string; work_mem: string; sync: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
            current_setting('work_mem') AS work_mem, current_setting('synchronous_commit') AS sync`,
  );
  const p = rows[0];
  return `PostgreSQL ${p.version}, shared_buffers ${p.shared_buffers}, work_mem ${p.work_mem}, synchronous_commit ${p.sync}`;
}

/** The real API on a free loopback port, configured for load (no docs, quiet, generous sign-in limits). */
export async function startBenchApi(
  databaseUrl: string,
  redisUrl: string,
): Promise<{ app: Awaited<ReturnType<typeof createApiApp>>; baseUrl: string; port: number; config: AppConfig }> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    API_DOCS: 'false',
    QUEUE_PREFIX: 'rectify-bench',
    LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
    LOGIN_MAX_FAILURES: '100',
    ACCESS_TOKEN_TTL_SECONDS: '7200',
    EVIDENCE_DIR: join(tmpdir(), 'rectify-bench-evidence'),
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
  });
  const app = await createApiApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.getHttpServer().address() as { port: number }).port;
  return { app, baseUrl: `http://127.0.0.1:${port}`, port, config };
}

/** An access token for a seeded user (every benchmark user has BENCH_PASSWORD). */
export async function login(baseUrl: string, email: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !body.accessToken) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}
