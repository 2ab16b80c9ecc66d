import path from 'node:path';
import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { AccessChanges, PasswordHasher, UsersService, type OrgUnitsService } from '#org';
import { DEMO_PASSWORD, DEMO_PROVINCE_UNIT, DEMO_STAFF, DEMO_UNITS, DEMO_USERS, type DemoUnit, type DemoUser } from './demo-units.js';
import { DemoClock, seedDemoItems } from './seed-demo-items.js';
import { seedDemoProjects } from './seed-demo-projects.js';
import { seedDemoComplaints } from './seed-demo-complaints.js';

export interface SeedResult {
  unitsCreated: number;
  usersCreated: number;
  batchesCreated: number;
  itemsCreated: number;
  projectsCreated: number;
  complaintsCreated: number;
}

export interface SeedOptions {
  /** Load the rectification ledger and the key projects too (default true); false loads only units and users. */
  items?: boolean;
  /** Where evidence files go: EVIDENCE_DIR, else .data/evidence (as the api reads them). */
  evidenceDir?: string;
  clock?: DemoClock;
  /** With the items, round 3's complaint cases too (default true; their own test loads them alone). */
  complaints?: boolean;
}

/** Serialises concurrent seeds (parallel test files, two starts at once) on one database. */
const SEED_LOCK = 7_301_001;

/** Hashes each password once: the many demo accounts share one password, and argon2id is slow on purpose. */
class OnceHasher extends PasswordHasher {
  private readonly hashes = new Map<string, Promise<string>>();

  override hash(password: string): Promise<string> {
    let hash = this.hashes.get(password);
    if (!hash) {
      hash = super.hash(password);
      this.hashes.set(password, hash);
    }
    return hash;
  }
}

/**
 * Loads the demo city, its users and its rectification ledger (batches and items driven through
 * their whole history). Idempotent: what already exists (units and batches by code, users by
 * e-mail, items by batch and code) is left alone.
 */
export async function seedDemo(
  ds: DataSource,
  units: OrgUnitsService,
  users: UsersService,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [SEED_LOCK]);
    return await seed(ds, units, users, options);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

async function seed(ds: DataSource, units: OrgUnitsService, users: UsersService, options: SeedOptions): Promise<SeedResult> {
  let unitsCreated = 0;
  let usersCreated = 0;
  const idByCode = new Map<string, string>();

  const ensureUnit = async (unit: DemoUnit, parentId: string | null, sortOrder: number): Promise<void> => {
    const existing = await ds.query<{ id: string }[]>(`SELECT id FROM org_unit WHERE code = $1`, [unit.code]);
    let id = existing[0]?.id;
    if (!id) {
      id = (await units.create(null, { code: unit.code, name: unit.name, kind: unit.kind, parentId, aliases: unit.aliases, sortOrder })).id;
      unitsCreated += 1;
    }
    idByCode.set(unit.code, id);
    for (const [index, child] of (unit.children ?? []).entries()) await ensureUnit(child, id, index + 1);
  };
  await ensureUnit(DEMO_UNITS, null, 0);
  await ensureUnit(DEMO_PROVINCE_UNIT, null, 1);

  const ensureUser = async (service: UsersService, user: DemoUser): Promise<void> => {
    const existing = await ds.query<unknown[]>(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [user.email]);
    if (existing.length > 0) return;
    const unitId = idByCode.get(user.unitCode);
    if (!unitId) throw new Error(`demo user ${user.email} names unknown unit ${user.unitCode}`);
    await service.create(null, {
      name: user.name,
      email: user.email,
      phone: user.phone,
      unitId,
      roles: user.roles,
      password: DEMO_PASSWORD,
    });
    usersCreated += 1;
  };
  for (const user of DEMO_USERS) await ensureUser(users, user);
  const staff = new UsersService(ds, new HistoryService(ds), new OnceHasher(), new AccessChanges());
  for (const user of DEMO_STAFF) await ensureUser(staff, user);

  if (options.items === false)
    return { unitsCreated, usersCreated, batchesCreated: 0, itemsCreated: 0, projectsCreated: 0, complaintsCreated: 0 };
  const people = [...DEMO_USERS, ...DEMO_STAFF];
  const evidenceDir = path.resolve(options.evidenceDir ?? process.env.EVIDENCE_DIR ?? '.data/evidence');
  const clock = options.clock ?? new DemoClock();
  const { batchesCreated, itemsCreated } = await seedDemoItems(ds, { people, evidenceDir, clock });
  const projectsCreated = await seedDemoProjects(ds, { people, evidenceDir, clock });
  const complaintsCreated = options.complaints === false ? 0 : await seedDemoComplaints(ds, { people, clock });
  return { unitsCreated, usersCreated, batchesCreated, itemsCreated, projectsCreated, complaintsCreated };
}
