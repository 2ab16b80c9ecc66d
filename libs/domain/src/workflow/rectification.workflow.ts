import { actionsFrom, checkAction, singleTarget, type ActionCheck, type Guard, type WorkflowDefinition } from './engine.js';

/** The lifecycle of a rectification item (整改事项), from the ledger practice in domain.md. */
export const RECTIFICATION_STATES = [
  'draft',
  'assigned',
  'in_progress',
  'in_acceptance',
  'public_notice',
  'phase_completed',
  'signed_off',
  'cancelled',
  'merged',
] as const;
export type RectificationState = (typeof RECTIFICATION_STATES)[number];

export const RECTIFICATION_ACTIONS = [
  'assign',
  'withdraw',
  'decline',
  'accept',
  'report_progress',
  'report_part',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'reset_deadline',
  'submit',
  'pass',
  'return',
  'uphold_objection',
  'close_notice',
  'sign_off',
  'reopen',
  'urge',
  'spot_check',
  'cancel',
  'merge',
] as const;
export type RectificationAction = (typeof RECTIFICATION_ACTIONS)[number];

export const ITEM_TYPES = ['immediate', 'deadline', 'ongoing'] as const; // 立行立改 / 限期整改 / 长期坚持
export type ItemType = (typeof ITEM_TYPES)[number];

export const PART_STATUSES = ['pending', 'in_progress', 'done'] as const;
export type PartStatus = (typeof PART_STATUSES)[number];

/** States counted as closed (no deadline pressure); phase_completed counts as completed but stays watched. */
export const CLOSED_STATES: readonly RectificationState[] = ['signed_off', 'phase_completed', 'cancelled', 'merged'];

