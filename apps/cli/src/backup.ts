import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Backup and restore of a whole installation: the database (pg_dump, custom format) and the
 * evidence store, in one tar archive with a manifest of every file's size and SHA-256.
 */

const FORMAT = 'rectify-backup';
const FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const DUMP = 'database.dump';
const EVIDENCE = 'evidence';

/** Rows counted in the dump's own snapshot; a restore must find the same. */
const COUNTED_TABLES = ['org_unit', 'app_user', 'batch', 'item', 'history', 'evidence', 'project', 'milestone_evidence', 'outbox'] as const;

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  /** The newest migration the database had. */
  schema: string | null;
  rows: Record<string, number>;
  files: ManifestFile[];
}

export class BackupError extends Error {}

export interface BackupOptions {
  databaseUrl: string;
  evidenceDir: string;
  out: string;
}

export interface RestoreOptions {
  archive: string;
  databaseUrl: string;
  evidenceDir: string;
  /** Restore into a database (or evidence store) that already has data: its tables are dropped first. */
  force?: boolean;
}

/** pg_dump / pg_restore / tar: from PG_BIN_DIR when set (its major version must be the server's or newer), else PATH. */
function tool(name: string): string {
  return process.env.PG_BIN_DIR && name !== 'tar' ? path.join(process.env.PG_BIN_DIR, name) : name;
}

/** The URL without its password (that goes through PGPASSWORD, not the process list). */
function connection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

function exec(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool(command), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
    child.on('error', (e) =>
      reject(new BackupError(`${command} could not be run (${e.message}); install postgresql-client or set PG_BIN_DIR`)),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(`${command} failed (exit ${code}): ${stderr.trim()}`))));
  });
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every regular file under dir, as paths relative to base, sorted. */
async function filesUnder(dir: string, base: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(base, path.join(e.parentPath, e.name)))
    .sort();
}

async function describe(staging: string, relative: string): Promise<ManifestFile> {
  const file = path.join(staging, relative);
  return { path: relative.split(path.sep).join('/'), bytes: (await stat(file)).size, sha256: await sha256Of(file) };
}

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const found = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    rows[table] = Number(found.rows[0].n);
  }
  return rows;
}

/**
 * Dumps the database and copies the evidence store into one archive. The dump and the row counts
 * read one exported snapshot; the evidence is copied after it, so every file the dump refers to
 * is in the archive (files are content-addressed and never change; later uploads only add some).
 */
export async function backup(options: BackupOptions): Promise<Manifest> {
  const staging = await mkdtemp(path.join(os.tmpdir(), 'rectify-backup-'));
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'rectify-backup' });
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0].id;
    const rows = await countRows(client);
    const schema = (await client.query<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1`))
      .rows[0]?.name;
    const { url, env } = connection(options.databaseUrl);
    await exec(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, '--file', path.join(staging, DUMP), url],
      env,
    );
    await client.query('COMMIT');

    const evidence = path.join(staging, EVIDENCE);
    await mkdir(evidence);
    // tmp/ holds uploads still being received; they are not evidence yet.
    await cp(options.evidenceDir, evidence, { recursive: true, filter: (src) => path.relative(options.evidenceDir, src) !== 'tmp' }).catch(
      (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      },
    );
    const files = [await describe(staging, DUMP)];
    for (const f of await filesUnder(evidence, staging)) files.push(await describe(staging, f));
    const manifest: Manifest = {
      format: FORMAT,
      version: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      schema: schema ?? null,
      rows,
      files,
    };
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    await exec('tar', ['-cf', path.resolve(options.out), '-C', staging, MANIFEST, DUMP, EVIDENCE]);
    return manifest;
  } finally {
    await client.end().catch(() => {});
    await rm(staging, { recursive: true, force: true });
  }
}

/** Unpacks an archive and checks it against its manifest: every file listed, present, same size and SHA-256, nothing else. */
async function unpackVerified(archive: string, staging: string): Promise<Manifest> {
  await exec('tar', ['-xf', path.resolve(archive), '-C', staging, '--no-same-owner', '--no-same-permissions']);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(staging, MANIFEST), 'utf8')) as Manifest;
  } catch {
    throw new BackupError(`${archive} is not a Rectify backup (no readable ${MANIFEST})`);
  }
  if (manifest.format !== FORMAT || manifest.version !== FORMAT_VERSION || !Array.isArray(manifest.files)) {
    throw new BackupError(`${archive} is not a Rectify backup of format ${FORMAT} ${FORMAT_VERSION}`);
  }
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const found = (await filesUnder(staging, staging)).map((f) => f.split(path.sep).join('/')).filter((f) => f !== MANIFEST);
  const extra = found.filter((f) => !listed.has(f));
  if (extra.length > 0) throw new BackupError(`the archive has files its manifest does not list: ${extra.slice(0, 5).join(', ')}`);
  if (!listed.has(DUMP)) throw new BackupError(`the archive's manifest lists no ${DUMP}`);
  for (const f of manifest.files) {
    const file = path.join(staging, f.path);
    const bytes = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (bytes < 0) throw new BackupError(`the archive lacks ${f.path}, which its manifest lists`);
    if (bytes !== f.bytes || (await sha256Of(file)) !== f.sha256) {
      throw new BackupError(`checksum mismatch for ${f.path}: the archive is damaged or was altered; nothing was restored`);
    }
  }
  return manifest;
}

