/**
 * Test settings, set before any module reads them. Real services: a PostgreSQL test database
 * and a Redis database of their own (override with TEST_DATABASE_URL / TEST_REDIS_URL).
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rectify_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_URL: TEST_DATABASE_URL,
  REDIS_URL: TEST_REDIS_URL,
  JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  QUEUE_PREFIX: `rectify-test-${process.pid}`,
  LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
  API_DOCS: 'true',
});
