/**
 * `npm run bench:items`: seeds a database of its own with N items (BENCH_ITEMS, default 100,000),
 * starts the real API in-process on a loopback port and measures, at each concurrency
 * (BENCH_CONCURRENCY, default "10,50") for BENCH_SECONDS (default 10) after a warm-up:
 *
 *  - the filtered list, GET /api/items, as unit officers (scoped), the dispatcher and the admin,
 *    each with sort=deadline and in the API's default order (no sort parameter: open items first);
 *  - the same list statements run as raw SQL through a pg Pool, for comparison;
 *  - transitions, POST /api/items/:id/transitions: `urge` by the dispatcher, and a mix of
 *    `urge` and `report_progress` by lead-unit officers.
 *
 * Then it prints a table, whether the targets are met, per-filter latencies and EXPLAIN ANALYZE
 * summaries of the list statements.
 *
 * Settings: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rectify_bench; dropped
 * and re-created), REDIS_URL (default redis://127.0.0.1:6379/14), BENCH_WARMUP_SECONDS (2),
 * BENCH_JSON (a file to write the results to), DATABASE_POOL_SIZE (the API's pool, default 2 × cores + 1),
 * BENCH_ONLY (which parts to run, default "list,sql,explain,transitions"), BENCH_PROFILE (a directory:
 * CPU-profile the API's thread during each HTTP run and summarise where its time went).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { ItemsService, COUNT_CAP } from '#items';
import { explain, type PlanSummary } from './lib/explain.js';
import { ORDERS, VARIANTS, buildListRequests, type ListRequest, type Order } from './lib/list-queries.js';
import { cpuSample, cpuUse, type CpuUse } from './lib/cpu.js';
import { runLoad as runLoadOnly, type LoadJob, type LoadResult, type TransitionItem } from './lib/load.js';
import { recreateDatabase, seed, type BenchUser } from './lib/seed.js';
import { intEnv, log, login, numEnv, postgresLine, startBenchApi } from './lib/harness.js';
import { MainThreadProfiler, type ProfileSummary } from './lib/profile.js';
import { ms, summarize, table, type Summary } from './lib/stats.js';

const env = process.env;
const N = intEnv('BENCH_ITEMS', 100_000);
const SECONDS = numEnv('BENCH_SECONDS', 10);
const WARMUP = numEnv('BENCH_WARMUP_SECONDS', 2);
const CONCURRENCY = (env.BENCH_CONCURRENCY ?? '10,50').split(',').map((c) => Number.parseInt(c.trim(), 10));
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rectify_bench';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const ONLY = new Set((env.BENCH_ONLY ?? 'list,sql,explain,transitions').split(',').map((s) => s.trim()));
const TRANSITION_ITEMS = 20_000;

const LIST_P99_TARGET_MS = 50;
const TRANSITIONS_TARGET_PER_S = 500;

interface Row {
  scenario: string;
  group: 'list-http' | 'list-sql' | 'transition';
  role: string;
  /** The list's order; null for transitions. */
  order: Order | null;
  concurrency: number;
  summary: Summary;
  errors: number;
  statuses: Record<string, number>;
  result: RunResult;
}

type RunResult = LoadResult & { cpu: CpuUse | null; profile: ProfileSummary | null };

interface PlanRow {
  role: string;
  variant: number;
  order: Order;
  plans: PlanSummary[];
}

const DATABASE_NAME = new URL(DATABASE_URL).pathname.slice(1);

const PROFILER = env.BENCH_PROFILE ? new MainThreadProfiler(env.BENCH_PROFILE) : null;

/** Runs a load job and notes where the machine's CPU went meanwhile (and, with BENCH_PROFILE, the API's). */
async function runLoad(job: LoadJob, name: string): Promise<RunResult> {
  const profiler = job.kind === 'sql-list' ? null : PROFILER;
  await profiler?.start();
  const before = cpuSample(DATABASE_NAME);
  let after: ReturnType<typeof cpuSample> = null;
  const result = await runLoadOnly(job, () => (after = cpuSample(DATABASE_NAME)));
  const cpu = cpuUse(before, after);
  const profile = (await profiler?.stop(`${name}-c${job.concurrency}`)) ?? null;
  return { ...result, cpu, profile };
}

