/**
 * `npm run bench:stats`: closure statistics over N items (BENCH_ITEMS, default 1,000,000) with
 * about BENCH_HISTORY_PER_ITEM history rows each (default 10, so 10,000,000 rows).
 * Targets: summary and breakdowns p95 under 100 ms, as-of under 1 s, API at most 1.5× raw SQL.
 *
 *  1. Seeds a database of its own set-based (bench/lib/seed.ts, bulk load: the items benchmark's
 *     state mix, deadlines from 180 days before to 360 days after BENCH_DAY, items created over the
 *     two years before it). Then, also set-based, each item's life: the path of states that leads
 *     to its state (create → assign → accept → submit → pass …, or cancel/merge), spread over the
 *     time between its creation and its last change, padded with progress reports and urges to
 *     the history size; one history row per step and one item_timeline stretch per state it was
 *     in. Extensions and working days to close are filled in for the items that have them.
 *     The roll-ups are then rebuilt from the open stretches (item_stat_rebuild(), what the trigger
 *     keeps in step on every change).
 *  2. Starts the real API (createApiApp), takes the month-end snapshots of every ended month (what
 *     the worker's daily job does; timed, none on a reused database that has them) and signs in the
 *     auditor (sees everything) and a county officer (sees its subtree). For each query: BENCH_RUNS
 *     timed requests (default 300: with 100 a p95 is the fifth-slowest sample, and one line's API/SQL
 *     ranged 1.49-2.07 over three runs; after 3 untimed; GET over a kept-alive connection, as a browser
 *     holds one, sent by a lean client as load tools have: lib/http-client.ts), p50 and p95;
 *     the statements the service sent are captured and run directly with pg, in the waves the
 *     service sent them (together within a wave, waves one after the other), alternating with the
 *     requests run by run, so that both sides meet the same machine. "API/SQL"
 *     is the whole HTTP request (sign-in check, validation, figures, JSON) against the bare
 *     statements. Each line names the path the answer took (roll-ups of now, a month-end snapshot,
 *     counted; + corrections). Last, the part of a request that does not depend on its SQL: GET
 *     /api/auth/me, which sends no statement, against a bare SELECT 1.
 *
 * Settings: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rectify_bench_stats;
 * dropped and re-created unless BENCH_REUSE_DB=1, which times the queries on the last seeded database), REDIS_URL (default redis://127.0.0.1:6379/13),
 * BENCH_DAY (default 2026-11-17; the API's clock is the real one, so "now" figures use today).
 */
import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { StatisticsSnapshots } from '#statistics';
import { intEnv, log, login, startBenchApi } from './lib/harness.js';
import { HttpConnection } from './lib/http-client.js';
import { recreateDatabase, seed } from './lib/seed.js';
import { ms, percentile, table } from './lib/stats.js';

const env = process.env;
const N = intEnv('BENCH_ITEMS', 1_000_000);
const HISTORY_PER_ITEM = intEnv('BENCH_HISTORY_PER_ITEM', 10);
const RUNS = intEnv('BENCH_RUNS', 300);
const DAY = env.BENCH_DAY ?? '2026-11-17';
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rectify_bench_stats';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const REUSE = env.BENCH_REUSE_DB === '1';

/** The states an item passed through to reach its state, with the action that led into each. */
const PATHS: Record<string, [action: string, state: string][]> = {
  draft: [['create', 'draft']],
  assigned: [
    ['create', 'draft'],
    ['assign', 'assigned'],
  ],
  in_progress: [
    ['create', 'draft'],
    ['assign', 'assigned'],
    ['accept', 'in_progress'],
  ],
  in_acceptance: [
    ['create', 'draft'],
    ['assign', 'assigned'],
    ['accept', 'in_progress'],
    ['submit', 'in_acceptance'],
  ],
  public_notice: [
    ['create', 'draft'],
    ['assign', 'assigned'],
    ['accept', 'in_progress'],
    ['submit', 'in_acceptance'],
    ['pass', 'public_notice'],
  ],
  phase_completed: [
    ['create', 'draft'],
    ['assign', 'assigned'],
    ['accept', 'in_progress'],
    ['submit', 'in_acceptance'],
    ['pass', 'phase_completed'],
  ],
  signed_off: [
    ['create', 'draft'],
    ['assign', 'assigned'],
    ['accept', 'in_progress'],
    ['submit', 'in_acceptance'],
    ['pass', 'in_acceptance'],
    ['pass', 'public_notice'],
    ['close_notice', 'signed_off'],
  ],
  cancelled: [
    ['create', 'draft'],
    ['assign', 'assigned'],
    ['cancel', 'cancelled'],
  ],
  merged: [
    ['create', 'draft'],
    ['assign', 'assigned'],
    ['merge', 'merged'],
  ],
};

