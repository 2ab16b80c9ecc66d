import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Every setting the processes read, validated once at boot into one typed object.
 * A missing or malformed variable stops the process with a message naming it.
 */
const duration = z.coerce.number().int().positive();

/**
 * Connections per process: twice the cores plus one. More statements at once than the cores can
 * run only queue inside PostgreSQL, switched in and out; with fewer connections the queue waits in
 * the process, first come first served. Measured on two cores (100k items, lists at c=10, three
 * alternating rounds): p99 38-41 ms with 5 or 3 connections against 49-53 ms with 10, and as many
 * transitions per second.
 */
const DEFAULT_DATABASE_POOL_SIZE = 2 * availableParallelism() + 1;
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(DEFAULT_DATABASE_POOL_SIZE),
  DATABASE_POOL_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  QUEUE_PREFIX: z.string().min(1).default('rectify'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: duration.default(900),
  REFRESH_TOKEN_TTL_SECONDS: duration.default(30 * 24 * 3600),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_USER_FAILURES: z.coerce.number().int().min(1).default(20),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  LOGIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(1000),
  LOGIN_WINDOW_SECONDS: duration.default(900),
  SESSION_CHECK_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  TRUST_PROXY: bool.default(false),
  API_DOCS: bool.default(true),
  EVIDENCE_DIR: z.string().min(1).default('.data/evidence'),
  WEB_DIST_DIR: z.string().min(1).default('dist/web'),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('整改通 Rectify <noreply@rectify.local>'),
  MAIL_LOCALE: z.enum(['zh', 'en']).default('zh'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  EVENT_LOOP_STALL_EXIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
});

export type Env = z.infer<typeof schema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  http: {
    host: string;
    port: number;
    publicUrl: string;
    bodyLimitBytes: number;
    uploadLimitBytes: number;
    trustProxy: boolean;
    apiDocs: boolean;
    /** The built web application (index.html and assets/), served at /. */
    webDistDir: string;
  };
  log: { level: Env['LOG_LEVEL'] };
  /** poolWaitMs: how long a statement waits for a free connection (or a new one) before failing. */
  database: { url: string; poolSize: number; poolWaitMs: number };
  redis: { url: string; queuePrefix: string };
  storage: { evidenceDir: string };
  mail: { smtpUrl: string; from: string; locale: 'zh' | 'en' };
  /** token: the bearer token GET /metrics asks for (metrics are off without one). */
  metrics: { token?: string };
  /** shutdownGraceMs: the longest a stopping process takes after SIGTERM; eventLoopStallExitMs: a loop blocked this long ends the process (0: never). */
  process: { shutdownGraceMs: number; eventLoopStallExitMs: number };
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    loginMaxFailures: number;
    loginMaxAccountFailures: number;
    loginMaxFailuresPerIp: number;
    loginMaxAttemptsPerIp: number;
    loginWindowSeconds: number;
    /** How long a checked session's actor is reused by this process (0: every request checks). */
    sessionCheckCacheMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  // Empty strings count as unset, so `FOO=` in an env file falls back to the default.
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const missing = issue.code === 'invalid_type' && env[name] === undefined;
      return missing ? `${name} is required but not set` : `${name}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
      trustProxy: e.TRUST_PROXY,
      apiDocs: e.API_DOCS,
      webDistDir: e.WEB_DIST_DIR,
    },
    log: { level: e.LOG_LEVEL },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, poolWaitMs: e.DATABASE_POOL_WAIT_MS },
    redis: { url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX },
    storage: { evidenceDir: e.EVIDENCE_DIR },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, locale: e.MAIL_LOCALE },
    metrics: { token: e.METRICS_TOKEN },
    process: { shutdownGraceMs: e.SHUTDOWN_GRACE_MS, eventLoopStallExitMs: e.EVENT_LOOP_STALL_EXIT_MS },
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginMaxAccountFailures: e.LOGIN_MAX_USER_FAILURES,
      loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      loginMaxAttemptsPerIp: e.LOGIN_MAX_ATTEMPTS_PER_IP,
      loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
      sessionCheckCacheMs: e.SESSION_CHECK_CACHE_MS,
    },
  };
}
