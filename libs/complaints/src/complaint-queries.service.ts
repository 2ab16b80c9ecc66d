import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService, type HistoryView } from '#audit';
import {
  CLOCK,
  DomainError,
  complaintWorkflow,
  decide,
  listScope,
  shanghaiDate,
  type Actor,
  type Clock,
  type ComplaintState,
  type PollutionType,
  type Verdict,
} from '#domain';
import { SqlParams } from '#persistence';
import { COMPLAINT_ENTITY } from './complaint-intake.service.js';
import {
  COUNT_CAP,
  caseScopeWhere,
  listsCaseRows,
  queryComplaintPage,
  readerWhere,
  textMatch,
  type ScopeTest,
} from './complaint-list.query.js';

export interface ComplaintFilter {
  batchId?: string;
  countyUnitId?: string;
  leadUnitId?: string;
  state?: ComplaintState[];
  pollutionType?: PollutionType;
  verdict?: Verdict;
  keyCase?: boolean;
  /** Cases with duplicate proposals not yet decided. */
  duplicateProposals?: boolean;
  receivedFrom?: string;
  receivedTo?: string;
  q?: string;
}

export interface ComplaintRow {
  id: string;
  caseNo: string;
  teamNo: string | null;
  batchId: string;
  round: string;
  batchNo: number;
  receivedOn: string;
  content: string;
  countyUnitId: string;
  countyName: string;
  address: string;
  pollutionTypes: PollutionType[];
  keyCase: boolean;
  state: ComplaintState;
  stateLabel: string;
  version: number;
  leadUnitId: string | null;
  leadUnitName: string | null;
  originalDeadline: string | null;
  deadline: string | null;
  overdue: boolean;
  verdict: Verdict | null;
  duplicateOfCaseNo: string | null;
  openProposals: number;
}

/** The SELECT of list rows, today's date in the parameter named; "overdue" is computed, never stored. */
export const complaintRowSql = (today: string): string => `
  SELECT c.id, c.case_no AS "caseNo", c.team_no AS "teamNo", c.batch_id AS "batchId", b.round, b.batch_no AS "batchNo",
         to_char(c.received_on, 'YYYY-MM-DD') AS "receivedOn", c.content, c.county_unit_id AS "countyUnitId", co.name AS "countyName",
         c.address, c.pollution_types AS "pollutionTypes", c.key_case AS "keyCase", c.state, c.version,
         c.lead_unit_id AS "leadUnitId", lu.name AS "leadUnitName",
         to_char(c.original_deadline, 'YYYY-MM-DD') AS "originalDeadline", to_char(c.deadline, 'YYYY-MM-DD') AS "deadline",
         (c.state = 'transferred' AND c.deadline < ${today}::date) AS overdue,
         (SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = c.id ORDER BY v.seq DESC LIMIT 1) AS verdict,
         (SELECT d.case_no FROM complaint_case d WHERE d.id = c.duplicate_of_id) AS "duplicateOfCaseNo",
         (SELECT count(*)::int FROM complaint_duplicate p WHERE p.case_id = c.id AND p.status = 'proposed') AS "openProposals"
    FROM complaint_case c
    JOIN complaint_batch b ON b.id = c.batch_id
    JOIN org_unit co ON co.id = c.county_unit_id
    LEFT JOIN org_unit lu ON lu.id = c.lead_unit_id`;

type Row = Record<string, unknown>;

