import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { HistoryService } from '#audit';
import { DomainError } from '#domain';
import { AccessChanges, OrgUnitsService, PasswordHasher, UsersService } from '#org';
import { createDataSource, migrate } from '#persistence';
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

Needs DATABASE_URL.`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!command || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!url) throw new Error('DATABASE_URL is required but not set');
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
            `${result.itemsCreated} items, ${result.projectsCreated} key projects created (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
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
