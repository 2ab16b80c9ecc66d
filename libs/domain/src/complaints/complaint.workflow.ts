import { actionsFrom, checkAction, type ActionCheck, type Guard, type WorkflowDefinition } from '../workflow/engine.js';
import { isSubstantiated, type Verdict } from './complaint-case.js';

/**
 * The life of a complaint case (信访举报件) forwarded during an inspection (边督边改):
 * received → transferred (转办) → investigated (verdict and handling reported) → reviewed by the
 * dispatcher: returned, closed (办结) or phase-closed (阶段性办结, later applied for final closure).
 * Publishing (公开) and the follow-up visit (回访) are logged on a closed case; archiving needs both.
 */
export const COMPLAINT_STATES = ['received', 'transferred', 'investigated', 'closed', 'phase_closed', 'archived', 'merged'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export const COMPLAINT_ACTIONS = [
  'transfer',
  'merge',
  'report_verdict',
  'return',
  'close',
  'phase_close',
  'apply_closure',
  'publish',
  'follow_up',
  'archive',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'urge',
  'reassign',
  'spawn_item',
] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

/** Closed in the sense of 办结 figures: closed or phase-closed (an archived case was closed). */
export const COMPLAINT_CLOSED_STATES: readonly ComplaintState[] = ['closed', 'phase_closed', 'archived'];

export const complaintWorkflow: WorkflowDefinition<ComplaintState, ComplaintAction> = {
  name: 'complaint',
  initial: 'received',
  states: {
    received: { label: '已受理' },
    transferred: { label: '已转办' },
    investigated: { label: '待审核' },
    closed: { label: '已办结' },
    phase_closed: { label: '阶段性办结' },
    archived: { label: '已归档', terminal: true },
    merged: { label: '已合并', terminal: true },
  },
  actions: {
    transfer: {
      label: '转办',
      from: ['received'],
      to: 'transferred',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['leadUnitGiven', 'deadlineNotBeforeReceipt'],
    },
    merge: {
      label: '合并为重复件',
      from: ['received'],
      to: 'merged',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['duplicateOfGiven'],
    },
    report_verdict: {
      label: '报送调查核实结果',
      from: ['transferred'],
      to: 'investigated',
      roles: ['unit_officer'],
      permission: 'complaint.act',
      actorScope: 'lead',
      guards: ['verdictGiven', 'handlingGiven'],
    },
    return: {
      label: '退回重办',
      from: ['investigated'],
      to: 'transferred',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      requiresReason: true,
    },
    close: {
      label: '办结',
      from: ['investigated'],
      to: 'closed',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['spawnedItemsClosedIfAwaited'],
    },
    phase_close: {
      label: '阶段性办结',
      from: ['investigated'],
      to: 'phase_closed',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['committedDateInFuture'],
    },
    apply_closure: {
      label: '申请完全办结',
      from: ['phase_closed'],
      to: 'investigated',
      roles: ['unit_officer'],
      permission: 'complaint.act',
      actorScope: 'lead',
      guards: ['handlingGiven'],
    },
    publish: {
      label: '公开',
      from: ['closed', 'phase_closed'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['notPublished'],
    },
    follow_up: {
      label: '回访',
      from: ['closed', 'phase_closed'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['published', 'followUpOutcomeGiven'],
    },
    archive: {
      label: '归档',
      from: ['closed'],
      to: 'archived',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['published', 'followedUp'],
    },
    request_extension: {
      label: '申请延期',
      from: ['transferred'],
      to: 'same',
      roles: ['unit_officer'],
      permission: 'complaint.act',
      actorScope: 'lead',
      requiresReason: true,
      guards: ['noPendingExtension', 'requestedDeadlineLater'],
    },
    approve_extension: {
      label: '批准延期',
      from: ['transferred'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['extensionPending'],
    },
    reject_extension: {
      label: '不予延期',
      from: ['transferred'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      requiresReason: true,
      guards: ['extensionPending'],
    },
    urge: {
      label: '催办',
      from: ['transferred'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
    },
    reassign: {
      label: '改派',
      from: ['transferred'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      requiresReason: true,
      guards: ['otherLeadUnitGiven'],
    },
    spawn_item: {
      label: '转为整改事项',
      from: ['investigated', 'closed', 'phase_closed'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'complaint.act',
      actorScope: 'dispatcher',
      guards: ['substantiated'],
    },
  },
};

export interface ComplaintContext {
  complaint: {
    receivedOn: string;
    leadUnitId: string | null;
    deadline: string | null;
    verdict: Verdict | null;
    publishedAt: string | null;
    followedUp: boolean;
    extensionPending: boolean;
    /** The dispatcher asked closure to wait for the spawned items, and some are still open. */
    awaitedItemsOpen: number;
  };
  today: string;
  input: {
    reason?: string;
    leadUnitId?: string;
    deadline?: string;
    duplicateOfId?: string;
    verdict?: Verdict;
    handlingSummary?: string;
    committedDate?: string;
    requestedDeadline?: string;
    reached?: boolean;
    satisfaction?: string;
  };
}

export const complaintGuards: Record<string, Guard<ComplaintContext>> = {
  leadUnitGiven: (c) => (c.input.leadUnitId ? null : 'the lead unit (leadUnitId)'),
  deadlineNotBeforeReceipt: (c) =>
    c.input.deadline && c.input.deadline < c.complaint.receivedOn
      ? `a deadline (deadline) not before the receipt date ${c.complaint.receivedOn}`
      : null,
  duplicateOfGiven: (c) => (c.input.duplicateOfId ? null : 'the case this one duplicates (duplicateOfId)'),
  verdictGiven: (c) => (c.input.verdict ? null : 'the verdict (verdict: 属实/基本属实/部分属实/不属实)'),
  handlingGiven: (c) => (c.input.handlingSummary?.trim() ? null : 'what was found and done (handlingSummary)'),
  spawnedItemsClosedIfAwaited: (c) =>
    c.complaint.awaitedItemsOpen > 0 ? `the ${c.complaint.awaitedItemsOpen} rectification item(s) closure waits for` : null,
  committedDateInFuture: (c) =>
    !c.input.committedDate
      ? 'the committed completion date (committedDate)'
      : c.input.committedDate <= c.today
        ? 'a committed completion date (committedDate) after today'
        : null,
  notPublished: (c) => (c.complaint.publishedAt ? 'a case not yet published (it was published)' : null),
  published: (c) => (c.complaint.publishedAt ? null : 'publication of the result (publish first)'),
  followUpOutcomeGiven: (c) =>
    c.input.reached === undefined
      ? 'whether the complainant was reached (reached)'
      : c.input.reached && !c.input.satisfaction
        ? 'the complainant’s satisfaction (satisfaction)'
        : null,
  followedUp: (c) => (c.complaint.followedUp ? null : 'a follow-up visit (回访)'),
  noPendingExtension: (c) => (c.complaint.extensionPending ? 'no extension request already pending' : null),
  requestedDeadlineLater: (c) =>
    !c.input.requestedDeadline
      ? 'the requested deadline (requestedDeadline)'
      : c.complaint.deadline && c.input.requestedDeadline <= c.complaint.deadline
        ? `a requested deadline (requestedDeadline) after the current one ${c.complaint.deadline}`
        : null,
  extensionPending: (c) => (c.complaint.extensionPending ? null : 'a pending extension request'),
  otherLeadUnitGiven: (c) =>
    !c.input.leadUnitId
      ? 'the new lead unit (leadUnitId)'
      : c.input.leadUnitId === c.complaint.leadUnitId
        ? 'a lead unit (leadUnitId) other than the current one'
        : null,
  substantiated: (c) =>
    c.complaint.verdict && isSubstantiated(c.complaint.verdict) ? null : 'a substantiated verdict (属实, 基本属实 or 部分属实)',
};

/** The guards that judge the user's input rather than the case. */
export const complaintInputGuards: readonly string[] = [
  'leadUnitGiven',
  'deadlineNotBeforeReceipt',
  'duplicateOfGiven',
  'verdictGiven',
  'handlingGiven',
  'committedDateInFuture',
  'followUpOutcomeGiven',
  'requestedDeadlineLater',
  'otherLeadUnitGiven',
];

export type ComplaintCheck = ActionCheck<ComplaintState>;

export function checkComplaintAction(action: ComplaintAction, state: ComplaintState, ctx: ComplaintContext): ComplaintCheck {
  return checkAction(complaintWorkflow, complaintGuards, action, state, ctx);
}

export function complaintActionsFrom(state: ComplaintState): ComplaintAction[] {
  return actionsFrom(complaintWorkflow, state);
}

export function isComplaintAction(value: string): value is ComplaintAction {
  return (COMPLAINT_ACTIONS as readonly string[]).includes(value);
}
