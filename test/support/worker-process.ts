import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY = 'worker ready';

/**
 * The real worker (apps/worker/src/main.ts, unchanged) in a child Node process, run from the
 * TypeScript sources as Jest runs them (test/support/ts-register.mjs), so it can be killed for
 * real: SIGKILL gives it no chance to finish jobs, close connections or mark anything.
 */
export class WorkerProcess {
  /** The last lines the worker wrote (JSON logs, errors), for failure messages. */
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private exitedFlag = false;

  private constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', './test/support/ts-register.mjs', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      // The worker says when it is ready at level info.
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exitedFlag = true;
        resolve({ code, signal });
      }),
    );
  }

  /** Starts a worker and waits until it has registered its jobs and processes its queues. */
  static async start(env: Record<string, string>, timeoutMs = 30000): Promise<WorkerProcess> {
    const worker = new WorkerProcess(env);
    const until = Date.now() + timeoutMs;
    while (!worker.output.some((line) => line.includes(READY))) {
      if (worker.exitedFlag || Date.now() > until) {
        worker.kill('SIGKILL');
        throw new Error(`the worker did not start:\n${worker.output.slice(-20).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return worker;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return !this.exitedFlag;
  }

  /** Sends a signal now (synchronously: usable from inside another event's handler). */
  kill(signal: NodeJS.Signals): void {
    if (!this.exitedFlag) this.child.kill(signal);
  }

  /** Stops the worker the way an orchestrator does: SIGTERM, then SIGKILL if it lingers. */
  async stop(graceMs = 10000): Promise<void> {
    if (this.exitedFlag) return;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
