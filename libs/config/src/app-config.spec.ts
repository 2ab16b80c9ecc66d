import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './app-config.js';

const valid = {
  DATABASE_URL: 'postgres://u:p@db:5432/rectify',
  REDIS_URL: 'redis://cache:6379/0',
  JWT_SECRET: 'x'.repeat(32),
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('builds a typed config with defaults', () => {
    const config = loadConfig(valid);
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBe(valid.DATABASE_URL);
    expect(config.auth.accessTokenTtlSeconds).toBe(900);
    expect(config.auth.loginMaxFailures).toBe(5);
    expect(config.http.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.env).toBe('development');
    // Twice the cores plus one (5 on two cores); a setting replaces it.
    expect(config.database.poolSize).toBe(2 * availableParallelism() + 1);
    expect(loadConfig({ ...valid, DATABASE_POOL_SIZE: '12' }).database.poolSize).toBe(12);
    // A statement waits at most 10 s for a connection; below 100 ms is refused.
    expect(config.database.poolWaitMs).toBe(10_000);
    expect(problemsOf({ ...valid, DATABASE_POOL_WAIT_MS: '50' })).toEqual([
      'DATABASE_POOL_WAIT_MS: Too small: expected number to be >=100',
    ]);
  });

  it('coerces numbers and booleans from strings', () => {
    const config = loadConfig({ ...valid, PORT: '8080', TRUST_PROXY: 'true', API_DOCS: '0' });
    expect(config.http.port).toBe(8080);
    expect(config.http.trustProxy).toBe(true);
    expect(config.http.apiDocs).toBe(false);
  });

  it('names every missing variable', () => {
    expect(problemsOf({})).toEqual([
      'DATABASE_URL is required but not set',
      'REDIS_URL is required but not set',
      'JWT_SECRET is required but not set',
    ]);
  });

  it('treats an empty value as unset', () => {
    expect(problemsOf({ ...valid, JWT_SECRET: '' })).toEqual(['JWT_SECRET is required but not set']);
  });

  it('names malformed variables with the reason', () => {
    const problems = problemsOf({ ...valid, PORT: 'eighty', DATABASE_URL: 'mysql://x/y', JWT_SECRET: 'short' });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT:'))).toBeDefined();
    expect(problems).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(problems).toContain('JWT_SECRET: must be at least 32 characters');
  });

  it('rejects out-of-range values', () => {
    expect(problemsOf({ ...valid, PORT: '70000' })[0]).toMatch(/^PORT: /);
    expect(problemsOf({ ...valid, LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL: /);
  });

  it('the error message lists the problems for the operator', () => {
    expect(() => loadConfig({ ...valid, REDIS_URL: undefined })).toThrow(/REDIS_URL is required but not set/);
  });
});
