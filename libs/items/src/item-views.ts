import { isOverdue, type Domain, type ItemType, type RectificationState, type SourceType } from '#domain';
import { personRefSql, type PersonRef } from '#persistence';
import type { StageNode, StoredDeadlineRule } from './item-fields.js';
import type { AvailableAction } from './transition.service.js';

export interface ItemSummary {
  id: string;
  code: string;
  title: string;
  batchId: string;
  batchName: string;
  sourceType: SourceType;
  state: RectificationState;
  type: ItemType;
  domain: Domain;
  countyUnitId: string | null;
  countyName: string | null;
  leadUnits: string | null;
  currentDeadline: string | null;
  originalDeadline: string | null;
  deadlineVersion: number;
  overdue: boolean;
  version: number;
  updatedAt: Date;
}

export interface SummaryRow {
  id: string;
  code: string;
  title: string;
  batch_id: string;
  batch_name: string;
  source_type: SourceType;
  state: RectificationState;
  type: ItemType;
  domain: Domain;
  county_unit_id: string | null;
  county_name: string | null;
  lead_units: string | null;
  current_deadline: string | null;
  original_deadline: string | null;
  deadline_version: number;
  version: number;
  updated_at: Date;
}

/** A row of a list statement: with `counted`, the total (up to COUNT_CAP + 1) on every row, and a row of nulls for an empty page. */
export type PageRow = Omit<SummaryRow, 'id'> & { id: string | null; total?: number };
export const onPage = (r: PageRow): r is SummaryRow => r.id !== null;

export function toSummary(r: SummaryRow, today: string): ItemSummary {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    batchId: r.batch_id,
    batchName: r.batch_name,
    sourceType: r.source_type,
    state: r.state,
    type: r.type,
    domain: r.domain,
    countyUnitId: r.county_unit_id,
    countyName: r.county_name,
    leadUnits: r.lead_units,
    currentDeadline: r.current_deadline,
    originalDeadline: r.original_deadline,
    deadlineVersion: r.deadline_version,
    overdue: isOverdue(r.state, r.current_deadline, today),
    version: r.version,
    updatedAt: r.updated_at,
  };
}

export interface ItemDetail extends Omit<ItemSummary, 'leadUnits'> {
  feedbackText: string;
  goal: string;
  measures: string;
  responsibleLeader: string | null;
  responsiblePerson: string | null;
  responsiblePhone: string | null;
  stageNodes: StageNode[];
  /** How the deadline was computed when it was given as a rule; null for a fixed date. */
  deadlineRule: StoredDeadlineRule | null;
  dispatcherUnitId: string;
  dispatcherUnitName: string;
  units: {
    unitId: string;
    unitName: string;
    role: 'lead' | 'cooperating';
    part: string | null;
    subDeadline: string | null;
    status: string;
    progress: string | null;
  }[];
  deadlines: {
    version: number;
    deadline: string;
    kind: string;
    reason: string | null;
    decidedBy: string | null;
    decider: PersonRef | null;
    createdAt: Date;
  }[];
  extensions: {
    id: string;
    status: string;
    fromDeadline: string;
    proposedDeadline: string;
    reason: string;
    requestedBy: string;
    requester: PersonRef | null;
    requestedAt: Date;
    decidedBy: string | null;
    decider: PersonRef | null;
    decidedAt: Date | null;
    decisionReason: string | null;
    /** Requested after the deadline had passed. */
    late: boolean;
  }[];
  acceptanceChain: { level: string; label: string; unitId: string | null; unitName: string | null }[];
  acceptanceLevel: number | null;
  submissionRound: number;
  acceptances: {
    submissionRound: number;
    level: string;
    unitName: string;
    result: string;
    opinion: string | null;
    signedBy: string;
    signer: PersonRef | null;
    signedAt: Date;
    /** A return: 'unit', 'recheck' or 'level', and the level it resumes at or was sent to. */
    returnTo: string | null;
    returnLevel: string | null;
  }[];
  /** The level a resubmission starts at, after a return to the unit. */
  resumeLevel: number | null;
  noticeStart: string | null;
  noticeEnd: string | null;
  firstSignedOffAt: Date | null;
  lastSignedOffAt: Date | null;
  reopenCount: number;
  mergedIntoId: string | null;
  evidenceCount: number;
  createdAt: Date;
  availableActions: AvailableAction[];
}

export type DetailRow = SummaryRow & {
  feedback_text: string;
  goal: string;
  measures: string;
  responsible_leader: string | null;
  responsible_person: string | null;
  responsible_phone: string | null;
  stage_nodes: StageNode[];
  deadline_rule: StoredDeadlineRule | null;
  dispatcher_unit_id: string;
  dispatcher_unit_name: string;
  units: ItemDetail['units'];
  deadlines: ItemDetail['deadlines'];
  extensions: ItemDetail['extensions'];
  chain: ItemDetail['acceptanceChain'];
  acceptance_level: number | null;
  submission_round: number;
  acceptances: ItemDetail['acceptances'];
  resume_level: number | null;
  notice_start: string | null;
  notice_end: string | null;
  first_signed_off_at: Date | null;
  last_signed_off_at: Date | null;
  reopen_count: number;
  merged_into_id: string | null;
  evidence_count: number;
  created_at: Date;
};

