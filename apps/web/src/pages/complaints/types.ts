import type { ResponseOf } from '../../api/types';

/** What the complaint endpoints answer (documented as free-form objects in the OpenAPI document). */
export interface ComplaintRow {
  id: string;
  caseNo: string;
  teamNo: string | null;
  round: string;
  batchNo: number;
  receivedOn: string;
  content: string;
  countyName: string;
  state: string;
  stateLabel: string;
  version: number;
  leadUnitName: string | null;
  deadline: string | null;
  overdue: boolean;
  verdict: string | null;
  openProposals: number;
}

export interface ComplaintPage {
  data: ComplaintRow[];
  total: number;
}

export interface ComplaintDetail extends ComplaintRow {
  address: string;
  originalDeadline: string | null;
  contact?: { name: string; phone: string; note: string } | null;
  verdicts: {
    seq: number;
    verdict: string;
    findings: string;
    handlingSummary: string;
    finesWan: number;
    review: string | null;
    reviewReason: string | null;
  }[];
  duplicates: { otherId: string; otherCaseNo: string; similarity: number; status: string; otherContent: string }[];
  mergedCaseNos: string[];
  history: {
    seq: number;
    action: string;
    toState: string | null;
    at: string;
    reason: string | null;
    actor: { name: string; unitName: string } | null;
  }[];
}

export interface AvailableAction {
  action: string;
  label: string;
  enabled: boolean;
  blockedBy: string[];
  requiresReason: boolean;
}

export const VERDICT_LABELS: Record<string, string> = {
  substantiated: '属实',
  mostly: '基本属实',
  partly: '部分属实',
  unfounded: '不属实',
};

export const STATE_COLORS: Record<string, string> = {
  received: 'default',
  transferred: 'processing',
  investigated: 'warning',
  closed: 'success',
  phase_closed: 'cyan',
  archived: 'default',
  merged: 'default',
};

export type ComplaintEvidence = ResponseOf<'/api/complaints/{id}/evidence', 'get'>[number];

/** The history's actions in words (the workflow's labels), the code itself when unknown. */
export const ACTION_LABELS: Record<string, [string, string]> = {
  receive: ['受理', 'Received'],
  transfer: ['转办', 'Transferred'],
  merge: ['合并为重复件', 'Merged as a repeat'],
  reject_duplicate: ['确认不是重复件', 'Not a duplicate'],
  report_verdict: ['报送调查核实结果', 'Verdict reported'],
  return: ['退回重办', 'Returned'],
  close: ['办结', 'Closed'],
  phase_close: ['阶段性办结', 'Phase-closed'],
  apply_closure: ['申请完全办结', 'Final closure applied for'],
  publish: ['公开', 'Published'],
  follow_up: ['回访', 'Follow-up visit'],
  archive: ['归档', 'Archived'],
  request_extension: ['申请延期', 'Extension requested'],
  approve_extension: ['批准延期', 'Extension approved'],
  reject_extension: ['不予延期', 'Extension refused'],
  urge: ['催办', 'Urged'],
  reassign: ['改派', 'Reassigned'],
  add_evidence: ['上传佐证材料', 'Evidence uploaded'],
  remove_evidence: ['撤回佐证材料', 'Evidence withdrawn'],
  spawn_item: ['转为整改事项', 'Item spawned'],
};
