import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HistoryService, type ChainTip } from '#audit';
import { CalendarService } from '#calendar';
import {
  DomainError,
  assertHandling,
  complaintGuards,
  complaintInputGuards,
  complaintWorkflow,
  dateOutOfRangeIssue,
  decide,
  isSupportedDate,
  scopeOfPaths,
  type Actor,
  type ActorScope,
  type ComplaintAction,
  type ComplaintContext,
  type ComplaintState,
  type ResourceScope,
} from '#domain';
import type { EffectsTable, WorkflowAdapter } from '#workflow';
import { assertUnits, insertVerdict, review, setUnits } from './complaint-case-writes.js';
import { COMPLAINT_ENTITY } from './complaint-intake.service.js';
import type {
  ComplaintEffectArgs as Args,
  ComplaintRef,
  ComplaintRow,
  ComplaintSubject,
  ComplaintTransitionInput,
} from './complaint-subject.js';

export type { ComplaintRef, ComplaintSubject, ComplaintTransitionInput } from './complaint-subject.js';

const SELECT_CASE = `
  SELECT c.id, c.state, c.version, c.batch_id, to_char(c.received_on, 'YYYY-MM-DD') AS received_on,
         b.deadline_days, b.deadline_kind, c.lead_unit_id, lu.path AS lead_path, c.owner_scope, c.dispatcher_scope,
         to_char(c.deadline, 'YYYY-MM-DD') AS deadline, c.deadline_version, c.published_at, c.followed_up_at,
         v.verdict, coalesce(v.seq, 0) AS verdict_seq,
         (SELECT json_build_object('id', e.id, 'requestedDeadline', to_char(e.requested_deadline, 'YYYY-MM-DD'))
            FROM complaint_extension e WHERE e.case_id = c.id AND e.status = 'pending') AS pending_extension,
         (SELECT count(*)::int FROM complaint_item ci JOIN item i ON i.id = ci.item_id
           WHERE ci.case_id = c.id AND ci.awaited AND i.state NOT IN ('signed_off', 'phase_completed', 'cancelled', 'merged')) AS awaited_open,
         ${HistoryService.tipSql(`'${COMPLAINT_ENTITY}'`, 'c.id')} AS tip
    FROM complaint_case c
    JOIN complaint_batch b ON b.id = c.batch_id
    LEFT JOIN org_unit lu ON lu.id = c.lead_unit_id
    LEFT JOIN LATERAL (SELECT v.verdict, v.seq FROM complaint_verdict v WHERE v.case_id = c.id ORDER BY v.seq DESC LIMIT 1) v ON true`;

/** Complaint cases as a subject of the workflow runner; every effect of an action in one place. */
@Injectable()
export class ComplaintWorkflow implements WorkflowAdapter<
  string,
  ComplaintState,
  ComplaintAction,
  ComplaintSubject,
  ComplaintTransitionInput,
  ComplaintContext,
  ComplaintRef
