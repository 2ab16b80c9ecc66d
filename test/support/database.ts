import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '#persistence';
import { TEST_DATABASE_URL } from './env.js';

const MIGRATION_LOCK = 7_301_000;

/** Creates the test database if it is missing. */
export async function ensureTestDatabase(url = TEST_DATABASE_URL): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by another test worker
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * A data source on the migrated test database. Migrations run under an advisory lock, so
 * parallel test workers migrate once.
 */
export async function openTestDataSource(url = TEST_DATABASE_URL): Promise<DataSource> {
  await ensureTestDatabase(url);
  const ds = createDataSource({ url, poolSize: 4, applicationName: 'rectify-test' });
  await ds.initialize();
  // Session-level lock: hold it on one dedicated connection while the migrations run.
  const lock = ds.createQueryRunner();
  await lock.connect();
  await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await migrate(ds);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    await lock.release();
  }
  return ds;
}

/** The URL of a database of its own beside the shared test database, for tests that sweep whole tables. */
export function separateDatabaseUrl(suffix: string): string {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `${u.pathname}_${suffix}`;
  return u.toString();
}
