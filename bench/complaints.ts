/**
 * `npm run bench:complaints`: complaint cases at scale, against the targets of issue 23.
 *
 *  - the case list, GET /api/complaints (no filter and five filters, among them a batch and a text),
 *    as the dispatcher, county officers, the admin and the auditor, each at concurrency 10 for
 *    BENCH_SECONDS, through the item benchmark's load worker: p99 (target < 50 ms);
 *  - the figures, GET /api/complaints/statistics/summary, against the same statement as raw SQL:
 *    p95 of each, sequentially (target: the API within 1.5× of the raw SQL);
 *  - the duplicate check at intake (same county, window, trigram similarity) for new contents:
 *    per case (target < 50 ms);
 *  - preview + confirm of a 2,000-row case list (.xlsx) into a batch, through HTTP (target < 3 s).
 *
 * The N cases (BENCH_CASES, default 100,000) are written by SQL (cases, units, verdicts; no
 * history) over two years of daily batches in 11 counties, from texts in the style of the demo.
 * Settings: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rectify_bench_complaints;
 * dropped and re-created as a copy of <name>_seeded, which a run without BENCH_REUSE_DATABASE=true
 * seeds first; migrations newer than the copy run on it), REDIS_URL (default
 * redis://127.0.0.1:6379/14), BENCH_SECONDS (10).
 */
import ExcelJS from 'exceljs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ComplaintFiguresService, findSimilar } from '#complaints';
import { OrgUnitsService, UsersService } from '#org';
import { createDataSource, migrate } from '#persistence';
import { BENCH_PASSWORD, recreateDatabase } from './lib/seed.js';
import { intEnv, log, login, numEnv, postgresLine, startBenchApi } from './lib/harness.js';
import { cpuSample, cpuUse, type CpuSample, type CpuUse } from './lib/cpu.js';
import { runLoad } from './lib/load.js';
import { ms, percentile } from './lib/stats.js';

const env = process.env;
const N = intEnv('BENCH_CASES', 100_000);
const SECONDS = numEnv('BENCH_SECONDS', 10);
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rectify_bench_complaints';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const IMPORT_ROWS = 2_000;
// BENCH_REUSE_DATABASE=true: start from the copy an earlier run kept of its seeded database (<name>_seeded).
const REUSE = env.BENCH_REUSE_DATABASE === 'true';
const DATABASE_NAME = new URL(DATABASE_URL).pathname.slice(1);

const TEXTS = [
  '养殖场粪污未经处理直排村边河道，夏季臭味严重，影响村民生活',
  '洗煤厂洗煤废水外溢，流入附近农田和沟渠，农作物受损',
  '砖厂夜间偷偷生产，烟尘大，未安装除尘设施，附近村民不敢开窗',
  '露天堆放煤炭未苫盖，刮风时煤尘飞扬',
  '临街烧烤店油烟直排，夜间经营噪声扰民至凌晨',
  '加工厂夜间生产，机器噪声大，严重影响休息',
  '有人倾倒工业固废，堆放量大，疑似危险废物',
  '山体被非法开采砂石，破坏植被，留下大坑未修复',
  '农田被倾倒污泥，村民担心土壤被污染',
  '企业环评手续不全即投入生产，群众担心环境风险',
];
const TYPES = ['water', 'water', 'air', 'air', 'air', 'noise', 'solid_waste', 'ecology', 'soil', 'other'];

