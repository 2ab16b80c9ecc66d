import { Inject, Injectable } from '@nestjs/common';
import type { Actor, RectificationAction } from '#domain';
import { TransitionService } from './transition.service.js';

/** The actions a list may take on many items at once. */
export const BULK_ACTIONS = ['assign', 'urge'] as const satisfies readonly RectificationAction[];
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_MAX_ITEMS = 200;

export type BulkOutcome = { id: string; ok: true; version: number } | { id: string; ok: false; error: unknown };

/**
 * One action on many items, each through the one transition function on its own (its own
 * checks, transaction, history row and notification): one refused item does not stop the rest.
 */
@Injectable()
export class BulkTransitionsService {
  constructor(@Inject(TransitionService) private readonly transitions: TransitionService) {}

  async run(actor: Actor, action: BulkAction, items: { id: string; version: number }[], comment?: string): Promise<BulkOutcome[]> {
    const outcomes: BulkOutcome[] = [];
    for (const item of items) {
      try {
        const result = await this.transitions.transition(actor, item.id, { action, version: item.version, reason: comment });
        outcomes.push({ id: item.id, ok: true, version: result.version });
      } catch (error) {
        outcomes.push({ id: item.id, ok: false, error });
      }
    }
    return outcomes;
  }
}
