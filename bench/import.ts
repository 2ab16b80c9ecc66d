/**
 * `npm run bench:import`: ledger import, ledger export and plan decomposition against their targets.
 *
 *  - preview + confirm of a 10,000-row ledger (.xlsx) into a batch, through HTTP (target < 5 s);
 *  - export of 100,000 items as .xlsx, streamed through HTTP (target < 10 s), with the process's
 *    peak RSS growth while it runs (target < 200 MB); the items are loaded by further imports;
 *  - decomposition of a generated 100-page plan (~150,000 characters): the parser alone and
 *    POST /api/decompositions (target < 1 s).
 *
 * Settings: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rectify_bench_import;
 * dropped and re-created), REDIS_URL (default redis://127.0.0.1:6379/14), BENCH_EXPORT_ITEMS (100,000),
 * BENCH_ONLY (the parts to run, default "import,export,decomposition"), BENCH_PROFILE (a directory:
 * a CPU profile of the preview and of the confirm, with where the API's time went).
 *
 * Each import step also reports the CPU seconds the API process and PostgreSQL spent on it, and
 * how busy the rest of the machine was meanwhile (other work on a 2-core machine skews the time).
 * BENCH_ONLY=export with BENCH_REUSE_DATABASE=true times the export alone on the database an earlier
 * run left, when it holds the items.
 */
import ExcelJS from 'exceljs';
import pg from 'pg';
import { decomposePlan } from '#domain';
import { OrgUnitsService, UsersService } from '#org';
import { BENCH_PASSWORD, recreateDatabase } from './lib/seed.js';
import { cpuSample, cpuUse } from './lib/cpu.js';
import { intEnv, log, login, startBenchApi } from './lib/harness.js';
import { MainThreadProfiler } from './lib/profile.js';

const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rectify_bench_import';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const EXPORT_ITEMS = intEnv('BENCH_EXPORT_ITEMS', 100_000);
const ONLY = new Set((env.BENCH_ONLY ?? 'import,export,decomposition').split(',').map((p) => p.trim()));
// Only the export, on an earlier run's items (loading 100,000 items through imports takes minutes).
const REUSE_FOR_EXPORT = env.BENCH_REUSE_DATABASE === 'true' && ONLY.size === 1 && ONLY.has('export');
const DISPATCHER = 'dispatcher@bench.rectify.cn';
const PROFILER = env.BENCH_PROFILE ? new MainThreadProfiler(env.BENCH_PROFILE) : null;
const LEDGER_ROWS = 10_000;
const MiB = 1024 * 1024;

const DOMAINS = ['大气', '水', '土壤', '固废', '生态'];

