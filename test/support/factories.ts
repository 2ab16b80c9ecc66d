import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CalendarService } from '#calendar';
import { systemClock, type Actor, type Clock, type OrgUnitKind, type Role, type SourceType } from '#domain';
import { BatchesService, ItemsService, TransitionService, type BatchView, type CreateItem, type ItemDetail } from '#items';
import { OrgUnitsService, UsersService, type OrgUnitView, type UserView } from '#org';
import { buildTestModule, type TestModuleOptions } from './test-module.js';

export const TEST_PASSWORD = 'Test-Password-2026';

/** Builds test data through the real services, with unique names so test files never collide. */
export class Factory {
  readonly history: HistoryService;
  readonly units: OrgUnitsService;
  readonly users: UsersService;
  readonly batches: BatchesService;
  readonly transitions: TransitionService;
  readonly items: ItemsService;
  readonly calendar: CalendarService;

  private constructor(
    readonly ds: DataSource,
    /** The services, wired by Nest on the test's database and clock (see buildTestModule). */
    readonly module: TestingModule,
  ) {
    this.history = module.get(HistoryService);
    this.units = module.get(OrgUnitsService);
    this.users = module.get(UsersService);
    this.batches = module.get(BatchesService);
    this.calendar = module.get(CalendarService);
    this.transitions = module.get(TransitionService);
    this.items = module.get(ItemsService);
  }

  /** A factory on a test database; `clock` is what its services read "now" from. Close it when done. */
  static async create(ds: DataSource, clock: Clock = systemClock, opts: Omit<TestModuleOptions, 'ds' | 'clock'> = {}): Promise<Factory> {
    return new Factory(ds, await buildTestModule({ ...opts, ds, clock }));
  }

  /** Any other service of the test module (statistics, snapshots, …). */
  get<T>(type: Type<T>): T {
    return this.module.get(type);
  }

  /** Closes the services; the test's DataSource stays open. */
  close(): Promise<void> {
    return this.module.close();
  }

  /** The policy's view of a user. */
  static actor(user: UserView, unit: OrgUnitView): Actor {
    return { userId: user.id, unitId: unit.id, unitPath: unit.path, roles: user.roles };
  }

  newBatch(
    dispatcher: Actor,
    opts: { sourceType?: SourceType; chain?: { level: string; unitId?: string | null }[]; noticeDays?: number } = {},
  ): Promise<BatchView> {
    const tag = Factory.tag();
    return this.batches.create(dispatcher, {
      code: `B-${tag}`,
      name: `测试批次-${tag}`,
      sourceType: opts.sourceType ?? 'self_found',
      acceptanceChain: opts.chain,
      noticeDays: opts.noticeDays,
    });
  }

  newItem(dispatcher: Actor, batch: BatchView, fields: Partial<CreateItem> = {}): Promise<ItemDetail> {
    return this.items.create(dispatcher, {
      batchId: batch.id,
      code: `I-${Factory.tag()}`,
      title: '测试整改事项',
      domain: 'air',
      type: 'deadline',
      goal: '按期完成整改',
      deadline: '2030-12-31',
      ...fields,
    });
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