export const rectificationWorkflow: WorkflowDefinition<RectificationState, RectificationAction> = {
  name: 'rectification',
  initial: 'draft',
  states: {
    draft: { label: '待分派' },
    assigned: { label: '已分派' },
    in_progress: { label: '整改中' },
    in_acceptance: { label: '验收中' },
    public_notice: { label: '公示中' },
    phase_completed: { label: '阶段性完成' },
    signed_off: { label: '已销号' },
    cancelled: { label: '已撤销', terminal: true },
    merged: { label: '已合并', terminal: true },
  },
  actions: {
    assign: {
      label: '分派',
      from: ['draft'],
      to: 'assigned',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      guards: ['requiredFields'],
    },
    withdraw: {
      label: '撤回分派',
      from: ['assigned'],
      to: 'draft',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      requiresReason: true,
    },
    decline: {
      label: '退回分派',
      from: ['assigned'],
      to: 'draft',
      roles: ['unit_officer'],
      permission: 'item.act',
      actorScope: 'lead',
      requiresReason: true,
    },
    accept: { label: '签收', from: ['assigned'], to: 'in_progress', roles: ['unit_officer'], permission: 'item.act', actorScope: 'lead' },
    report_progress: {
      label: '报送进展',
      from: ['in_progress', 'phase_completed'],
      to: 'same',
      roles: ['unit_officer'],
      permission: 'item.act',
      actorScope: 'lead',
      guards: ['progressText'],
    },
    report_part: {
      label: '报送配合事项',
      from: ['in_progress'],
      to: 'same',
      roles: ['unit_officer'],
      permission: 'item.act',
      actorScope: 'cooperating',
      guards: ['partStatusGiven'],
    },
    request_extension: {
      label: '申请延期',
      from: ['in_progress'],
      to: 'same',
      roles: ['unit_officer'],
      permission: 'item.act',
      actorScope: 'lead',
      guards: ['noPendingExtension', 'proposedDeadlineLater'],
      requiresReason: true,
    },
    approve_extension: {
      label: '批准延期',
      from: ['in_progress'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      guards: ['hasPendingExtension'],
    },
    reject_extension: {
      label: '驳回延期',
      from: ['in_progress'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      guards: ['hasPendingExtension'],
      requiresReason: true,
    },
    // 重新明确整改时限: a new deadline version for an overdue or reopened item, set by the dispatcher.
    reset_deadline: {
      label: '重新明确整改时限',
      from: ['assigned', 'in_progress'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      guards: ['overdueOrReopened', 'noPendingExtension', 'newDeadlineValid'],
      requiresReason: true,
    },
    submit: {
      label: '申请验收',
      from: ['in_progress'],
      to: 'in_acceptance',
      roles: ['unit_officer'],
      permission: 'item.act',
      actorScope: 'lead',
      guards: ['hasEvidence', 'partsDone', 'noPendingExtension'],
    },
    pass: {
      label: '验收通过',
      from: ['in_acceptance'],
      to: ['in_acceptance', 'public_notice', 'phase_completed', 'signed_off'],
      roles: ['verifier'],
      permission: 'item.verify',
      actorScope: 'acceptance',
    },
    // Back to the unit (resubmission resumes at this level, or at the first with a full re-check),
    // or back to a named lower level, which examines it again.
    return: {
      label: '验收退回',
      from: ['in_acceptance'],
      to: ['in_progress', 'in_acceptance'],
      roles: ['verifier'],
      permission: 'item.verify',
      actorScope: 'acceptance',
      guards: ['returnTargetValid'],
      requiresReason: true,
    },
    uphold_objection: {
      label: '公示异议成立',
      from: ['public_notice'],
      to: 'in_progress',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      requiresReason: true,
    },
    close_notice: {
      label: '公示期满',
      from: ['public_notice'],
      to: ['signed_off', 'phase_completed'],
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      guards: ['noticePeriodOver'],
    },
    sign_off: {
      label: '销号',
      from: ['phase_completed'],
      to: 'signed_off',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
    },
    reopen: {
      label: '回头看重新打开',
      from: ['signed_off', 'phase_completed'],
      to: 'in_progress',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      requiresReason: true,
    },
    urge: {
      label: '催办',
      from: ['assigned', 'in_progress', 'in_acceptance', 'public_notice'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
    },
    spot_check: {
      label: '回头看抽查',
      from: ['signed_off', 'phase_completed'],
      to: 'same',
      roles: ['auditor'],
      permission: 'item.spot_check',
      actorScope: 'any',
      guards: ['spotCheckResultGiven'],
      requiresReason: true,
    },
    cancel: {
      label: '撤销',
      from: ['draft', 'assigned', 'in_progress'],
      to: 'cancelled',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      requiresReason: true,
    },
    merge: {
      label: '合并',
      from: ['draft', 'assigned', 'in_progress'],
      to: 'merged',
      roles: ['dispatcher'],
      permission: 'item.act',
      actorScope: 'dispatcher',
      guards: ['mergeTargetGiven'],
      requiresReason: true,
    },
  },
};

/** What the guards and the target resolution see of an item at the moment of an action. */
export interface RectificationContext {
  item: {
    type: ItemType;
    leadUnitCount: number;
    hasGoal: boolean;
    deadline: string | null; // YYYY-MM-DD, the approved (current) deadline
    evidenceCount: number;
    openParts: string[]; // cooperating units whose part is not done
    pendingExtension: boolean;
    acceptanceLevel: number | null; // index into the chain while in acceptance
    chainLength: number;
    noticeDays: number;
    noticeEnd: string | null; // YYYY-MM-DD, last day of the public notice
    /** The level codes of the acceptance chain, in order. */
    chainLevels: string[];
    /** Reopened (回头看) since its current deadline was set. */
    reopenedSinceDeadline: boolean;
  };
  today: string; // YYYY-MM-DD in Asia/Shanghai
  input: {
    reason?: string;
    text?: string;
    proposedDeadline?: string;
    partStatus?: string;
    mergeIntoId?: string;
    spotCheckResult?: string;
    /** return: 'unit' (default), 'recheck', or the level code of a lower level. */
    returnTo?: string;
    /** reset_deadline: the new deadline. */
    newDeadline?: string;
  };
}

/** Where a return sends the item: to the unit (resuming at `resumeLevel`), or to a lower level. */
export type ReturnTarget =
  { kind: 'unit'; resumeLevel: number } | { kind: 'recheck'; resumeLevel: 0 } | { kind: 'level'; levelIndex: number };

/** The return target the input names, or why it cannot be. */
export function returnTarget(ctx: RectificationContext): ReturnTarget | string {
  const current = ctx.item.acceptanceLevel ?? 0;
  const to = ctx.input.returnTo ?? 'unit';
  if (to === 'unit') return { kind: 'unit', resumeLevel: current };
  if (to === 'recheck') return { kind: 'recheck', resumeLevel: 0 };
  const index = ctx.item.chainLevels.indexOf(to);
  if (index < 0) return `returnTo must be unit, recheck or a level of the chain (${ctx.item.chainLevels.join(', ')})`;
  if (index >= current) return `returnTo ${to} is not a level below the current one (${ctx.item.chainLevels[current]})`;
  return { kind: 'level', levelIndex: index };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const rectificationGuards: Record<string, Guard<RectificationContext>> = {
  requiredFields: ({ item }) => {
    const missing = [
      item.leadUnitCount === 0 && 'missing a lead unit (牵头单位)',
      !item.deadline && 'missing a deadline (整改时限)',
      !item.hasGoal && 'missing a goal (整改目标)',
    ].filter((m): m is string => !!m);
    return missing.length ? missing : null;
  },
  progressText: ({ input }) => (input.text?.trim() ? null : 'the progress text (进展情况) is empty'),
  partStatusGiven: ({ input }) =>
    input.partStatus === 'in_progress' || input.partStatus === 'done' ? null : 'partStatus must be in_progress or done',
  noPendingExtension: ({ item }) => (item.pendingExtension ? 'an extension request is still waiting for a decision' : null),
  hasPendingExtension: ({ item }) => (item.pendingExtension ? null : 'there is no extension request waiting for a decision'),
  // A request filed after the deadline is allowed, marked late (and counted as such).
  proposedDeadlineLater: ({ item, input, today }) => {
    if (!input.proposedDeadline || !ISO_DATE.test(input.proposedDeadline)) return 'proposedDeadline (YYYY-MM-DD) is required';
    if (item.deadline && input.proposedDeadline <= item.deadline)
      return `the proposed deadline must be after the current one (${item.deadline})`;
    if (input.proposedDeadline < today) return `the proposed deadline must not be in the past (today is ${today})`;
    return null;
  },
  overdueOrReopened: ({ item, today }) =>
    (item.deadline && today > item.deadline) || item.reopenedSinceDeadline
      ? null
      : `a new deadline is set only for an overdue or reopened item (the deadline ${item.deadline ?? '—'} has not passed)`,
  newDeadlineValid: ({ input, today }) => {
    if (!input.newDeadline || !ISO_DATE.test(input.newDeadline)) return 'newDeadline (YYYY-MM-DD) is required';
    return input.newDeadline < today ? `the new deadline must not be in the past (today is ${today})` : null;
  },
  returnTargetValid: (ctx) => {
    const target = returnTarget(ctx);
    return typeof target === 'string' ? target : null;
  },
  hasEvidence: ({ item }) => (item.evidenceCount > 0 ? null : 'evidence (佐证材料) must be uploaded before applying for acceptance'),
  partsDone: ({ item }) => (item.openParts.length === 0 ? null : `cooperating parts not yet reported done: ${item.openParts.join(', ')}`),
  noticePeriodOver: ({ item, today }) =>
    item.noticeEnd && today <= item.noticeEnd ? `the public notice runs until ${item.noticeEnd}` : null,
  mergeTargetGiven: ({ input }) => (input.mergeIntoId ? null : 'mergeIntoId (the item this one is merged into) is required'),
  spotCheckResultGiven: ({ input }) =>
    input.spotCheckResult === 'holds' || input.spotCheckResult === 'rebound' ? null : 'spotCheckResult must be holds or rebound',
};

/** The guards that judge the user's input rather than the item (left out of "which actions are open now"). */
export const rectificationInputGuards: readonly string[] = [
  'progressText',
  'partStatusGiven',
  'proposedDeadlineLater',
  'newDeadlineValid',
  'returnTargetValid',
  'mergeTargetGiven',
  'spotCheckResultGiven',
];

/** Where an action with several possible targets leads, for this item. */
export function resolveRectificationTarget(
  action: RectificationAction,
  state: RectificationState,
  ctx: RectificationContext,
): RectificationState {
  const closed: RectificationState = ctx.item.type === 'ongoing' ? 'phase_completed' : 'signed_off';
  switch (action) {
    case 'pass': {
      const next = (ctx.item.acceptanceLevel ?? 0) + 1;
      if (next < ctx.item.chainLength) return 'in_acceptance';
      return ctx.item.noticeDays > 0 ? 'public_notice' : closed;
    }
    case 'close_notice':
      return closed;
    case 'return': {
      const target = returnTarget(ctx);
      return typeof target !== 'string' && target.kind === 'level' ? 'in_acceptance' : 'in_progress';
    }
    default:
      return singleTarget(rectificationWorkflow, action, state);
  }
}

export type TransitionCheck = ActionCheck<RectificationState>;

/** Pure decision for one action: state, reason and guards (roles and scope are the policy's). */
export function checkRectificationAction(
  action: RectificationAction,
  state: RectificationState,
  ctx: RectificationContext,
): TransitionCheck {
  return checkAction(rectificationWorkflow, rectificationGuards, action, state, ctx, () => resolveRectificationTarget(action, state, ctx));
}

export function rectificationActionsFrom(state: RectificationState): RectificationAction[] {
  return actionsFrom(rectificationWorkflow, state);
}

export function isRectificationAction(value: string): value is RectificationAction {
  return (RECTIFICATION_ACTIONS as readonly string[]).includes(value);
}

/** Whether any of the roles may take the action (scope is checked separately, by the policy). */
export function rolesMayTake(action: RectificationAction, roles: readonly string[]): boolean {
  return rectificationWorkflow.actions[action].roles.some((r) => roles.includes(r));
}
