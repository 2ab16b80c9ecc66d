import type { EntityManager } from 'typeorm';
import { HistoryService, type ChainTip } from '#audit';
import { preparedQuery } from '#persistence';
import type { AcceptanceLevel, ItemType, RectificationState, ResourceScope } from '#domain';

/** The entity type of an item's history rows. */
export const ITEM_ENTITY = 'item';

/** Everything the policy and the workflow need to decide about one item, read in one query. */
export interface ItemSnapshot {
  id: string;
  batchId: string;
  code: string;
  state: RectificationState;
  version: number;
  type: ItemType;
  hasGoal: boolean;
  currentDeadline: string | null;
  originalDeadline: string | null;
  deadlineVersion: number;
  pendingExtensionId: string | null;
  submissionRound: number;
  acceptanceLevel: number | null;
  /** The level a resubmission starts at (set by a return to the unit; null: the first). */
  resumeLevel: number | null;
  reopenCount: number;
  /** Reopened (回头看) after its current deadline was set. */
  reopenedSinceDeadline: boolean;
  noticeEnd: string | null;
  noticeDays: number;
  chain: AcceptanceLevel[];
  /** The acceptance body of each level of the chain, resolved for this item. */
  acceptanceUnits: (string | null)[];
  leadUnitIds: string[];
  cooperating: { unitId: string; unitName: string; path: string; status: string }[];
  evidenceCount: number;
  scope: Required<ResourceScope>;
  leadScope: string[];
  dispatcherUnitId: string;
  /** The newest row of the item's history chain when it was read (null: none yet). */
  tip: ChainTip | null;
}

interface Row {
  id: string;
  batch_id: string;
  code: string;
  state: RectificationState;
  version: number;
  type: ItemType;
  has_goal: boolean;
  current_deadline: string | null;
  original_deadline: string | null;
  deadline_version: number;
  pending_extension_id: string | null;
  submission_round: number;
  acceptance_level: number | null;
  resume_level: number | null;
  reopen_count: number;
  reopened_since_deadline: boolean;
  notice_end: string | null;
  notice_days: number;
  acceptance_chain: AcceptanceLevel[];
  acceptance_units: (string | null)[];
  lead_unit_ids: string[];
  cooperating: { unitId: string; unitName: string; path: string; status: string }[];
  evidence_count: number;
  owner_scope: string[];
  lead_scope: string[];
  dispatcher_scope: string[];
  acceptance_scope: string[];
  dispatcher_unit_id: string;
  tip: ChainTip | null;
}

export async function loadSnapshot(m: EntityManager, id: string, lock = false): Promise<ItemSnapshot | null> {
  const rows = await preparedQuery<Row>(
    m,
    `SELECT i.id, i.batch_id, i.code, i.state, i.version, i.type, (i.goal <> '') AS has_goal,
            to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline,
            to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline,
            i.deadline_version, i.pending_extension_id, i.submission_round, i.acceptance_level, i.resume_level, i.reopen_count,
            CASE WHEN i.reopen_count > 0 THEN NOT EXISTS (
              SELECT 1 FROM item_deadline d WHERE d.item_id = i.id AND d.created_at >= (
                SELECT max(h.at) FROM history h WHERE h.entity_type = '${ITEM_ENTITY}' AND h.entity_id = i.id AND h.action = 'reopen'))
            ELSE false END AS reopened_since_deadline,
            to_char(i.notice_end, 'YYYY-MM-DD') AS notice_end, b.notice_days, b.acceptance_chain,
            item_acceptance_units(i.id) AS acceptance_units,
            coalesce((SELECT array_agg(iu.unit_id ORDER BY iu.unit_id) FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}') AS lead_unit_ids,
            coalesce((SELECT json_agg(json_build_object('unitId', iu.unit_id, 'unitName', o.name, 'path', o.path, 'status', iu.status) ORDER BY o.name)
                        FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id WHERE iu.item_id = i.id AND iu.role = 'cooperating'), '[]') AS cooperating,
            (SELECT count(*)::int FROM evidence e WHERE e.item_id = i.id) AS evidence_count,
            i.owner_scope, i.lead_scope, i.dispatcher_scope, i.acceptance_scope, i.dispatcher_unit_id,
            ${HistoryService.tipSql(`'${ITEM_ENTITY}'`, 'i.id')} AS tip
       FROM item i JOIN batch b ON b.id = i.batch_id
      WHERE i.id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    batchId: r.batch_id,
    code: r.code,
    state: r.state,
    version: r.version,
    type: r.type,
    hasGoal: r.has_goal,
    currentDeadline: r.current_deadline,
    originalDeadline: r.original_deadline,
    deadlineVersion: r.deadline_version,
    pendingExtensionId: r.pending_extension_id,
    submissionRound: r.submission_round,
    acceptanceLevel: r.acceptance_level,
    resumeLevel: r.resume_level,
    reopenCount: r.reopen_count,
    reopenedSinceDeadline: r.reopened_since_deadline,
    noticeEnd: r.notice_end,
    noticeDays: r.notice_days,
    chain: r.acceptance_chain,
    acceptanceUnits: r.acceptance_units,
    leadUnitIds: r.lead_unit_ids,
    cooperating: r.cooperating,
    evidenceCount: r.evidence_count,
    scope: { ownerScope: r.owner_scope, dispatcherScope: r.dispatcher_scope, acceptanceScope: r.acceptance_scope },
    leadScope: r.lead_scope,
    dispatcherUnitId: r.dispatcher_unit_id,
    tip: r.tip,
  };
}
