import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the sink has received so far. Times are Date.now() in the sink process (same machine clock). */
export interface SinkStats {
  connections: number;
  messages: number;
  bytes: number;
  firstAt: number | null;
  lastAt: number | null;
  /** CPU time the sink process has used since it started. */
  cpuMs: number;
}

export type SinkRequest = { type: 'stats' } | { type: 'stop' };
export type SinkReply = { type: 'ready'; port: number } | { type: 'stats'; stats: SinkStats };

/** A counting SMTP server in a child process (see smtp-sink-process.ts). */
export class SmtpSinkProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly greetingDelayMs: number,
  ) {}

  /** Starts the sink; it greets each connection after `greetingDelayMs` (smtp-server's own pause is 100 ms). */
  static async start(greetingDelayMs = 0): Promise<SmtpSinkProcess> {
    const child = fork(fileURLToPath(new URL('./smtp-sink-process.js', import.meta.url)), [String(greetingDelayMs)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the SMTP sink exited with ${code} before listening`)));
      child.once('message', (m: SinkReply) => (m.type === 'ready' ? resolve(m.port) : reject(new Error(`unexpected ${m.type}`))));
    });
    child.removeAllListeners('exit');
    return new SmtpSinkProcess(child, port, greetingDelayMs);
  }

  get pid(): number {
    return this.child.pid!;
  }

  url(query = ''): string {
    return `smtp://127.0.0.1:${this.port}/${query ? `?${query}` : ''}`;
  }

  private ask<T extends SinkReply['type']>(request: SinkRequest, type: T): Promise<Extract<SinkReply, { type: T }>> {
    return new Promise((resolve) => {
      const onMessage = (m: SinkReply): void => {
        if (m.type !== type) return;
        this.child.off('message', onMessage);
        resolve(m as Extract<SinkReply, { type: T }>);
      };
      this.child.on('message', onMessage);
      this.child.send(request);
    });
  }

  async stats(): Promise<SinkStats> {
    return (await this.ask({ type: 'stats' }, 'stats')).stats;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' } satisfies SinkRequest);
      setTimeout(() => this.child.kill(), 5000).unref();
    });
  }
}
