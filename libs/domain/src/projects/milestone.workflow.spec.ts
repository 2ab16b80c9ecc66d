import { ROLES, type Role } from '../access/roles.js';
import { validateWorkflow } from '../workflow/engine.js';
import {
  MILESTONE_ACTIONS,
  MILESTONE_STATES,
  checkMilestoneAction,
  milestoneGuards,
  milestoneWorkflow,
  type MilestoneAction,
  type MilestoneContext,
  type MilestoneState,
} from './milestone.workflow.js';

/** The specification, by hand: where each action starts, where it leads and who takes it. */
const SPEC: Record<MilestoneAction, { from: MilestoneState[]; to: MilestoneState | 'same'; roles: Role[] }> = {
  start: { from: ['planned'], to: 'in_progress', roles: ['unit_officer'] },
  report_done: { from: ['planned', 'in_progress'], to: 'reported', roles: ['unit_officer'] },
  verify: { from: ['reported'], to: 'verified', roles: ['dispatcher'] },
  return: { from: ['reported'], to: 'in_progress', roles: ['dispatcher'] },
  replan: { from: ['planned', 'in_progress'], to: 'same', roles: ['dispatcher'] },
  urge: { from: ['planned', 'in_progress'], to: 'same', roles: ['dispatcher'] },
};

const ready: MilestoneContext = {
  milestone: { plannedDate: '2026-06-30', evidenceCount: 1 },
  today: '2026-07-01',
  input: { reason: 'weather', actualDate: '2026-06-28', plannedDate: '2026-09-30' },
};

describe('milestone workflow definition', () => {
  it('is valid: every state reachable, no dead ends, known guards', () => {
    expect(validateWorkflow(milestoneWorkflow, Object.keys(milestoneGuards))).toEqual([]);
  });

  const cases = MILESTONE_STATES.flatMap((state) =>
    MILESTONE_ACTIONS.flatMap((action) => ROLES.map((role) => [state, action, role] as const)),
  );
  it.each(cases)('%s + %s by %s matches the specification', (state, action, role) => {
    const spec = SPEC[action];
    const def = milestoneWorkflow.actions[action];
    expect(def.from.includes(state)).toBe(spec.from.includes(state));
    expect(def.roles.includes(role)).toBe(spec.roles.includes(role));
    const check = checkMilestoneAction(action, state, ready);
    if (spec.from.includes(state)) expect(check).toEqual({ ok: true, to: spec.to === 'same' ? state : spec.to });
    else expect(check).toEqual({ ok: false, problem: 'wrong_state' });
  });
});

describe('milestone guards', () => {
  it('report_done needs the actual date, not in the future, and evidence', () => {
    const check = checkMilestoneAction('report_done', 'in_progress', {
      milestone: { plannedDate: '2026-06-30', evidenceCount: 0 },
      today: '2026-07-01',
      input: { actualDate: '2026-07-02' },
    });
    expect(check).toEqual({
      ok: false,
      problem: 'guard',
      missing: ['an actual date that is not in the future', 'evidence (佐证材料) uploaded to the milestone'],
    });
    expect(checkMilestoneAction('report_done', 'in_progress', { ...ready, input: {} })).toEqual({
      ok: false,
      problem: 'guard',
      missing: ['the actual completion date (actualDate)'],
    });
  });

  it('replan needs a reason and a different date; return needs a reason', () => {
    expect(checkMilestoneAction('replan', 'planned', { ...ready, input: { plannedDate: '2026-09-30' } })).toEqual({
      ok: false,
      problem: 'reason_required',
    });
    expect(checkMilestoneAction('replan', 'planned', { ...ready, input: { reason: 'x', plannedDate: '2026-06-30' } })).toEqual({
      ok: false,
      problem: 'guard',
      missing: ['a planned date different from the current one'],
    });
    expect(checkMilestoneAction('return', 'reported', { ...ready, input: { reason: '  ' } })).toEqual({
      ok: false,
      problem: 'reason_required',
    });
  });
});
