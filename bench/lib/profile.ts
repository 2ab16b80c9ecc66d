import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * Optional CPU profile of the main thread (where the API runs) during one load run:
 * BENCH_PROFILE=<dir> writes one .cpuprofile per run (open it in Chrome DevTools) and the
 * report lists where the API's own CPU time went, by package and by function.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  busyMs: number;
  idleMs: number;
  byPackage: [string, number][];
  byFunction: [string, number][];
  /**
   * Self time charged to the innermost package (or own lib) on the stack: native and Node-internal
   * frames (socket writes, streams, GC) count for the package that called them.
   */
  byCaller: [string, number][];
}

export class MainThreadProfiler {
  private session: Session | null = null;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 500 });
    await this.session.post('Profiler.start');
  }

  async stop(name: string): Promise<ProfileSummary> {
    const session = this.session!;
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    session.disconnect();
    this.session = null;
    const file = join(this.dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return { file, ...summarizeProfile(profile) };
  }
}

function packageOf(url: string, fn: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return url.split('/')[0].replace(/^node:internal\//, 'node:');
  return url || fn || '(native)';
}

/** The innermost package or own lib on a node's stack, if any. */
function callerOf(id: number, nodes: Map<number, ProfileNode>, parents: Map<number, number>): string | null {
  for (let cur: number | undefined = id; cur !== undefined; cur = parents.get(cur)) {
    const url = nodes.get(cur)!.callFrame.url;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /\/dist\/((?:apps|libs|bench)\/[^/]+)/.exec(url);
    if (pkg) return pkg[1];
  }
  return null;
}

function summarizeProfile(profile: Profile): Omit<ProfileSummary, 'file'> {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byCaller = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, us] of byNode) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const caller = callerOf(id, nodes, parents) ?? pkg;
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number): [string, number][] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, v / 1000]);
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    byPackage: top(byPackage, 12),
    byFunction: top(byFunction, 12),
    byCaller: top(byCaller, 10),
  };
}
