import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CalendarService } from '#calendar';
import { systemClock, type Actor, type Clock, type OrgUnitKind, type Role, type SourceType } from '#domain';
import { BatchesService, ItemWorkflow, ItemsService, TransitionService, type BatchView, type CreateItem, type ItemDetail } from '#items';
import { WorkflowRunner } from '#workflow';
import { AccessChanges, OrgUnitsService, PasswordHasher, UsersService, type OrgUnitView, type UserView } from '#org';

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

  constructor(
    readonly ds: DataSource,
    clock: Clock = systemClock,
  ) {
    this.history = new HistoryService(ds);
    this.units = new OrgUnitsService(ds, this.history, new AccessChanges());
    this.users = new UsersService(ds, this.history, new PasswordHasher(), new AccessChanges());
    this.batches = new BatchesService(ds, this.history, clock);
    this.calendar = new CalendarService(ds, this.history);
    this.transitions = new TransitionService(ds, new WorkflowRunner(ds, clock), new ItemWorkflow(this.calendar));
    this.items = new ItemsService(ds, this.history, this.transitions, clock, this.calendar);
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
