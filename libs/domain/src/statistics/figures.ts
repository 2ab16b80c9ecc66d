import { RECTIFICATION_STATES, type RectificationState } from '../workflow/rectification.workflow.js';

/**
 * Closure figures and the words that define them. Published rates use different numerators and
 * denominators, so every figure carries its formula; the SQL that counts (in #statistics) and
 * these definitions are kept side by side by the names below.
 */

/** Items that are not obligations (yet or any more) are left out of every figure but the state counts. */
export const UNCOUNTED_STATES: readonly RectificationState[] = ['draft', 'cancelled', 'merged'];
/** Rectified and handed over: awaiting acceptance or in public notice. */
export const AWAITING_ACCEPTANCE_STATES: readonly RectificationState[] = ['in_acceptance', 'public_notice'];
/** Completed (完成) without 阶段性完成. */
export const COMPLETED_STATES: readonly RectificationState[] = ['signed_off', ...AWAITING_ACCEPTANCE_STATES];
/** Closed: signed off, or completed with an obligation that continues. */
export const CLOSURE_STATES: readonly RectificationState[] = ['signed_off', 'phase_completed'];

/** What the database counts for one scope (and instant). */
export interface StatCounts {
  byState: Record<RectificationState, number>;
  total: number;
  signedOff: number;
  awaitingAcceptance: number;
  phaseCompleted: number;
  due: number;
  dueCompleted: number;
  duePhaseCompleted: number;
  overdueOpen: number;
  closed: number;
  closedWithOriginalDeadline: number;
  closedOnTimeOriginal: number;
  closedWithApprovedDeadline: number;
  closedOnTimeApproved: number;
  closeDaysCount: number;
  closeDaysAverage: number | null;
  closeDaysMedian: number | null;
  extendedItems: number;
  extensionsGranted: number;
  reboundItems: number;
  rebounds: number;
}

export type FigureKind = 'count' | 'rate' | 'working_days' | 'calendar_days' | 'amount';

export interface Figure {
  key: string;
  label: string;
  kind: FigureKind;
  /** Items (count), a fraction 0..1 rounded to 4 places (rate), working or calendar days, or 万元 (amount). Null when undefined (0 / 0). */
  value: number | null;
  /** For rates: "98.21%". */
  display: string;
  numerator?: { value: number; set: string };
  denominator?: { value: number; set: string };
  formula: string;
}

/** A figure's value alone, for tables of many rows whose figures are defined once (FigureDefinition). */
export interface FigureValue {
  key: string;
  value: number | null;
  display: string;
  numerator?: number;
  denominator?: number;
}

/** What a figure means, given once for all the rows of a breakdown. */
export interface FigureDefinition {
  key: string;
  label: string;
  kind: FigureKind;
  formula: string;
  numeratorSet?: string;
  denominatorSet?: string;
}

export function valueOf(f: Figure): FigureValue {
  const v: FigureValue = { key: f.key, value: f.value, display: f.display };
  if (f.numerator) v.numerator = f.numerator.value;
  if (f.denominator) v.denominator = f.denominator.value;
  return v;
}

/** The definitions of the figures (the counts do not change the words, except the close-days counts). */
export function definitionsOf(figures: Figure[]): FigureDefinition[] {
  return figures.map((f) => ({
    key: f.key,
    label: f.label,
    kind: f.kind,
    formula: f.kind === 'working_days' ? f.formula.replace(/（\d+ 项）/, '') : f.formula,
    ...(f.numerator ? { numeratorSet: f.numerator.set, denominatorSet: f.denominator!.set } : {}),
  }));
}

const SETS = {
  counted: '纳入统计的事项（不含待分派、已撤销、已合并）',
  signedOff: '已销号的事项',
  completed: '已完成的事项（已销号 + 验收中 + 公示中）',
  completedWithPhase: '已完成的事项（已销号 + 验收中 + 公示中 + 阶段性完成）',
  due: '应完成的事项（现行整改时限早于统计日）',
  dueCompleted: '应完成事项中已完成的（已销号 + 验收中 + 公示中）',
  dueCompletedWithPhase: '应完成事项中已完成的（已销号 + 验收中 + 公示中 + 阶段性完成）',
  closedWithOriginal: '已销号或阶段性完成、有原定时限的事项',
  closedOnTimeOriginal: '其中完成日期不晚于原定时限的',
  closedWithApproved: '已销号或阶段性完成、有整改时限的事项',
  closedOnTimeApproved: '其中完成日期不晚于批准（含延期后）时限的',
} as const;

