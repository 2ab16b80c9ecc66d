import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CalendarService } from '#calendar';
import {
  DomainError,
  addDays,
  decide,
  returnTarget,
  shanghaiDate,
  type DeadlineKind,
  type RectificationAction,
  type RectificationContext,
  type RectificationState,
} from '#domain';
import type { EffectArgs, EffectsTable } from '#workflow';
import { loadSnapshot, type ItemSnapshot } from './item-snapshot.js';
import type { TransitionInput } from './item-workflow.js';

export type ItemEffectArgs = EffectArgs<RectificationState, ItemSnapshot, TransitionInput, RectificationContext>;
type ItemEffects = EffectsTable<RectificationState, RectificationAction, ItemSnapshot, TransitionInput, RectificationContext>;

/** The acceptance level an action leaves the item at (null outside acceptance); the UPDATE writes it with the state. */
export function nextAcceptanceLevel({ subject: item, input, to, ctx }: ItemEffectArgs): number | null {
  if (to !== 'in_acceptance') return null;
  if (input.action === 'submit') return item.resumeLevel ?? 0;
  if (input.action === 'pass') return item.acceptanceLevel! + 1;
  if (input.action === 'return') {
    const target = returnTarget(ctx);
    if (typeof target !== 'string' && target.kind === 'level') return target.levelIndex;
  }
  return item.acceptanceLevel;
}

const reasonOf = (input: TransitionInput): string | null => input.reason?.trim() || null;

/**
 * What each action writes beyond the state, in the transition's transaction (null: nothing, one
 * statement does it all). Every timestamp is the change's instant `at`, the same one the history
 * row carries; each write returns what the history row records.
 */
