import fc from 'fast-check';
import { ROLES, type Role } from '../access/roles.js';
import { validateWorkflow, type WorkflowDefinition } from './engine.js';
import { checkRectificationAction, rectificationGuards, rolesMayTake, type RectificationContext } from './rectification.guards.js';
import {
  RECTIFICATION_ACTIONS,
  RECTIFICATION_STATES,
  rectificationWorkflow,
  type RectificationAction,
  type RectificationState,
} from './rectification.workflow.js';

/**
 * The specification, written out by hand: for each action, the states it starts from and the
 * roles that take it. The definition must match it exactly, for every (state, action, role).
 */
const SPEC: Record<RectificationAction, { from: RectificationState[]; roles: Role[] }> = {
  assign: { from: ['draft'], roles: ['dispatcher'] },
  withdraw: { from: ['assigned'], roles: ['dispatcher'] },
  decline: { from: ['assigned'], roles: ['unit_officer'] },
  accept: { from: ['assigned'], roles: ['unit_officer'] },
  report_progress: { from: ['in_progress', 'phase_completed'], roles: ['unit_officer'] },
  report_part: { from: ['in_progress'], roles: ['unit_officer'] },
  request_extension: { from: ['in_progress'], roles: ['unit_officer'] },
  approve_extension: { from: ['in_progress'], roles: ['dispatcher'] },
  reject_extension: { from: ['in_progress'], roles: ['dispatcher'] },
  reset_deadline: { from: ['assigned', 'in_progress'], roles: ['dispatcher'] },
  submit: { from: ['in_progress'], roles: ['unit_officer'] },
  pass: { from: ['in_acceptance'], roles: ['verifier'] },
  return: { from: ['in_acceptance'], roles: ['verifier'] },
  uphold_objection: { from: ['public_notice'], roles: ['dispatcher'] },
  close_notice: { from: ['public_notice'], roles: ['dispatcher'] },
  sign_off: { from: ['phase_completed'], roles: ['dispatcher'] },
  reopen: { from: ['signed_off', 'phase_completed'], roles: ['dispatcher'] },
  urge: { from: ['assigned', 'in_progress', 'in_acceptance', 'public_notice'], roles: ['dispatcher'] },
  spot_check: { from: ['signed_off', 'phase_completed'], roles: ['auditor'] },
  cancel: { from: ['draft', 'assigned', 'in_progress'], roles: ['dispatcher'] },
  merge: { from: ['draft', 'assigned', 'in_progress'], roles: ['dispatcher'] },
};

/** A context in which every guard holds and every input is given. */
function readyContext(overrides: Partial<RectificationContext['item']> = {}): RectificationContext {
  return {
    item: {
      type: 'deadline',
      leadUnitCount: 1,
      hasGoal: true,
      deadline: '2026-12-31',
      evidenceCount: 1,
      openParts: [],
      pendingExtension: false,
      acceptanceLevel: 0,
      chainLength: 3,
      noticeDays: 7,
      noticeEnd: '2026-11-01',
      chainLevels: ['county', 'city', 'province'],
      reopenedSinceDeadline: false,
      ...overrides,
    },
    today: '2026-11-23',
    input: {
      reason: '理由',
      text: '进展',
      proposedDeadline: '2027-03-31',
      partStatus: 'done',
      mergeIntoId: 'x',
      spotCheckResult: 'holds',
      newDeadline: '2027-03-31',
    },
  };
}

type Outcome = 'allowed' | 'wrong_state' | 'role_refused';

function outcome(state: RectificationState, action: RectificationAction, role: Role): Outcome {
  const pendingFor = action === 'approve_extension' || action === 'reject_extension';
  const check = checkRectificationAction(action, state, readyContext({ pendingExtension: pendingFor, reopenedSinceDeadline: true }));
  if (!check.ok && check.problem === 'wrong_state') return 'wrong_state';
  if (!rolesMayTake(action, [role])) return 'role_refused';
  if (!check.ok) throw new Error(`${action} from ${state} failed a guard in a ready context: ${JSON.stringify(check)}`);
  return 'allowed';
}

