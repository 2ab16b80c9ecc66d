import {
  AWAITING_ACCEPTANCE_STATES,
  CLOSURE_STATES,
  COMPLETED_STATES,
  OVERDUE_STATES,
  RECTIFICATION_STATES,
  UNCOUNTED_STATES,
  emptyByState,
  type RectificationState,
  type StatCounts,
} from '#domain';
import { combine, median, type GroupDistribution } from './distribution.js';

export interface RollupRow {
  g: string;
  state: RectificationState;
  past: boolean;
  n: number;
  cwo: number;
  oto: number;
  cwa: number;
  ota: number;
  cds: number;
  cdn: number;
  ei: number;
  ex: number;
  ri: number;
  rb: number;
}

/** Roll-up sums and days-to-close distribution, as read from cells or counted from stretches. */
export interface Counted {
  cells: RollupRow[];
  days: GroupDistribution[];
}

export interface PatchRow {
  g: string;
  state: RectificationState;
  n: number;
}

/** A base's counts: cells, and (live roll-ups) this month's deadlines before the day, counted from the open stretches. */
export interface BaseCells extends Counted {
  patch: PatchRow[];
}
/** No corrections: the instant is the base's own. */
export const NO_CHANGES: Counted = { cells: [], days: [] };

export function emptyCounts(): StatCounts {
  return {
    byState: emptyByState(),
    total: 0,
    signedOff: 0,
    awaitingAcceptance: 0,
    phaseCompleted: 0,
    due: 0,
    dueCompleted: 0,
    duePhaseCompleted: 0,
    overdueOpen: 0,
    closed: 0,
    closedWithOriginalDeadline: 0,
    closedOnTimeOriginal: 0,
    closedWithApprovedDeadline: 0,
    closedOnTimeApproved: 0,
    closeDaysCount: 0,
    closeDaysAverage: null,
    closeDaysMedian: null,
    extendedItems: 0,
    extensionsGranted: 0,
    reboundItems: 0,
    rebounds: 0,
  };
}

/** StatCounts per group from roll-up sums, the distribution of days to close and this month's due items. */
export function assembleRollup(cells: RollupRow[], days: GroupDistribution[], patch: PatchRow[]): Map<string, StatCounts> {
  const out = new Map<string, StatCounts>();
  const of = (g: string): StatCounts => {
    let c = out.get(g);
    if (!c) out.set(g, (c = emptyCounts()));
    return c;
  };
  const counted = (s: RectificationState): boolean => !UNCOUNTED_STATES.includes(s);
  const dueBy = (c: StatCounts, state: RectificationState, n: number): void => {
    if (!counted(state)) return;
    c.due += n;
    if (COMPLETED_STATES.includes(state)) c.dueCompleted += n;
    if (state === 'phase_completed') c.duePhaseCompleted += n;
    if (OVERDUE_STATES.includes(state)) c.overdueOpen += n;
  };
  const closeDaySums = new Map<string, { sum: number; n: number }>();
  const daysByGroup = new Map<string, GroupDistribution[]>();
  for (const d of days) {
    const parts = daysByGroup.get(d.g);
    if (parts) parts.push(d);
    else daysByGroup.set(d.g, [d]);
  }
  for (const r of cells) {
    const c = of(r.g);
    c.byState[r.state] += r.n;
    if (r.past) dueBy(c, r.state, r.n);
    c.closedWithOriginalDeadline += r.cwo;
    c.closedOnTimeOriginal += r.oto;
    c.closedWithApprovedDeadline += r.cwa;
    c.closedOnTimeApproved += r.ota;
    c.extendedItems += r.ei;
    c.extensionsGranted += r.ex;
    c.reboundItems += r.ri;
    c.rebounds += r.rb;
    const d = closeDaySums.get(r.g) ?? { sum: 0, n: 0 };
    closeDaySums.set(r.g, { sum: d.sum + r.cds, n: d.n + r.cdn });
  }
  for (const r of patch) if (out.has(r.g)) dueBy(of(r.g), r.state, r.n);
  // After corrections, a group may hold nothing at the instant: it did not exist then.
  for (const [g, c] of out) if (RECTIFICATION_STATES.every((st) => c.byState[st] === 0)) out.delete(g);
  for (const [g, c] of out) {
    c.total = RECTIFICATION_STATES.filter(counted).reduce((sum, s) => sum + c.byState[s], 0);
    c.signedOff = c.byState.signed_off;
    c.awaitingAcceptance = AWAITING_ACCEPTANCE_STATES.reduce((sum, s) => sum + c.byState[s], 0);
    c.phaseCompleted = c.byState.phase_completed;
    c.closed = CLOSURE_STATES.reduce((sum, s) => sum + c.byState[s], 0);
    const d = closeDaySums.get(g) ?? { sum: 0, n: 0 };
    c.closeDaysCount = d.n;
    c.closeDaysAverage = d.n > 0 ? d.sum / d.n : null;
    const parts = daysByGroup.get(g);
    c.closeDaysMedian = parts ? median(combine(parts)) : null;
  }
  return out;
}
