import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService, type ChainTip, type HistoryEntry } from '#audit';
import { CalendarService } from '#calendar';
import {
  CLOCK,
  DomainError,
  actionRefused,
  addDays,
  assertValidWorkflow,
  checkRectificationAction,
  decide,
  rectificationActionsFrom,
  rectificationGuards,
  rectificationWorkflow,
  scopeOfPaths,
  shanghaiDate,
  type Actor,
  type Clock,
  type RectificationAction,
  type RectificationContext,
  type RectificationState,
  type ResourceScope,
} from '#domain';
import { preparedQuery } from '#persistence';
import { ITEM_ENTITY, loadSnapshot, type ItemSnapshot } from './item-snapshot.js';
import { isChainMoved, recordChange, writeAndRecord, type OutboxMessage } from './outbox.js';

export interface TransitionInput {
  action: RectificationAction;
  /** The version the client read; a stale one is refused with 409. */
  version: number;
  reason?: string;
  text?: string;
  proposedDeadline?: string;
  partStatus?: 'in_progress' | 'done';
  partUnitId?: string;
  mergeIntoId?: string;
  spotCheckResult?: 'holds' | 'rebound';
}

export interface AvailableAction {
  action: RectificationAction;
  label: string;
  enabled: boolean;
  /** Why it cannot be taken now (guards), empty when enabled. */
  blockedBy: string[];
  requiresReason: boolean;
}

export interface TransitionResult {
  id: string;
  action: RectificationAction;
  from: RectificationState;
  to: RectificationState;
  version: number;
  historySeq: number;
}

/** Writes of an action beyond the state, in the transition's transaction; they return what its history row records. */
type Effects = (m: EntityManager) => Promise<Record<string, unknown>>;

/**
 * The one function that changes an item's state. It loads the item, checks role, unit scope,
 * state and guards, then in one transaction writes the new state with
 * `UPDATE … WHERE id AND version` (a stale version is a 409), applies the action's effects,
 * appends the history row and records the notifications (for an action without effects, one
 * statement does it all). Controllers never set a state.
 */