describe('rectification workflow: every (state, action, role)', () => {
  const cases: [RectificationState, RectificationAction, Role, Outcome][] = [];
  for (const state of RECTIFICATION_STATES)
    for (const action of RECTIFICATION_ACTIONS)
      for (const role of ROLES) {
        const spec = SPEC[action];
        const expected: Outcome = !spec.from.includes(state) ? 'wrong_state' : !spec.roles.includes(role) ? 'role_refused' : 'allowed';
        cases.push([state, action, role, expected]);
      }

  it('covers 9 states × 21 actions × 5 roles', () => {
    expect(cases).toHaveLength(9 * 21 * 5);
  });

  it.each(cases)('%s + %s by %s → %s', (state, action, role, expected) => {
    expect(outcome(state, action, role)).toBe(expected);
  });
});

describe('rectification workflow: targets and guards', () => {
  it('passes level by level, then public notice, then sign-off (or phase completion for ongoing items)', () => {
    const at = (level: number, extra: Partial<RectificationContext['item']> = {}) =>
      checkRectificationAction('pass', 'in_acceptance', readyContext({ acceptanceLevel: level, ...extra }));
    expect(at(0)).toEqual({ ok: true, to: 'in_acceptance' });
    expect(at(1)).toEqual({ ok: true, to: 'in_acceptance' });
    expect(at(2)).toEqual({ ok: true, to: 'public_notice' });
    expect(at(2, { noticeDays: 0 })).toEqual({ ok: true, to: 'signed_off' });
    expect(at(2, { noticeDays: 0, type: 'ongoing' })).toEqual({ ok: true, to: 'phase_completed' });
    expect(checkRectificationAction('close_notice', 'public_notice', readyContext({ type: 'ongoing' }))).toEqual({
      ok: true,
      to: 'phase_completed',
    });
  });

  it('submission names everything that is missing', () => {
    const check = checkRectificationAction('submit', 'in_progress', readyContext({ evidenceCount: 0, openParts: ['市住建局', '天镇县'] }));
    expect(check).toEqual({
      ok: false,
      problem: 'guard',
      missing: [
        'evidence (佐证材料) must be uploaded before applying for acceptance',
        'cooperating parts not yet reported done: 市住建局, 天镇县',
      ],
    });
  });

  it('an extension is asked for a later date, one at a time; one asked after the deadline is allowed (and marked late by the effect)', () => {
    const ask = (item: Partial<RectificationContext['item']>, proposedDeadline?: string, today = '2026-11-23') => {
      const ctx = readyContext(item);
      return checkRectificationAction('request_extension', 'in_progress', {
        ...ctx,
        today,
        input: { reason: '资金未到位', proposedDeadline },
      });
    };
    expect(ask({}, '2027-03-31')).toEqual({ ok: true, to: 'in_progress' });
    expect(ask({ deadline: '2026-11-20' }, '2027-03-31')).toEqual({ ok: true, to: 'in_progress' });
    expect(ask({ deadline: '2026-11-20' }, '2026-11-22')).toMatchObject({
      missing: ['the proposed deadline must not be in the past (today is 2026-11-23)'],
    });
    expect(ask({}, '2026-12-01')).toMatchObject({ missing: ['the proposed deadline must be after the current one (2026-12-31)'] });
    expect(ask({}, undefined)).toMatchObject({ missing: ['proposedDeadline (YYYY-MM-DD) is required'] });
    expect(ask({ pendingExtension: true }, '2027-03-31')).toMatchObject({
      missing: ['an extension request is still waiting for a decision'],
    });
    // the deadline day itself is still in time
    expect(ask({ deadline: '2026-11-23' }, '2027-01-31')).toEqual({ ok: true, to: 'in_progress' });
  });

  it('assignment needs a lead unit, a deadline and a goal', () => {
    expect(checkRectificationAction('assign', 'draft', readyContext({ leadUnitCount: 0, deadline: null, hasGoal: false }))).toEqual({
      ok: false,
      problem: 'guard',
      missing: ['missing a lead unit (牵头单位)', 'missing a deadline (整改时限)', 'missing a goal (整改目标)'],
    });
  });

  it('a return goes to the unit (resuming at its level), to a full re-check, or to a named lower level', () => {
    const ret = (returnTo: string | undefined, acceptanceLevel = 2) =>
      checkRectificationAction('return', 'in_acceptance', {
        ...readyContext({ acceptanceLevel }),
        input: { reason: '佐证材料不足', returnTo },
      });
    expect(ret(undefined)).toEqual({ ok: true, to: 'in_progress' });
    expect(ret('unit')).toEqual({ ok: true, to: 'in_progress' });
    expect(ret('recheck')).toEqual({ ok: true, to: 'in_progress' });
    expect(ret('city')).toEqual({ ok: true, to: 'in_acceptance' });
    expect(ret('county')).toEqual({ ok: true, to: 'in_acceptance' });
    expect(ret('province')).toMatchObject({ missing: ['returnTo province is not a level below the current one (province)'] });
    expect(ret('county', 0)).toMatchObject({ missing: ['returnTo county is not a level below the current one (county)'] });
    expect(ret('town')).toMatchObject({ missing: ['returnTo must be unit, recheck or a level of the chain (county, city, province)'] });
  });

  it('a new deadline (重新明确整改时限) is set only for an overdue or reopened item, not in the past', () => {
    const reset = (item: Partial<RectificationContext['item']>, newDeadline?: string) =>
      checkRectificationAction('reset_deadline', 'in_progress', {
        ...readyContext(item),
        input: { reason: '重新明确整改时限', newDeadline },
      });
    expect(reset({ deadline: '2026-11-20' }, '2027-03-31')).toEqual({ ok: true, to: 'in_progress' });
    expect(reset({ deadline: '2021-12-31', reopenedSinceDeadline: true }, '2027-03-31')).toEqual({ ok: true, to: 'in_progress' });
    expect(reset({ deadline: '2026-12-31', reopenedSinceDeadline: true }, '2027-03-31')).toEqual({ ok: true, to: 'in_progress' });
    expect(reset({ deadline: '2026-12-31' }, '2027-03-31')).toMatchObject({
      missing: ['a new deadline is set only for an overdue or reopened item (the deadline 2026-12-31 has not passed)'],
    });
    expect(reset({ deadline: '2026-11-20' }, '2026-11-22')).toMatchObject({
      missing: ['the new deadline must not be in the past (today is 2026-11-23)'],
    });
    expect(reset({ deadline: '2026-11-20' })).toMatchObject({ missing: ['newDeadline (YYYY-MM-DD) is required'] });
  });

  it('actions that need a reason refuse an empty one', () => {
    const ctx = { ...readyContext(), input: { reason: '  ' } };
    for (const action of ['return', 'cancel', 'reopen', 'withdraw', 'decline', 'uphold_objection'] as const) {
      const state = SPEC[action].from[0];
      expect(checkRectificationAction(action, state, ctx)).toEqual({ ok: false, problem: 'reason_required' });
    }
  });

  it('the public notice can be closed only after its last day', () => {
    expect(checkRectificationAction('close_notice', 'public_notice', readyContext({ noticeEnd: '2026-11-23' }))).toMatchObject({
      missing: ['the public notice runs until 2026-11-23'],
    });
    expect(checkRectificationAction('close_notice', 'public_notice', readyContext({ noticeEnd: '2026-11-22' }))).toEqual({
      ok: true,
      to: 'signed_off',
    });
  });
});