async function ledger(rows: number, units: string[], counties: string[], prefix: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('整改台账');
  ws.addRow([
    '编号',
    '问题',
    '反馈问题原文',
    '领域',
    '行政区',
    '整改目标',
    '整改措施',
    '牵头单位',
    '配合单位',
    '责任人',
    '整改时限',
    '整改类型',
  ]);
  for (let i = 1; i <= rows; i++) {
    ws.addRow([
      `${prefix}-${String(i).padStart(5, '0')}`,
      `第${i}个反馈问题：工业园区污水管网错接混接`,
      `督察发现，第${i}号点位存在污水管网错接、混接、漏接问题，雨季溢流污染河道，群众反映强烈。`,
      DOMAINS[i % DOMAINS.length],
      counties[i % counties.length],
      '管网错接混接问题全部整改到位',
      '全面排查园区污水管网，建立问题清单，逐一整改销号。',
      `${units[i % units.length]}、${units[(i + 3) % units.length]}`,
      units[(i + 7) % units.length],
      `责任人${i % 50}`,
      ['2026-06-30', '2026/9/30', '2026年12月31日', '2026年10月底', '长期坚持'][i % 5],
      i % 5 === 4 ? '长期坚持' : '限期整改',
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function plan(pages: number): string {
  const lines: string[] = ['某市人民政府办公室关于印发某市2026年生态环境保护重点任务分工方案的通知', '某政办发〔2026〕9号', ''];
  let task = 0;
  for (let section = 1; lines.join('\n').length < pages * 1500; section++) {
    lines.push(`${'一二三四五六七八九十'[(section - 1) % 10]}、重点任务第${section}部分`);
    for (let sub = 1; sub <= 4; sub++) {
      lines.push(`（${'一二三四'[sub - 1]}）工作方向${sub}`);
      for (let k = 0; k < 5; k++) {
        task++;
        lines.push(
          `${task}. 推进第${task}项重点工作。全面排查问题清单，2026 年 ${1 + (task % 12)} 月底前完成排查，12 月底前完成整治，` +
            `确保问题整改到位、长效机制健全、群众满意度明显提升。（市生态环境局牵头，市工信局、市住建局等部门按职责分工负责）`,
        );
        if (task % 8 === 0) lines.push(`- ${Math.ceil(task / 8)} -`);
      }
    }
  }
  return lines.join('\n');
}

/** Runs one step, with its wall time, the CPU it cost (API process, PostgreSQL) and the rest of the machine's load. */
async function timed<T>(name: string, database: string, step: () => Promise<T>): Promise<{ result: T; ms: number; line: string }> {
  await PROFILER?.start();
  const before = cpuSample(database);
  const t0 = performance.now();
  const result = await step();
  const ms = performance.now() - t0;
  const use = cpuUse(before, cpuSample(database));
  const profile = await PROFILER?.stop(name);
  const cpu = use
    ? `CPU: api ${((use.node * ms) / 1000).toFixed(2)} s, postgres ${((use.postgres * ms) / 1000).toFixed(2)} s, other processes ${use.other.toFixed(1)} cores`
    : '';
  const top = profile
    ? `; api by package: ${profile.byCaller.map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')} (${profile.file})`
    : '';
  return { result, ms, line: `  ${name} ${(ms / 1000).toFixed(2)} s; ${cpu}${top}` };
}

/** Whether the database exists and holds at least `n` items. */
async function holdsItems(n: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM item');
    return rows[0].n >= n;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function timeExport(baseUrl: string, auth: Record<string, string>): Promise<void> {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/api/items/export?sort=code`, { headers: auth });
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  const exportMs = performance.now() - t0;
  clearInterval(timer);
  const growth = (peak - rssBefore) / MiB;
  const exportS = exportMs / 1000;
  log(
    `ledger export, ${EXPORT_ITEMS} items (${(bytes / MiB).toFixed(1)} MiB .xlsx): ${exportS.toFixed(2)} s (target < 10 s) ${exportS < 10 ? 'MET' : 'NOT MET'}; ` +
      `peak RSS growth ${growth.toFixed(0)} MB (target < 200 MB) ${growth < 200 ? 'MET' : 'NOT MET'} (the api and this client share the process)`,
  );
}

async function main(): Promise<void> {
  log(`bench:import — database ${new URL(DATABASE_URL).pathname.slice(1)}`);
  if (REUSE_FOR_EXPORT && (await holdsItems(EXPORT_ITEMS))) {
    const { app, baseUrl } = await startBenchApi(DATABASE_URL, REDIS_URL);
    try {
      await timeExport(baseUrl, { authorization: `Bearer ${await login(baseUrl, DISPATCHER)}` });
    } finally {
      await app.close();
    }
    return;
  }
  await recreateDatabase(DATABASE_URL);
  const { app, baseUrl } = await startBenchApi(DATABASE_URL, REDIS_URL);
  try {
    const orgs = app.get(OrgUnitsService);
    const users = app.get(UsersService);
    const city = await orgs.create(null, { code: 'BENCH', name: '基准市', kind: 'city' });
    const bureau = await orgs.create(null, { code: 'BENCH-DISP', name: '基准市督察办', kind: 'department', parentId: city.id });
    const units: string[] = [];
    for (let i = 0; i < 30; i++)
      units.push((await orgs.create(null, { code: `BU${i}`, name: `基准部门${i}`, kind: 'department', parentId: city.id })).name);
    const counties: string[] = [];
    for (let i = 0; i < 11; i++)
      counties.push((await orgs.create(null, { code: `BC${i}`, name: `基准县${i}`, kind: 'county', parentId: city.id })).name);
    await users.create(null, {
      name: '调度员',
      email: DISPATCHER,
      unitId: bureau.id,
      roles: ['dispatcher'],
      password: BENCH_PASSWORD,
    });
    const auth = { authorization: `Bearer ${await login(baseUrl, DISPATCHER)}` };
    const newBatch = async (i: number): Promise<string> => {
      const res = await fetch(`${baseUrl}/api/batches`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ code: `BB${i}`, name: `基准批次${i}`, sourceType: 'provincial_inspection' }),
      });
      return ((await res.json()) as { id: string }).id;
    };
    const post = async (
      url: string,
      file: Buffer,
      fields: Record<string, string> = {},
    ): Promise<{ status: number; body: Record<string, unknown> }> => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([file]), 'ledger.xlsx');
      const res = await fetch(`${baseUrl}${url}`, { method: 'POST', headers: auth, body: form });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const database = new URL(DATABASE_URL).pathname.slice(1);
    // 1. preview + confirm of 10,000 rows
    const file = await ledger(LEDGER_ROWS, units, counties, 'L0');
    const batchId = await newBatch(0);
    const preview = await timed('preview', database, () => post(`/api/batches/${batchId}/ledger-import/preview`, file));
    if (preview.result.status !== 200 || !preview.result.body.confirmable)
      throw new Error(`preview failed: ${preview.result.status} ${JSON.stringify(preview.result.body).slice(0, 500)}`);
    const confirm = await timed('confirm', database, () =>
      post(`/api/batches/${batchId}/ledger-import`, file, { previewId: String(preview.result.body.previewId) }),
    );
    if (confirm.result.status !== 201) throw new Error(`confirm failed: ${confirm.result.status} ${JSON.stringify(confirm.result.body)}`);
    const importS = (preview.ms + confirm.ms) / 1000;
    log(
      `ledger import, ${LEDGER_ROWS} rows (${(file.length / MiB).toFixed(1)} MiB): preview ${(preview.ms / 1000).toFixed(2)} s + confirm ${(confirm.ms / 1000).toFixed(2)} s = ${importS.toFixed(2)} s (target < 5 s) ${importS < 5 ? 'MET' : 'NOT MET'}`,
    );
    log(preview.line);
    log(confirm.line);

    // 2. export of EXPORT_ITEMS items
    if (ONLY.has('export')) {
      for (let b = 1; b * LEDGER_ROWS < EXPORT_ITEMS; b++) {
        const id = await newBatch(b);
        const f = await ledger(Math.min(LEDGER_ROWS, EXPORT_ITEMS - b * LEDGER_ROWS), units, counties, `L${b}`);
        const p = await post(`/api/batches/${id}/ledger-import/preview`, f);
        const c = await post(`/api/batches/${id}/ledger-import`, f, { previewId: String(p.body.previewId) });
        if (c.status !== 201) throw new Error(`load failed: ${c.status}`);
      }
      await timeExport(baseUrl, auth);
    }

    // 3. decomposition of a 100-page plan
    if (ONLY.has('decomposition')) {
      const text = plan(100);
      decomposePlan(text);
      let t0 = performance.now();
      const parsed = decomposePlan(text);
      const parseMs = performance.now() - t0;
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(text)]), 'plan.txt');
      t0 = performance.now();
      const dres = await fetch(`${baseUrl}/api/decompositions`, { method: 'POST', headers: auth, body: form });
      const dbody = (await dres.json()) as { tasks: unknown[] };
      const httpMs = performance.now() - t0;
      if (dres.status !== 200) throw new Error(`decomposition failed: ${dres.status}`);
      log(
        `decomposition, ~100 pages (${text.length} characters, ${parsed.tasks.length} tasks): parser ${parseMs.toFixed(0)} ms, ` +
          `POST /api/decompositions ${httpMs.toFixed(0)} ms with ${dbody.tasks.length} tasks (target < 1 s) ${httpMs < 1000 ? 'MET' : 'NOT MET'}`,
      );
    }
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