/** Names of the tables in the database's public schema (an empty database has none). */
async function tablesOf(client: pg.Client): Promise<string[]> {
  const found = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
  return found.rows.map((r) => r.name);
}

/**
 * Restores an archive into an empty database and evidence store (or, forced, over existing ones),
 * after checking every checksum; then checks what was restored: the same row counts, every
 * evidence file the database names present with its recorded SHA-256. History chains are checked
 * by the caller (it has the audit service).
 */
export async function restore(options: RestoreOptions): Promise<{ manifest: Manifest; evidenceFilesChecked: number }> {
  const staging = await mkdtemp(path.join(os.tmpdir(), 'rectify-restore-'));
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'rectify-restore' });
  try {
    const manifest = await unpackVerified(options.archive, staging);
    await client.connect();
    const tables = await tablesOf(client);
    const evidenceTarget = path.resolve(options.evidenceDir);
    const existingFiles = await filesUnder(evidenceTarget, evidenceTarget);
    if (!options.force && (tables.length > 0 || existingFiles.length > 0)) {
      const what = tables.length > 0 ? `the database has ${tables.length} tables` : `${evidenceTarget} has ${existingFiles.length} files`;
      throw new BackupError(
        `refusing to restore over existing data (${what}); restore into an empty database, or pass --force to replace it`,
      );
    }
    if (tables.length > 0) await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const { url, env } = connection(options.databaseUrl);
    await exec(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', url, path.join(staging, DUMP)],
      env,
    );
    // Evidence files are content-addressed: one already present under a name has that content.
    await mkdir(evidenceTarget, { recursive: true });
    await cp(path.join(staging, EVIDENCE), evidenceTarget, { recursive: true, force: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });

    const rows = await countRows(client);
    const differing = Object.keys(manifest.rows).filter((t) => rows[t] !== manifest.rows[t]);
    if (differing.length > 0) {
      throw new BackupError(
        `restored row counts differ from the backup's: ${differing.map((t) => `${t} ${rows[t]} ≠ ${manifest.rows[t]}`).join(', ')}`,
      );
    }
    const named = await client.query<{ key: string; sha256: string }>(
      `SELECT DISTINCT storage_key AS key, sha256 FROM (SELECT storage_key, sha256 FROM evidence UNION ALL SELECT storage_key, sha256 FROM milestone_evidence) e`,
    );
    for (const { key, sha256 } of named.rows) {
      const file = path.join(evidenceTarget, key);
      const actual = await sha256Of(file).catch(() => null);
      if (actual !== sha256)
        throw new BackupError(`evidence file ${key} is ${actual ? 'different from what the database records' : 'missing'}`);
    }
    return { manifest, evidenceFilesChecked: named.rows.length };
  } finally {
    await client.end().catch(() => {});
    await rm(staging, { recursive: true, force: true });
  }
}
