import { ROLES, type Role } from '../access/roles.js';
import { validateWorkflow } from '../workflow/engine.js';
import { assertHandling, handlingLine, pollutionTypesFromText } from './complaint-case.js';
import { complaintFiguresFrom, type ComplaintCounts } from './complaint-figures.js';
import {
  COMPLAINT_ACTIONS,
  COMPLAINT_STATES,
  checkComplaintAction,
  complaintGuards,
  complaintWorkflow,
  type ComplaintAction,
  type ComplaintContext,
  type ComplaintState,
} from './complaint.workflow.js';

const D: Role[] = ['dispatcher'];
const U: Role[] = ['unit_officer'];

/** The specification, by hand, from issue 23: where each action starts, where it leads, who takes it. */
const SPEC: Record<ComplaintAction, { from: ComplaintState[]; to: ComplaintState | 'same'; roles: Role[] }> = {
  transfer: { from: ['received'], to: 'transferred', roles: D },
  merge: { from: ['received'], to: 'merged', roles: D },
  report_verdict: { from: ['transferred'], to: 'investigated', roles: U },
  return: { from: ['investigated'], to: 'transferred', roles: D },
  close: { from: ['investigated'], to: 'closed', roles: D },
  phase_close: { from: ['investigated'], to: 'phase_closed', roles: D },
  apply_closure: { from: ['phase_closed'], to: 'investigated', roles: U },
  publish: { from: ['closed', 'phase_closed'], to: 'same', roles: D },
  follow_up: { from: ['closed', 'phase_closed'], to: 'same', roles: D },
  archive: { from: ['closed'], to: 'archived', roles: D },
  request_extension: { from: ['transferred'], to: 'same', roles: U },
  approve_extension: { from: ['transferred'], to: 'same', roles: D },
  reject_extension: { from: ['transferred'], to: 'same', roles: D },
  urge: { from: ['transferred'], to: 'same', roles: D },
  reassign: { from: ['transferred'], to: 'same', roles: D },
  spawn_item: { from: ['investigated', 'closed', 'phase_closed'], to: 'same', roles: D },
};

/** A context in which every guard holds, except those that exclude each other (set per action below). */
function ready(action: ComplaintAction): ComplaintContext {
  const pending = action === 'approve_extension' || action === 'reject_extension';
  return {
    complaint: {
      receivedOn: '2026-06-01',
      leadUnitId: 'u1',
      deadline: '2026-06-11',
      verdict: 'partly',
      publishedAt: action === 'publish' ? null : '2026-06-12T08:00:00Z',
      followedUp: true,
      extensionPending: pending,
      awaitedItemsOpen: 0,
    },
    today: '2026-06-05',
    input: {
      reason: '需现场复核',
      leadUnitId: action === 'reassign' ? 'u2' : 'u1',
      deadline: '2026-06-11',
      duplicateOfId: 'c0',
      verdict: 'partly',
      handlingSummary: '责令停产整治',
      committedDate: '2026-09-30',
      requestedDeadline: '2026-06-20',
      reached: true,
      satisfaction: 'satisfied',
    },
  };
}

describe('complaint workflow definition', () => {
  it('is valid: every state reachable, no dead ends, known guards', () => {
    expect(validateWorkflow(complaintWorkflow, Object.keys(complaintGuards))).toEqual([]);
  });

  const cases = COMPLAINT_STATES.flatMap((state) =>
    COMPLAINT_ACTIONS.flatMap((action) => ROLES.map((role) => [state, action, role] as const)),
  );
  it.each(cases)('%s + %s by %s matches the specification', (state, action, role) => {
    const spec = SPEC[action];
    const def = complaintWorkflow.actions[action];
    expect(def.from.includes(state)).toBe(spec.from.includes(state));
    expect(def.roles.includes(role)).toBe(spec.roles.includes(role));
    const check = checkComplaintAction(action, state, ready(action));
    if (spec.from.includes(state)) expect(check).toEqual({ ok: true, to: spec.to === 'same' ? state : spec.to });
    else expect(check).toEqual({ ok: false, problem: 'wrong_state' });
  });
});

