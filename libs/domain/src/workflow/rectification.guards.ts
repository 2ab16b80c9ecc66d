/** The guards of the rectification workflow, the target of actions with several, and the pure checks built on them. */
import { actionsFrom, checkAction, singleTarget, type ActionCheck, type Guard } from './engine.js';
import {
  RECTIFICATION_ACTIONS,
  rectificationWorkflow,
  type RectificationState,
  type RectificationAction,
  type ItemType,
} from './rectification.workflow.js';

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
