import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  CLOCK,
  DomainError,
  OVERDUE_STATES,
  decide,
  listScope,
  type ListScope,
  scopeOfPaths,
  shanghaiDate,
  type Actor,
  type Clock,
  type RectificationState,
} from '#domain';
import { CalendarService } from '#calendar';
import { PG_FOREIGN_KEY_VIOLATION, SqlParams, isUniqueViolation, pgErrorCode } from '#persistence';
import { ITEM_ENTITY, loadSnapshot } from './item-snapshot.js';
import { TransitionService } from './transition.service.js';

import type { CooperatingPartInput, CreateItem, ItemFields, StoredDeadlineRule, UpdateItem } from './item-fields.js';
import type { ItemFilter, ItemFilterFields, ItemSort } from './item-filter.js';
import { COUNT_CAP, SORT_SQL, queryItemPage, type ItemPage } from './item-list.query.js';
import { DETAIL_SQL, toDetail, toSummary, type DetailRow, type ItemDetail } from './item-views.js';
import { ledgerSql } from './ledger.query.js';
import { itemWhereSql, type ResolvedFilter } from './read-scope.query.js';

export * from './item-fields.js';
export * from './item-filter.js';
export * from './item-views.js';
export { COUNT_CAP, type ItemPage } from './item-list.query.js';
export type { LedgerRow } from './ledger.query.js';

const EDITABLE_STATES: readonly RectificationState[] = ['draft', 'assigned'];