@Injectable()
export class TransitionService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CalendarService) private readonly calendar: CalendarService,
  ) {}

  /** A definition with unknown states or guards, unreachable states or dead ends stops the process at boot. */
  onModuleInit(): void {
    assertValidWorkflow(rectificationWorkflow, Object.keys(rectificationGuards));
  }

  async available(actor: Actor, itemId: string): Promise<{ state: RectificationState; version: number; actions: AvailableAction[] }> {
    const item = await this.readable(this.dataSource.manager, actor, itemId);
    return { state: item.state, version: item.version, actions: await this.actionsFor(actor, item) };
  }

  async transition(actor: Actor, itemId: string, input: TransitionInput): Promise<TransitionResult> {
    const item = await this.readable(this.dataSource.manager, actor, itemId);
    const def = rectificationWorkflow.actions[input.action];
    if (input.version !== item.version) throw versionConflict(item.version);
    if (!def.from.includes(item.state)) {
      const allowed = (await this.actionsFor(actor, item)).filter((a) => a.enabled).map((a) => a.action);
      throw DomainError.conflict('ACTION_NOT_ALLOWED', `Cannot ${input.action} an item that is ${item.state}`, {
        state: item.state,
        action: input.action,
        allowedActions: allowed,
      });
    }
    const actionActor = { ...actor, roles: actor.roles.filter((r) => def.roles.includes(r)) };
    if (actionActor.roles.length === 0) {
      throw DomainError.forbidden(`Only ${def.roles.join(' or ')} may ${input.action}`, { action: input.action, roles: def.roles });
    }
    const part = def.actorScope === 'cooperating' ? this.partOf(actor, item, input.partUnitId) : null;
    const scope = await this.actionScope(this.dataSource.manager, def.actorScope, item, part);
    if (!decide(actionActor, def.permission, scope).allowed) {
      throw DomainError.forbidden(`Your unit may not ${input.action} this item`, { action: input.action, actorScope: def.actorScope });
    }
    const at = this.clock.now();
    const check = checkRectificationAction(input.action, item.state, this.context(item, shanghaiDate(at), input));
    if (!check.ok) throw actionRefused(check, input.action, 'item', item.state);
    const to = check.to;
    // The acceptance level moves with the state, in the same statement (a CHECK ties them together).
    const nextLevel =
      to !== 'in_acceptance'
        ? null
        : input.action === 'submit'
          ? 0
          : input.action === 'pass'
            ? item.acceptanceLevel! + 1
            : item.acceptanceLevel;
    const write = {
      sql: `UPDATE item SET state = $3, acceptance_level = $4, version = version + 1, updated_at = $5,
                acceptance_since = CASE WHEN $4::int IS NULL THEN NULL WHEN $4::int IS DISTINCT FROM acceptance_level THEN $5 ELSE acceptance_since END
          WHERE id = $1 AND version = $2`,
      params: [item.id, item.version, to, nextLevel, at],
    };
    const entry = (data: Record<string, unknown>): HistoryEntry => ({
      entityType: ITEM_ENTITY,
      entityId: item.id,
      action: input.action,
      actorId: actor.userId,
      fromState: item.state,
      toState: to,
      reason: input.reason?.trim() || null,
      data,
      at,
    });
    const message = (historySeq: number): OutboxMessage => ({
      kind: `item.${input.action}`,
      dedupeKey: `item:${item.id}:${historySeq}`,
      payload: { itemId: item.id, action: input.action, from: item.state, to, actorId: actor.userId, historySeq },
    });
    const result = (version: number, historySeq: number): TransitionResult => ({
      id: item.id,
      action: input.action,
      from: item.state,
      to,
      version,
      historySeq,
    });
    const effects = this.effects(actor, item, input, to, at, part);

    // An action that writes nothing but the state is one statement: the UPDATE guarded by the
    // version, and the history row chained to the tip read with the item, written only if the
    // UPDATE was. If another writer appended to the chain since (an evidence upload does, without
    // a new version), the sequence is taken and nothing is written: the locked way below follows.
    if (!effects) {
      try {
        const { rows, seq } = await writeAndRecord<{ version: number }>(
          this.dataSource.manager,
          { sql: `${write.sql} RETURNING version`, params: write.params },
          item.tip,
          entry({}),
          message,
        );
        if (rows.length === 0) throw versionConflict(await this.currentVersion(this.dataSource.manager, item.id));
        return result(rows[0].version, seq);
      } catch (e) {
        if (!isChainMoved(e)) throw e;
      }
    }
    return this.dataSource.transaction(async (m) => {
      // The row lock this UPDATE takes makes us the item's only writer; the chain tip comes with it.
      const updated = await preparedQuery<{ version: number; tip: ChainTip | null }>(
        m,
        `${write.sql} RETURNING version, ${HistoryService.tipSql(`'${ITEM_ENTITY}'`, '$1')} AS tip`,
        write.params,
      );
      if (updated.length === 0) throw versionConflict(await this.currentVersion(m, item.id));
      const data = effects ? await effects(m) : {};
      return result(updated[0].version, await recordChange(m, updated[0].tip, entry(data), message));
    });
  }

  private async currentVersion(m: EntityManager, itemId: string): Promise<number> {
    const [current] = await m.query<{ version: number }[]>(`SELECT version FROM item WHERE id = $1`, [itemId]);
    return current.version;
  }

  /** Loads the item if the actor may read it; otherwise it does not exist for them (404). */
  async readable(m: EntityManager, actor: Actor, itemId: string, lock = false): Promise<ItemSnapshot> {
    const item = await loadSnapshot(m, itemId, lock);
    if (!item || !decide(actor, 'item.read', item.scope).allowed) throw DomainError.notFound('item', itemId);
    return item;
  }

  /** The actions open to the actor on an item already loaded (enabled or blocked, with why). */
  async actionsFor(actor: Actor, item: ItemSnapshot): Promise<AvailableAction[]> {
    const today = shanghaiDate(this.clock.now());
    const result: AvailableAction[] = [];
    for (const action of rectificationActionsFrom(item.state)) {
      const def = rectificationWorkflow.actions[action];
      const actionActor = { ...actor, roles: actor.roles.filter((r) => def.roles.includes(r)) };
      if (actionActor.roles.length === 0) continue;
      const part = def.actorScope === 'cooperating' ? this.partOfOrNull(actor, item) : null;
      if (def.actorScope === 'cooperating' && !part) continue;
      const scope = await this.actionScope(this.dataSource.manager, def.actorScope, item, part);
      if (!decide(actionActor, def.permission, scope).allowed) continue;
      // Inputs are the user's to give; availability reflects the item's own state only.
      const placeholder = {
        reason: 'x',
        text: 'x',
        proposedDeadline: item.currentDeadline ? addDays(item.currentDeadline, 1) : today,
        partStatus: 'done',
        mergeIntoId: 'x',
        spotCheckResult: 'holds',
      };
      const check = checkRectificationAction(action, item.state, this.context(item, today, placeholder));
      result.push({
        action,
        label: def.label,
        enabled: check.ok,
        blockedBy: !check.ok && check.problem === 'guard' ? check.missing : [],
        requiresReason: !!def.requiresReason,
      });
    }
    return result;
  }

  private context(item: ItemSnapshot, today: string, input: RectificationContext['input']): RectificationContext {
    return {
      item: {
        type: item.type,
        leadUnitCount: item.leadUnitIds.length,
        hasGoal: item.hasGoal,
        deadline: item.currentDeadline,
        evidenceCount: item.evidenceCount,
        openParts: item.cooperating.filter((p) => p.status !== 'done').map((p) => p.unitName),
        pendingExtension: item.pendingExtensionId !== null,
        acceptanceLevel: item.acceptanceLevel,
        chainLength: item.chain.length,
        noticeDays: item.noticeDays,
        noticeEnd: item.noticeEnd,
      },
      today,
      input,
    };
  }

  /** The units an action is taken for, as a scope the policy checks the actor against. */
  private async actionScope(
    m: EntityManager,
    actorScope: string,
    item: ItemSnapshot,
    part: ItemSnapshot['cooperating'][number] | null,
  ): Promise<ResourceScope> {
    switch (actorScope) {
      case 'dispatcher':
        return { ownerScope: [], dispatcherScope: item.scope.dispatcherScope };
      case 'lead':
        return { ownerScope: item.leadScope };
      case 'cooperating':
        return { ownerScope: part ? scopeOfPaths([part.path]) : [] };
      case 'acceptance': {
        const unitId = item.acceptanceLevel === null ? null : item.acceptanceUnits[item.acceptanceLevel];
        if (!unitId) return { ownerScope: [] };
        const [unit] = await m.query<{ path: string }[]>(`SELECT path FROM org_unit WHERE id = $1`, [unitId]);
        return { ownerScope: [], acceptanceScope: unit ? scopeOfPaths([unit.path]) : [] };
      }
      default:
        return item.scope;
    }
  }

  private partOfOrNull(actor: Actor, item: ItemSnapshot, partUnitId?: string): ItemSnapshot['cooperating'][number] | null {
    const mine = item.cooperating.filter((p) => p.path.startsWith(actor.unitPath));
    return (partUnitId ? mine.find((p) => p.unitId === partUnitId) : mine[0]) ?? null;
  }

  private partOf(actor: Actor, item: ItemSnapshot, partUnitId?: string): ItemSnapshot['cooperating'][number] {
    const part = this.partOfOrNull(actor, item, partUnitId);
    if (!part) throw DomainError.forbidden('Your unit has no cooperating part in this item', { partUnitId: partUnitId ?? null });
    return part;
  }

  /**
   * The writes that come with each action, beyond the state, to run in the transition's transaction
   * (null: the action writes nothing else). Every timestamp is the clock's instant `at`, the same
   * one the history row carries. They return what the history row records.
   */
  private effects(
    actor: Actor,
    item: ItemSnapshot,
    input: TransitionInput,
    to: RectificationState,
    at: Date,
    part: ItemSnapshot['cooperating'][number] | null,
  ): Effects | null {
    const reason = input.reason?.trim() || null;
    const today = shanghaiDate(at);
    switch (input.action) {
      case 'report_progress':
        return async (m) => {
          const [{ id }] = await m.query<{ id: string }[]>(
            `INSERT INTO item_progress (item_id, unit_id, author_id, reported_on, text, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [item.id, actor.unitId, actor.userId, today, input.text!.trim(), at],
          );
          return { progressId: id, text: input.text!.trim() };
        };
      case 'report_part':
        return async (m) => {
          await m.query(
            `UPDATE item_unit SET status = $3, progress = coalesce($4, progress), updated_at = $5 WHERE item_id = $1 AND unit_id = $2`,
            [item.id, part!.unitId, input.partStatus, input.text?.trim() || null, at],
          );
          return { partUnitId: part!.unitId, status: { from: part!.status, to: input.partStatus }, text: input.text?.trim() || null };
        };
      case 'request_extension':
        return async (m) => {
          const id = randomUUID();
          await m.query(
            `INSERT INTO item_extension (id, item_id, requested_by, requested_at, from_deadline, proposed_deadline, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [id, item.id, actor.userId, at, item.currentDeadline, input.proposedDeadline, reason],
          );
          await m.query(`UPDATE item SET pending_extension_id = $2 WHERE id = $1`, [item.id, id]);
          return { extensionId: id, fromDeadline: item.currentDeadline, proposedDeadline: input.proposedDeadline };
        };
      case 'approve_extension':
        return async (m) => {
          const [[ext]] = await m.query<[{ proposed_deadline: string; reason: string }[], number]>(
            `UPDATE item_extension SET status = 'approved', decided_by = $2, decided_at = $3, decision_reason = $4
            WHERE id = $1 RETURNING to_char(proposed_deadline, 'YYYY-MM-DD') AS proposed_deadline, reason`,
            [item.pendingExtensionId, actor.userId, at, reason],
          );
          const version = item.deadlineVersion + 1;
          await m.query(
            `INSERT INTO item_deadline (item_id, version, deadline, kind, reason, decided_by, created_at) VALUES ($1, $2, $3, 'extension', $4, $5, $6)`,
            [item.id, version, ext.proposed_deadline, ext.reason, actor.userId, at],
          );
          await m.query(
            `UPDATE item SET current_deadline = $2, deadline_version = $3, extension_count = extension_count + 1, pending_extension_id = NULL
            WHERE id = $1`,
            [item.id, ext.proposed_deadline, version],
          );
          return {
            extensionId: item.pendingExtensionId,
            deadline: { from: item.currentDeadline, to: ext.proposed_deadline },
            deadlineVersion: version,
          };
        };
      case 'reject_extension':
        return async (m) => {
          await m.query(
            `UPDATE item_extension SET status = 'rejected', decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $1`,
            [item.pendingExtensionId, actor.userId, at, reason],
          );
          await m.query(`UPDATE item SET pending_extension_id = NULL WHERE id = $1`, [item.id]);
          return { extensionId: item.pendingExtensionId };
        };
      case 'submit':
        return async (m) => {
          await m.query(`UPDATE item SET submission_round = submission_round + 1 WHERE id = $1`, [item.id]);
          return { submissionRound: item.submissionRound + 1, level: item.chain[0].level };
        };
      case 'pass':
      case 'return':
        return async (m) => {
          const level = item.acceptanceLevel!;
          const unitId = item.acceptanceUnits[level];
          await m.query(
            `INSERT INTO item_acceptance (item_id, submission_round, level_index, level, unit_id, result, opinion, signed_by, signed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [item.id, item.submissionRound, level, item.chain[level].level, unitId, input.action, reason, actor.userId, at],
          );
          const data = {
            level: item.chain[level].level,
            levelIndex: level,
            acceptanceUnitId: unitId,
            submissionRound: item.submissionRound,
          };
          if (to === 'in_acceptance') return { ...data, nextLevel: item.chain[level + 1].level };
          if (to === 'public_notice') {
            const noticeEnd = addDays(today, item.noticeDays - 1);
            await m.query(`UPDATE item SET notice_start = $2, notice_end = $3 WHERE id = $1`, [item.id, today, noticeEnd]);
            return { ...data, noticeStart: today, noticeEnd };
          }
          if (to === 'signed_off' || to === 'phase_completed') await this.close(m, item.id, to, at);
          return data;
        };
      case 'uphold_objection':
        return async (m) => {
          await m.query(`UPDATE item SET notice_start = NULL, notice_end = NULL WHERE id = $1`, [item.id]);
          return {};
        };
      case 'close_notice':
      case 'sign_off':
        return async (m) => {
          await this.close(m, item.id, to, at);
          return {};
        };
      case 'reopen':
        return async (m) => {
          // The earlier closure stays on record: first/last sign-off dates, acceptance rows, evidence.
          const [[row]] = await m.query<[{ reopen_count: number }[], number]>(
            `UPDATE item SET reopen_count = reopen_count + 1, completed_at = NULL, close_working_days = NULL, notice_start = NULL, notice_end = NULL WHERE id = $1 RETURNING reopen_count`,
            [item.id],
          );
          return { reopenCount: row.reopen_count };
        };
      case 'spot_check':
        return async (m) => {
          const [{ id }] = await m.query<{ id: string }[]>(
            `INSERT INTO item_spot_check (item_id, auditor_id, result, note, checked_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
            [item.id, actor.userId, input.spotCheckResult, reason, at],
          );
          return { spotCheckId: id, result: input.spotCheckResult };
        };
      case 'merge':
        return async (m) => {
          if (input.mergeIntoId === item.id)
            throw new DomainError('unprocessable', 'MERGE_INTO_SELF', 'An item cannot be merged into itself');
          const target = await loadSnapshot(m, input.mergeIntoId!);
          if (!target || !decide(actor, 'item.read', target.scope).allowed) {
            throw new DomainError('unprocessable', 'MERGE_TARGET_NOT_FOUND', 'The item to merge into does not exist', {
              mergeIntoId: input.mergeIntoId,
            });
          }
          if (target.state === 'cancelled' || target.state === 'merged') {
            throw new DomainError(
              'unprocessable',
              'MERGE_TARGET_CLOSED',
              `The item to merge into is ${target.state}; merge into a live item`,
              {
                mergeIntoId: target.id,
                state: target.state,
              },
            );
          }
          await m.query(`UPDATE item SET merged_into_id = $2 WHERE id = $1`, [item.id, target.id]);
          return { mergedIntoId: target.id, mergedIntoCode: target.code };
        };
      case 'assign':
      case 'withdraw':
      case 'decline':
      case 'accept':
      case 'urge':
      case 'cancel':
        return null;
    }
  }

  /**
   * Closing keeps the first sign-off date (for re-checks), records the latest, and fixes how many
   * working days the item took from its creation (for the statistics' average and median).
   */
  private async close(m: EntityManager, itemId: string, to: RectificationState, at: Date): Promise<void> {
    const [{ created_on }] = await m.query<{ created_on: string }[]>(
      `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS created_on FROM item WHERE id = $1`,
      [itemId],
    );
    const workingDays = Math.max(0, (await this.calendar.calendar(m)).workingDaysBetween(created_on, shanghaiDate(at)));
    await m.query(
      `UPDATE item SET completed_at = $3, close_working_days = $4,
              first_signed_off_at = CASE WHEN $2 THEN coalesce(first_signed_off_at, $3) ELSE first_signed_off_at END,
              last_signed_off_at = CASE WHEN $2 THEN $3 ELSE last_signed_off_at END
        WHERE id = $1`,
      [itemId, to === 'signed_off', at, workingDays],
    );
  }
}

function versionConflict(currentVersion: number): DomainError {
  return DomainError.conflict('VERSION_CONFLICT', `The item was changed by someone else (current version ${currentVersion})`, {
    currentVersion,
  });
}
