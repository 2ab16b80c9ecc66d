import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService } from '#calendar';
import { CLOCK, type Actor, type Clock } from '#domain';
import { recordChange } from '#workflow';
import { ITEM_ENTITY, loadSnapshot } from './item-snapshot.js';
import type { StoredDeadlineRule } from './items.service.js';
import { addDeadlineVersion } from './transition-effects.js';

export interface Recomputed {
  itemId: string;
  code: string;
  from: string;
  to: string;
}

/**
 * When a year's holiday schedule is entered, the deadlines computed across it while it was unknown
 * (provisional) are computed again. A deadline that moves gets a new version with the reason (the
 * earlier ones stay) and the lead unit is told; one that does not move loses its provisional mark.
 * Only open items whose deadline still is the one the rule gave are touched: a deadline fixed since
 * (an extension, a reset, an edit) is not moved.
 */
@Injectable()
export class DeadlineRecomputeService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CalendarService) private readonly calendars: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async recomputeProvisional(actor: Actor, year: number): Promise<Recomputed[]> {
    const candidates = await this.dataSource.query<{ id: string }[]>(
      `SELECT i.id FROM item i
        WHERE i.state IN ('draft', 'assigned', 'in_progress') AND (i.deadline_rule->>'provisional')::boolean
          AND i.deadline_rule->'unpublishedYears' @> to_jsonb($1::int)
          AND NOT EXISTS (SELECT 1 FROM item_deadline d WHERE d.item_id = i.id AND d.kind IN ('extension', 'reset', 'edit'))
        ORDER BY i.code`,
      [year],
    );
    const moved: Recomputed[] = [];
    for (const { id } of candidates) {
      const change = await this.dataSource.transaction(async (m) => {
        const item = await loadSnapshot(m, id, true);
        const [row] = await m.query<{ deadline_rule: StoredDeadlineRule }[]>(`SELECT deadline_rule FROM item WHERE id = $1`, [id]);
        if (!item || !row?.deadline_rule?.provisional) return null;
        const computed = await this.calendars.compute(row.deadline_rule.rule, m);
        const at = this.clock.now();
        const stored: StoredDeadlineRule = {
          ...row.deadline_rule,
          explanation: computed.explanation,
          holidays: computed.holidays,
          provisional: computed.provisional,
          unpublishedYears: computed.unpublishedYears,
        };
        const from = item.currentDeadline!;
        const to = computed.deadline;
        const reason = `按${year}年节假日安排重新计算整改时限：${computed.explanation}`;
        const [[updated]] = await m.query<[{ version: number }[], number]>(
          `UPDATE item SET deadline_rule = $2, version = version + 1, updated_at = $3 WHERE id = $1 RETURNING version`,
          [id, stored, at],
        );
        if (to !== from) await addDeadlineVersion(m, item, to, 'calendar', reason, null, at);
        await recordChange(m, item.tip, {
          entry: {
            entityType: ITEM_ENTITY,
            entityId: id,
            action: 'recompute_deadline',
            actorId: actor.userId,
            fromState: item.state,
            toState: item.state,
            reason,
            data: { year, deadline: { from, to }, version: updated.version, provisional: computed.provisional },
            at,
          },
          ref: { itemId: id },
          // Only a deadline that moved is news to the unit.
          kind: to !== from ? 'item.deadline_recomputed' : 'item.deadline_confirmed',
        });
        return to !== from ? { itemId: id, code: item.code, from, to } : null;
      });
      if (change) moved.push(change);
    }
    return moved;
  }
}