export function itemEffects(calendar: CalendarService): ItemEffects {
  const acceptance = async (m: EntityManager, { actor, subject: item, input, to, at, today, ctx }: ItemEffectArgs) => {
    const level = item.acceptanceLevel!;
    const unitId = item.acceptanceUnits[level];
    const target = input.action === 'return' ? returnTarget(ctx) : null;
    if (typeof target === 'string') throw new Error(target); // the guard refused it already
    await m.query(
      `INSERT INTO item_acceptance (item_id, submission_round, level_index, level, unit_id, result, opinion, signed_by, signed_at,
                                    return_to, return_level_index)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        item.id,
        item.submissionRound,
        level,
        item.chain[level].level,
        unitId,
        input.action,
        reasonOf(input),
        actor.userId,
        at,
        target?.kind ?? null,
        target ? (target.kind === 'level' ? target.levelIndex : target.resumeLevel) : null,
      ],
    );
    const data = { level: item.chain[level].level, levelIndex: level, acceptanceUnitId: unitId, submissionRound: item.submissionRound };
    if (target) {
      if (target.kind === 'level')
        return { ...data, returnTo: 'level', nextLevel: item.chain[target.levelIndex].level, nextLevelIndex: target.levelIndex };
      await m.query(`UPDATE item SET resume_level = $2 WHERE id = $1`, [item.id, target.resumeLevel]);
      return { ...data, returnTo: target.kind, resumeLevel: item.chain[target.resumeLevel].level, resumeLevelIndex: target.resumeLevel };
    }
    if (to === 'in_acceptance') return { ...data, nextLevel: item.chain[level + 1].level, nextLevelIndex: level + 1 };
    if (to === 'public_notice') {
      const noticeEnd = addDays(today, item.noticeDays - 1);
      await m.query(`UPDATE item SET notice_start = $2, notice_end = $3 WHERE id = $1`, [item.id, today, noticeEnd]);
      return { ...data, noticeStart: today, noticeEnd };
    }
    if (to === 'signed_off' || to === 'phase_completed') await close(m, calendar, item.id, to, at);
    return data;
  };
  const closing = async (m: EntityManager, { subject: item, to, at }: ItemEffectArgs) => {
    await close(m, calendar, item.id, to, at);
    return {};
  };
  return {
    assign: null,
    withdraw: null,
    decline: null,
    urge: null,
    cancel: null,
    accept: {
      write: async (m, { subject: item, at }) => {
        await setLeadStatus(m, item.id, 'in_progress', at);
        return {};
      },
    },
    report_progress: {
      write: async (m, { actor, subject: item, input, at, today }) => {
        const text = input.text!.trim();
        const [{ id }] = await m.query<{ id: string }[]>(
          `INSERT INTO item_progress (item_id, unit_id, author_id, reported_on, text, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [item.id, actor.unitId, actor.userId, today, text, at],
        );
        // The lead unit's own progress is its latest report.
        await m.query(`UPDATE item_unit SET progress = $2, updated_at = $3 WHERE item_id = $1 AND role = 'lead'`, [item.id, text, at]);
        return { progressId: id, text };
      },
    },
    report_part: {
      write: async (m, { actor, subject: item, input, at }) => {
        const part = partOf(actor.unitPath, item, input.partUnitId)!;
        await m.query(
          `UPDATE item_unit SET status = $3, progress = coalesce($4, progress), updated_at = $5 WHERE item_id = $1 AND unit_id = $2`,
          [item.id, part.unitId, input.partStatus, input.text?.trim() || null, at],
        );
        return { partUnitId: part.unitId, status: { from: part.status, to: input.partStatus }, text: input.text?.trim() || null };
      },
    },
    request_extension: {
      write: async (m, { actor, subject: item, input, at, today }) => {
        const id = randomUUID();
        // Filed after the deadline: allowed, and marked late.
        const late = !!item.currentDeadline && today > item.currentDeadline;
        await m.query(
          `INSERT INTO item_extension (id, item_id, requested_by, requested_at, from_deadline, proposed_deadline, reason, late)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, item.id, actor.userId, at, item.currentDeadline, input.proposedDeadline, reasonOf(input), late],
        );
        await m.query(`UPDATE item SET pending_extension_id = $2 WHERE id = $1`, [item.id, id]);
        return { extensionId: id, fromDeadline: item.currentDeadline, proposedDeadline: input.proposedDeadline, late };
      },
    },
    approve_extension: {
      write: async (m, { actor, subject: item, input, at }) => {
        const [[ext]] = await m.query<[{ proposed_deadline: string; reason: string }[], number]>(
          `UPDATE item_extension SET status = 'approved', decided_by = $2, decided_at = $3, decision_reason = $4
            WHERE id = $1 RETURNING to_char(proposed_deadline, 'YYYY-MM-DD') AS proposed_deadline, reason`,
          [item.pendingExtensionId, actor.userId, at, reasonOf(input)],
        );
        const version = await addDeadlineVersion(m, item, ext.proposed_deadline, 'extension', ext.reason, actor.userId, at);
        await m.query(`UPDATE item SET extension_count = extension_count + 1, pending_extension_id = NULL WHERE id = $1`, [item.id]);
        return {
          extensionId: item.pendingExtensionId,
          deadline: { from: item.currentDeadline, to: ext.proposed_deadline },
          deadlineVersion: version,
        };
      },
    },
    reject_extension: {
      write: async (m, { actor, subject: item, input, at }) => {
        await m.query(
          `UPDATE item_extension SET status = 'rejected', decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $1`,
          [item.pendingExtensionId, actor.userId, at, reasonOf(input)],
        );
        await m.query(`UPDATE item SET pending_extension_id = NULL WHERE id = $1`, [item.id]);
        return { extensionId: item.pendingExtensionId };
      },
    },
    reset_deadline: {
      write: async (m, { actor, subject: item, input, at }) => {
        const version = await addDeadlineVersion(m, item, input.newDeadline!, 'reset', reasonOf(input), actor.userId, at);
        return { deadline: { from: item.currentDeadline, to: input.newDeadline }, deadlineVersion: version };
      },
    },
    submit: {
      write: async (m, { subject: item }) => {
        const start = item.resumeLevel ?? 0;
        await m.query(`UPDATE item SET submission_round = submission_round + 1, resume_level = NULL WHERE id = $1`, [item.id]);
        return { submissionRound: item.submissionRound + 1, level: item.chain[start].level, levelIndex: start, resumed: start > 0 };
      },
    },
    pass: { write: acceptance },
    return: { write: acceptance },
    uphold_objection: {
      write: async (m, { subject: item }) => {
        await m.query(`UPDATE item SET notice_start = NULL, notice_end = NULL WHERE id = $1`, [item.id]);
        return {};
      },
    },
    close_notice: { write: closing },
    sign_off: { write: closing },
    reopen: {
      write: async (m, { subject: item, at }) => {
        // The earlier closure stays on record: first/last sign-off dates, acceptance rows, evidence.
        const [[row]] = await m.query<[{ reopen_count: number }[], number]>(
          `UPDATE item SET reopen_count = reopen_count + 1, completed_at = NULL, close_working_days = NULL, notice_start = NULL, notice_end = NULL,
                  resume_level = NULL
            WHERE id = $1 RETURNING reopen_count`,
          [item.id],
        );
        await setLeadStatus(m, item.id, 'in_progress', at);
        return { reopenCount: row.reopen_count };
      },
    },
    spot_check: {
      write: async (m, { actor, subject: item, input, at }) => {
        const [{ id }] = await m.query<{ id: string }[]>(
          `INSERT INTO item_spot_check (item_id, auditor_id, result, note, checked_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [item.id, actor.userId, input.spotCheckResult, reasonOf(input), at],
        );
        return { spotCheckId: id, result: input.spotCheckResult };
      },
    },
    merge: {
      write: async (m, { actor, subject: item, input }) => {
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
      },
    },
  };
}