describe('complaint guards', () => {
  const base = ready('transfer');
  it('transfer needs a lead unit and a deadline not before receipt', () => {
    expect(checkComplaintAction('transfer', 'received', { ...base, input: { deadline: '2026-05-31' } })).toEqual({
      ok: false,
      problem: 'guard',
      missing: ['the lead unit (leadUnitId)', 'a deadline (deadline) not before the receipt date 2026-06-01'],
    });
  });

  it('report_verdict needs a verdict and what was done', () => {
    expect(checkComplaintAction('report_verdict', 'transferred', { ...base, input: {} })).toEqual({
      ok: false,
      problem: 'guard',
      missing: ['the verdict (verdict: 属实/基本属实/部分属实/不属实)', 'what was found and done (handlingSummary)'],
    });
  });

  it('phase_close needs a committed date after today; spawn_item a substantiated verdict; archive publication and a visit', () => {
    expect(checkComplaintAction('phase_close', 'investigated', { ...base, input: { committedDate: '2026-06-05' } })).toMatchObject({
      ok: false,
      missing: ['a committed completion date (committedDate) after today'],
    });
    const unfounded = { ...base, complaint: { ...base.complaint, verdict: 'unfounded' as const } };
    expect(checkComplaintAction('spawn_item', 'closed', unfounded)).toMatchObject({ ok: false, problem: 'guard' });
    const fresh = { ...base, complaint: { ...base.complaint, publishedAt: null, followedUp: false } };
    expect(checkComplaintAction('archive', 'closed', fresh)).toEqual({
      ok: false,
      problem: 'guard',
      missing: ['publication of the result (publish first)', 'a follow-up visit (回访)'],
    });
  });

  it('close waits for spawned items only when the dispatcher said so; returns and reassignments need a reason', () => {
    const waiting = { ...base, complaint: { ...base.complaint, awaitedItemsOpen: 2 } };
    expect(checkComplaintAction('close', 'investigated', waiting)).toMatchObject({ ok: false, problem: 'guard' });
    expect(checkComplaintAction('return', 'investigated', { ...base, input: { reason: ' ' } })).toEqual({
      ok: false,
      problem: 'reason_required',
    });
    expect(checkComplaintAction('reassign', 'transferred', { ...base, input: { reason: 'x', leadUnitId: 'u1' } })).toMatchObject({
      ok: false,
      missing: ['a lead unit (leadUnitId) other than the current one'],
    });
  });
});

describe('complaint case values', () => {
  it('reads pollution types from a cell, naming what it cannot read', () => {
    expect(pollutionTypesFromText('大气、噪声，水 光污染')).toEqual({ types: ['water', 'air', 'noise'], unknown: ['光污染'] });
  });

  it('refuses negative fines and fractional counts, naming the field', () => {
    expect(() => assertHandling({ finesWan: -1 })).toThrow(
      expect.objectContaining({ details: { fields: [{ field: 'handling.finesWan', messages: ['must not be negative'] }] } }),
    );
    expect(() => assertHandling({ detained: 1.5 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(handlingLine(assertHandling({ ordersIssued: 1, finesWan: 2.5, summoned: 1 }))).toBe('责令整改1家，罚款2.5万元，约谈1人');
  });
});

describe('complaint figures', () => {
  it('reproduce round 3: 186 cases, 184 closed, 2 phase-closed', () => {
    const c: ComplaintCounts = {
      received: 190,
      merged: 4,
      transferred: 186,
      closed: 184,
      phaseClosed: 2,
      followedUp: 186,
      investigated: 186,
      substantiated: 121,
      closedWithDeadline: 186,
      closedOnTimeOriginal: 180,
      closedOnTimeApproved: 185,
      keyCases: 12,
      ordersIssued: 90,
      finesWan: 312.5,
      casesFiled: 40,
      detained: 2,
      accountable: 9,
      summoned: 15,
    };
    const f = Object.fromEntries(complaintFiguresFrom(c).map((x) => [x.key, x]));
    expect(f.valid.value).toBe(186);
    expect(f.closureRate.display).toBe('98.92%'); // 184 / 186
    expect(f.closureRateWithPhase.display).toBe('100.00%');
    expect(f.substantiatedShare.value).toBe(0.6505); // 121 / 186
    expect(f.onTimeRateOriginal.value).toBe(0.9677); // 180 / 186
    expect(f.finesWan.display).toBe('312.5 万元');
    expect(f.open.value).toBe(0);
  });
});
