import { Worker } from 'node:worker_threads';

export interface WatchdogOptions {
  /** After SIGTERM, the process is killed if it has not exited within this many ms. */
  shutdownGraceMs: number;
  /** A main event loop that has not turned for this many ms ends the process (0: never). */
  eventLoopStallExitMs: number;
  name: string;
}

// Runs on its own thread: a main thread stuck in a loop can neither run timers nor see a signal.
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { shared, graceMs, stallMs, name } = workerData;
const state = new Float64Array(shared); // [0] last heartbeat, [1] when shutdown began (0: not yet)
function kill(why) {
  try { writeSync(2, JSON.stringify({ level: 'fatal', context: 'watchdog', process: name, msg: why }) + '\\n'); } catch {}
  process.kill(process.pid, 'SIGKILL');
}
setInterval(() => {
  const now = Date.now();
  if (state[1] > 0 && now - state[1] > graceMs) kill('shutdown did not finish within ' + graceMs + ' ms of SIGTERM; killed');
  if (stallMs > 0 && now - state[0] > stallMs) kill('event loop blocked for more than ' + stallMs + ' ms; killed');
}, Math.max(50, Math.min(1000, Math.floor(Math.min(graceMs, stallMs || graceMs) / 4))));
`;

/**
 * Bounds how long a process can be stuck. The main thread beats every 100 ms; a watchdog thread
 * kills the process when the beats stop for `eventLoopStallExitMs` (a loop that never yields, which
 * also never sees SIGTERM), or when a SIGTERM'd shutdown takes longer than `shutdownGraceMs`.
 */
export function startProcessWatchdog(options: WatchdogOptions): void {
  const shared = new SharedArrayBuffer(16);
  const state = new Float64Array(shared);
  state[0] = Date.now();
  const beat = setInterval(() => (state[0] = Date.now()), 100);
  beat.unref();
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { shared, graceMs: options.shutdownGraceMs, stallMs: options.eventLoopStallExitMs, name: options.name },
  });
  worker.unref();
  const begin = () => {
    if (state[1] === 0) state[1] = Date.now();
  };
  process.once('SIGTERM', begin);
  process.once('SIGINT', begin);
}