/** Runs both statements of a few requests through the API and directly; the totals must agree. */
async function crossCheck(baseUrl: string, tokens: string[], requests: ListRequest[], db: pg.Pool): Promise<Map<number, number[]>> {
  const totals = new Map<number, number[]>();
  const perVariant = new Map<number, number>();
  for (const r of requests) {
    const seen = perVariant.get(r.variant) ?? 0;
    if (seen >= 5) continue;
    perVariant.set(r.variant, seen + 1);
    const res = await fetch(`${baseUrl}${r.path}`, { headers: { authorization: `Bearer ${tokens[r.user]}` } });
    const body = (await res.json()) as { total?: number; data?: unknown[] };
    if (res.status !== 200) throw new Error(`GET ${r.path} answered ${res.status}: ${JSON.stringify(body)}`);
    // The total comes with the list statement (on every row); no statement at all when the service
    // answered from a lookup alone (a source type without batches).
    let total = 0;
    for (const q of r.queries) {
      const [row] = (await db.query<{ total?: number }>(q.sql, q.params)).rows;
      if (typeof row?.total === 'number') total = row.total;
    }
    // The API counts exactly up to its cap and then reports the cap; the raw count query stops one past it.
    if (Math.min(total, COUNT_CAP) !== body.total)
      throw new Error(`GET ${r.path}: the API says ${body.total} items, the captured SQL ${total}`);
    totals.set(r.variant, [...(totals.get(r.variant) ?? []), total]);
  }
  return totals;
}

async function transitionItems(db: pg.Pool, officers: BenchUser[], mixed: boolean): Promise<TransitionItem[]> {
  // Officer n is token n (token 0 is the dispatcher); an in_progress item gets the first officer of a lead unit.
  const { rows } = await db.query<TransitionItem>(
    `SELECT i.id, i.version,
            CASE WHEN i.state = 'in_progress'
                 THEN coalesce((SELECT o.n FROM unnest($1::uuid[]) WITH ORDINALITY AS o(unit_id, n)
                                 WHERE i.lead_scope @> ARRAY[o.unit_id] ORDER BY o.n LIMIT 1), -1)::int
                 ELSE -1 END AS officer
       FROM item i
      WHERE i.state = ANY($2::text[])
      ORDER BY md5(i.id::text || $3::text)
      LIMIT $4`,
    [
      officers.map((o) => o.unit.id),
      mixed ? ['in_progress'] : ['assigned', 'in_progress', 'in_acceptance', 'public_notice'],
      'bench',
      TRANSITION_ITEMS * 4,
    ],
  );
  const eligible = mixed ? rows.filter((r) => r.officer >= 0) : rows;
  return eligible.slice(0, TRANSITION_ITEMS);
}

