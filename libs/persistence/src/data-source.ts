import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '#migrations';
import { ENTITIES } from './entities/index.js';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** How long to wait for a free or a new connection (default 10 s); then the statement fails. */
  poolWaitMs?: number;
  applicationName?: string;
}

/** One definition of how every process (api, worker, CLI, tests) talks to PostgreSQL. */
export function dataSourceOptions(opts: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: opts.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: opts.applicationName ?? 'rectify',
    // No parallel query: on a small machine one parallel scan takes every core from the other requests.
    // No JIT: compiling costs more than the short statements of a request take to run.
    // A bounded wait for a connection: a request that cannot get one within poolWaitMs fails with
    // 503 (isDatabaseUnavailable) instead of hanging, and a transaction that holds one connection
    // while waiting for another (hold-and-wait) rolls back and frees what it held.
    extra: {
      max: opts.poolSize,
      connectionTimeoutMillis: opts.poolWaitMs ?? 10_000,
      options: '-c max_parallel_workers_per_gather=0 -c jit=off',
    },
  };
}

export function createDataSource(opts: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(opts));
}

/** Runs pending migrations and returns their names. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
