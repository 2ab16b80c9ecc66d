import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The real api (apps/api/src/main.ts, unchanged) in a child Node process on a port of its own,
 * run from the TypeScript sources as test/support/worker-process.ts runs the worker.
 */
export class ApiProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private exitedFlag = false;

  private constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', './test/support/ts-register.mjs', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env, HOST: '127.0.0.1', PORT: String(port) },
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

  /** Starts an api and waits until its /health answers 200. */
  static async start(port: number, env: Record<string, string>, timeoutMs = 60000): Promise<ApiProcess> {
    const api = new ApiProcess(port, env);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${api.url}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return api;
      if (api.exitedFlag || Date.now() > until) {
        api.child.kill('SIGKILL');
        throw new Error(`the api did not start:\n${api.output.slice(-20).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(graceMs = 10000): Promise<void> {
    if (this.exitedFlag) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
