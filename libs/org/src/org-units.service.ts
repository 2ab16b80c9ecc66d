import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import { DomainError, childPath, normalizeUnitName, type Actor, type OrgUnitKind } from '#domain';
import { OrgUnitAliasEntity, OrgUnitEntity, escapeLike, isUniqueViolation, pgConstraint } from '#persistence';
import { AccessChanges } from './access-changes.js';
import { UnitDirectory } from './unit-directory.js';

export interface OrgUnitView {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
  sortOrder: number;
  active: boolean;
  aliases: string[];
  version: number;
}

export interface OrgUnitTreeNode extends OrgUnitView {
  children: OrgUnitTreeNode[];
}

export interface CreateOrgUnit {
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId?: string | null;
  aliases?: string[];
  sortOrder?: number;
}

export interface UpdateOrgUnit {
  version: number;
  name?: string;
  kind?: OrgUnitKind;
  parentId?: string | null;
  aliases?: string[];
  sortOrder?: number;
  active?: boolean;
}

export const ORG_UNIT_ENTITY = 'org_unit';

@Injectable()
export class OrgUnitsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly history: HistoryService,
    private readonly access: AccessChanges,
  ) {}

  async list(filter: { q?: string; kind?: OrgUnitKind; parentId?: string; activeOnly?: boolean } = {}): Promise<OrgUnitView[]> {
    const qb = this.dataSource.getRepository(OrgUnitEntity).createQueryBuilder('u').orderBy('u.path').addOrderBy('u.sort_order');
    if (filter.kind) qb.andWhere('u.kind = :kind', { kind: filter.kind });
    if (filter.parentId) qb.andWhere('u.parent_id = :parentId', { parentId: filter.parentId });
    if (filter.activeOnly) qb.andWhere('u.active');
    if (filter.q) {
      qb.andWhere(
        `(u.name ILIKE :q OR u.code ILIKE :q OR EXISTS (SELECT 1 FROM org_unit_alias a WHERE a.unit_id = u.id AND a.alias ILIKE :q))`,
        { q: `%${escapeLike(normalizeUnitName(filter.q))}%` },
      );
    }
    const units = await qb.getMany();
    return this.withAliases(units);
  }

  async tree(): Promise<OrgUnitTreeNode[]> {
    const units = await this.list();
    const nodes = new Map(units.map((u) => [u.id, { ...u, children: [] as OrgUnitTreeNode[] }]));
    const roots: OrgUnitTreeNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    const sort = (list: OrgUnitTreeNode[]): void => {
      list.sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh'));
      list.forEach((n) => sort(n.children));
    };
    sort(roots);
    return roots;
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<OrgUnitView> {
    const unit = await manager.findOne(OrgUnitEntity, { where: { id } });
    if (!unit) throw DomainError.notFound('org_unit', id);
    const [view] = await this.withAliases([unit], manager);
    return view;
  }

  /** Every active unit by name, code and alias, to resolve and suggest many names at once. */
  async directory(manager: EntityManager = this.dataSource.manager): Promise<UnitDirectory> {
    const rows = await manager.query<{ id: string; name: string; code: string; aliases: string[] }[]>(
      `SELECT u.id, u.name, u.code, coalesce(array_agg(a.alias) FILTER (WHERE a.alias IS NOT NULL), '{}') AS aliases
         FROM org_unit u LEFT JOIN org_unit_alias a ON a.unit_id = u.id WHERE u.active GROUP BY u.id ORDER BY u.path`,
    );
    return new UnitDirectory(rows);
  }

  /**
   * Adds an alias to a unit inside the caller's transaction (a dispatcher mapping a name of an
   * imported ledger), with its history row; a name that is already a unit's name or alias is left as it is.
   */
  async addAlias(m: EntityManager, actor: Actor, unitId: string, alias: string): Promise<boolean> {
    const key = normalizeUnitName(alias);
    const [taken] = await m.query<unknown[]>(
      `SELECT 1 FROM org_unit WHERE name = $1 OR code = $1 UNION ALL SELECT 1 FROM org_unit_alias WHERE alias = $1 LIMIT 1`,
      [key],
    );
    if (taken || !key) return false;
    await m.query(`INSERT INTO org_unit_alias (alias, unit_id) VALUES ($1, $2)`, [key, unitId]);
    await m.query(`UPDATE org_unit SET version = version + 1, updated_at = now() WHERE id = $1`, [unitId]);
    const [unit] = await m.query<{ active: boolean }[]>(`SELECT active FROM org_unit WHERE id = $1`, [unitId]);
    await this.history.append(m, {
      entityType: ORG_UNIT_ENTITY,
      entityId: unitId,
      action: 'add_alias',
      actorId: actor.userId,
      fromState: unit.active ? 'active' : 'inactive',
      toState: unit.active ? 'active' : 'inactive',
      data: { alias: key },
    });
    return true;
  }

  /** Finds a unit by its name, code or any alias (e.g. 市应急局 and 市应急管理局). */
  async resolve(name: string): Promise<OrgUnitView | null> {
    const key = normalizeUnitName(name);
    const unit = await this.dataSource
      .getRepository(OrgUnitEntity)
      .createQueryBuilder('u')
      .where('u.name = :key OR u.code = :key', { key })
      .orWhere('u.id IN (SELECT a.unit_id FROM org_unit_alias a WHERE a.alias = :key)', { key })
      .orderBy('u.active', 'DESC')
      .getOne();
    if (!unit) return null;
    const [view] = await this.withAliases([unit]);
    return view;
  }

  async create(actor: Actor | null, input: CreateOrgUnit): Promise<OrgUnitView> {
    return this.dataSource.transaction(async (m) => {
      const parent = input.parentId ? await m.findOne(OrgUnitEntity, { where: { id: input.parentId } }) : null;
      if (input.parentId && !parent) {
        throw new DomainError('unprocessable', 'ORG_UNIT_PARENT_NOT_FOUND', 'The parent unit does not exist', { parentId: input.parentId });
      }
      const id = randomUUID();
      const unit = m.create(OrgUnitEntity, {
        id,
        code: input.code.trim(),
        name: normalizeUnitName(input.name),
        kind: input.kind,
        parentId: parent?.id ?? null,
        path: childPath(parent?.path ?? null, id),
        sortOrder: input.sortOrder ?? 0,
        active: true,
        version: 1,
      });
      await this.guardUnique(() => m.insert(OrgUnitEntity, unit));
      const aliases = await this.replaceAliases(m, id, unit.name, input.aliases ?? []);
      await this.history.append(m, {
        entityType: ORG_UNIT_ENTITY,
        entityId: id,
        action: 'create',
        actorId: actor?.userId ?? null,
        toState: 'active',
        data: { code: unit.code, name: unit.name, kind: unit.kind, parentId: unit.parentId, aliases },
      });
      return this.get(id, m);
    });
  }

  async update(actor: Actor, id: string, input: UpdateOrgUnit): Promise<OrgUnitView> {
    const moved = input.parentId !== undefined;
    const view = await this.dataSource.transaction(async (m) => {
      const unit = await m.findOne(OrgUnitEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!unit) throw DomainError.notFound('org_unit', id);
      if (unit.version !== input.version) {
        throw DomainError.conflict('VERSION_CONFLICT', `The unit was changed by someone else (current version ${unit.version})`, {
          currentVersion: unit.version,
        });
      }
      const changes: Record<string, unknown> = {};
      const before = { name: unit.name, kind: unit.kind, parentId: unit.parentId, sortOrder: unit.sortOrder, active: unit.active };
      if (input.name !== undefined) unit.name = normalizeUnitName(input.name);
      if (input.kind !== undefined) unit.kind = input.kind;
      if (input.sortOrder !== undefined) unit.sortOrder = input.sortOrder;
      if (input.active !== undefined) unit.active = input.active;
      if (input.parentId !== undefined && input.parentId !== unit.parentId) {
        await this.move(m, unit, input.parentId);
      }
      for (const key of Object.keys(before) as (keyof typeof before)[]) {
        if (before[key] !== unit[key]) changes[key] = { from: before[key], to: unit[key] };
      }
      if (input.aliases !== undefined) changes.aliases = await this.replaceAliases(m, id, unit.name, input.aliases);
      if (Object.keys(changes).length === 0) return this.get(id, m);
      unit.version += 1;
      await this.guardUnique(() => m.save(OrgUnitEntity, unit));
      await this.history.append(m, {
        entityType: ORG_UNIT_ENTITY,
        entityId: id,
        action: 'update',
        actorId: actor.userId,
        fromState: before.active ? 'active' : 'inactive',
        toState: unit.active ? 'active' : 'inactive',
        data: changes,
      });
      return this.get(id, m);
    });
    // A move changes the path of every user of the subtree, and so what they may read.
    if (moved) this.access.everyoneChanged();
    return view;
  }

  /** Re-parents a unit and rewrites the paths of its whole subtree in the same transaction. */
  private async move(m: EntityManager, unit: OrgUnitEntity, parentId: string | null): Promise<void> {
    let newPath: string;
    if (parentId === null) {
      newPath = childPath(null, unit.id);
    } else {
      const parent = await m.findOne(OrgUnitEntity, { where: { id: parentId } });
      if (!parent) throw new DomainError('unprocessable', 'ORG_UNIT_PARENT_NOT_FOUND', 'The parent unit does not exist', { parentId });
      if (parent.path.startsWith(unit.path)) {
        throw new DomainError('unprocessable', 'ORG_UNIT_CYCLE', 'A unit cannot be moved under itself or its own sub-unit', { parentId });
      }
      newPath = childPath(parent.path, unit.id);
    }
    await m.query(
      `UPDATE org_unit SET path = $2 || substr(path, length($1) + 1), updated_at = now()
       WHERE path LIKE $3 AND id <> $4`,
      [unit.path, newPath, `${escapeLike(unit.path)}%`, unit.id],
    );
    unit.parentId = parentId;
    unit.path = newPath;
  }

  private async replaceAliases(m: EntityManager, unitId: string, name: string, aliases: string[]): Promise<string[]> {
    const wanted = [...new Set(aliases.map(normalizeUnitName).filter((a) => a && a !== name))];
    await m.delete(OrgUnitAliasEntity, { unitId });
    if (wanted.length === 0) return [];
    const taken = await m
      .createQueryBuilder()
      .select(['u.name AS name', 'u.id AS id'])
      .from(OrgUnitEntity, 'u')
      .where('u.name IN (:...wanted) AND u.id <> :unitId', { wanted, unitId })
      .getRawMany<{ name: string; id: string }>();
    if (taken.length > 0) {
      throw DomainError.conflict('ORG_UNIT_ALIAS_TAKEN', `Alias ${taken[0].name} is the name of another unit`, {
        alias: taken[0].name,
        unitId: taken[0].id,
      });
    }
    await this.guardUnique(() =>
      m.insert(
        OrgUnitAliasEntity,
        wanted.map((alias) => ({ alias, unitId })),
      ),
    );
    return wanted;
  }

  private async withAliases(units: OrgUnitEntity[], manager: EntityManager = this.dataSource.manager): Promise<OrgUnitView[]> {
    if (units.length === 0) return [];
    const rows = await manager
      .createQueryBuilder(OrgUnitAliasEntity, 'a')
      .where('a.unit_id IN (:...ids)', { ids: units.map((u) => u.id) })
      .orderBy('a.alias')
      .getMany();
    const byUnit = new Map<string, string[]>();
    for (const r of rows) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r.alias]);
    return units.map((u) => ({
      id: u.id,
      code: u.code,
      name: u.name,
      kind: u.kind,
      parentId: u.parentId,
      path: u.path,
      sortOrder: u.sortOrder,
      active: u.active,
      aliases: byUnit.get(u.id) ?? [],
      version: u.version,
    }));
  }

  private async guardUnique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const constraint = pgConstraint(e);
      const messages: Record<string, string> = {
        org_unit_code_uq: 'Another unit already has this code',
        org_unit_sibling_name_uq: 'Another unit under the same parent already has this name',
        org_unit_alias_pkey: 'This alias already names another unit',
      };
      throw DomainError.conflict('ORG_UNIT_DUPLICATE', messages[constraint ?? ''] ?? 'Duplicate unit', { constraint });
    }
  }
}
