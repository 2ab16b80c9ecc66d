// `npm start`: the whole service on this machine with nothing but Node (and redis-server) installed.
// Uses DATABASE_URL / REDIS_URL when set; otherwise starts an embedded PostgreSQL and a redis-server.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, ROOT, createDatabase, run, startEmbeddedPostgres, startRedis } from './services.mjs';

const PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const REDIS_PORT = Number(process.env.EMBEDDED_REDIS_PORT ?? 6389);
const stops = [];
const children = [];
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
        process.stdout.write(`[mail] to ${session.envelope.rcptTo.map((r) => r.address).join(', ')} → ${path.relative(ROOT, file)}\n`);
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`[rectify] mail catcher on 127.0.0.1:${port}; messages are saved in ${path.relative(ROOT, dir)}/\n`);
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  process.exit(code);
}

async function main() {
  await run('npm', ['run', '--silent', 'build']);

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'pg'), port: PG_PORT, persistent: true });
    stops.push(pg.stop);
    databaseUrl = await createDatabase(pg.url, 'rectify');
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedis({ port: REDIS_PORT });
    stops.push(redis.stop);
    redisUrl = redis.url;
  }

  let smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) {
    const mail = await startMailCatcher(Number(process.env.EMBEDDED_SMTP_PORT ?? 1025));
    stops.push(mail.stop);
    smtpUrl = mail.url;
  }

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    SMTP_URL: smtpUrl,
    JWT_SECRET: jwtSecret(),
    PORT: process.env.PORT ?? '3000',
  };
  await run('node', ['dist/apps/cli/src/main.js', 'migrate'], env);
  await run('node', ['dist/apps/cli/src/main.js', 'seed-demo'], env);

  for (const app of ['api', 'worker']) {
    const child = spawn('node', [`dist/apps/${app}/src/main.js`], { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code) => {
      if (stopping) return;
      process.stderr.write(`[rectify] ${app} exited with ${code}; stopping\n`);
      void shutdown(code ?? 1);
    });
    children.push(child);
  }

  const { DEMO_PASSWORD, DEMO_USERS, DEMO_STAFF } = await import(path.join(ROOT, 'dist/apps/cli/src/demo/demo-units.js'));
  const url = `http://${env.HOST ?? '127.0.0.1'}:${env.PORT}`;
  const accounts = DEMO_USERS.map((u) => `    ${u.email.padEnd(36)} ${u.roles.join(', ').padEnd(24)} ${u.name}`).join('\n');
  setTimeout(() => {
    process.stdout.write(
      `\n[rectify] running\n` +
        `  API:        ${url}/api\n  API docs:   ${url}/api/docs\n  Health:     ${url}/health\n` +
        `  E-mail:     saved in .data/mail/ (set SMTP_URL to send for real)\n\n` +
        `  Demo accounts (password ${DEMO_PASSWORD}):\n${accounts}\n` +
        `    … and ${DEMO_STAFF.length} unit officers and verifiers (e.g. ${DEMO_STAFF[0].email}), same password\n\n` +
        `  Ctrl-C stops everything.\n\n`,
    );
  }, 1500);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (e) => {
  process.stderr.write(`[rectify] ${e.message}\n`);
  await shutdown(1);
});