/** Reading complaint cases: lists and the detail, scoped (404 outside), the contact for dispatchers only. */
@Injectable()
export class ComplaintQueriesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** WHERE conditions for a filter in the actor's scope (null: the actor may read none). */
  where(actor: Actor, f: ComplaintFilter, q: SqlParams, scopeTest: ScopeTest = 'set'): string[] | null {
    const scope = listScope(actor, 'complaint.read');
    if (scope.kind === 'none') return null;
    const w: string[] = [];
    if (scope.kind === 'units') w.push(caseScopeWhere(scope, q, scopeTest));
    if (f.batchId) w.push(`c.batch_id = ${q.add(f.batchId)}::uuid`);
    if (f.countyUnitId) w.push(`c.county_unit_id = ${q.add(f.countyUnitId)}::uuid`);
    if (f.leadUnitId) w.push(`c.lead_unit_id = ${q.add(f.leadUnitId)}::uuid`);
    if (f.state?.length) w.push(`c.state = ANY(${q.add(f.state)}::text[])`);
    if (f.pollutionType) w.push(`c.pollution_types @> ARRAY[${q.add(f.pollutionType)}::text]`);
    if (f.keyCase !== undefined) w.push(`c.key_case = ${q.add(f.keyCase)}`);
    if (f.verdict) {
      w.push(`(SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = c.id ORDER BY v.seq DESC LIMIT 1) = ${q.add(f.verdict)}`);
    }
    if (f.duplicateProposals) w.push(`EXISTS (SELECT 1 FROM complaint_duplicate p WHERE p.case_id = c.id AND p.status = 'proposed')`);
    if (f.receivedFrom) w.push(`c.received_on >= ${q.add(f.receivedFrom)}::date`);
    if (f.receivedTo) w.push(`c.received_on <= ${q.add(f.receivedTo)}::date`);
    if (f.q) w.push(textMatch(f.q, q));
    return w;
  }

  async list(
    actor: Actor,
    f: ComplaintFilter & { page?: number; pageSize?: number },
  ): Promise<{ data: ComplaintRow[]; total: number; totalIsExact: boolean; page: number; pageSize: number }> {
    const page = f.page ?? 1;
    const pageSize = f.pageSize ?? 20;
    const scope = listScope(actor, 'complaint.read');
    if (scope.kind === 'none') return { data: [], total: 0, totalIsExact: true, page, pageSize };
    const q = new SqlParams();
    const source = listsCaseRows(f) ? 'case' : 'reader';
    // A batch's few hundred cases are tested for the scope one by one; a word's may be thousands,
    // intersected with the scope's index.
    const where = source === 'case' ? this.where(actor, f, q, f.batchId ? 'rows' : 'set') : readerWhere(scope, f, q);
    if (!where) return { data: [], total: 0, totalIsExact: true, page, pageSize };
    const { rows, total } = await queryComplaintPage(this.dataSource, {
      source,
      where,
      params: q.values,
      today: this.today(),
      page,
      pageSize,
    });
    return {
      data: rows.map(withLabel),
      total: Math.min(total, COUNT_CAP),
      totalIsExact: total <= COUNT_CAP,
      page,
      pageSize,
    };
  }

  /** A case's detail; another unit's case or an unknown id is a 404. The contact only where the role may see it. */
  async get(actor: Actor, id: string) {
    const q = new SqlParams();
    const today = q.add(this.today());
    const [row] = await this.dataSource.query<
      (ComplaintRow & { ownerScope: string[]; dispatcherScope: string[] } & Record<string, unknown>)[]
    >(
      `${complaintRowSql(today).replace(
        'FROM complaint_case c',
        `, c.owner_scope AS "ownerScope", c.dispatcher_scope AS "dispatcherScope", c.latitude::float8 AS latitude,
           c.longitude::float8 AS longitude, to_char(c.committed_date, 'YYYY-MM-DD') AS "committedDate", c.await_items AS "awaitItems",
           c.transferred_at AS "transferredAt", c.investigated_at AS "investigatedAt", c.phase_closed_at AS "phaseClosedAt",
           c.closed_at AS "closedAt", c.published_at AS "publishedAt", c.followed_up_at AS "followedUpAt", c.archived_at AS "archivedAt"
         FROM complaint_case c`,
      )} WHERE c.id = ${q.add(id)}::uuid`,
      q.values,
    );
    const scope = row ? { ownerScope: row.ownerScope, dispatcherScope: row.dispatcherScope } : null;
    if (!row || !scope || !decide(actor, 'complaint.read', scope).allowed) throw DomainError.notFound('complaint', id);
    const { ownerScope: _o, dispatcherScope: _d, ...fields } = row;
    const [units, deadlines, extensions, verdicts, followUps, duplicates, mergedCases, items, history] = await Promise.all([
      this.dataSource.query<Row[]>(
        `SELECT cu.unit_id AS "unitId", o.name AS "unitName", cu.role FROM complaint_unit cu JOIN org_unit o ON o.id = cu.unit_id
          WHERE cu.case_id = $1 ORDER BY cu.role DESC, o.name`,
        [id],
      ),
      this.dataSource.query<Row[]>(
        `SELECT version, to_char(deadline, 'YYYY-MM-DD') AS deadline, kind, rule, reason, created_at AS "createdAt"
           FROM complaint_deadline WHERE case_id = $1 ORDER BY version`,
        [id],
      ),
      this.dataSource.query<Row[]>(
        `SELECT id, to_char(requested_deadline, 'YYYY-MM-DD') AS "requestedDeadline", reason, status, requested_at AS "requestedAt",
                decided_at AS "decidedAt", decision_reason AS "decisionReason"
           FROM complaint_extension WHERE case_id = $1 ORDER BY requested_at`,
        [id],
      ),
      this.dataSource.query<Row[]>(
        `SELECT seq, verdict, findings, handling_summary AS "handlingSummary", orders_issued AS "ordersIssued", fines_wan::float8 AS "finesWan",
                cases_filed AS "casesFiled", detained, accountable, summoned, reported_at AS "reportedAt", review, review_reason AS "reviewReason"
           FROM complaint_verdict WHERE case_id = $1 ORDER BY seq`,
        [id],
      ),
      this.dataSource.query<Row[]>(
        `SELECT to_char(visited_on, 'YYYY-MM-DD') AS "visitedOn", reached, satisfaction, note FROM complaint_follow_up
          WHERE case_id = $1 ORDER BY visited_on, created_at`,
        [id],
      ),
      this.dataSource.query<Row[]>(
        `SELECT p.other_id AS "otherId", o.case_no AS "otherCaseNo", p.similarity, p.status, o.content AS "otherContent"
           FROM complaint_duplicate p JOIN complaint_case o ON o.id = p.other_id WHERE p.case_id = $1 ORDER BY p.similarity DESC`,
        [id],
      ),
      this.dataSource.query<{ caseNo: string }[]>(
        `SELECT case_no AS "caseNo" FROM complaint_case WHERE duplicate_of_id = $1 ORDER BY case_no`,
        [id],
      ),
      this.dataSource.query<Row[]>(
        `SELECT i.id, i.code, i.title, i.state, ci.awaited FROM complaint_item ci JOIN item i ON i.id = ci.item_id WHERE ci.case_id = $1 ORDER BY i.code`,
        [id],
      ),
      this.history.list(COMPLAINT_ENTITY, id),
    ]);
    const contact = decide(actor, 'complaint.contact', scope).allowed
      ? ((await this.dataSource.query<Row[]>(`SELECT name, phone, note FROM complaint_contact WHERE case_id = $1`, [id]))[0] ?? null)
      : undefined;
    return {
      ...withLabel(fields),
      ...fields,
      units,
      deadlines,
      extensions,
      verdicts,
      followUps,
      duplicates,
      mergedCaseNos: mergedCases.map((c) => c.caseNo),
      items,
      history: history.map(historyRow),
      ...(contact === undefined ? {} : { contact }),
    };
  }

  private today(): string {
    return shanghaiDate(this.clock.now());
  }
}

function withLabel(r: ComplaintRow): ComplaintRow {
  return { ...r, stateLabel: complaintWorkflow.states[r.state].label };
}

function historyRow(h: HistoryView) {
  return {
    seq: h.seq,
    action: h.action,
    fromState: h.fromState,
    toState: h.toState,
    at: h.at,
    reason: h.reason,
    data: h.data,
    actor: h.actor,
  };
}
