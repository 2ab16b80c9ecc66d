import { why, type Texts } from './mail-data.js';

/** Key projects: itemCode is the project code, itemTitle "project · milestone", deadline the planned date. */
export const PROJECT_TEMPLATES: Record<string, Texts> = {
  'milestone.report_done': {
    zh: (d) => ({
      subject: `【里程碑待核实】${d.itemCode} ${d.itemTitle}`,
      lines: [d.itemTitle, '责任单位已报告完成该里程碑，请核实佐证材料。'],
    }),
    en: (d) => ({
      subject: `[Milestone to verify] ${d.itemCode} ${d.itemTitle}`,
      lines: [d.itemTitle, 'The responsible unit reports this milestone done. Please verify.'],
    }),
  },
  'milestone.verify': {
    zh: (d) => ({ subject: `【里程碑已核实】${d.itemCode} ${d.itemTitle}`, lines: [d.itemTitle, '该里程碑已核实完成。'] }),
    en: (d) => ({ subject: `[Milestone verified] ${d.itemCode} ${d.itemTitle}`, lines: [d.itemTitle, 'The milestone was verified.'] }),
  },
  'milestone.return': {
    zh: (d) => ({
      subject: `【里程碑退回】${d.itemCode} ${d.itemTitle}`,
      lines: [d.itemTitle, '报告的完成情况未通过核实，已退回。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Milestone returned] ${d.itemCode} ${d.itemTitle}`,
      lines: [d.itemTitle, 'The reported completion was returned.', ...why(d, false)],
    }),
  },
  'milestone.replan': {
    zh: (d) => ({
      subject: `【计划调整】${d.itemCode} ${d.itemTitle} 计划时间调整为 ${d.deadline ?? ''}`,
      lines: [d.itemTitle, ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Replanned] ${d.itemCode} ${d.itemTitle} now planned for ${d.deadline ?? ''}`,
      lines: [d.itemTitle, ...why(d, false)],
    }),
  },
  'milestone.urge': {
    zh: (d) => ({
      subject: `【催办】${d.itemCode} ${d.itemTitle}（计划 ${d.deadline ?? ''}）`,
      lines: [`${d.actorName ?? '督办部门'}催办此里程碑，请加快推进。`, ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Urgent] ${d.itemCode} ${d.itemTitle} (planned ${d.deadline ?? ''})`,
      lines: [`${d.actorName ?? 'The dispatcher'} urges progress on this milestone.`, ...why(d, false)],
    }),
  },
  'reminder.milestone_before': {
    zh: (d) => ({
      subject: `【里程碑提醒】${d.itemCode} ${d.itemTitle} 距计划时间还有${d.days}个工作日（${d.deadline}）`,
      lines: [d.itemTitle, `请按计划于 ${d.deadline} 前完成，并上传佐证材料报告完成。`],
    }),
    en: (d) => ({
      subject: `[Milestone due soon] ${d.itemCode} ${d.itemTitle} in ${d.days} working day(s) (${d.deadline})`,
      lines: [d.itemTitle, `Please complete it by ${d.deadline} and report it with evidence.`],
    }),
  },
  'reminder.milestone_overdue': {
    zh: (d) => ({
      subject: `【里程碑滞后】${d.itemCode} ${d.itemTitle} 已超过计划时间（${d.deadline}）`,
      lines: [d.itemTitle, `该里程碑计划于 ${d.deadline} 完成，至今未报告完成，请加快推进或申请调整计划。`],
    }),
    en: (d) => ({
      subject: `[Milestone late] ${d.itemCode} ${d.itemTitle} was planned for ${d.deadline}`,
      lines: [d.itemTitle, `Planned for ${d.deadline} and not reported done. Please act or ask for a new plan.`],
    }),
  },
  'reminder.report_due': {
    zh: (d) => ({
      subject: `【月报提醒】${d.itemCode} ${d.itemTitle} ${d.period} 投资月报请于 ${d.deadline} 前报送`,
      lines: [d.itemTitle, `请于 ${d.deadline} 前报送 ${d.period} 完成投资情况。`],
    }),
    en: (d) => ({
      subject: `[Monthly report] ${d.itemCode} ${d.itemTitle}: report ${d.period} by ${d.deadline}`,
      lines: [d.itemTitle, `Please report the investment completed in ${d.period} by ${d.deadline}.`],
    }),
  },
  'reminder.report_missing': {
    zh: (d) => ({
      subject: `【月报缺报】${d.itemCode} ${d.itemTitle} 未按时报送 ${d.period} 投资月报`,
      lines: [d.itemTitle, `${d.period} 投资月报应于 ${d.deadline} 前报送，至今未报，请立即报送。`],
    }),
    en: (d) => ({
      subject: `[Report missing] ${d.itemCode} ${d.itemTitle}: ${d.period} was due ${d.deadline}`,
      lines: [d.itemTitle, `The ${d.period} investment report was due ${d.deadline}. Please send it now.`],
    }),
  },
};
