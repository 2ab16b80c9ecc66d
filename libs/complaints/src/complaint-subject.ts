import type { ChainTip } from '#audit';
import type { ComplaintAction, ComplaintContext, ComplaintState, HandlingResults, Satisfaction, Verdict } from '#domain';
import type { EffectArgs, TransitionRequest } from '#workflow';

export type ComplaintRef = { complaintId: string };

export interface ComplaintTransitionInput extends TransitionRequest<ComplaintAction> {
  leadUnitId?: string;
  cooperatingUnitIds?: string[];
  deadline?: string;
  duplicateOfId?: string;
  verdict?: Verdict;
  findings?: string;
  handlingSummary?: string;
  handling?: Partial<HandlingResults>;
  committedDate?: string;
  requestedDeadline?: string;
  reached?: boolean;
  satisfaction?: Satisfaction;
  visitedOn?: string;
  note?: string;
  itemId?: string;
  awaitItem?: boolean;
}

export interface ComplaintRow {
  batch_id: string;
  received_on: string;
  deadline_days: number;
  deadline_kind: 'calendar' | 'working';
  lead_unit_id: string | null;
  lead_path: string | null;
  owner_scope: string[];
  dispatcher_scope: string[];
  deadline: string | null;
  deadline_version: number;
  published_at: Date | null;
  followed_up_at: Date | null;
  verdict: Verdict | null;
  verdict_seq: number;
  pending_extension: { id: string; requestedDeadline: string } | null;
  awaited_open: number;
}

export interface ComplaintSubject {
  id: string;
  state: ComplaintState;
  version: number;
  tip: ChainTip | null;
  row: ComplaintRow;
}

export type ComplaintEffectArgs = EffectArgs<ComplaintState, ComplaintSubject, ComplaintTransitionInput, ComplaintContext>;
