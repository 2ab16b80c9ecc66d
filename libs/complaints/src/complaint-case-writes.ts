import type { EntityManager } from 'typeorm';
import { DomainError, assertHandling, type HandlingResults, type Verdict } from '#domain';
import type { ComplaintEffectArgs } from './complaint-subject.js';

export async function setUnits(m: EntityManager, caseId: string, leadUnitId: string, cooperating: string[]): Promise<void> {
  await m.query(`DELETE FROM complaint_unit WHERE case_id = $1`, [caseId]);
  await m.query(
    `INSERT INTO complaint_unit (case_id, unit_id, role)
     SELECT $1, u, CASE WHEN u = $2::uuid THEN 'lead' ELSE 'cooperating' END FROM unnest($3::uuid[]) u`,
    [caseId, leadUnitId, [leadUnitId, ...cooperating.filter((u) => u !== leadUnitId)]],
  );
  await m.query(`SELECT complaint_refresh_scope($1)`, [caseId]);
}

export async function assertUnits(m: EntityManager, refs: { field: string; ids: string[] }[]): Promise<void> {
  const all = [...new Set(refs.flatMap((r) => r.ids))];
  const found = new Set(
    (await m.query<{ id: string }[]>(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[]) AND active`, [all])).map((r) => r.id),
  );
  const issues = refs
    .filter((r) => r.ids.some((id) => !found.has(id)))
    .map((r) => ({ field: r.field, messages: ['names no active unit'] }));
  if (issues.length > 0) throw DomainError.validation('Unknown unit', issues);
}

export async function review(m: EntityManager, a: ComplaintEffectArgs, outcome: 'accepted' | 'returned'): Promise<void> {
  await m.query(
    `UPDATE complaint_verdict SET review = $1, review_reason = $2, reviewed_by = $3, reviewed_at = $4 WHERE case_id = $5 AND seq = $6`,
    [outcome, a.input.reason?.trim() || null, a.actor.userId, a.at, a.subject.id, a.subject.row.verdict_seq],
  );
}

/** A new verdict row; handling figures not given carry over from the previous report (an application for final closure). */
export async function insertVerdict(m: EntityManager, a: ComplaintEffectArgs, verdict: Verdict): Promise<Record<string, unknown>> {
  const [previous] = a.input.handling
    ? []
    : await m.query<HandlingResults[]>(
        `SELECT orders_issued AS "ordersIssued", fines_wan::float8 AS "finesWan", cases_filed AS "casesFiled", detained, accountable, summoned
           FROM complaint_verdict WHERE case_id = $1 AND seq = $2`,
        [a.subject.id, a.subject.row.verdict_seq],
      );
  const h = assertHandling(a.input.handling ?? previous ?? {});
  const seq = a.subject.row.verdict_seq + 1;
  await m.query(
    `INSERT INTO complaint_verdict (case_id, seq, verdict, findings, handling_summary, orders_issued, fines_wan, cases_filed, detained,
                                    accountable, summoned, reported_by, reported_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      a.subject.id,
      seq,
      verdict,
      a.input.findings ?? '',
      a.input.handlingSummary!.trim(),
      h.ordersIssued,
      h.finesWan,
      h.casesFiled,
      h.detained,
      h.accountable,
      h.summoned,
      a.actor.userId,
      a.at,
    ],
  );
  // The files the case's units uploaded since the last report go in with this one.
  const attached = await m.query<{ id: string }[]>(
    `WITH a AS (UPDATE complaint_evidence SET verdict_seq = $2 WHERE case_id = $1 AND verdict_seq IS NULL AND removed_at IS NULL
        AND unit_id IN (SELECT unit_id FROM complaint_unit WHERE case_id = $1) RETURNING id, uploaded_at)
     SELECT id FROM a ORDER BY uploaded_at, id`,
    [a.subject.id, seq],
  );
  return { verdict, verdictSeq: seq, handling: h, evidenceIds: attached.map((r) => r.id) };
}