async function seedLives(db: pg.Client): Promise<{ history: number; stretches: number }> {
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET work_mem = '256MB'`);
  await db.query(`SET maintenance_work_mem = '512MB'`);
  // Rows are written as they would have been; no trigger re-derives them (the timeline is written below).
  await db.query(`SET session_replication_role = replica`);
  await db.query(`CREATE TEMP TABLE bench_path (final text, ord int, action text, state text, len int)`);
  for (const [final, steps] of Object.entries(PATHS)) {
    for (const [i, [action, state]] of steps.entries()) {
      await db.query(`INSERT INTO bench_path VALUES ($1, $2, $3, $4, $5)`, [final, i + 1, action, state, steps.length]);
    }
  }
  // Extensions (the seed's deadline version 2) and working days to close (about 5/7 of calendar days).
  await db.query(
    `UPDATE item SET extension_count = greatest(deadline_version - 1, 0),
            close_working_days = CASE WHEN completed_at IS NOT NULL THEN greatest(0, ((completed_at::date - created_at::date) * 5 / 7)) END`,
  );
  // Each item's steps: the path first (all but its last step), then progress reports and urges, then the last step.
  // The k-th of n steps happens at created_at + (updated_at - created_at) * (k - 1) / (n - 1).
  await db.query(
    `CREATE TEMP TABLE bench_life AS
     SELECT i.id, i.state, i.created_at, i.updated_at, p.len, greatest(p.len, ${HISTORY_PER_ITEM} - 4 + floor(random() * 9)::int) AS n
       FROM item i JOIN (SELECT DISTINCT final, len FROM bench_path) p ON p.final = i.state`,
  );
  let t = Date.now();
  const indexes = (
    await db.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
        WHERE i.indrelid IN ('history'::regclass, 'item_timeline'::regclass) AND c.oid IS NULL`,
    )
  ).rows;
  for (const ix of indexes) await db.query(`DROP INDEX ${ix.name}`);
  const history = await db.query(
    `INSERT INTO history (entity_type, entity_id, seq, action, from_state, to_state, actor_id, at, data, prev_hash, hash)
     SELECT 'item', l.id, s.seq,
            coalesce(p.action, CASE WHEN s.seq % 3 = 0 THEN 'urge' ELSE 'report_progress' END),
            prev.state, coalesce(p.state, prev.state),
            NULL, l.created_at + (l.updated_at - l.created_at) * ((s.seq - 1)::float8 / greatest(l.n - 1, 1)),
            '{}'::jsonb, CASE WHEN s.seq > 1 THEN md5(l.id::text || (s.seq - 1)) END, md5(l.id::text || s.seq)
       FROM bench_life l
       CROSS JOIN LATERAL generate_series(1, l.n) AS s(seq)
       LEFT JOIN bench_path p ON p.final = l.state AND p.ord = CASE WHEN s.seq < l.len THEN s.seq WHEN s.seq = l.n THEN l.len END
       LEFT JOIN LATERAL (SELECT bp.state FROM bench_path bp WHERE bp.final = l.state
                           AND bp.ord = least(CASE WHEN s.seq <= l.len THEN s.seq - 1 ELSE l.len - 1 END, l.len - 1)) prev ON true`,
  );
  log(`  ${history.rowCount} history rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  // One stretch per state of the path, from the step that entered it to the next state change.
  await db.query(`TRUNCATE item_timeline`);
  const stretches = await db.query(
    `WITH steps AS (
       SELECT l.id, p.ord, p.len, p.state,
              l.created_at + (l.updated_at - l.created_at) * ((CASE WHEN p.ord = p.len THEN l.n ELSE p.ord END - 1)::float8 / greatest(l.n - 1, 1)) AS at
         FROM bench_life l JOIN bench_path p ON p.final = l.state),
     spans AS (
       SELECT id, state, ord, len, at AS valid_from, lead(at) OVER (PARTITION BY id ORDER BY ord) AS valid_to FROM steps)
     INSERT INTO item_timeline (item_id, valid_from, valid_to, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, state,
                                original_deadline, current_deadline, extension_count, first_signed_off_at, closed_on,
                                close_working_days, reopen_count)
     SELECT i.id, s.valid_from, CASE WHEN s.valid_to > s.valid_from THEN s.valid_to END, i.batch_id, i.county_unit_id, i.domain,
            coalesce((SELECT array_agg(unit_id ORDER BY unit_id) FROM item_unit WHERE item_id = i.id AND role = 'lead'), '{}'),
            i.lead_scope, s.state, i.original_deadline,
            CASE WHEN s.ord = s.len THEN i.current_deadline ELSE i.original_deadline END,
            CASE WHEN s.ord = s.len THEN i.extension_count ELSE 0 END,
            CASE WHEN s.ord = s.len THEN i.first_signed_off_at END,
            CASE WHEN s.ord = s.len THEN (i.completed_at AT TIME ZONE 'Asia/Shanghai')::date END,
            CASE WHEN s.ord = s.len THEN i.close_working_days END, i.reopen_count
       FROM spans s JOIN item i ON i.id = s.id
      WHERE s.valid_to IS NULL OR s.valid_to > s.valid_from`,
  );
  log(`  ${stretches.rowCount} timeline stretches in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  for (const ix of indexes) await db.query(ix.def);
  await db.query(`SET session_replication_role = DEFAULT`);
  log(`  history and timeline indexes in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  // The roll-ups of the open stretches, as the trigger would have kept them.
  await db.query(`SELECT item_stat_rebuild()`);
  log(`  roll-ups rebuilt in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  await db.query(`DROP TABLE bench_life, bench_path`);
  await db.query(`VACUUM (ANALYZE) history, item_timeline, item, item_stat_delta, item_stat_cell, item_close_days_cell`);
  await db.query(`CHECKPOINT`);
  log(`  indexes, vacuum, analyze in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { history: history.rowCount ?? 0, stretches: stretches.rowCount ?? 0 };
}

interface Captured {
  sql: string;
  params: unknown[];
  /** How many of the request's statements had finished when this one was sent: statements of one wave run together. */
  wave: number;
}

/** Which way the service answered, from the statements it sent. */
function pathOf(statements: Captured[]): string {
  const sql = statements.map((s) => s.sql).join('\n');
  const base = sql.includes('item_stat_snapshot_cell') ? 'snapshot' : sql.includes('item_stat_cell') ? 'roll-ups of now' : 'counted';
  return sql.includes('AS sign') ? `${base} + corrections` : base;
}

interface QueryCase {
  name: string;
  path: string;
  user: 'auditor' | 'officer';
  /** p95 target in ms; 0 for none (the trend has no target of its own). */
  target: number;
}

/** Who signs in and what the scoped queries name: the auditor, a county's officer, that county, a batch. */
interface BenchPeople {
  auditor: string;
  officer: string;
  county: string;
  batch: string;
}

async function peopleOf(url: string): Promise<BenchPeople> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<BenchPeople>(
      `SELECT (SELECT email FROM app_user WHERE 'auditor' = ANY(roles) ORDER BY email LIMIT 1) AS auditor,
              u.email AS officer, u.unit_id AS county, (SELECT id FROM batch ORDER BY code LIMIT 1) AS batch
         FROM app_user u JOIN org_unit o ON o.id = u.unit_id
        WHERE 'unit_officer' = ANY(u.roles) AND o.kind = 'county' ORDER BY o.sort_order, u.email LIMIT 1`,
    );
    if (!rows[0]?.auditor) throw new Error('the database holds no benchmark users; run without BENCH_REUSE_DB first');
    return rows[0];
  } finally {
    await client.end();
  }
}

/**
 * Times `a` and `b` alternately, `runs` times each after 3 untimed rounds, so that whatever else the
 * machine does (autovacuum, checkpoints) falls on both sides alike. Sorted times of each.
 */
async function timePair(runs: number, a: () => Promise<void>, b: () => Promise<void>): Promise<[number[], number[]]> {
  const timed = async (fn: () => Promise<void>, into: number[] | null): Promise<void> => {
    const t = process.hrtime.bigint();
    await fn();
    into?.push(Number(process.hrtime.bigint() - t) / 1e6);
  };
  const [ta, tb]: [number[], number[]] = [[], []];
  for (let i = 0; i < runs + 3; i++) {
    await timed(a, i < 3 ? null : ta);
    await timed(b, i < 3 ? null : tb);
  }
  return [ta.sort((x, y) => x - y), tb.sort((x, y) => x - y)];
}

/** GET over one kept-alive connection (what a browser or a script would hold), with the body read. */
async function get(http: HttpConnection, path: string, token: string): Promise<{ status: number; body: string }> {
  const reply = await http.request('GET', path, { authorization: `Bearer ${token}` });
  return { status: reply.status, body: reply.body.toString('utf8') };
}

async function main(): Promise<void> {
  log(`rectify statistics benchmark: ${N} items, ~${HISTORY_PER_ITEM} history rows each, ${RUNS} timed runs per query`);
  log(`node ${process.version}, ${availableParallelism()} CPUs, database ${DATABASE_URL}`);
  log();
  let people: BenchPeople;
  if (REUSE) {
    log('reusing the seeded database (BENCH_REUSE_DB=1)');
    people = await peopleOf(DATABASE_URL);
  } else {
    log('seeding');
    await recreateDatabase(DATABASE_URL);
    const seeded = await seed(DATABASE_URL, N, (l) => log(l), { today: DAY, bulkLoad: true, history: false });
    log(
      `  ${seeded.report.items} items in ${seeded.report.seconds.toFixed(1)} s; by state: ${Object.entries(seeded.report.byState)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}`,
    );
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const lives = await seedLives(client);
      log(`  lives: ${lives.history} history rows, ${lives.stretches} timeline stretches`);
    } finally {
      await client.end();
    }
    people = {
      auditor: seeded.world.auditor.email,
      officer: seeded.world.officers[0].email,
      county: seeded.world.counties[0].id,
      batch: seeded.world.batches[0].id,
    };
  }

  const { app, baseUrl, port } = await startBenchApi(DATABASE_URL, REDIS_URL);
  // What the worker's maintenance job does after each month end: a snapshot of every ended month.
  const t = Date.now();
  const snapshots = await app.get(StatisticsSnapshots).catchUp();
  log(`month-end snapshots: ${snapshots.built} built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  // The statements the statistics service sends, to run them bare afterwards.
  const ds = app.get(DataSource);
  let captured: Captured[] = [];
  let finished = 0;
  const query = ds.query.bind(ds);
  ds.query = ((sql: string, params?: unknown[]) => {
    captured.push({ sql, params: params ?? [], wave: finished });
    return query(sql, params).finally(() => finished++);
  }) as typeof ds.query;

  // The raw statements run with the API's session settings (no parallel query, no JIT).
  const raw = new pg.Pool({ connectionString: DATABASE_URL, max: 4, options: '-c max_parallel_workers_per_gather=0 -c jit=off' });
  const client = new HttpConnection(port);
  try {
    const tokens = { auditor: await login(baseUrl, people.auditor), officer: await login(baseUrl, people.officer) };
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    const midMonth = `${monthAgo.slice(0, 7)}-15`;
    const cases: QueryCase[] = [
      { name: 'summary, all items (auditor)', path: '/api/statistics/summary', user: 'auditor', target: 100 },
      { name: 'summary, one county (officer)', path: '/api/statistics/summary', user: 'officer', target: 100 },
      {
        name: 'summary, one county (auditor, unit filter)',
        path: `/api/statistics/summary?unitId=${people.county}`,
        user: 'auditor',
        target: 100,
      },
      {
        name: 'summary, batch + domain (counted)',
        path: `/api/statistics/summary?batchId=${people.batch}&domain=water`,
        user: 'auditor',
        target: 100,
      },
      { name: 'breakdown by lead unit', path: '/api/statistics/breakdown?by=leadUnit', user: 'auditor', target: 100 },
      { name: 'breakdown by county', path: '/api/statistics/breakdown?by=county', user: 'auditor', target: 100 },
      {
        name: 'monthly trend, 12 months',
        path: `/api/statistics/trend?interval=month&from=${yearAgo}&to=${today}`,
        user: 'auditor',
        target: 0,
      },
      { name: `as of ${monthAgo} (summary)`, path: `/api/statistics/summary?asOf=${monthAgo}`, user: 'auditor', target: 1000 },
      { name: `as of ${yearAgo} (summary)`, path: `/api/statistics/summary?asOf=${yearAgo}`, user: 'auditor', target: 1000 },
      {
        name: `as of ${monthAgo} by lead unit`,
        path: `/api/statistics/breakdown?by=leadUnit&asOf=${monthAgo}`,
        user: 'auditor',
        target: 1000,
      },
      // Mid-month: the farthest from any month end, so the most corrections (about half a month of changes).
      { name: `as of ${midMonth} (summary)`, path: `/api/statistics/summary?asOf=${midMonth}`, user: 'auditor', target: 1000 },
      {
        name: `as of ${midMonth} by lead unit`,
        path: `/api/statistics/breakdown?by=leadUnit&asOf=${midMonth}`,
        user: 'auditor',
        target: 1000,
      },
      { name: `as of ${midMonth}, one county (officer)`, path: `/api/statistics/summary?asOf=${midMonth}`, user: 'officer', target: 1000 },
    ];
    const rows: string[][] = [];
    for (const c of cases) {
      captured = [];
      finished = 0;
      const res = await get(client, c.path, tokens[c.user]);
      if (res.status !== 200) throw new Error(`${c.path}: ${res.status} ${res.body}`);
      const body = JSON.parse(res.body) as { figures?: { key: string; value: number }[]; rows?: unknown[]; points?: unknown[] };
      const statements = [...captured];
      // As the service sends them: a wave's statements together (they are independent), the waves one after the other.
      const waves = new Map<number, Captured[]>();
      for (const st of statements.filter((x) => !/FROM auth_session|FROM app_user/i.test(x.sql))) {
        waves.set(st.wave, [...(waves.get(st.wave) ?? []), st]);
      }
      const [api, sql] = await timePair(
        RUNS,
        async () => {
          const r = await get(client, c.path, tokens[c.user]);
          if (r.status !== 200) throw new Error(`${c.path}: ${r.status} ${r.body}`);
        },
        async () => {
          for (const wave of [...waves.keys()].sort((a, b) => a - b))
            await Promise.all(waves.get(wave)!.map((x) => raw.query(x.sql, x.params)));
        },
      );
      const apiP95 = percentile(api, 95);
      const sqlP95 = percentile(sql, 95);
      const total = body.figures?.find((f) => f.key === 'total')?.value;
      const size = total !== undefined ? `${total} items` : body.rows ? `${body.rows.length} rows` : `${body.points?.length} points`;
      rows.push([
        c.name,
        size,
        ms(percentile(api, 50)),
        ms(apiP95),
        ms(percentile(sql, 50)),
        ms(sqlP95),
        (apiP95 / sqlP95).toFixed(2),
        c.target ? `< ${c.target}` : '(none)',
        c.target === 0 ? '' : apiP95 < c.target ? 'met' : 'MISSED',
      ]);
      log(
        `  ${c.name}: API p95 ${ms(apiP95)} ms, SQL p95 ${ms(sqlP95)} ms (${statements.length} statements in ${waves.size} waves; ${pathOf(statements)})`,
      );
    }
    // What every request costs whatever its SQL (HTTP, routing, the token and session check, validation,
    // JSON): an authenticated request that sends no statement, against the bare round trip of one.
    const [me, select1] = await timePair(
      RUNS,
      async () => {
        const r = await get(client, '/api/auth/me', tokens.officer);
        if (r.status !== 200) throw new Error(`/api/auth/me: ${r.status} ${r.body}`);
      },
      async () => {
        await raw.query('SELECT 1');
      },
    );
    log();
    log(table(['query', 'answer', 'API p50', 'API p95', 'SQL p50', 'SQL p95', 'API/SQL', 'target ms', ''], rows, new Set([2, 3, 4, 5, 6])));
    log();
    log(
      `fixed cost of a request: GET /api/auth/me (no statement) p50 ${ms(percentile(me, 50))} ms, p95 ${ms(percentile(me, 95))} ms; ` +
        `SELECT 1 p50 ${ms(percentile(select1, 50))} ms, p95 ${ms(percentile(select1, 95))} ms`,
    );
  } finally {
    client.close();
    await raw.end();
    await app.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