async function indexCount(db: pg.Pool): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'item'::regclass`)).rows[0].n;
}

async function main(): Promise<void> {
  const began = Date.now();
  log(`rectify items benchmark: ${N} items, ${SECONDS} s per run after ${WARMUP} s warm-up, concurrency ${CONCURRENCY.join(' and ')}`);
  log(`node ${process.version}, ${availableParallelism()} CPUs, database ${DATABASE_URL}, redis ${REDIS_URL}`);
  log();
  log('seeding');
  await recreateDatabase(DATABASE_URL);
  const { world, report } = await seed(DATABASE_URL, N, (l) => log(l));
  log(
    `  ${report.items} items, ${report.itemUnits} item units, ${report.deadlines} deadline versions, ${report.historyRows} history rows ` +
      `in ${report.seconds.toFixed(1)} s`,
  );
  log(
    `  by state: ${Object.entries(report.byState)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; overdue ${report.overdue}`,
  );

  const db = new pg.Pool({ connectionString: DATABASE_URL, max: 4, application_name: 'rectify-bench-main' });
  log(`  ${await postgresLine(db)}`);

  const { app, baseUrl, port, config } = await startBenchApi(DATABASE_URL, REDIS_URL);
  log(`api listening on ${baseUrl} (database pool ${config.database.poolSize})`);

  const rows: Row[] = [];
  const variantTotals = new Map<string, Map<number, number[]>>();
  const explains: string[] = [];
  const planMatrix: PlanRow[] = [];
  try {
    const token = new Map<string, string>();
    for (const u of [world.admin, world.dispatcher, ...world.officers]) token.set(u.id, await login(baseUrl, u.email));
    log(`signed in ${token.size} users`);

    const roles: { role: string; users: BenchUser[] }[] = [
      { role: 'officer', users: world.officers },
      { role: 'dispatcher', users: [world.dispatcher] },
      { role: 'admin', users: [world.admin] },
    ];
    // The same filters in either order (same seed); the totals cannot depend on the order.
    const requests = new Map<string, ListRequest[]>();
    const requestsOf = (role: string, order: Order): ListRequest[] => requests.get(`${role} ${order}`)!;
    for (const [i, r] of roles.entries())
      for (const order of ORDERS)
        requests.set(`${r.role} ${order}`, await buildListRequests(app.get(ItemsService), world, r.users, 200, 1000 + i, order));
    for (const r of roles) {
      const tokens = r.users.map((u) => token.get(u.id)!);
      for (const order of ORDERS) variantTotals.set(r.role, await crossCheck(baseUrl, tokens, requestsOf(r.role, order), db));
    }
    log('API and captured SQL agree on the totals of the sampled list requests');
    log();

    const record = (
      scenario: string,
      group: Row['group'],
      role: string,
      order: Order | null,
      concurrency: number,
      result: Row['result'],
    ): void => {
      const summary = summarize(result.samples, result.windowSeconds);
      rows.push({ scenario, group, role, order, concurrency, summary, errors: result.errors, statuses: result.statuses, result });
      log(
        `  ${scenario.padEnd(58)} c=${String(concurrency).padStart(2)}  ${summary.perSecond.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${ms(summary.p50).padStart(6)} ms  p99 ${ms(summary.p99).padStart(6)} ms  errors ${result.errors}  ${cpuText(result.cpu)}`,
      );
      for (const e of result.errorSamples.slice(0, 2)) log(`      e.g. ${e}`);
    };
    const timing = (concurrency: number): { concurrency: number; seconds: number; warmupSeconds: number } => ({
      concurrency,
      seconds: SECONDS,
      warmupSeconds: WARMUP,
    });

    // The two orders run one after the other at each concurrency, so that they meet the same machine.
    if (ONLY.has('list')) log('list: GET /api/items (pageSize 20, filters varied per request)');
    for (const r of ONLY.has('list') ? roles : []) {
      const tokens = r.users.map((u) => token.get(u.id)!);
      for (const c of CONCURRENCY) {
        for (const order of ORDERS) {
          const reqs = requestsOf(r.role, order).map((q) => ({ path: q.path, token: q.user, variant: q.variant }));
          record(
            `GET /api/items as ${r.role}, ${order}`,
            'list-http',
            r.role,
            order,
            c,
            await runLoad(
              { kind: 'http-list', port, tokens, requests: reqs, ...timing(c) },
              `list-${r.role}-${order.replace(/\W+/g, '-')}`,
            ),
          );
        }
      }
    }
    if (ONLY.has('sql')) log('list: the same statements as raw SQL (in the order the API sends them, pg Pool of the API pool size)');
    for (const r of ONLY.has('sql') ? roles : []) {
      for (const c of CONCURRENCY) {
        for (const order of ORDERS) {
          const reqs = requestsOf(r.role, order).map((q) => ({ queries: q.queries, variant: q.variant }));
          record(
            `raw SQL list as ${r.role}, ${order}`,
            'list-sql',
            r.role,
            order,
            c,
            await runLoad(
              { kind: 'sql-list', databaseUrl: DATABASE_URL, poolSize: config.database.poolSize, requests: reqs, ...timing(c) },
              `sql-${r.role}`,
            ),
          );
        }
      }
    }

    // Plans of the list statements (after the runs above, so caches are as warm as they were):
    // every filter for every role in brief, then the full plans of a few telling cases.
    const explainOf = async (q: { sql: string; params: unknown[] }): Promise<PlanSummary> => {
      await explain(db, q.sql, q.params); // warm
      return explain(db, q.sql, q.params);
    };
    // The list's own statements (not the source-type → batches lookup): the page with its total, or
    // page and count side by side; none when the lookup found no batches.
    const isLookup = (sql: string): boolean => /FROM batch WHERE source_type/i.test(sql);
    const isCount = (sql: string): boolean => /^\s*SELECT\s+count\(/i.test(sql);
    for (const r of ONLY.has('explain') ? roles : []) {
      for (const [variant] of VARIANTS.entries()) {
        for (const order of ORDERS) {
          const req = requestsOf(r.role, order).find(
            (q) => q.variant === variant && (r.role !== 'officer' || r.users[q.user].unit.kind === 'county'),
          );
          const statements = (req?.queries ?? []).filter((q) => !isLookup(q.sql));
          if (statements.length === 0) continue;
          const plans: PlanSummary[] = [];
          for (const q of statements) plans.push(await explainOf(q));
          planMatrix.push({ role: r.role, variant, order, plans });
        }
      }
    }
    const NO_FILTER = VARIANTS.findIndex((v) => v.label === 'no filter');
    const explainCases: { title: string; role: string; variant: number; order: Order }[] = [
      { title: 'scoped: unit officer of a county, state=in_progress & own county', role: 'officer', variant: 0, order: 'sort=deadline' },
      { title: 'scoped: unit officer of a county, no filter, sort=deadline', role: 'officer', variant: NO_FILTER, order: 'sort=deadline' },
      { title: 'scoped: unit officer of a county, no filter, default order', role: 'officer', variant: NO_FILTER, order: 'default order' },
      {
        title: 'scoped (owner OR dispatcher scope): dispatcher, no filter, sort=-updatedAt',
        role: 'dispatcher',
        variant: 7,
        order: 'sort=deadline',
      },
      {
        title: 'scoped (owner OR dispatcher scope): dispatcher, no filter, default order',
        role: 'dispatcher',
        variant: NO_FILTER,
        order: 'default order',
      },
      { title: 'unscoped: admin, sourceType (joins batch)', role: 'admin', variant: 2, order: 'sort=deadline' },
      { title: 'unscoped: admin, q text search', role: 'admin', variant: 3, order: 'sort=deadline' },
      { title: 'unscoped: admin, no filter, sort=deadline', role: 'admin', variant: NO_FILTER, order: 'sort=deadline' },
      { title: 'unscoped: admin, no filter, default order', role: 'admin', variant: NO_FILTER, order: 'default order' },
    ];
    for (const ec of ONLY.has('explain') ? explainCases : []) {
      const roleUsers = roles.find((r) => r.role === ec.role)!.users;
      const req = requestsOf(ec.role, ec.order).find(
        (q) => q.variant === ec.variant && (ec.role !== 'officer' || roleUsers[q.user].unit.kind === 'county'),
      );
      if (!req) continue;
      explains.push('', `${ec.title}`, `  GET ${req.path}`);
      for (const q of req.queries) {
        const plan = await explainOf(q);
        explains.push(
          `  ${isLookup(q.sql) ? 'lookup' : isCount(q.sql) ? 'count' : 'page'} statement: execution ${plan.executionMs.toFixed(2)} ms, ` +
            `planning ${plan.planningMs.toFixed(2)} ms; costliest nodes: ${plan.hotSpots.join('; ') || '-'}`,
        );
        for (const l of plan.lines) explains.push(`    ${l}`);
      }
    }

    if (ONLY.has('transitions'))
      log('transitions: POST /api/items/:id/transitions (each virtual user owns its items and sends their current version)');
    const transitionTokens = [token.get(world.dispatcher.id)!, ...world.officers.map((o) => token.get(o.id)!)];
    const historyCount = async (): Promise<number> =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM history WHERE entity_type = 'item'`)).rows[0].n;
    const updateStats = async (): Promise<{ upd: number; hot: number }> => {
      await new Promise((r) => setTimeout(r, 1500)); // backends flush their table statistics about once a second
      return (
        await db.query<{ upd: number; hot: number }>(
          `SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'item'`,
        )
      ).rows[0];
    };
    const historyBefore = await historyCount();
    const updatesBefore = ONLY.has('transitions') ? await updateStats() : null;
    let okTransitions = 0;
    for (const mixed of ONLY.has('transitions') ? [false, true] : []) {
      for (const c of CONCURRENCY) {
        const items = await transitionItems(db, world.officers, mixed);
        const result = await runLoad(
          {
            kind: 'http-transition',
            port,
            tokens: transitionTokens,
            dispatcherToken: 0,
            items,
            progressShare: mixed ? 0.5 : 0,
            ...timing(c),
          },
          mixed ? 'transitions-mixed' : 'transitions-urge',
        );
        okTransitions += result.okTotal;
        const progress = result.variants.filter((v) => v === 1).length;
        record(
          mixed
            ? `transitions: urge + report_progress (${Math.round((100 * progress) / Math.max(1, result.samples.length))}% rp)`
            : 'transitions: urge by the dispatcher',
          'transition',
          mixed ? 'mixed' : 'urge',
          null,
          c,
          result,
        );
      }
    }
    const historyAdded = (await historyCount()) - historyBefore;
    if (updatesBefore) {
      const after = await updateStats();
      const upd = after.upd - updatesBefore.upd;
      const hot = after.hot - updatesBefore.hot;
      log(
        `  item row updates: ${upd}, of them HOT (no index entries written) ${hot} (${((100 * hot) / Math.max(1, upd)).toFixed(0)}%); ` +
          `each non-HOT update inserts into all ${await indexCount(db)} indexes of item`,
      );
    }
    log(
      historyAdded === okTransitions
        ? `  every successful transition appended one history row (${historyAdded})`
        : `  WARNING: ${okTransitions} successful transitions but ${historyAdded} new history rows`,
    );
  } finally {
    await app.close();
    await db.end();
  }

  printReport(rows, variantTotals, planMatrix, explains);
  if (env.BENCH_JSON) {
    writeFileSync(
      env.BENCH_JSON,
      JSON.stringify(
        { items: N, seconds: SECONDS, concurrency: CONCURRENCY, runs: rows.map(({ result, ...rest }) => ({ ...rest, cpu: result.cpu })) },
        null,
        2,
      ),
    );
  }
  log();
  log(`done in ${((Date.now() - began) / 1000).toFixed(0)} s`);
}