/** The cooperating part of the item that belongs to the actor's unit (the one named, or the first). */
export function partOf(unitPath: string, item: ItemSnapshot, partUnitId?: string): ItemSnapshot['cooperating'][number] | null {
  const mine = item.cooperating.filter((p) => p.path.startsWith(unitPath));
  return (partUnitId ? mine.find((p) => p.unitId === partUnitId) : mine[0]) ?? null;
}

/** A new deadline version (the earlier ones stay); it becomes the item's current deadline. */
export async function addDeadlineVersion(
  m: EntityManager,
  item: Pick<ItemSnapshot, 'id' | 'deadlineVersion'>,
  deadline: string,
  kind: Exclude<DeadlineKind, 'initial' | 'edit'>,
  reason: string | null,
  decidedBy: string | null,
  at: Date,
): Promise<number> {
  const version = item.deadlineVersion + 1;
  await m.query(
    `INSERT INTO item_deadline (item_id, version, deadline, kind, reason, decided_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [item.id, version, deadline, kind, reason, decidedBy, at],
  );
  await m.query(`UPDATE item SET current_deadline = $2, deadline_version = $3 WHERE id = $1`, [item.id, deadline, version]);
  return version;
}

function setLeadStatus(m: EntityManager, itemId: string, status: 'in_progress' | 'done', at: Date): Promise<unknown> {
  return m.query(`UPDATE item_unit SET status = $2, updated_at = $3 WHERE item_id = $1 AND role = 'lead' AND status <> $2`, [
    itemId,
    status,
    at,
  ]);
}

/**
 * Closing keeps the first sign-off date (for re-checks), records the latest, fixes how many
 * working days the item took from its creation (for the statistics' average and median), and marks
 * the lead units' own part done.
 */
export async function close(m: EntityManager, calendars: CalendarService, itemId: string, to: RectificationState, at: Date): Promise<void> {
  const [{ created_on }] = await m.query<{ created_on: string }[]>(
    `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS created_on FROM item WHERE id = $1`,
    [itemId],
  );
  const workingDays = Math.max(0, (await calendars.calendar(m)).workingDaysBetween(created_on, shanghaiDate(at)));
  await m.query(
    `UPDATE item SET completed_at = $3, close_working_days = $4,
            first_signed_off_at = CASE WHEN $2 THEN coalesce(first_signed_off_at, $3) ELSE first_signed_off_at END,
            last_signed_off_at = CASE WHEN $2 THEN $3 ELSE last_signed_off_at END
      WHERE id = $1`,
    [itemId, to === 'signed_off', at, workingDays],
  );
  await setLeadStatus(m, itemId, 'done', at);
}
