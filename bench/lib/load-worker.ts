import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { HttpConnection } from './http-client.js';
import type { HttpListJob, LoadJob, LoadResult, SqlListJob, TransitionJob } from './load.js';

/** The worker-thread side of runLoad(): one closed loop per virtual user, loopback only, bounded in time. */

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** One request on a virtual user's own kept-alive connection; the reply's body as text. */
async function send(
  conn: HttpConnection,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  const reply = await conn.request(method, path, headers, body);
  return { status: reply.status, text: reply.body.toString('utf8') };
}

/** Runs `user` with a connection of its own (each virtual user holds one, as a browser would). */
async function withConnection<T>(port: number, user: (conn: HttpConnection) => Promise<T>): Promise<T> {
  const conn = new HttpConnection(port);
  try {
    return await user(conn);
  } finally {
    conn.close();
  }
}

class Recorder {
  readonly samples: number[] = [];
  readonly variants: number[] = [];
  readonly statuses: Record<string, number> = {};
  readonly errorSamples: string[] = [];
  errors = 0;
  okTotal = 0;
  lastEnd = 0;

  constructor(
    readonly measureFrom: number,
    readonly stopAt: number,
  ) {}

  /** Records one request; only those started inside the window count. */
  record(start: number, end: number, variant: number, status: string, ok: boolean, detail?: string): void {
    this.lastEnd = Math.max(this.lastEnd, end);
    if (ok) this.okTotal += 1;
    if (start < this.measureFrom) return;
    this.samples.push(end - start);
    this.variants.push(variant);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (!ok) {
      this.errors += 1;
      if (this.errorSamples.length < 5 && detail) this.errorSamples.push(`${status}: ${detail.slice(0, 300)}`);
    }
  }

  result(): LoadResult {
    return {
      samples: this.samples,
      variants: this.variants,
      windowSeconds: (Math.max(this.lastEnd, this.stopAt) - this.measureFrom) / 1000,
      errors: this.errors,
      okTotal: this.okTotal,
      statuses: this.statuses,
      errorSamples: this.errorSamples,
    };
  }
}

async function virtualUsers(job: LoadJob, user: (vu: number, rec: Recorder) => Promise<void>): Promise<LoadResult> {
  const begin = nowMs();
  const rec = new Recorder(begin + job.warmupSeconds * 1000, begin + (job.warmupSeconds + job.seconds) * 1000);
  await Promise.all(Array.from({ length: job.concurrency }, (_, vu) => user(vu, rec)));
  return rec.result();
}

async function httpList(job: HttpListJob): Promise<LoadResult> {
  const headers = job.tokens.map((t) => ({ authorization: `Bearer ${t}`, accept: 'application/json' }));
  return virtualUsers(job, (vu, rec) =>
    withConnection(job.port, async (conn) => {
      for (let i = vu; ; i += job.concurrency) {
        const start = nowMs();
        if (start >= rec.stopAt) return;
        const r = job.requests[i % job.requests.length];
        try {
          const reply = await send(conn, 'GET', r.path, headers[r.token]);
          rec.record(start, nowMs(), r.variant, String(reply.status), reply.status === 200, reply.text);
        } catch (e) {
          rec.record(start, nowMs(), r.variant, 'network', false, (e as Error).message);
        }
      }
    }),
  );
}

/** Resolves when the main thread has taken its measurements and lets the worker release its resources. */
const released = new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));

async function sqlList(job: SqlListJob): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: job.databaseUrl, max: job.poolSize, application_name: 'rectify-bench-sql' });
  try {
    // Open the connections before the clock starts, as the API's pool has them open already.
    await Promise.all(Array.from({ length: job.poolSize }, () => pool.query('SELECT 1')));
    const result = await virtualUsers(job, async (vu, rec) => {
      for (let i = vu; ; i += job.concurrency) {
        const start = nowMs();
        if (start >= rec.stopAt) return;
        const r = job.requests[i % job.requests.length];
        try {
          // In order, as the API sends them (a source type's batch lookup, then the list statement).
          for (const q of r.queries) await pool.query(q.sql, q.params);
          rec.record(start, nowMs(), r.variant, 'ok', true);
        } catch (e) {
          rec.record(start, nowMs(), r.variant, 'sql-error', false, (e as Error).message);
        }
      }
    });
    parentPort!.postMessage(result);
    await released;
    return result;
  } finally {
    await pool.end();
  }
}

async function transitions(job: TransitionJob): Promise<LoadResult> {
  const auth = job.tokens.map((t) => `Bearer ${t}`);
  const items = job.items.map((it) => ({ ...it }));
  let seed = 0x9e3779b9;
  const random = (): number => {
    // xorshift32: cheap and reproducible
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  return virtualUsers(job, (vu, rec) =>
    withConnection(job.port, async (conn) => {
      const mine = items.filter((_, i) => i % job.concurrency === vu);
      if (mine.length === 0) return;
      for (let n = 0; ; n += 1) {
        const start = nowMs();
        if (start >= rec.stopAt) return;
        const item = mine[n % mine.length];
        const progress = item.officer >= 0 && random() < job.progressShare;
        const body = progress
          ? { action: 'report_progress', version: item.version, text: `第${n}次进展：已完成现场核查，整改按计划推进。` }
          : { action: 'urge', version: item.version, reason: '请加快整改进度' };
        const token = progress ? auth[item.officer] : auth[job.dispatcherToken];
        const variant = progress ? 1 : 0;
        try {
          const payload = JSON.stringify(body);
          const reply = await send(
            conn,
            'POST',
            `/api/items/${item.id}/transitions`,
            { authorization: token, 'content-type': 'application/json' },
            payload,
          );
          const end = nowMs();
          let parsed: { version?: number; details?: { currentVersion?: number } } = {};
          try {
            parsed = JSON.parse(reply.text) as typeof parsed;
          } catch {
            // not JSON: counted as an error below
          }
          if (reply.status === 200 && typeof parsed.version === 'number') item.version = parsed.version;
          else if (typeof parsed.details?.currentVersion === 'number') item.version = parsed.details.currentVersion;
          rec.record(start, end, variant, String(reply.status), reply.status === 200, reply.text);
        } catch (e) {
          rec.record(start, nowMs(), variant, 'network', false, (e as Error).message);
        }
      }
    }),
  );
}

async function main(): Promise<void> {
  const job = workerData as LoadJob;
  switch (job.kind) {
    case 'http-list':
      parentPort!.postMessage(await httpList(job));
      break;
    case 'sql-list':
      await sqlList(job); // reports before closing its pool
      break;
    case 'http-transition':
      parentPort!.postMessage(await transitions(job));
      break;
  }
  await released;
  parentPort!.close();
}

await main();
