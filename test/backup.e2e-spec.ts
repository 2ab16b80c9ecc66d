import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { createDataSource } from '#persistence';
import { StatisticsService } from '#statistics';
import { sha256Of } from '../apps/cli/src/backup.js';
import { DEMO_AS_OF } from '../apps/cli/src/demo/demo-batches.js';
import { seedDemo } from '../apps/cli/src/demo/seed-demo.js';
import { ensureTestDatabase, openTestDataSource, separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';
import { buildTestModule } from './support/test-module.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Runs the real CLI (apps/cli/src/main.ts) in a child process, as an operator would. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', './test/support/ts-register.mjs', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

function tar(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar ${args.join(' ')} exited with ${code}`))));
  });
}

interface Fingerprint {
  items: unknown[];
  figuresNow: unknown;
  figuresAsOf: unknown;
  evidence: { key: string; sha256: string }[];
  history: { rows: number; entities: number; firstBreak: unknown };
}

const auditor = { userId: randomUUID(), unitId: randomUUID(), unitPath: '/x/', roles: ['auditor' as const] };

/** What must survive a backup and restore: every item, the figures now and as of a past day, the evidence, the history. */
async function fingerprint(ds: DataSource): Promise<Fingerprint> {
  const services = await buildTestModule({ ds });
  const stats = services.get(StatisticsService);
  const figures = async (asOf: Parameters<StatisticsService['summary']>[2]): Promise<unknown> =>
    (await stats.summary(auditor, {}, asOf)).figures.map((f) => [f.key, f.value]);
  const verified = await services.get(HistoryService).verify();
  const print = {
    items: await ds.query(
      `SELECT i.id, i.code, i.state, i.version, i.title,
              (SELECT max(h.seq) FROM history h WHERE h.entity_type = 'item' AND h.entity_id = i.id) AS last_seq
         FROM item i ORDER BY i.id`,
    ),
    figuresNow: await figures({ kind: 'now' }),
    figuresAsOf: await figures({ kind: 'date', date: DEMO_AS_OF }),
    evidence: await ds.query(
      `SELECT storage_key AS key, sha256 FROM evidence UNION SELECT storage_key, sha256 FROM milestone_evidence ORDER BY 1, 2`,
    ),
    history: { rows: verified.checkedRows, entities: verified.checkedEntities, firstBreak: verified.firstBreak },
  };
  await services.close();
  return print;
}

async function tableCount(ds: DataSource): Promise<number> {
  const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
  return n;
}

describe('backup and restore (CLI processes, pg_dump/pg_restore, PostgreSQL, evidence on disk)', () => {
  const source = separateDatabaseUrl('backup_src');
  const target = separateDatabaseUrl('backup_dst');
  let work: string;
  let sourceEvidence: string;
  let targetEvidence: string;
  let archive: string;
  let src: DataSource;
  let before: Fingerprint;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'rectify-backup-test-'));
    sourceEvidence = path.join(work, 'evidence-src');
    targetEvidence = path.join(work, 'evidence-dst');
    archive = path.join(work, 'rectify.tar');
    src = await openTestDataSource(source);
    opened.push(src);
    const f = await Factory.create(src);
    await seedDemo(src, f.units, f.users, { evidenceDir: sourceEvidence, complaints: false });
    await f.close();
    before = await fingerprint(src);
  }, 300_000);

  afterAll(async () => {
    for (const ds of opened) await ds.destroy().catch(() => {});
    await rm(work, { recursive: true, force: true });
  });

  async function open(url: string): Promise<DataSource> {
    const ds = await openTestDataSource(url);
    opened.push(ds);
    return ds;
  }

  it('backs up the demo database and its evidence, and restores both into an empty database: same items, figures, files and intact history', async () => {
    expect(before.items.length).toBe(138);
    expect(before.evidence.length).toBeGreaterThan(0);
    expect(before.history.firstBreak).toBeNull();

    const made = await cli(['backup', '--out', archive], { DATABASE_URL: source, EVIDENCE_DIR: sourceEvidence });
    expect(made).toEqual({ code: 0, out: expect.stringContaining('138 items') });

    await ensureTestDatabase(target);
    const restored = await cli(['restore', '--from', archive], { DATABASE_URL: target, EVIDENCE_DIR: targetEvidence });
    expect(restored).toEqual({ code: 0, out: expect.stringContaining(`${before.history.rows} history rows checked`) });

    const dst = await open(target); // the migrations find nothing to do: the restored schema is recorded as migrated
    expect(await fingerprint(dst)).toEqual(before);
    // Every file the restored database names is on disk with its recorded SHA-256.
    for (const { key, sha256 } of before.evidence) expect(await sha256Of(path.join(targetEvidence, key))).toBe(sha256);
  }, 180_000);

  it('refuses to restore over a database or evidence store that has data, unless forced', async () => {
    const dst = await open(target);
    await dst.query(`UPDATE org_unit SET sort_order = sort_order + 1`);
    const refused = await cli(['restore', '--from', archive], { DATABASE_URL: target, EVIDENCE_DIR: targetEvidence });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/refusing to restore over existing data \(the database has \d+ tables\)/);

    const emptyDb = separateDatabaseUrl('backup_dst_files');
    await ensureTestDatabase(emptyDb);
    const filesThere = await cli(['restore', '--from', archive], { DATABASE_URL: emptyDb, EVIDENCE_DIR: targetEvidence });
    expect(filesThere.code).toBe(1);
    expect(filesThere.out).toMatch(/refusing to restore over existing data \(.*evidence-dst has \d+ files\)/);

    const forced = await cli(['restore', '--from', archive, '--force'], { DATABASE_URL: target, EVIDENCE_DIR: targetEvidence });
    expect(forced.code).toBe(0);
    const again = await open(target);
    expect(await fingerprint(again)).toEqual(before);
  }, 180_000);

  it('refuses an altered archive (checksum) and writes nothing', async () => {
    const unpacked = path.join(work, 'tampered');
    await mkdir(unpacked);
    await tar(['-xf', archive, '-C', unpacked]);
    const [prefix] = (await readdir(path.join(unpacked, 'evidence'))).filter((d) => d !== 'tmp');
    const [file] = await readdir(path.join(unpacked, 'evidence', prefix));
    await writeFile(path.join(unpacked, 'evidence', prefix, file), 'not the evidence that was uploaded');
    const tampered = path.join(work, 'tampered.tar');
    await tar(['-cf', tampered, '-C', unpacked, 'manifest.json', 'database.dump', 'evidence']);

    const empty = separateDatabaseUrl('backup_dst_tampered');
    await ensureTestDatabase(empty);
    const evidence = path.join(work, 'evidence-tampered');
    const refused = await cli(['restore', '--from', tampered], { DATABASE_URL: empty, EVIDENCE_DIR: evidence });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`checksum mismatch for evidence/${prefix}/${file}`);

    const ds = createDataSource({ url: empty, poolSize: 1 }); // not migrated: look at what the restore left
    await ds.initialize();
    opened.push(ds);
    expect(await tableCount(ds)).toBe(0);
    await expect(readdir(evidence)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);
});