/** Rectification items: creation and editing while not yet accepted, reading, listing. */
@Injectable()
export class ItemsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(TransitionService) private readonly transitions: TransitionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CalendarService) private readonly calendar: CalendarService,
  ) {}

  /** A fixed date, or the date a rule gives on the work calendar (with how it was computed). */
  private async resolveDeadline(input: Partial<ItemFields>): Promise<{ deadline?: string | null; rule?: StoredDeadlineRule | null }> {
    if (input.deadlineRule && input.deadline !== undefined) {
      throw DomainError.validation('Give the deadline as a date or as a rule, not both', [
        { field: 'deadlineRule', messages: ['cannot be combined with deadline'] },
      ]);
    }
    if (input.deadlineRule) {
      const computed = await this.calendar.compute(input.deadlineRule);
      return {
        deadline: computed.deadline,
        rule: {
          rule: input.deadlineRule,
          explanation: computed.explanation,
          holidays: computed.holidays,
          provisional: computed.provisional,
          unpublishedYears: computed.unpublishedYears,
        },
      };
    }
    return input.deadline === undefined ? {} : { deadline: input.deadline, rule: null };
  }

  async create(actor: Actor, input: CreateItem): Promise<ItemDetail> {
    const id = randomUUID();
    const at = this.clock.now();
    const { deadline = null, rule = null } = await this.resolveDeadline(input);
    await this.dataSource.transaction(async (m) => {
      const [batch] = await m.query<{ dispatcher_unit_id: string; dispatcher_path: string }[]>(
        `SELECT b.dispatcher_unit_id, o.path AS dispatcher_path FROM batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id WHERE b.id = $1`,
        [input.batchId],
      );
      if (!batch) throw new DomainError('unprocessable', 'BATCH_NOT_FOUND', 'The batch does not exist', { batchId: input.batchId });
      // Items are created by dispatchers of the batch's dispatching unit (or a unit above it).
      if (!decide(actor, 'item.create', { ownerScope: scopeOfPaths([batch.dispatcher_path]) }).allowed) {
        throw DomainError.forbidden('Only dispatchers of the dispatching unit may add items to this batch', { batchId: input.batchId });
      }
      await this.guardWrite(() =>
        m.query(
          `INSERT INTO item (id, batch_id, code, title, feedback_text, domain, county_unit_id, goal, measures, type,
                             responsible_leader, responsible_person, responsible_phone, stage_nodes, dispatcher_unit_id,
                             original_deadline, current_deadline, deadline_version, created_by, created_at, updated_at, deadline_rule)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19, $19, $20)`,
          [
            id,
            input.batchId,
            input.code.trim(),
            input.title.trim(),
            input.feedbackText ?? '',
            input.domain,
            input.countyUnitId ?? null,
            input.goal ?? '',
            input.measures ?? '',
            input.type,
            input.responsibleLeader ?? null,
            input.responsiblePerson ?? null,
            input.responsiblePhone ?? null,
            JSON.stringify(input.stageNodes ?? []),
            batch.dispatcher_unit_id,
            deadline,
            deadline ? 1 : 0,
            actor.userId,
            at,
            rule ? JSON.stringify(rule) : null,
          ],
        ),
      );
      if (deadline) {
        await m.query(
          `INSERT INTO item_deadline (item_id, version, deadline, kind, decided_by, created_at) VALUES ($1, 1, $2, 'initial', $3, $4)`,
          [id, deadline, actor.userId, at],
        );
      }
      await this.writeUnits(m, id, input.leadUnitIds ?? [], input.cooperating ?? [], at);
      await this.history.append(m, {
        entityType: ITEM_ENTITY,
        entityId: id,
        action: 'create',
        actorId: actor.userId,
        toState: 'draft',
        data: {
          code: input.code,
          title: input.title,
          batchId: input.batchId,
          deadline,
          deadlineRule: rule?.explanation ?? null,
          leadUnitIds: input.leadUnitIds ?? [],
        },
        at,
      });
    });
    return this.get(actor, id);
  }

  /** Edits the ledger fields while the item is a draft or assigned; a stale version is a 409. */
  async update(actor: Actor, id: string, input: UpdateItem): Promise<ItemDetail> {
    const at = this.clock.now();
    const resolved = await this.resolveDeadline(input);
    await this.dataSource.transaction(async (m) => {
      const item = await this.transitions.readable(m, actor, id, true);
      const asDispatcher = { ...actor, roles: actor.roles.filter((r) => r === 'dispatcher') };
      if (!decide(asDispatcher, 'item.act', { ownerScope: [], dispatcherScope: item.scope.dispatcherScope }).allowed) {
        throw DomainError.forbidden('Only dispatchers of the dispatching unit may edit the item');
      }
      if (input.version !== item.version) {
        throw DomainError.conflict('VERSION_CONFLICT', `The item was changed by someone else (current version ${item.version})`, {
          currentVersion: item.version,
        });
      }
      if (!EDITABLE_STATES.includes(item.state)) {
        throw DomainError.conflict(
          'ITEM_NOT_EDITABLE',
          `The ledger fields can be edited only while the item is draft or assigned; it is ${item.state}`,
          {
            state: item.state,
          },
        );
      }
      const columns: Record<string, unknown> = {};
      const plain: [keyof ItemFields, string][] = [
        ['title', 'title'],
        ['feedbackText', 'feedback_text'],
        ['domain', 'domain'],
        ['countyUnitId', 'county_unit_id'],
        ['goal', 'goal'],
        ['measures', 'measures'],
        ['type', 'type'],
        ['responsibleLeader', 'responsible_leader'],
        ['responsiblePerson', 'responsible_person'],
        ['responsiblePhone', 'responsible_phone'],
      ];
      for (const [field, column] of plain) if (input[field] !== undefined) columns[column] = input[field];
      if (input.stageNodes !== undefined) columns.stage_nodes = JSON.stringify(input.stageNodes);
      const changes: Record<string, unknown> = Object.fromEntries(
        Object.entries(input).filter(([k, v]) => k !== 'version' && v !== undefined && k !== 'deadline' && k !== 'deadlineRule'),
      );
      // The history row records each changed field as { from, to }; fields given unchanged are left out.
      const given = plain.filter(([field]) => input[field] !== undefined);
      if (given.length > 0 || input.stageNodes !== undefined) {
        const [before] = await m.query<Record<string, unknown>[]>(
          `SELECT ${[...given.map(([, column]) => column), 'stage_nodes'].join(', ')} FROM item WHERE id = $1`,
          [id],
        );
        const fields: [string, unknown, unknown][] = given.map(([field, column]) => [field, before[column], input[field]]);
        if (input.stageNodes !== undefined) fields.push(['stageNodes', before.stage_nodes, input.stageNodes]);
        for (const [field, from, to] of fields) {
          if (JSON.stringify(from ?? null) === JSON.stringify(to ?? null)) delete changes[field];
          else changes[field] = { from: from ?? null, to: to ?? null };
        }
      }
      if (input.leadUnitIds !== undefined) changes.leadUnitIds = { from: item.leadUnitIds, to: input.leadUnitIds };
      const newDeadline = resolved.deadline;
      if (resolved.rule !== undefined) {
        columns.deadline_rule = resolved.rule ? JSON.stringify(resolved.rule) : null;
        if (resolved.rule) changes.deadlineRule = resolved.rule.explanation;
      }
      if (newDeadline !== undefined && newDeadline !== item.currentDeadline) {
        if (newDeadline === null)
          throw DomainError.validation('The deadline cannot be removed', [{ field: 'deadline', messages: ['must be a date'] }]);
        // Before assignment the deadline is still being written: it replaces the first version.
        // Once assigned, the original stays and the edit is a new version.
        const version = item.state === 'draft' ? 1 : item.deadlineVersion + 1;
        await m.query(
          `INSERT INTO item_deadline (item_id, version, deadline, kind, decided_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (item_id, version) DO UPDATE SET deadline = EXCLUDED.deadline, decided_by = EXCLUDED.decided_by, created_at = EXCLUDED.created_at`,
          [id, version, newDeadline, version === 1 ? 'initial' : 'edit', actor.userId, at],
        );
        columns.current_deadline = newDeadline;
        columns.deadline_version = version;
        if (version === 1) columns.original_deadline = newDeadline;
        changes.deadline = { from: item.currentDeadline, to: newDeadline, version };
      }
      columns.updated_at = at;
      const q = new SqlParams();
      const where = `id = ${q.add(id)} AND version = ${q.add(input.version)}`;
      const sets = [...q.assignments(columns), 'version = version + 1'];
      const [, count] = await this.guardWrite(() =>
        m.query<[unknown, number]>(`UPDATE item SET ${sets.join(', ')} WHERE ${where}`, q.values),
      );
      if (count === 0) throw DomainError.conflict('VERSION_CONFLICT', 'The item was changed by someone else', {});
      if (input.leadUnitIds !== undefined || input.cooperating !== undefined) {
        const current = await loadSnapshot(m, id);
        await this.writeUnits(
          m,
          id,
          input.leadUnitIds ?? current!.leadUnitIds,
          input.cooperating ??
            (await m.query<CooperatingPartInput[]>(
              `SELECT unit_id AS "unitId", part, to_char(sub_deadline, 'YYYY-MM-DD') AS "subDeadline" FROM item_unit WHERE item_id = $1 AND role = 'cooperating'`,
              [id],
            )),
          at,
        );
      } else if (input.countyUnitId !== undefined) {
        await m.query(`SELECT item_refresh_scope($1)`, [id]);
      }
      await this.history.append(m, {
        entityType: ITEM_ENTITY,
        entityId: id,
        action: 'update',
        actorId: actor.userId,
        fromState: item.state,
        toState: item.state,
        data: changes,
        at,
      });
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<ItemDetail> {
    const snapshot = await this.transitions.readable(this.dataSource.manager, actor, id);
    const [row] = await this.dataSource.query<DetailRow[]>(DETAIL_SQL, [id]);
    const today = shanghaiDate(this.clock.now());
    const actions = await this.transitions.actionsFor(actor, snapshot);
    return toDetail(row, snapshot.version, today, actions);
  }

  async list(actor: Actor, filter: ItemFilter): Promise<ItemPage> {
    const today = shanghaiDate(this.clock.now());
    const readable = await this.readable(actor, filter);
    if (readable === null) return { data: [], total: 0, totalIsExact: true, page: filter.page, pageSize: filter.pageSize };
    const { rows, total } = await queryItemPage(this.dataSource, readable.scope, readable.f, filter, today);
    return {
      data: rows.map((r) => toSummary(r, today)),
      total: Math.min(total, COUNT_CAP),
      totalIsExact: total <= COUNT_CAP,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  /**
   * The statement of the ledger (整改台账) rows for an export: the list's filters and order, every
   * ledger column of the item; null when nothing can match. The caller reads it with a cursor.
   */
  async ledgerQuery(actor: Actor, filter: ItemFilterFields & { sort: ItemSort }): Promise<{ sql: string; params: unknown[] } | null> {
    const today = shanghaiDate(this.clock.now());
    const readable = await this.readable(actor, filter);
    if (readable === null) return null;
    const q = new SqlParams();
    // The whole set is read: found through the indexes, not by walking the order.
    const where = itemWhereSql(readable.scope, readable.f, today, q, 'set');
    return {
      sql: ledgerSql(where, SORT_SQL[filter.sort], q.add(OVERDUE_STATES), q.add(today)),
      params: q.values,
    };
  }

  /** The caller's read scope and the filter with its source type resolved to batch ids; null when nothing can match. */
  async readable(actor: Actor, filter: ItemFilterFields): Promise<{ scope: ListScope; f: ResolvedFilter } | null> {
    const scope = listScope(actor, 'item.read');
    if (scope.kind === 'none') return null;
    const f: ResolvedFilter = { ...filter, countyUnitId: filter.countyUnitId ?? filter.countyId };
    if (filter.awaitingMyAcceptance) {
      // Acceptance is taken by verifiers, at a level whose unit is theirs or below it.
      if (!actor.roles.includes('verifier')) return null;
      f.acceptingPath = actor.unitPath;
    }
    if (filter.dueWithinWorkingDays !== undefined) {
      const today = shanghaiDate(this.clock.now());
      f.dueBy = (await this.calendar.compute({ kind: 'working_days', from: today, days: filter.dueWithinWorkingDays })).deadline;
    }
    if (!filter.sourceType) return { scope, f };
    // Resolved to batch ids first: a join would make the planner expect matches that may not exist.
    const [{ ids }] = await this.dataSource.query<{ ids: string[] }[]>(
      `SELECT coalesce(array_agg(id), '{}') AS ids FROM batch WHERE source_type = $1`,
      [filter.sourceType],
    );
    return ids.length === 0 ? null : { scope, f: { ...f, sourceBatchIds: ids } };
  }

  /** Replaces the lead and cooperating units and recomputes the item's scope sets. */
  private async writeUnits(
    m: EntityManager,
    itemId: string,
    leadUnitIds: string[],
    cooperating: CooperatingPartInput[],
    at: Date,
  ): Promise<void> {
    const lead = [...new Set(leadUnitIds)];
    const both = cooperating.filter((c) => lead.includes(c.unitId)).map((c) => c.unitId);
    if (both.length > 0) {
      throw DomainError.validation('A unit is either lead or cooperating, not both', [
        { field: 'cooperating', messages: [`also lead: ${both.join(', ')}`] },
      ]);
    }
    await m.query(`DELETE FROM item_unit WHERE item_id = $1 AND NOT (unit_id = ANY($2::uuid[]))`, [
      itemId,
      [...lead, ...cooperating.map((c) => c.unitId)],
    ]);
    for (const unitId of lead) {
      await this.guardWrite(() =>
        m.query(
          `INSERT INTO item_unit (item_id, unit_id, role, updated_at) VALUES ($1, $2, 'lead', $3)
           ON CONFLICT (item_id, unit_id) DO UPDATE SET role = 'lead', part = NULL, sub_deadline = NULL, updated_at = $3`,
          [itemId, unitId, at],
        ),
      );
    }
    for (const c of cooperating) {
      await this.guardWrite(() =>
        m.query(
          `INSERT INTO item_unit (item_id, unit_id, role, part, sub_deadline, updated_at) VALUES ($1, $2, 'cooperating', $3, $4, $5)
           ON CONFLICT (item_id, unit_id) DO UPDATE SET role = 'cooperating', part = EXCLUDED.part, sub_deadline = EXCLUDED.sub_deadline, updated_at = $5`,
          [itemId, c.unitId, c.part ?? null, c.subDeadline ?? null, at],
        ),
      );
    }
    await m.query(`SELECT item_refresh_scope($1)`, [itemId]);
  }

  private async guardWrite<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isUniqueViolation(e)) throw DomainError.conflict('ITEM_CODE_TAKEN', 'Another item of this batch already has this code');
      if (pgErrorCode(e) === PG_FOREIGN_KEY_VIOLATION) {
        throw new DomainError('unprocessable', 'REFERENCE_NOT_FOUND', 'A referenced unit or batch does not exist', {
          detail: (e as { driverError?: { detail?: string } }).driverError?.detail ?? null,
        });
      }
      throw e;
    }
  }
}