async function seedCases(db: pg.Pool, dispatcherUnit: string, counties: string[]): Promise<void> {
  // The reader rows are written once at the end, set-based, not by a trigger per row and update.
  await db.query(`ALTER TABLE complaint_case DISABLE TRIGGER complaint_reader_insert, DISABLE TRIGGER complaint_reader_update`);
  await db.query(`ALTER TABLE complaint_verdict DISABLE TRIGGER complaint_reader_verdict`);
  await db.query(
    `INSERT INTO complaint_batch (round, batch_no, received_on, issuer, deadline_days, deadline_kind, dispatcher_unit_id)
                  SELECT '基准督察', d, date '2025-01-01' + d - 1, '基准督察组', 10, 'calendar', $1 FROM generate_series(1, 730) d`,
    [dispatcherUnit],
  );
  // Case k: batch k % 730, county k % 11, text k % 10 with a town and a serial in it (so no two contents are equal).
  await db.query(
    `INSERT INTO complaint_case (batch_id, case_no, received_on, content, county_unit_id, address, pollution_types, state, dispatcher_unit_id,
                                 lead_unit_id, original_deadline, deadline, deadline_version, transferred_at, investigated_at, closed_at,
                                 published_at, followed_up_at, dispatcher_scope, created_at)
     SELECT b.id, 'K' || k, b.received_on,
            '第' || (k % 97) || '号乡镇' || (k % 13) || '村' || ($3::text[])[1 + k % 10] || '，编号' || k, ($2::uuid[])[1 + k % 11], '',
            ARRAY[($4::text[])[1 + k % 10]], CASE WHEN b.received_on < date '2026-11-01' THEN 'closed' ELSE 'transferred' END, $1,
            ($2::uuid[])[1 + k % 11], b.received_on + 10, b.received_on + 10, 1, b.received_on + time '15:00',
            CASE WHEN b.received_on < date '2026-11-01' THEN b.received_on + 5 + time '10:00' END,
            CASE WHEN b.received_on < date '2026-11-01' THEN b.received_on + 6 + time '10:00' END,
            CASE WHEN b.received_on < date '2026-11-01' THEN b.received_on + 7 + time '10:00' END,
            CASE WHEN b.received_on < date '2026-11-01' THEN b.received_on + 9 + time '10:00' END,
            (SELECT path_ids(path) FROM org_unit WHERE id = $1), b.received_on + time '09:00'
       FROM generate_series(1, $5::int) k JOIN complaint_batch b ON b.batch_no = 1 + k % 730`,
    [dispatcherUnit, counties, TEXTS, TYPES, N],
  );
  await db.query(`INSERT INTO complaint_unit (case_id, unit_id, role) SELECT id, lead_unit_id, 'lead' FROM complaint_case`);
  await db.query(`UPDATE complaint_case c SET owner_scope = path_ids(o.path) FROM org_unit o WHERE o.id = c.lead_unit_id`);
  await db.query(`INSERT INTO complaint_deadline (case_id, version, deadline, kind, created_at)
                  SELECT id, 1, deadline, 'initial', transferred_at FROM complaint_case`);
  await db.query(`INSERT INTO complaint_verdict (case_id, seq, verdict, handling_summary, orders_issued, fines_wan, reported_at, review)
                  SELECT id, 1, (ARRAY['substantiated','mostly','partly','unfounded'])[1 + abs(hashtext(case_no)) % 4], '已处理', 1,
                         (abs(hashtext(case_no)) % 20) / 2.0, investigated_at, 'accepted'
                    FROM complaint_case WHERE investigated_at IS NOT NULL`);
  await db.query(`ALTER TABLE complaint_case ENABLE TRIGGER complaint_reader_insert, ENABLE TRIGGER complaint_reader_update`);
  await db.query(`ALTER TABLE complaint_verdict ENABLE TRIGGER complaint_reader_verdict`);
  await db.query(`SELECT complaint_reader_rebuild()`);
  await db.query('VACUUM ANALYZE');
}

/**
 * GET each path with each token at `concurrency` for `seconds` (after a second of warm-up), through
 * the load worker the item benchmark uses (its own thread, one lean connection per virtual user).
 */
async function load(
  port: number,
  paths: string[],
  tokens: string[],
  seconds: number,
  concurrency: number,
): Promise<{ p50: number; p99: number; n: number; errors: number; perList: number[]; cpu: CpuUse | null }> {
  const requests = tokens.flatMap((_, token) => paths.map((path, variant) => ({ path, token, variant })));
  const before = cpuSample(DATABASE_NAME);
  let after: CpuSample | null = null;
  const r = await runLoad({ kind: 'http-list', port, tokens, requests, concurrency, seconds, warmupSeconds: 1 }, () => {
    after = cpuSample(DATABASE_NAME);
  });
  const cpu = cpuUse(before, after);
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  const perPath = paths.map((): number[] => []);
  r.samples.forEach((ms, i) => perPath[r.variants[i]].push(ms));
  const all = sorted([...r.samples]);
  const perList = perPath.map((xs) => percentile(sorted(xs), 99));
  return { p50: percentile(all, 50), p99: percentile(all, 99), n: all.length, errors: r.errors, perList, cpu };
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}

