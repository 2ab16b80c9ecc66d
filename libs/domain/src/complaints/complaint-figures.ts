import { countFigure, ratioFigure, type Figure } from '../statistics/figures.js';

/** What the database counts for complaint cases in one scope, as of one instant (#complaints keeps the SQL beside these names). */
export interface ComplaintCounts {
  received: number;
  merged: number;
  transferred: number;
  closed: number;
  phaseClosed: number;
  followedUp: number;
  investigated: number;
  substantiated: number;
  closedWithDeadline: number;
  closedOnTimeOriginal: number;
  closedOnTimeApproved: number;
  keyCases: number;
  ordersIssued: number;
  finesWan: number;
  casesFiled: number;
  detained: number;
  accountable: number;
  summoned: number;
}

export const COMPLAINT_SETS = {
  received: '受理的信访举报件（受理日期不晚于统计日）',
  valid: '有效件（受理件中未作为重复件合并的）',
  transferred: '已转办的有效件',
  closed: '已办结的件（完全办结，不含阶段性办结）',
  closedWithPhase: '已办结的件（含阶段性办结）',
  followedUp: '已回访的件',
  investigated: '已报送调查核实结论的件',
  substantiated: '结论为属实、基本属实或部分属实的件',
  closedWithDeadline: '已办结（含阶段性办结）的件',
  onTimeOriginal: '其中首次办结日期不晚于原定办理时限的',
  onTimeApproved: '其中首次办结日期不晚于批准（含延期后）办理时限的',
} as const;

function amount(key: string, label: string, value: number, formula: string): Figure {
  const rounded = Math.round(value * 10000) / 10000;
  return { key, label, kind: 'amount', value: rounded, display: `${rounded} 万元`, formula };
}

/** The complaint figures from the counts, each naming its formula. */
export function complaintFiguresFrom(c: ComplaintCounts): Figure[] {
  const valid = c.received - c.merged;
  const closedAll = c.closed + c.phaseClosed;
  const s = COMPLAINT_SETS;
  return [
    countFigure('received', '受理件数', c.received, s.received),
    countFigure('valid', '有效件数', valid, `${s.received} − 合并的重复件`),
    countFigure('transferred', '转办件数', c.transferred, s.transferred),
    countFigure('closed', '办结件数', c.closed, '首次或最终办结日期不晚于统计日、且为完全办结的件'),
    countFigure('phaseClosed', '阶段性办结件数', c.phaseClosed, '阶段性办结且到统计日尚未完全办结的件'),
    countFigure('open', '办理中', c.transferred - closedAll, '已转办、尚未办结（含阶段性办结）的件'),
    countFigure('keyCases', '重点件', c.keyCases, '受理件中标为重点件的'),
    ratioFigure('closureRate', '办结率（不含阶段性办结）', c.closed, s.closed, c.transferred, s.transferred),
    ratioFigure('closureRateWithPhase', '办结率（含阶段性办结）', closedAll, s.closedWithPhase, c.transferred, s.transferred),
    ratioFigure('feedbackRate', '回访率', c.followedUp, s.followedUp, closedAll, s.closedWithPhase),
    ratioFigure('substantiatedShare', '属实率', c.substantiated, s.substantiated, c.investigated, s.investigated),
    ratioFigure(
      'onTimeRateOriginal',
      '按期办结率（原定时限）',
      c.closedOnTimeOriginal,
      s.onTimeOriginal,
      c.closedWithDeadline,
      s.closedWithDeadline,
    ),
    ratioFigure(
      'onTimeRateApproved',
      '按期办结率（批准时限）',
      c.closedOnTimeApproved,
      s.onTimeApproved,
      c.closedWithDeadline,
      s.closedWithDeadline,
    ),
    amount('finesWan', '罚款金额', c.finesWan, '各件最新调查核实结论所报罚款之和（万元）'),
    countFigure('ordersIssued', '责令整改', c.ordersIssued, '各件最新结论所报责令整改数之和'),
    countFigure('casesFiled', '立案查处', c.casesFiled, '各件最新结论所报立案数之和'),
    countFigure('detained', '拘留人数', c.detained, '各件最新结论所报拘留人数之和'),
    countFigure('summoned', '约谈人数', c.summoned, '各件最新结论所报约谈人数之和'),
    countFigure('accountable', '问责人数', c.accountable, '各件最新结论所报问责人数之和'),
  ];
}
