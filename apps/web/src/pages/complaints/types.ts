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
