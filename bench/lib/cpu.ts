import { readFileSync, readdirSync } from 'node:fs';

/**
 * Where the machine's CPU went during a run (Linux /proc): this process (API and load
 * generator), PostgreSQL working for the benchmark database (its backends and the shared
 * background processes), and everything else. Other work on a 2-core machine skews latencies,
 * so runs with much "other" CPU are flagged in the report.
 */
export interface CpuSample {
  at: number;
  busyTicks: number;
  selfTicks: number;
  /** CPU ticks of each PostgreSQL process working for the benchmark database, by pid. */
  postgres: Map<string, number>;
}

export interface CpuUse {
  /** Cores in use on average (2.0 = both cores of a 2-core machine): this process (API and load generator). */
  node: number;
  /** PostgreSQL for the benchmark database. */
  postgres: number;
  /** Everything else. */
  other: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function procTicks(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function isBenchPostgres(cmdline: string, database: string): boolean {
  if (!cmdline.startsWith('postgres:')) return false;
  // Backends name their database ("postgres: 15/main: user db host(port) state"); background processes do not.
  const isBackend = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(cmdline);
  return !isBackend || cmdline.includes(` ${database} `);
}

export function cpuSample(database: string): CpuSample | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    let selfTicks = 0;
    const postgres = new Map<string, number>();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (Number(pid) === process.pid) {
          selfTicks += procTicks(pid);
          continue;
        }
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        if (isBenchPostgres(cmdline, database)) postgres.set(pid, procTicks(pid));
      } catch {
        // the process ended meanwhile
      }
    }
    return { at: Date.now(), busyTicks: total - idle, selfTicks, postgres };
  } catch {
    return null; // not Linux
  }
}

export function cpuUse(a: CpuSample | null, b: CpuSample | null): CpuUse | null {
  if (!a || !b || b.at <= a.at) return null;
  const seconds = (b.at - a.at) / 1000;
  const cores = (ticks: number): number => ticks / TICKS_PER_SECOND / seconds;
  const node = cores(b.selfTicks - a.selfTicks);
  // Per process: a backend that ended meanwhile (an idle pool connection closed) takes its ticks with it.
  let pgTicks = 0;
  for (const [pid, ticks] of b.postgres) pgTicks += ticks - (a.postgres.get(pid) ?? 0);
  const postgres = cores(pgTicks);
  return { node, postgres, other: Math.max(0, cores(b.busyTicks - a.busyTicks) - node - postgres) };
}
