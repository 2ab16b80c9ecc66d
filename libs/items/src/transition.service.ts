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
import { nextAcceptanceLevel, transitionEffects } from './transition-effects.js';

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
  /** return: 'unit' (default: rework, resubmission resumes at this level), 'recheck' (from the first level), or a lower level's code. */
  returnTo?: string;
  /** reset_deadline: the new deadline (重新明确整改时限). */
  newDeadline?: string;
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
    const ctx = this.context(item, shanghaiDate(at), input);
    const check = checkRectificationAction(input.action, item.state, ctx);
    if (!check.ok) throw actionRefused(check, input.action, 'item', item.state);
    const to = check.to;
    // The acceptance level moves with the state, in the same statement (a CHECK ties them together).
    const nextLevel = nextAcceptanceLevel(item, input, to, ctx);
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
    const effects = transitionEffects({ actor, item, input, to, at, part, ctx, calendar: this.calendar });

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
        newDeadline: today,
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
        chainLevels: item.chain.map((l) => l.level),
        reopenedSinceDeadline: item.reopenedSinceDeadline,
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
}

function versionConflict(currentVersion: number): DomainError {
  return DomainError.conflict('VERSION_CONFLICT', `The item was changed by someone else (current version ${currentVersion})`, {
    currentVersion,
  });
}
