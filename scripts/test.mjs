// `npm test`: lint-free code is checked elsewhere; this runs every Jest test against real services.
// PostgreSQL: TEST_DATABASE_URL, else a server on 127.0.0.1:5432 (user postgres), else an embedded one.
// Redis: TEST_REDIS_URL, else 127.0.0.1:6379, else a redis-server started here.
// The test database is dropped and re-created, so migrations always run from an empty schema.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, createDatabase, postgresAnswers, redisAnswers, run, startEmbeddedPostgres, startRedis } from './services.mjs';

const stops = [];

/** The browser tests drive the built app: a run that includes them stops first when it is not built. */
function checkWebBuilt() {
  const args = process.argv.slice(2);
  const browser = args.length === 0 || args.some((a) => a.includes('browser'));
  if (browser && !existsSync(path.resolve('dist/web/index.html'))) {
    throw new Error(
      'dist/web/index.html is missing: the browser tests (test/web/*.browser-spec.ts) run against the built app — run `npm run build` first',
    );
  }
}

async function main() {
  checkWebBuilt();
  let adminUrl;
  let dbName = 'rectify_test';
  if (process.env.TEST_DATABASE_URL) {
    const u = new URL(process.env.TEST_DATABASE_URL);
    dbName = u.pathname.slice(1);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else if (await postgresAnswers('postgres://postgres@127.0.0.1:5432/postgres')) {
    adminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'pg-test'), port: 54330, persistent: false });
    stops.push(pg.stop);
    adminUrl = pg.url;
  }
  const databaseUrl = await createDatabase(adminUrl, dbName, { fresh: true });

  let redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    if (await redisAnswers('127.0.0.1', 6379)) redisUrl = 'redis://127.0.0.1:6379/15';
    else {
      const redis = await startRedis({ port: 6390 });
      stops.push(redis.stop);
      redisUrl = `${redis.url}/15`;
    }
  }

  const env = { ...process.env, TEST_DATABASE_URL: databaseUrl, TEST_REDIS_URL: redisUrl };
  const args = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--maxWorkers=2', ...process.argv.slice(2)];
  try {
    await run(process.execPath, args, env);
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  }
}

main().catch((e) => {
  process.stderr.write(`[rectify test] ${e.message}\n`);
  process.exit(1);
});
