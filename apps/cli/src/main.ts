import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { HistoryService } from '#audit';
import { DomainError } from '#domain';
import { AccessChanges, OrgUnitsService, PasswordHasher, UsersService } from '#org';
import { createDataSource, migrate } from '#persistence';
import { backup, restore } from './backup.js';
import { createAdmin } from './create-admin.js';
import { seedDemo } from './demo/seed-demo.js';

const USAGE = `rectify cli

  migrate                        run pending database migrations
  seed-demo                      load the demo city, its units, demo users and a rectification
                                 ledger driven through its history (idempotent); evidence files
                                 go to EVIDENCE_DIR (default .data/evidence)
  create-admin --email E --name N --unit-code C [--password P]
                                 create the first administrator; the password may also come
                                 from RECTIFY_ADMIN_PASSWORD. Creates the root unit C if no unit exists.
  backup --out FILE.tar          the database (pg_dump, custom format) and the evidence store
                                 (EVIDENCE_DIR) in one archive with a manifest of SHA-256 checksums
  restore --from FILE.tar [--force]
                                 checks every checksum, restores into an empty database and
                                 evidence store (--force: replace what is there), then checks row
                                 counts, evidence files and every history chain

Needs DATABASE_URL. pg_dump and pg_restore come from PATH, or PG_BIN_DIR.`;

const evidenceDir = (): string => process.env.EVIDENCE_DIR ?? '.data/evidence';

/** Checks every history chain of a database; returns the rows checked or throws naming the first break. */
async function verifyHistory(url: string): Promise<number> {
  const ds = createDataSource({ url, poolSize: 1, applicationName: 'rectify-cli' });
  await ds.initialize();
  try {
    const result = await new HistoryService(ds).verify();
    if (result.firstBreak) throw new Error(`history chain broken after restore: ${JSON.stringify(result.firstBreak)}`);
    return result.checkedRows;
  } finally {
    await ds.destroy();
  }
}

/** backup and restore work on the database with pg_dump/pg_restore, not through a DataSource. */
async function backupOrRestore(command: 'backup' | 'restore', args: string[], url: string): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, from: { type: 'string' }, force: { type: 'boolean' } } });
  if (command === 'backup') {
    if (!values.out) throw new Error('backup needs --out FILE.tar');
    const manifest = await backup({ databaseUrl: url, evidenceDir: evidenceDir(), out: values.out });
    const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    process.stdout.write(
      `backup written to ${values.out}: ${manifest.rows.item} items, ${manifest.rows.history} history rows, ` +
        `${manifest.files.length - 1} evidence files, ${(bytes / 1048576).toFixed(1)} MiB\n`,
    );
    return;
  }
  if (!values.from) throw new Error('restore needs --from FILE.tar');
  const { manifest, evidenceFilesChecked } = await restore({
    archive: values.from,
    databaseUrl: url,
    evidenceDir: evidenceDir(),
    force: values.force,
  });
  const historyRows = await verifyHistory(url);
  process.stdout.write(
    `restored the backup of ${manifest.createdAt}: ${manifest.rows.item} items; ${evidenceFilesChecked} evidence files and ` +
      `${historyRows} history rows checked\n`,
  );
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!command || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!url) throw new Error('DATABASE_URL is required but not set');
  if (command === 'backup' || command === 'restore') return backupOrRestore(command, rest, url);
  const ds = createDataSource({ url, poolSize: 3, applicationName: 'rectify-cli' });
  await ds.initialize();
  try {
    const history = new HistoryService(ds);
    const units = new OrgUnitsService(ds, history, new AccessChanges());
    const users = new UsersService(ds, history, new PasswordHasher(), new AccessChanges());
    switch (command) {
      case 'migrate': {
        const ran = await migrate(ds);
        process.stdout.write(ran.length ? `migrated: ${ran.join(', ')}\n` : 'database is up to date\n');
        break;
      }
      case 'seed-demo': {
        const started = Date.now();
        const result = await seedDemo(ds, units, users);
        process.stdout.write(
          `demo data: ${result.unitsCreated} units, ${result.usersCreated} users, ${result.batchesCreated} batches and ` +
            `${result.itemsCreated} items, ${result.projectsCreated} key projects, ${result.complaintsCreated} complaint cases created (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
        );
        break;
      }
      case 'create-admin': {
        const { values } = parseArgs({
          args: rest,
          options: { email: { type: 'string' }, name: { type: 'string' }, 'unit-code': { type: 'string' }, password: { type: 'string' } },
        });
        const password = values.password ?? process.env.RECTIFY_ADMIN_PASSWORD;
        if (!values.email || !values.name || !values['unit-code'] || !password) {
          throw new Error('create-admin needs --email, --name, --unit-code and a password (--password or RECTIFY_ADMIN_PASSWORD)');
        }
        const user = await createAdmin(ds, units, users, {
          email: values.email,
          name: values.name,
          unitCode: values['unit-code'],
          password,
        });
        process.stdout.write(`administrator ${user.email} created (id ${user.id})\n`);
        break;
      }
      default:
        throw new Error(`unknown command ${command}\n\n${USAGE}`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  const message = e instanceof DomainError ? `${e.code}: ${e.message} ${JSON.stringify(e.details ?? {})}` : (e as Error).message;
  process.stderr.write(`rectify cli: ${message}\n`);
  process.exit(1);
});
