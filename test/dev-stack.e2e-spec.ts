import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { freePort } from './support/private-redis.js';
import { waitFor } from './support/smtp-sink.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every live descendant of a process, with its command line (from /proc). */
function descendants(pid: number): { pid: number; command: string }[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of parentOf) {
      if (ppid !== parent) continue;
      let command: string;
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        continue;
      }
      found.push({ pid: child, command });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * `npm start` (scripts/dev-stack.mjs) for real: build, embedded PostgreSQL, redis-server, mail
 * catcher, migrations, api and worker, in a data directory of the test's own; then SIGTERM to npm's
 * process id, as a process manager stops it.
 */
describe('npm start: one SIGTERM stops everything it started (child processes, ports)', () => {
  let dataDir: string;
  let stack: ChildProcess | undefined;
  const output: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'rectify-dev-stack-'));
    await chmod(dataDir, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
  });

  afterAll(async () => {
    if (stack?.pid) for (const p of descendants(stack.pid)) process.kill(p.pid, 'SIGKILL');
    stack?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the api, worker, PostgreSQL, Redis and the mail catcher; sums up a burst of mail in one line; SIGTERM leaves no process and no port behind', async () => {
    const [pgPort, redisPort, smtpPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The test environment's own services and settings are not the stack's.
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'QUEUE_PREFIX', 'NODE_ENV', 'JWT_SECRET', 'EVIDENCE_DIR'])
      delete env[name];
    Object.assign(env, {
      RECTIFY_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_REDIS_PORT: String(redisPort),
      EMBEDDED_SMTP_PORT: String(smtpPort),
      PORT: String(apiPort),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    });
    stack = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    };
    stack.stdout!.on('data', keep);
    stack.stderr!.on('data', keep);
    let gone = false;
    const npmExited = new Promise<number | null>((resolve) =>
      stack!.on('exit', (code) => {
        gone = true;
        resolve(code);
      }),
    );

    const health = (): Promise<number> =>
      fetch(`http://127.0.0.1:${apiPort}/health`).then(
        (r) => r.status,
        () => 0,
      );
    await waitFor(async () => gone || (await health()) === 200, 240_000, `the api on ${apiPort}`).catch((e: Error) => {
      throw new Error(`${e.message}; npm start said:\n${output.slice(-30).join('\n')}`);
    });
    if (gone) throw new Error(`npm start ended:\n${output.slice(-30).join('\n')}`);
    await waitFor(
      () => output.some((l) => l.includes('worker ready')) || descendants(stack!.pid!).some((p) => p.command.includes('worker')),
      60_000,
      'the worker',
    );

    // A burst of 25 messages: one summary line, not 25.
    const mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 5,
    });
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => mailer.sendMail({ from: 'a@test.cn', to: `burst-${i}@test.cn`, subject: 'x', text: 'x' })),
    );
    await waitFor(() => output.some((l) => l.includes('[mail] 25 messages saved')), 10_000, 'the summary line');
    expect(output.filter((l) => l.startsWith('[mail] to'))).toEqual([]);
    // A single message still gets its own line.
    await mailer.sendMail({ from: 'a@test.cn', to: 'single@test.cn', subject: 'x', text: 'x' });
    await waitFor(() => output.some((l) => l.startsWith('[mail] to single@test.cn')), 10_000, 'the single message line');
    mailer.close();
    expect(readdirSync(path.join(dataDir, 'mail'))).toHaveLength(26);

    const started = descendants(stack.pid!);
    const kinds = (list: { command: string }[]): string[] =>
      ['dev-stack.mjs', 'apps/api/src/main.js', 'apps/worker/src/main.js', 'redis-server', 'postgres'].filter((k) =>
        list.some((p) => p.command.includes(k)),
      );
    expect(kinds(started)).toEqual(['dev-stack.mjs', 'apps/api/src/main.js', 'apps/worker/src/main.js', 'redis-server', 'postgres']);

    process.kill(stack.pid!, 'SIGTERM');
    await npmExited;
    await waitFor(() => started.every((p) => !alive(p.pid)), 30_000, 'every process started to exit');
    for (const port of [pgPort, redisPort, smtpPort, apiPort])
      expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
  }, 400_000);
});