const cores = (n: number): string => n.toFixed(2);

function cpuText(cpu: CpuUse | null): string {
  return cpu ? `cpu: node ${cores(cpu.node)}, pg ${cores(cpu.postgres)}, other ${cores(cpu.other)} cores` : '';
}

/** Other processes using more than this many cores during a run make its numbers doubtful. */
const NOISY_CORES = 0.15;

function printReport(rows: Row[], variantTotals: Map<string, Map<number, number[]>>, planMatrix: PlanRow[], explains: string[]): void {
  log();
  log(`RESULTS (${N} items; ${SECONDS} s per run; latency in ms)`);
  log();
  log(
    table(
      ['scenario', 'conc', 'requests', 'req/s', 'p50', 'p90', 'p99', 'max', 'errors', 'cpu node/pg/other'],
      rows.map((r) => [
        r.scenario,
        String(r.concurrency),
        String(r.summary.count),
        r.summary.perSecond.toFixed(0),
        ms(r.summary.p50),
        ms(r.summary.p90),
        ms(r.summary.p99),
        ms(r.summary.max),
        r.errors
          ? `${r.errors} (${Object.entries(r.statuses)
              .filter(([s]) => s !== '200' && s !== 'ok')
              .map(([s, n]) => `${s}×${n}`)
              .join(' ')})`
          : '0',
        r.result.cpu
          ? `${cores(r.result.cpu.node)}/${cores(r.result.cpu.postgres)}/${cores(r.result.cpu.other)}${r.result.cpu.other > NOISY_CORES ? ' !' : ''}`
          : '-',
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7]),
    ),
  );
  log(`cpu: cores used on average by this process (API and load generator), by PostgreSQL for ${DATABASE_NAME}, and by everything else;`);
  log(`"!" marks runs during which other processes used more than ${NOISY_CORES} cores: their latencies are inflated.`);

  log();
  log('TARGETS');
  const verdict = (ok: boolean): string => (ok ? 'MET   ' : 'MISSED');
  for (const r of rows.filter((x) => x.group === 'list-http' && x.concurrency === 10)) {
    log(
      `  ${verdict(r.summary.p99 < LIST_P99_TARGET_MS && r.errors === 0)}  filtered list p99 < ${LIST_P99_TARGET_MS} ms at c=10, ` +
        `as ${r.role}, ${r.order}: ${ms(r.summary.p99)} ms`,
    );
  }
  for (const r of rows.filter((x) => x.group === 'transition')) {
    log(
      `  ${verdict(r.summary.perSecond >= TRANSITIONS_TARGET_PER_S && r.errors === 0)}  ≥ ${TRANSITIONS_TARGET_PER_S} transitions/s, ` +
        `${r.role} at c=${r.concurrency}: ${r.summary.perSecond.toFixed(0)}/s`,
    );
  }

  const ratio = (a: number | undefined, b: number | undefined): string => (a && b ? `${(b / a).toFixed(2)}×` : '-');
  const listRows = rows.filter((r) => r.group !== 'transition');
  if (listRows.length) {
    log();
    log('DEFAULT ORDER (no sort parameter) vs sort=deadline, same filters, run back to back ("×" = default / deadline)');
    const lines: string[][] = [];
    for (const group of ['list-http', 'list-sql'] as const)
      for (const role of ['officer', 'dispatcher', 'admin'])
        for (const c of CONCURRENCY) {
          const [d, o] = ORDERS.map(
            (order) => listRows.find((r) => r.group === group && r.role === role && r.order === order && r.concurrency === c)?.summary,
          );
          if (!d && !o) continue;
          const cells = (x: Summary | undefined): string[] => [x ? x.perSecond.toFixed(0) : '-', ms(x?.p50 ?? NaN), ms(x?.p99 ?? NaN)];
          lines.push([
            group === 'list-http' ? 'HTTP' : 'raw SQL',
            role,
            String(c),
            ...cells(d),
            ...cells(o),
            ratio(d?.p50, o?.p50),
            ratio(d?.p99, o?.p99),
          ]);
        }
    log(
      table(
        ['', 'role', 'conc', 'deadline req/s', 'p50', 'p99', 'default req/s', 'p50', 'p99', 'p50 ×', 'p99 ×'],
        lines,
        new Set([2, 3, 4, 5, 6, 7, 8, 9, 10]),
      ),
    );
  }

  for (const c of listRows.length ? CONCURRENCY : []) {
    log();
    log(
      `LIST LATENCY BY FILTER at c=${c} (p99 in ms, HTTP and raw SQL, in either order; "matched" = average total of the sampled requests)`,
    );
    const lines: string[][] = [];
    for (const role of ['officer', 'dispatcher', 'admin']) {
      const runs = (group: Row['group']): (Row | undefined)[] =>
        ORDERS.map((order) => listRows.find((r) => r.group === group && r.role === role && r.order === order && r.concurrency === c));
      const http = runs('list-http');
      const sql = runs('list-sql');
      if (![...http, ...sql].some(Boolean)) continue;
      VARIANTS.forEach((v, i) => {
        const p99 = (row: Row | undefined): number | undefined =>
          row
            ? summarize(
                row.result.samples.filter((_, k) => row.result.variants[k] === i),
                row.result.windowSeconds,
              ).p99
            : undefined;
        const [hd, ho] = http.map(p99);
        const [sd, so] = sql.map(p99);
        const totals = variantTotals.get(role)?.get(i) ?? [];
        const matched = totals.length ? String(Math.round(totals.reduce((a, b) => a + b, 0) / totals.length)) : '-';
        lines.push([role, v.label, ms(hd ?? NaN), ms(ho ?? NaN), ratio(hd, ho), ms(sd ?? NaN), ms(so ?? NaN), ratio(sd, so), matched]);
      });
    }
    log(
      table(
        ['role', 'filter', 'http deadline', 'http default', '×', 'sql deadline', 'sql default', '×', 'matched'],
        lines,
        new Set([2, 3, 4, 5, 6, 7, 8]),
      ),
    );
  }

  const profiled = rows.filter((r) => r.result.profile);
  if (profiled.length) {
    log();
    log('API MAIN-THREAD CPU PROFILES (self time; share of the busy time of the thread that runs the API and its pg client)');
    for (const r of profiled) {
      const p = r.result.profile!;
      const share = (v: number): string => `${((100 * v) / p.busyMs).toFixed(1)}%`;
      log();
      log(`${r.scenario} c=${r.concurrency}: busy ${(p.busyMs / 1000).toFixed(1)} s, idle ${(p.idleMs / 1000).toFixed(1)} s; ${p.file}`);
      log(`  by package:  ${p.byPackage.map(([k, v]) => `${k} ${share(v)}`).join(', ')}`);
      log(`  by function: ${p.byFunction.map(([k, v]) => `${k} ${share(v)}`).join(', ')}`);
    }
  }

  if (planMatrix.length) {
    log();
    log('EXPLAIN ANALYZE of the list statements, one request per filter and role (execution time in ms of each; how item is read)');
    log(
      table(
        ['role', 'filter', 'order', 'statements', 'item access (each statement)'],
        planMatrix.map((m) => [
          m.role,
          VARIANTS[m.variant].label,
          m.order,
          m.plans.map((p) => ms(p.executionMs)).join(' + '),
          m.plans.map((p) => p.access).join(' | '),
        ]),
        new Set([3]),
      ),
    );
  }
  if (explains.length) {
    log();
    log('EXPLAIN ANALYZE, full plans of some cases (as ItemsService.list() sends them)');
    for (const l of explains) log(l);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
