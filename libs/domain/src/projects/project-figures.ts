import { countFigure, percent, rate, ratioFigure, type Figure } from '../statistics/figures.js';
import type { ScheduleStatus } from './schedule.js';

/**
 * Key-project figures and the words that define them. Amounts are summed exactly (in 分 of 万元)
 * and shown in 万元; every rate names its numerator and denominator sets.
 */
export interface ProjectCounts {
  projects: number;
  byStatus: Record<ScheduleStatus, number>;
  milestones: number;
  milestonesDue: number;
  milestonesDueVerified: number;
  milestonesVerified: number;
  milestonesDelayed: number;
  /** Projects with an annual plan for the month's year, and their sums (万元, decimal strings). */
  plannedProjects: number;
  annualPlan: string;
  yearToDatePlanned: string;
  yearToDate: string;
  sinceStart: string;
  totalPlanned: string;
  missingReports: number;
  month: string;
  expectedShare: number;
}

const SETS = {
  projects: '纳入统计的重点工程项目（统计日前已建立）',
  started: '已到计划开工期或已有里程碑核实的项目',
  onSchedule: '按序时推进、超序时或已完成的项目',
  due: '计划时间不晚于统计日的里程碑',
  dueVerified: '其中统计日前已核实的',
  annualPlan: '有本年度投资计划的项目的年度计划投资之和',
  yearToDate: '这些项目年初至报告期累计完成投资之和',
  totalPlanned: '项目计划总投资之和',
  sinceStart: '开工至报告期累计完成投资之和',
} as const;

/** 万元 with two decimals as integer 分, for exact sums and rates. */
export function toCents(amount: string): number {
  const [whole, frac = ''] = amount.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

export function fromCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = cents % 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

function amountFigure(key: string, label: string, amount: string, formula: string): Figure {
  return { key, label, kind: 'amount', value: Number(amount), display: `${amount} 万元`, formula };
}

function amountRatio(key: string, label: string, n: string, nSet: string, d: string, dSet: string): Figure {
  const value = rate(toCents(n), toCents(d));
  return {
    key,
    label,
    kind: 'rate',
    value,
    display: percent(value),
    numerator: { value: Number(n), set: `${nSet}（万元）` },
    denominator: { value: Number(d), set: `${dSet}（万元）` },
    formula: `${nSet} ÷ ${dSet}`,
  };
}

export function projectFiguresFrom(c: ProjectCounts): Figure[] {
  const started = c.projects - c.byStatus.not_started;
  const onSchedule = c.byStatus.on_schedule + c.byStatus.ahead + c.byStatus.completed;
  return [
    countFigure('projects', '项目总数', c.projects, SETS.projects),
    countFigure('completed', '已完成', c.byStatus.completed, '全部里程碑均已核实的项目'),
    countFigure('ahead', '超序时', c.byStatus.ahead, '无滞后里程碑、且有未到计划时间的里程碑已核实的项目'),
    countFigure('onSchedule', '按序时推进', c.byStatus.on_schedule, '无滞后里程碑的在建项目（不含超序时）'),
    countFigure('behind', '滞后', c.byStatus.behind, '有里程碑计划时间已过而未核实的项目'),
    countFigure('notStarted', '未到开工期', c.byStatus.not_started, '统计日早于计划开工日、且无里程碑核实的项目'),
    ratioFigure('onScheduleRate', '序时进度达标率', onSchedule, SETS.onSchedule, started, SETS.started),
    countFigure('milestonesDue', '应完成里程碑', c.milestonesDue, SETS.due),
    countFigure('milestonesVerified', '已核实里程碑', c.milestonesVerified, '统计日前已核实的里程碑（含提前完成的）'),
    countFigure('milestonesDelayed', '滞后里程碑', c.milestonesDelayed, '计划时间早于统计日、尚未核实的里程碑'),
    ratioFigure('milestoneRate', '里程碑按期完成率', c.milestonesDueVerified, SETS.dueVerified, c.milestonesDue, SETS.due),
    amountFigure('annualPlan', `${c.month.slice(0, 4)} 年计划投资`, c.annualPlan, SETS.annualPlan),
    amountFigure(
      'yearToDate',
      '年初至报告期累计完成投资',
      c.yearToDate,
      `报告期 ${c.month} 及之前本年各月月报（以统计日前的最新版本为准）之和`,
    ),
    amountRatio('annualRate', '年度投资完成率', c.yearToDatePlanned, SETS.yearToDate, c.annualPlan, SETS.annualPlan),
    {
      key: 'expectedShare',
      label: '序时进度（年度）',
      kind: 'rate',
      value: c.expectedShare,
      display: percent(c.expectedShare),
      formula: `报告期月份 ÷ 12（${c.month} 为 ${Number(c.month.slice(5, 7))}/12）`,
    },
    amountFigure('sinceStart', '开工至报告期累计完成投资', c.sinceStart, '开工前已完成投资 + 各月月报之和'),
    amountRatio('totalRate', '总投资完成率', c.sinceStart, SETS.sinceStart, c.totalPlanned, SETS.totalPlanned),
    countFigure(
      'missingReports',
      '报告期缺报项目',
      c.missingReports,
      `报告期 ${c.month} 应报（在计划工期内，且未在此前完工：里程碑全部核实）而尚无月报的项目`,
    ),
  ];
}
