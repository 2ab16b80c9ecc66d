import type { DataSource } from 'typeorm';
import type { OrgUnitsService, UsersService } from '#org';
import { DEMO_PASSWORD, DEMO_UNITS, DEMO_USERS, type DemoUnit } from './demo-units.js';

export interface SeedResult {
  unitsCreated: number;
  usersCreated: number;
}

/** Loads the demo city and its users. Idempotent: what already exists (by code or e-mail) is left alone. */
export async function seedDemo(ds: DataSource, units: OrgUnitsService, users: UsersService): Promise<SeedResult> {
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

  for (const user of DEMO_USERS) {
    const existing = await ds.query<unknown[]>(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [user.email]);
    if (existing.length > 0) continue;
    const unitId = idByCode.get(user.unitCode);
    if (!unitId) throw new Error(`demo user ${user.email} names unknown unit ${user.unitCode}`);
    await users.create(null, { name: user.name, email: user.email, phone: user.phone, unitId, roles: user.roles, password: DEMO_PASSWORD });
    usersCreated += 1;
  }
  return { unitsCreated, usersCreated };
}