/** Seeds the orgs, users and N cases into a fresh database (through the API's services for the first two). */
async function seedDatabase(): Promise<void> {
  await recreateDatabase(DATABASE_URL);
  const { app } = await startBenchApi(DATABASE_URL, REDIS_URL);
  const db = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  try {
    const orgs = app.get(OrgUnitsService);
    const users = app.get(UsersService);
    const city = await orgs.create(null, { code: 'BENCH', name: '基准市', kind: 'city' });
    const bureau = await orgs.create(null, { code: 'BENCH-DISP', name: '基准市督察办', kind: 'department', parentId: city.id });
    const counties: { id: string; name: string }[] = [];
    for (let i = 0; i < 11; i++)
      counties.push(await orgs.create(null, { code: `BC${i}`, name: `基准县${i}`, kind: 'county', parentId: city.id }));
    const mk = (email: string, unitId: string, roles: ('admin' | 'auditor' | 'dispatcher' | 'unit_officer')[]) =>
      users.create(null, { name: email.split('@')[0], email, unitId, roles, password: BENCH_PASSWORD });
    await mk('admin@bench.rectify.cn', city.id, ['admin']);
    await mk('auditor@bench.rectify.cn', city.id, ['auditor']);
    await mk('dispatcher@bench.rectify.cn', bureau.id, ['dispatcher']);
    for (let i = 0; i < 3; i++) await mk(`officer${i}@bench.rectify.cn`, counties[i].id, ['unit_officer']);
    const started = performance.now();
    await seedCases(
      db,
      bureau.id,
      counties.map((c) => c.id),
    );
    log(`seeded ${N} cases in ${ms(performance.now() - started)}`);
  } finally {
    await db.end();
    await app.close();
  }
}

