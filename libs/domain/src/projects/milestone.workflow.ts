import { actionsFrom, checkAction, type ActionCheck, type Guard, type WorkflowDefinition } from '../workflow/engine.js';

/** A project milestone's life: planned → in progress → reported done (with evidence) → verified. */
export const MILESTONE_STATES = ['planned', 'in_progress', 'reported', 'verified'] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

export const MILESTONE_ACTIONS = ['start', 'report_done', 'verify', 'return', 'replan', 'urge'] as const;
export type MilestoneAction = (typeof MILESTONE_ACTIONS)[number];

/**
 * 'lead' is the milestone's responsible unit; 'dispatcher' the unit that manages the project.
 * Moving a planned date (replan) keeps every earlier date as a version, like item deadlines.
 */
export const milestoneWorkflow: WorkflowDefinition<MilestoneState, MilestoneAction> = {
  name: 'milestone',
  initial: 'planned',
  states: {
    planned: { label: '未开始' },
    in_progress: { label: '推进中' },
    reported: { label: '已报完成' },
    verified: { label: '已核实', terminal: true },
  },
  actions: {
    start: {
      label: '开始推进',
      from: ['planned'],
      to: 'in_progress',
      roles: ['unit_officer'],
      permission: 'project.report',
      actorScope: 'lead',
    },
    report_done: {
      label: '报告完成',
      from: ['planned', 'in_progress'],
      to: 'reported',
      roles: ['unit_officer'],
      permission: 'project.report',
      actorScope: 'lead',
      guards: ['actualDateGiven', 'actualDateNotFuture', 'evidenceAttached'],
    },
    verify: {
      label: '核实',
      from: ['reported'],
      to: 'verified',
      roles: ['dispatcher'],
      permission: 'project.manage',
      actorScope: 'dispatcher',
    },
    return: {
      label: '退回',
      from: ['reported'],
      to: 'in_progress',
      roles: ['dispatcher'],
      permission: 'project.manage',
      actorScope: 'dispatcher',
      requiresReason: true,
    },
    replan: {
      label: '调整计划时间',
      from: ['planned', 'in_progress'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'project.manage',
      actorScope: 'dispatcher',
      guards: ['newPlannedDate'],
      requiresReason: true,
    },
    urge: {
      label: '催办',
      from: ['planned', 'in_progress'],
      to: 'same',
      roles: ['dispatcher'],
      permission: 'project.manage',
      actorScope: 'dispatcher',
    },
  },
};

export interface MilestoneContext {
  milestone: { plannedDate: string; evidenceCount: number };
  today: string;
  input: { reason?: string; actualDate?: string; plannedDate?: string };
}

export const milestoneGuards: Record<string, Guard<MilestoneContext>> = {
  actualDateGiven: (c) => (c.input.actualDate ? null : 'the actual completion date (actualDate)'),
  actualDateNotFuture: (c) => (!c.input.actualDate || c.input.actualDate <= c.today ? null : 'an actual date that is not in the future'),
  evidenceAttached: (c) => (c.milestone.evidenceCount > 0 ? null : 'evidence (佐证材料) uploaded to the milestone'),
  newPlannedDate: (c) =>
    !c.input.plannedDate
      ? 'the new planned date (plannedDate)'
      : c.input.plannedDate === c.milestone.plannedDate
        ? 'a planned date different from the current one'
        : null,
};

/** The guards that judge the user's input rather than the milestone. */
export const milestoneInputGuards: readonly string[] = ['actualDateGiven', 'actualDateNotFuture', 'newPlannedDate'];

export type MilestoneCheck = ActionCheck<MilestoneState>;

export function checkMilestoneAction(action: MilestoneAction, state: MilestoneState, ctx: MilestoneContext): MilestoneCheck {
  return checkAction(milestoneWorkflow, milestoneGuards, action, state, ctx);
}

export function milestoneActionsFrom(state: MilestoneState): MilestoneAction[] {
  return actionsFrom(milestoneWorkflow, state);
}

export function isMilestoneAction(value: string): value is MilestoneAction {
  return (MILESTONE_ACTIONS as readonly string[]).includes(value);
}