export const DETAIL_SQL = `
  SELECT i.*, b.name AS batch_name, b.source_type, c.name AS county_name, d.name AS dispatcher_unit_name,
         to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline, to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline,
         to_char(i.notice_start, 'YYYY-MM-DD') AS notice_start, to_char(i.notice_end, 'YYYY-MM-DD') AS notice_end,
         coalesce((SELECT json_agg(json_build_object('unitId', iu.unit_id, 'unitName', o.name, 'role', iu.role, 'part', iu.part,
                    'subDeadline', to_char(iu.sub_deadline, 'YYYY-MM-DD'), 'status', iu.status, 'progress', iu.progress)
                    ORDER BY iu.role DESC, o.name)
                     FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id WHERE iu.item_id = i.id), '[]') AS units,
         coalesce((SELECT json_agg(json_build_object('version', dl.version, 'deadline', to_char(dl.deadline, 'YYYY-MM-DD'), 'kind', dl.kind,
                    'reason', dl.reason, 'decidedBy', dl.decided_by, 'decider', ${personRefSql('dl.decided_by')},
                    'createdAt', dl.created_at) ORDER BY dl.version)
                     FROM item_deadline dl WHERE dl.item_id = i.id), '[]') AS deadlines,
         coalesce((SELECT json_agg(json_build_object('id', e.id, 'status', e.status, 'fromDeadline', to_char(e.from_deadline, 'YYYY-MM-DD'),
                    'proposedDeadline', to_char(e.proposed_deadline, 'YYYY-MM-DD'), 'reason', e.reason, 'requestedBy', e.requested_by,
                    'requester', ${personRefSql('e.requested_by')}, 'requestedAt', e.requested_at, 'decidedBy', e.decided_by,
                    'decider', ${personRefSql('e.decided_by')}, 'decidedAt', e.decided_at, 'decisionReason', e.decision_reason, 'late', e.late)
                    ORDER BY e.requested_at)
                     FROM item_extension e WHERE e.item_id = i.id), '[]') AS extensions,
         (SELECT json_agg(json_build_object('level', l.lvl->>'level', 'label', l.lvl->>'label', 'unitId', u.id, 'unitName', u.name) ORDER BY l.ord)
            FROM jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS l(lvl, ord)
            LEFT JOIN org_unit u ON u.id = (item_acceptance_units(i.id))[l.ord]) AS chain,
         coalesce((SELECT json_agg(json_build_object('submissionRound', a.submission_round, 'level', a.level, 'unitName', o.name,
                    'result', a.result, 'opinion', a.opinion, 'signedBy', a.signed_by, 'signer', ${personRefSql('a.signed_by')},
                    'signedAt', a.signed_at, 'returnTo', a.return_to, 'returnLevel', b.acceptance_chain -> a.return_level_index ->> 'level') ORDER BY a.id)
                     FROM item_acceptance a JOIN org_unit o ON o.id = a.unit_id WHERE a.item_id = i.id), '[]') AS acceptances,
         (SELECT count(*)::int FROM evidence e WHERE e.item_id = i.id) AS evidence_count
    FROM item i JOIN batch b ON b.id = i.batch_id
    JOIN org_unit d ON d.id = i.dispatcher_unit_id
    LEFT JOIN org_unit c ON c.id = i.county_unit_id
   WHERE i.id = $1`;

export function toDetail(r: DetailRow, version: number, today: string, actions: AvailableAction[]): ItemDetail {
  const { leadUnits: _lead, ...summary } = toSummary(r, today);
  return {
    ...summary,
    version,
    feedbackText: r.feedback_text,
    goal: r.goal,
    measures: r.measures,
    responsibleLeader: r.responsible_leader,
    responsiblePerson: r.responsible_person,
    responsiblePhone: r.responsible_phone,
    stageNodes: r.stage_nodes,
    deadlineRule: r.deadline_rule,
    dispatcherUnitId: r.dispatcher_unit_id,
    dispatcherUnitName: r.dispatcher_unit_name,
    units: r.units,
    deadlines: r.deadlines,
    extensions: r.extensions,
    acceptanceChain: r.chain,
    acceptanceLevel: r.acceptance_level,
    submissionRound: r.submission_round,
    acceptances: r.acceptances,
    resumeLevel: r.resume_level,
    noticeStart: r.notice_start,
    noticeEnd: r.notice_end,
    firstSignedOffAt: r.first_signed_off_at,
    lastSignedOffAt: r.last_signed_off_at,
    reopenCount: r.reopen_count,
    mergedIntoId: r.merged_into_id,
    evidenceCount: r.evidence_count,
    createdAt: r.created_at,
    availableActions: actions,
  };
}