/** DROP and CREATE database `to` as a copy of `from` (neither may have other sessions). */
async function copyDatabase(from: string, to: string): Promise<void> {
  const admin = new URL(DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${to}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${to}" TEMPLATE "${from}"`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const name = new URL(DATABASE_URL).pathname.slice(1);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a plain database, got "${name}"`);
  const seeded = `${name}_seeded`;
  log(`bench:complaints — ${N} cases, database ${name}`);
  if (REUSE) log(`reusing the cases seeded into ${seeded} by an earlier run`);
  else {
    await seedDatabase();
    await copyDatabase(name, seeded);
  }
  // Every run measures a copy of the seeded database, so the import finds no earlier run's batch.
  await copyDatabase(seeded, name);
  const ds0 = createDataSource({ url: DATABASE_URL, poolSize: 1, applicationName: 'rectify-bench-migrate' });
  await ds0.initialize();
  try {
    const ran = await migrate(ds0);
    if (ran.length) {
      log(`migrations run on the seeded copy: ${ran.join(', ')}`);
      await ds0.query('VACUUM ANALYZE');
    }
  } finally {
    await ds0.destroy();
  }
  const { app, baseUrl, port } = await startBenchApi(DATABASE_URL, REDIS_URL);
  const db = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  try {
    log(await postgresLine(db));
    const { rows: counties } = await db.query<{ id: string }>(
      `SELECT id FROM org_unit WHERE code LIKE 'BC%' ORDER BY substring(code from 3)::int`,
    );
    const {
      rows: [batch400],
    } = await db.query<{ id: string }>(`SELECT id FROM complaint_batch WHERE round = '基准督察' AND batch_no = 400`);

    const dispatcher = await login(baseUrl, 'dispatcher@bench.rectify.cn');
    const officers = await Promise.all([0, 1, 2].map((i) => login(baseUrl, `officer${i}@bench.rectify.cn`)));
    const lists: [string, string][] = [
      ['none', `/api/complaints`],
      ['state', `/api/complaints?state=transferred`],
      ['county+type', `/api/complaints?countyUnitId=${counties[4].id}&pollutionType=air`],
      ['dates+verdict', `/api/complaints?receivedFrom=2026-03-01&receivedTo=2026-03-31&verdict=partly`],
      ['batch', `/api/complaints?batchId=${batch400.id}`],
      ['text', `/api/complaints?q=${encodeURIComponent('洗煤')}`],
    ];
    const roles: [string, string[]][] = [
      ['dispatcher', [dispatcher]],
      ['officers', officers],
      ['admin', [await login(baseUrl, 'admin@bench.rectify.cn')]],
      ['auditor', [await login(baseUrl, 'auditor@bench.rectify.cn')]],
    ];
    const paths = lists.map(([, path]) => path);
    // Every role's lists for a second first: the copied database starts with a cold cache.
    for (const [, tokens] of roles) await load(port, paths, tokens, 1, 4);
    const listResults: [string, Awaited<ReturnType<typeof load>>][] = [];
    for (const [role, tokens] of roles) listResults.push([role, await load(port, paths, tokens, SECONDS, 10)]);

    const figures = app.get(ComplaintFiguresService);
    const ds = app.get(DataSource);
    const summaryUrl = `${baseUrl}/api/complaints/statistics/summary?asOf=2026-06-30`;
    const api = await timed(20, async () =>
      (await fetch(summaryUrl, { headers: { authorization: `Bearer ${dispatcher}` } })).arrayBuffer(),
    );
    const raw = await timed(20, () => db.query(figures.rawSummarySql(), ['2026-07-01T00:00:00+08:00']));

    const dup = await timed(200, () =>
      ds.transaction((m) =>
        findSimilar(m, {
          countyId: counties[Math.floor(Math.random() * 11)].id,
          receivedOn: '2026-06-15',
          content: `第${Math.floor(Math.random() * 97)}号乡镇${Math.floor(Math.random() * 13)}村${TEXTS[Math.floor(Math.random() * 10)]}，多次反映`,
        }),
      ),
    );

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('信访件');
    ws.addRow(['受理编号', '督察组交办编号', '受理日期', '举报内容', '行政区域', '污染类型', '举报人', '联系电话']);
    for (let i = 1; i <= IMPORT_ROWS; i++) {
      ws.addRow([
        `IMP-${i}`,
        `D${i}`,
        '2026-12-01',
        `导入乡镇${i % 50}村${TEXTS[i % 10]}，导入编号${i}`,
        `基准县${i % 11}`,
        '大气',
        '某先生',
        '13900000000',
      ]);
    }
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const batch = await fetch(`${baseUrl}/api/complaint-batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dispatcher}`, 'content-type': 'application/json' },
      body: JSON.stringify({ round: '基准导入', batchNo: 1, receivedOn: '2026-12-01', deadlineDays: 10, deadlineKind: 'calendar' }),
    });
    const batchId = ((await batch.json()) as { id: string }).id;
    const send = async (path: string, fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([file]), 'cases.xlsx');
      const res = await fetch(`${baseUrl}/api/complaint-batches/${batchId}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dispatcher}` },
        body: form,
      });
      return { status: res.status, body: (await res.json()) as { previewId: string; summary: { create: number } } };
    };
    const started = performance.now();
    const preview = await send('import-preview', {});
    const previewMs = performance.now() - started;
    const confirm = await send('import', { previewId: preview.body.previewId });
    const importMs = performance.now() - started;

    const p95 = (xs: number[]) => percentile(xs, 95);
    log();
    for (const [role, r] of listResults)
      log(
        `list, concurrency 10, ${SECONDS} s, ${role.padEnd(10)}: p50 ${ms(r.p50)}, p99 ${ms(r.p99)} (${r.n} requests, ${r.errors} errors); ` +
          `p99 by filter: ${r.perList.map((p, i) => `${lists[i][0]} ${ms(p)}`).join(', ')}` +
          (r.cpu
            ? `; CPU per request: API + load ${ms((r.cpu.node * SECONDS * 1000) / r.n)}, PostgreSQL ${ms((r.cpu.postgres * SECONDS * 1000) / r.n)}; other work on the machine ${r.cpu.other.toFixed(2)} cores`
            : ''),
      );
    log(`figures: API p95 ${ms(p95(api))}, raw SQL p95 ${ms(p95(raw))}, ratio ${(p95(api) / p95(raw)).toFixed(2)}`);
    log(`duplicate check per case: p50 ${ms(percentile(dup, 50))}, p95 ${ms(p95(dup))}`);
    log(
      `import of ${IMPORT_ROWS} rows: preview ${ms(previewMs)}, preview + confirm ${ms(importMs)} (${confirm.status}, ${confirm.body.summary?.create} created)`,
    );
    log();
    const ok = (b: boolean) => (b ? 'met' : 'NOT met');
    log(
      `targets: list p99 < 50 ms ${ok(Math.max(...listResults.map(([, r]) => r.p99)) < 50)}; figures ≤ 1.5× raw ${ok(p95(api) <= 1.5 * p95(raw))}; ` +
        `duplicate check < 50 ms ${ok(p95(dup) < 50)}; import < 3 s ${ok(importMs < 3000)}`,
    );
  } finally {
    await db.end();
    await app.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