describe('workflow definitions are validated', () => {
  it('the rectification workflow is valid', () => {
    expect(validateWorkflow(rectificationWorkflow, Object.keys(rectificationGuards))).toEqual([]);
  });

  it('reports unknown targets, unknown guards, unreachable states and dead ends', () => {
    const broken: WorkflowDefinition = {
      name: 'broken',
      initial: 'a',
      states: { a: { label: 'A' }, b: { label: 'B' }, orphan: { label: 'O', terminal: true }, end: { label: 'E', terminal: true } },
      actions: {
        go: { label: 'go', from: ['a'], to: 'b', roles: ['dispatcher'], permission: 'item.act', actorScope: 'any', guards: ['nope'] },
        jump: { label: 'jump', from: ['a'], to: 'nowhere', roles: ['dispatcher'], permission: 'item.act', actorScope: 'any' },
        finish: { label: 'finish', from: ['end'], to: 'a', roles: [], permission: 'item.act', actorScope: 'any' },
      },
    };
    expect(validateWorkflow(broken, []).sort()).toEqual(
      [
        'action go uses unknown guard nope',
        'action jump leads to unknown state nowhere',
        'action finish names no role',
        'action finish leaves terminal state end',
        'state b is a dead end: not terminal and no action leaves it',
        'state orphan cannot be reached from a',
        'state end cannot be reached from a',
      ].sort(),
    );
  });
});