/** A rate rounded half-up to 4 places, computed from integers so that 55/56 is always 0.9821. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.round((numerator * 10000) / denominator) / 10000;
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(2)}%`;
}

export function countFigure(key: string, label: string, value: number, formula: string): Figure {
  return { key, label, kind: 'count', value, display: String(value), formula };
}

export function ratioFigure(key: string, label: string, n: number, nSet: string, d: number, dSet: string): Figure {
  const value = rate(n, d);
  return {
    key,
    label,
    kind: 'rate',
    value,
    display: percent(value),
    numerator: { value: n, set: nSet },
    denominator: { value: d, set: dSet },
    formula: `${nSet} ÷ ${dSet}`,
  };
}

function days(key: string, label: string, value: number | null, formula: string): Figure {
  const rounded = value === null ? null : Math.round(value * 10) / 10;
  return { key, label, kind: 'working_days', value: rounded, display: rounded === null ? '—' : `${rounded} 个工作日`, formula };
}

/** The published figures from the counts, each with its formula. */
export function figuresFrom(c: StatCounts): Figure[] {
  const completed = c.signedOff + c.awaitingAcceptance;
  return [
    countFigure('total', '事项总数', c.total, SETS.counted),
    countFigure('signedOff', '已销号', c.signedOff, '状态为已销号的事项'),
    countFigure('awaitingAcceptance', '完成待验收', c.awaitingAcceptance, '状态为验收中或公示中的事项'),
    countFigure('completed', '已完成', completed, SETS.completed),
    countFigure('phaseCompleted', '阶段性完成', c.phaseCompleted, '状态为阶段性完成的事项（长期坚持，单列）'),
    countFigure('inProgress', '未完成', c.total - completed - c.phaseCompleted, '纳入统计的事项中未完成的（已分派、整改中）'),
    countFigure('due', '应完成', c.due, SETS.due),
    countFigure('overdueOpen', '逾期未完成', c.overdueOpen, '已分派或整改中、现行整改时限早于统计日的事项'),
    ratioFigure('signOffRate', '销号率', c.signedOff, SETS.signedOff, c.total, SETS.counted),
    ratioFigure('completionRate', '完成率（对全部事项）', completed, SETS.completed, c.total, SETS.counted),
    ratioFigure(
      'completionRateWithPhase',
      '完成率（对全部事项，含阶段性完成）',
      completed + c.phaseCompleted,
      SETS.completedWithPhase,
      c.total,
      SETS.counted,
    ),
    ratioFigure('dueCompletionRate', '完成率（对应完成事项）', c.dueCompleted, SETS.dueCompleted, c.due, SETS.due),
    ratioFigure(
      'dueCompletionRateWithPhase',
      '完成率（对应完成事项，含阶段性完成）',
      c.dueCompleted + c.duePhaseCompleted,
      SETS.dueCompletedWithPhase,
      c.due,
      SETS.due,
    ),
    ratioFigure(
      'onTimeRateOriginal',
      '按期完成率（原定时限）',
      c.closedOnTimeOriginal,
      SETS.closedOnTimeOriginal,
      c.closedWithOriginalDeadline,
      SETS.closedWithOriginal,
    ),
    ratioFigure(
      'onTimeRateApproved',
      '按期完成率（批准时限）',
      c.closedOnTimeApproved,
      SETS.closedOnTimeApproved,
      c.closedWithApprovedDeadline,
      SETS.closedWithApproved,
    ),
    days(
      'closeDaysAverage',
      '平均办结用时',
      c.closeDaysAverage,
      `已销号或阶段性完成事项（${c.closeDaysCount} 项）从立项到完成的工作日数的平均值`,
    ),
    days(
      'closeDaysMedian',
      '办结用时中位数',
      c.closeDaysMedian,
      `已销号或阶段性完成事项（${c.closeDaysCount} 项）从立项到完成的工作日数的中位数`,
    ),
    countFigure('extendedItems', '延期事项', c.extendedItems, '至少批准过一次延期的事项'),
    countFigure('extensionsGranted', '批准延期次数', c.extensionsGranted, '批准的延期申请次数之和'),
    countFigure('reboundItems', '反弹事项', c.reboundItems, '销号后经回头看重新打开过的事项'),
    countFigure('rebounds', '反弹次数', c.rebounds, '重新打开的次数之和'),
  ];
}

export function emptyByState(): Record<RectificationState, number> {
  return Object.fromEntries(RECTIFICATION_STATES.map((s) => [s, 0])) as Record<RectificationState, number>;
}
