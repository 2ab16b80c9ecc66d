import { Worker } from 'node:worker_threads';

/**
 * A closed-loop load generator: `concurrency` virtual users, each sending its next request as
 * soon as the previous one answered, for `warmupSeconds` (not recorded) plus `seconds`.
 *
 * It runs in a worker thread so that the client's own work (building requests, reading
 * answers) does not queue behind the API on the main thread's event loop, and each virtual user
 * holds one connection of a lean client (http-client.ts), so that this work stays small.
 */
export interface LoadTiming {
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
}

/** GET requests against the running API; `variant` labels the filter kind in the report. */
export interface HttpListJob extends LoadTiming {
  kind: 'http-list';
  port: number;
  tokens: string[];
  requests: { path: string; token: number; variant: number }[];
}

/** The list statements run directly through a pg Pool, the way the service runs them (concurrently). */
export interface SqlListJob extends LoadTiming {
  kind: 'sql-list';
  databaseUrl: string;
  poolSize: number;
  requests: { queries: { sql: string; params: unknown[] }[]; variant: number }[];
}

export interface TransitionItem {
  id: string;
  version: number;
  /** Index in `tokens` of an officer of a lead unit who may report progress, or -1. */
  officer: number;
}

/**
 * POST /api/items/:id/transitions. Virtual user i owns the items at positions i, i+C, i+2C…,
 * so no two users ever race on an item, and sends the version it last saw.
 */
export interface TransitionJob extends LoadTiming {
  kind: 'http-transition';
  port: number;
  tokens: string[];
  dispatcherToken: number;
  items: TransitionItem[];
  /** Share of requests that are report_progress by an officer, when the item allows it. */
  progressShare: number;
}

export type LoadJob = HttpListJob | SqlListJob | TransitionJob;

export interface LoadResult {
  /** Latency of each request started inside the measured window, in ms. */
  samples: number[];
  /** The variant of each sample (list jobs), or the action index (0 urge, 1 report_progress). */
  variants: number[];
  windowSeconds: number;
  errors: number;
  /** Successful requests including the warm-up (each successful transition wrote one history row). */
  okTotal: number;
  statuses: Record<string, number>;
  errorSamples: string[];
}

/**
 * Runs a job in a worker thread. `onResult` is called as soon as the numbers are in, while the
 * worker still holds its connections (so CPU accounting sees the database backends it used).
 */
export function runLoad(job: LoadJob, onResult?: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: job });
    let result: LoadResult | null = null;
    worker.once('message', (m: LoadResult) => {
      result = m;
      onResult?.();
      worker.postMessage('close');
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`load worker exited with code ${code} before reporting`));
    });
  });
}
