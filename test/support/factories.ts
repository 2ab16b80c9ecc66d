import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import type { OrgUnitKind, Role } from '#domain';
import { OrgUnitsService, PasswordHasher, UsersService, type OrgUnitView, type UserView } from '#org';

export const TEST_PASSWORD = 'Test-Password-2026';

/** Builds test data through the real services, with unique names so test files never collide. */
export class Factory {
  readonly history: HistoryService;
  readonly units: OrgUnitsService;
  readonly users: UsersService;

  constructor(readonly ds: DataSource) {
    this.history = new HistoryService(ds);
    this.units = new OrgUnitsService(ds, this.history);
    this.users = new UsersService(ds, this.history, new PasswordHasher());
  }

  static tag(): string {
    return randomUUID().slice(0, 8);
  }

  newUnit(opts: { parent?: OrgUnitView; kind?: OrgUnitKind; name?: string; aliases?: string[] } = {}): Promise<OrgUnitView> {
    const tag = Factory.tag();
    return this.units.create(null, {
      code: `T-${tag}`,
      name: opts.name ?? `测试单位-${tag}`,
      kind: opts.kind ?? (opts.parent ? 'department' : 'city'),
      parentId: opts.parent?.id ?? null,
      aliases: opts.aliases,
    });
  }

  newUser(unit: OrgUnitView, roles: Role[], opts: { email?: string; password?: string } = {}): Promise<UserView> {
    const tag = Factory.tag();
    return this.users.create(null, {
      name: `用户-${tag}`,
      email: opts.email ?? `user-${tag}@test.rectify.cn`,
      unitId: unit.id,
      roles,
      password: opts.password ?? TEST_PASSWORD,
    });
  }
}