> {
  readonly entity = COMPLAINT_ENTITY;
  readonly table = 'complaint_case';
  readonly definition = complaintWorkflow;
  readonly guards = complaintGuards;
  readonly inputGuards = complaintInputGuards;
  readonly effects: EffectsTable<ComplaintState, ComplaintAction, ComplaintSubject, ComplaintTransitionInput, ComplaintContext>;

  constructor(@Inject(CalendarService) private readonly calendar: CalendarService) {
    this.effects = {
      urge: null,
      publish: { columns: (_a, bind) => [`published_at = ${bind.at}`] },
      archive: { columns: (_a, bind) => [`archived_at = ${bind.at}`] },
      transfer: { write: (m, a) => this.transfer(m, a) },
      merge: {
        columns: (a, bind) => [`duplicate_of_id = ${bind(a.input.duplicateOfId)}`, `merged_at = ${bind.at}`],
        write: async (m, a) => {
          const [target] = await m.query<{ case_no: string; state: string }[]>(
            `SELECT case_no, state FROM complaint_case WHERE id = $1 AND id <> $2 AND dispatcher_scope && $3::uuid[]`,
            [a.input.duplicateOfId, a.subject.id, a.subject.row.dispatcher_scope],
          );
          if (!target || target.state === 'merged') {
            throw DomainError.validation('The case to merge into is not one of yours', [
              { field: 'duplicateOfId', messages: ['names no other unmerged case of your unit'] },
            ]);
          }
          await m.query(
            `INSERT INTO complaint_duplicate (case_id, other_id, similarity, status, decided_by, decided_at)
             VALUES ($1, $2, 0, 'confirmed', $3, $4)
             ON CONFLICT (case_id, other_id) DO UPDATE SET status = 'confirmed', decided_by = $3, decided_at = $4`,
            [a.subject.id, a.input.duplicateOfId, a.actor.userId, a.at],
          );
          return { duplicateOfId: a.input.duplicateOfId, duplicateOfCaseNo: target.case_no };
        },
      },
      report_verdict: {
        columns: (_a, bind) => [`investigated_at = ${bind.at}`],
        write: (m, a) => insertVerdict(m, a, a.input.verdict!),
      },
      apply_closure: {
        columns: (_a, bind) => [`investigated_at = ${bind.at}`],
        write: (m, a) => insertVerdict(m, a, a.input.verdict ?? a.subject.row.verdict!),
      },
      return: {
        write: async (m, a) => {
          await review(m, a, 'returned');
          return { verdictSeq: a.subject.row.verdict_seq };
        },
      },
      close: {
        columns: (_a, bind) => [`closed_at = ${bind.at}`],
        write: async (m, a) => {
          await review(m, a, 'accepted');
          return { verdictSeq: a.subject.row.verdict_seq };
        },
      },
      phase_close: {
        columns: (a, bind) => [
          `phase_closed_at = coalesce(phase_closed_at, ${bind.at})`,
          `committed_date = ${bind(a.input.committedDate)}`,
        ],
        write: async (m, a) => {
          await review(m, a, 'accepted');
          return { verdictSeq: a.subject.row.verdict_seq, committedDate: a.input.committedDate };
        },
      },
      follow_up: {
        columns: (_a, bind) => [`followed_up_at = coalesce(followed_up_at, ${bind.at})`],
        write: async (m, a) => {
          await m.query(
            `INSERT INTO complaint_follow_up (case_id, visited_on, reached, satisfaction, note, visited_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              a.subject.id,
              a.input.visitedOn ?? a.today,
              a.input.reached,
              a.input.reached ? a.input.satisfaction : null,
              a.input.note ?? '',
              a.actor.userId,
              a.at,
            ],
          );
          return { reached: a.input.reached, satisfaction: a.input.reached ? a.input.satisfaction : null };
        },
      },
      request_extension: {
        write: async (m, a) => {
          await m.query(
            `INSERT INTO complaint_extension (case_id, requested_deadline, reason, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)`,
            [a.subject.id, a.input.requestedDeadline, a.input.reason!.trim(), a.actor.userId, a.at],
          );
          return { requestedDeadline: a.input.requestedDeadline };
        },
      },
      approve_extension: {
        columns: (a, bind) => [
          `deadline = ${bind(a.subject.row.pending_extension!.requestedDeadline)}`,
          `deadline_version = ${bind(a.subject.row.deadline_version + 1)}`,
        ],
        write: async (m, a) => {
          const ext = a.subject.row.pending_extension!;
          const version = a.subject.row.deadline_version + 1;
          await m.query(`UPDATE complaint_extension SET status = 'approved', decided_by = $2, decided_at = $3 WHERE id = $1`, [
            ext.id,
            a.actor.userId,
            a.at,
          ]);
          await m.query(
            `INSERT INTO complaint_deadline (case_id, version, deadline, kind, reason, decided_by, created_at)
             VALUES ($1, $2, $3, 'extension', $4, $5, $6)`,
            [a.subject.id, version, ext.requestedDeadline, a.input.reason?.trim() || null, a.actor.userId, a.at],
          );
          return { deadline: { from: a.subject.row.deadline, to: ext.requestedDeadline }, deadlineVersion: version };
        },
      },
      reject_extension: {
        write: async (m, a) => {
          await m.query(
            `UPDATE complaint_extension SET status = 'rejected', decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $1`,
            [a.subject.row.pending_extension!.id, a.actor.userId, a.at, a.input.reason!.trim()],
          );
          return {};
        },
      },
      reassign: {
        columns: (a, bind) => [`lead_unit_id = ${bind(a.input.leadUnitId)}`],
        write: async (m, a) => {
          await assertUnits(m, [{ field: 'leadUnitId', ids: [a.input.leadUnitId!] }]);
          const cooperating = (
            await m.query<{ unit_id: string }[]>(`SELECT unit_id FROM complaint_unit WHERE case_id = $1 AND role = 'cooperating'`, [
              a.subject.id,
            ])
          ).map((r) => r.unit_id);
          await setUnits(m, a.subject.id, a.input.leadUnitId!, cooperating);
          return { leadUnitId: { from: a.subject.row.lead_unit_id, to: a.input.leadUnitId } };
        },
      },
      spawn_item: {
        columns: (a, bind) => (a.input.awaitItem ? [`await_items = ${bind(true)}`] : []),
        write: async (m, a) => {
          if (!a.input.itemId) throw DomainError.validation('The item is required', [{ field: 'itemId', messages: ['is required'] }]);
          await m.query(`INSERT INTO complaint_item (case_id, item_id, awaited) VALUES ($1, $2, $3)`, [
            a.subject.id,
            a.input.itemId,
            !!a.input.awaitItem,
          ]);
          return { itemId: a.input.itemId, awaited: !!a.input.awaitItem };
        },
      },
    };
  }

  /** The case if the actor may read it; otherwise a 404. */
  async load(m: EntityManager, actor: Actor, id: string, lock = false): Promise<ComplaintSubject> {
    const [row] = await m.query<(ComplaintRow & { id: string; state: ComplaintState; version: number; tip: ChainTip | null })[]>(
      `${SELECT_CASE} WHERE c.id = $1 ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id],
    );
    if (!row || !decide(actor, 'complaint.read', { ownerScope: row.owner_scope, dispatcherScope: row.dispatcher_scope }).allowed) {
      throw DomainError.notFound('complaint', id);
    }
    return { id: row.id, state: row.state, version: row.version, tip: row.tip, row };
  }

  ref(s: ComplaintSubject): ComplaintRef {
    return { complaintId: s.id };
  }

  scope(_m: EntityManager, actorScope: ActorScope, s: ComplaintSubject): Promise<ResourceScope | null> {
    if (actorScope === 'dispatcher') return Promise.resolve({ ownerScope: [], dispatcherScope: s.row.dispatcher_scope });
    if (actorScope === 'lead') return Promise.resolve(s.row.lead_path ? { ownerScope: scopeOfPaths([s.row.lead_path]) } : null);
    return Promise.resolve({ ownerScope: s.row.owner_scope, dispatcherScope: s.row.dispatcher_scope });
  }

  context(s: ComplaintSubject, today: string, input: Partial<ComplaintTransitionInput>): ComplaintContext {
    return {
      complaint: {
        receivedOn: s.row.received_on,
        leadUnitId: s.row.lead_unit_id,
        deadline: s.row.deadline,
        verdict: s.row.verdict,
        publishedAt: s.row.published_at ? s.row.published_at.toISOString() : null,
        followedUp: s.row.followed_up_at !== null,
        extensionPending: s.row.pending_extension !== null,
        awaitedItemsOpen: s.row.awaited_open,
      },
      today,
      input,
    };
  }

  validate(input: ComplaintTransitionInput): void {
    for (const field of ['deadline', 'committedDate', 'requestedDeadline', 'visitedOn'] as const) {
      const value = input[field];
      if (value !== undefined && !isSupportedDate(value))
        throw DomainError.validation(`${field} must be a date`, [dateOutOfRangeIssue(field)]);
    }
    if (input.handling) assertHandling(input.handling);
  }

  data(s: ComplaintSubject): Record<string, unknown> {
    return { batchId: s.row.batch_id };
  }

  /** 转办: lead and cooperating units, the deadline (given, or from the batch's rule) as version 1. */
  private async transfer(m: EntityManager, a: Args): Promise<Record<string, unknown>> {
    const cooperating = a.input.cooperatingUnitIds ?? [];
    await assertUnits(m, [
      { field: 'leadUnitId', ids: [a.input.leadUnitId!] },
      { field: 'cooperatingUnitIds', ids: cooperating },
    ]);
    const rule = a.subject.row;
    const computed = a.input.deadline
      ? { deadline: a.input.deadline, explanation: `指定日期 ${a.input.deadline}` }
      : await this.calendar.compute(
          rule.deadline_kind === 'working'
            ? { kind: 'working_days', from: rule.received_on, days: rule.deadline_days, event: '受理' }
            : { kind: 'calendar_days', from: rule.received_on, days: rule.deadline_days, event: '受理' },
          m,
        );
    await m.query(
      `UPDATE complaint_case SET lead_unit_id = $2, original_deadline = $3, deadline = $3, deadline_version = 1, transferred_at = $4 WHERE id = $1`,
      [a.subject.id, a.input.leadUnitId, computed.deadline, a.at],
    );
    await m.query(
      `INSERT INTO complaint_deadline (case_id, version, deadline, kind, rule, decided_by, created_at) VALUES ($1, 1, $2, 'initial', $3, $4, $5)`,
      [a.subject.id, computed.deadline, computed.explanation, a.actor.userId, a.at],
    );
    await setUnits(m, a.subject.id, a.input.leadUnitId!, cooperating);
    return {
      leadUnitId: a.input.leadUnitId,
      cooperatingUnitIds: cooperating,
      deadline: computed.deadline,
      deadlineRule: computed.explanation,
    };
  }
}
