import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '#calendar';
import {
  DomainError,
  decide,
  rectificationGuards,
  rectificationInputGuards,
  rectificationWorkflow,
  resolveRectificationTarget,
  scopeOfPaths,
  type ActorScope,
  type RectificationAction,
  type RectificationContext,
  type RectificationState,
  type ResourceScope,
} from '#domain';
import type { Bind, ItemRef, TransitionRequest, WorkflowActor, WorkflowAdapter } from '#workflow';
import { ITEM_ENTITY, loadSnapshot, type ItemSnapshot } from './item-snapshot.js';
import { itemEffects, nextAcceptanceLevel, partOf, type ItemEffectArgs } from './transition-effects.js';

export interface TransitionInput extends TransitionRequest<RectificationAction> {
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

/** Rectification items as a subject of the workflow runner. */
@Injectable()
export class ItemWorkflow implements WorkflowAdapter<
  string,
  RectificationState,
  RectificationAction,
  ItemSnapshot,
  TransitionInput,
  RectificationContext,
  ItemRef
> {
  readonly entity = ITEM_ENTITY;
  readonly table = 'item';
  readonly definition = rectificationWorkflow;
  readonly guards = rectificationGuards;
  readonly inputGuards = rectificationInputGuards;
  readonly effects: ReturnType<typeof itemEffects>;

  constructor(@Inject(CalendarService) calendar: CalendarService) {
    this.effects = itemEffects(calendar);
  }

  /** Loads the item if the actor may read it; otherwise it does not exist for them (404). */
  async load(m: EntityManager, actor: WorkflowActor, itemId: string, lock = false): Promise<ItemSnapshot> {
    const item = await loadSnapshot(m, itemId, lock);
    if (!item || !decide(actor, 'item.read', item.scope).allowed) throw DomainError.notFound('item', itemId);
    return item;
  }

  ref(item: ItemSnapshot): ItemRef {
    return { itemId: item.id };
  }

  async scope(
    m: EntityManager,
    actorScope: ActorScope,
    item: ItemSnapshot,
    actor: WorkflowActor,
    input: TransitionInput | null,
  ): Promise<ResourceScope | null> {
    switch (actorScope) {
      case 'dispatcher':
        return { ownerScope: [], dispatcherScope: item.scope.dispatcherScope };
      case 'lead':
        return { ownerScope: item.leadScope };
      case 'cooperating': {
        const part = partOf(actor.unitPath, item, input?.partUnitId);
        if (part) return { ownerScope: scopeOfPaths([part.path]) };
        if (!input) return null;
        throw DomainError.forbidden('Your unit has no cooperating part in this item', { partUnitId: input.partUnitId ?? null });
      }
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

  context(item: ItemSnapshot, today: string, input: Partial<TransitionInput>): RectificationContext {
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

  resolveTo(action: RectificationAction, state: RectificationState, ctx: RectificationContext): RectificationState {
    return resolveRectificationTarget(action, state, ctx);
  }

  /** The acceptance level moves with the state, in the same statement (a CHECK ties them together). */
  columns(args: ItemEffectArgs, bind: Bind): string[] {
    const level = bind(nextAcceptanceLevel(args));
    return [
      `acceptance_level = ${level}`,
      `acceptance_since = CASE WHEN ${level}::int IS NULL THEN NULL WHEN ${level}::int IS DISTINCT FROM acceptance_level THEN ${bind.at} ELSE acceptance_since END`,
    ];
  }
}