describe('property: random action sequences', () => {
  /** A small model of an item, driven only by the domain's decisions. */
  interface Model {
    state: RectificationState;
    level: number | null;
    pendingExtension: boolean;
    history: { action: RectificationAction; from: RectificationState; to: RectificationState }[];
  }

  const step = fc.record({
    action: fc.constantFrom(...RECTIFICATION_ACTIONS),
    role: fc.constantFrom(...ROLES),
    evidence: fc.boolean(),
    partsDone: fc.boolean(),
    reason: fc.constantFrom('', '原因'),
    noticeOver: fc.boolean(),
    ongoing: fc.boolean(),
  });

  it('never reaches an undefined state, never loses or invents history, and keeps levels in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 60 }), (chainLength, steps) => {
        const m: Model = { state: 'draft', level: null, pendingExtension: false, history: [] };
        let accepted = 0;
        for (const s of steps) {
          if (!rolesMayTake(s.action, [s.role])) continue;
          const ctx: RectificationContext = {
            item: {
              type: s.ongoing ? 'ongoing' : 'deadline',
              leadUnitCount: 1,
              hasGoal: true,
              deadline: '2026-12-31',
              evidenceCount: s.evidence ? 1 : 0,
              openParts: s.partsDone ? [] : ['配合单位'],
              pendingExtension: m.pendingExtension,
              acceptanceLevel: m.level,
              chainLength,
              noticeDays: 5,
              noticeEnd: s.noticeOver ? '2026-11-01' : '2026-12-01',
              chainLevels: Array.from({ length: chainLength }, (_, i) => `level${i}`),
              reopenedSinceDeadline: false,
            },
            today: '2026-11-23',
            input: {
              reason: s.reason,
              text: '进展',
              proposedDeadline: '2027-01-31',
              partStatus: 'done',
              mergeIntoId: 'x',
              spotCheckResult: 'holds',
              newDeadline: '2027-01-31',
            },
          };
          const check = checkRectificationAction(s.action, m.state, ctx);
          if (!check.ok) continue;
          accepted += 1;
          m.history.push({ action: s.action, from: m.state, to: check.to });
          // effects the application applies alongside the state
          if (s.action === 'submit') m.level = 0;
          else if (s.action === 'pass' && check.to === 'in_acceptance') m.level = (m.level ?? 0) + 1;
          else if (check.to !== 'in_acceptance') m.level = null;
          if (s.action === 'request_extension') m.pendingExtension = true;
          if (s.action === 'approve_extension' || s.action === 'reject_extension') m.pendingExtension = false;
          m.state = check.to;

          expect(RECTIFICATION_STATES).toContain(m.state);
          if (m.state === 'in_acceptance') expect(m.level).not.toBeNull();
          if (m.level !== null) expect(m.level).toBeLessThan(chainLength);
        }
        expect(m.history).toHaveLength(accepted);
        // the history is a connected path from draft
        let at: RectificationState = 'draft';
        for (const h of m.history) {
          expect(h.from).toBe(at);
          at = h.to;
        }
        expect(at).toBe(m.state);
        // nothing leaves a terminal state
        const firstTerminal = m.history.findIndex((h) => rectificationWorkflow.states[h.to].terminal);
        if (firstTerminal >= 0) expect(m.history).toHaveLength(firstTerminal + 1);
      }),
      { numRuns: 500 },
    );
  });
});
