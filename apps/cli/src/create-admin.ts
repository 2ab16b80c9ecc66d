import type { DataSource } from 'typeorm';
import { assertPasswordPolicy, type OrgUnitsService, type UsersService, type UserView } from '#org';

export interface CreateAdminInput {
  email: string;
  name: string;
  unitCode: string;
  password: string;
}

/**
 * Creates an administrator in the unit with the given code. On an empty installation the unit
 * does not exist yet: it is created as the root (a city) so the admin can build the tree from there.
 */
export async function createAdmin(ds: DataSource, units: OrgUnitsService, users: UsersService, input: CreateAdminInput): Promise<UserView> {
  assertPasswordPolicy(input.password, input.email); // before anything is written
  const found = await ds.query<{ id: string }[]>(`SELECT id FROM org_unit WHERE code = $1`, [input.unitCode]);
  const unitId = found[0]?.id ?? (await units.create(null, { code: input.unitCode, name: input.unitCode, kind: 'city' })).id;
  return users.create(null, { email: input.email, name: input.name, unitId, roles: ['admin'], password: input.password });
}
