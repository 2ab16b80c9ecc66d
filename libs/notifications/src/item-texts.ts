import { by, why, type Texts } from './mail-data.js';

/** The texts of items' events and reminders. */
export const ITEM_TEMPLATES: Record<string, Texts> = {
  'item.assign': {
    zh: (d) => ({
      subject: `【整改通】新分派整改事项 ${d.itemCode}${by(d, true)}`,
      lines: [`${d.itemTitle}`, `已分派贵单位牵头整改，请及时签收${by(d, true)}。`],
    }),
    en: (d) => ({
      subject: `[Rectify] New item assigned: ${d.itemCode}${by(d, false)}`,
      lines: [d.itemTitle, `Your unit leads this item. Please accept it${by(d, false)}.`],
    }),
  },
  'item.assign_part': {
    zh: (d) => ({
      subject: `【配合整改】${d.itemCode} 请贵单位配合完成${d.partDeadline ? `（配合时限 ${d.partDeadline}）` : ''}`,
      lines: [
        d.itemTitle,
        `贵单位为该事项的配合单位，承担：${d.part ?? '配合牵头单位整改'}。`,
        d.partDeadline
          ? `请于 ${d.partDeadline} 前完成并报送配合事项${by(d, true)}。`
          : `请按牵头单位安排完成并报送配合事项${by(d, true)}。`,
      ],
    }),
    en: (d) => ({
      subject: `[Cooperation] ${d.itemCode}: your unit's part${d.partDeadline ? ` is due ${d.partDeadline}` : ''}`,
      lines: [
        d.itemTitle,
        `Your unit cooperates on this item: ${d.part ?? 'support the lead unit'}.`,
        `Please report your part done${d.partDeadline ? ` by ${d.partDeadline}` : ''}.`,
      ],
    }),
  },
  'item.submitted': {
    zh: (d) => ({
      subject: `【已申请验收】${d.itemCode} 已提请${d.level ?? ''}`,
      lines: [d.itemTitle, `责任单位已申请验收，现由${d.level ?? ''}审核。`],
    }),
    en: (d) => ({
      subject: `[Submitted] ${d.itemCode} awaits ${d.level ?? ''}`,
      lines: [d.itemTitle, `The lead unit applied for acceptance; ${d.level ?? ''} reviews it now.`],
    }),
  },
  'item.returned_to_level': {
    zh: (d) => ({
      subject: `【退回重审】${d.itemCode} 退回${d.level ?? ''}重新审核`,
      lines: [d.itemTitle, d.returnNote ?? '上级验收退回，请重新审核。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Review again] ${d.itemCode} was returned to your level`,
      lines: [d.itemTitle, 'A higher level returned the item to your level for another review.', ...why(d, false)],
    }),
  },
  'item.signed_off': {
    zh: (d) => ({ subject: `【已销号】${d.itemCode} 整改完成并销号`, lines: [d.itemTitle, '该事项已通过全部验收，予以销号。'] }),
    en: (d) => ({ subject: `[Signed off] ${d.itemCode}`, lines: [d.itemTitle, 'The item passed every level and is signed off.'] }),
  },
  'item.phase_completed': {
    zh: (d) => ({
      subject: `【阶段性完成】${d.itemCode} 已通过验收，转入长期坚持`,
      lines: [d.itemTitle, '该事项已通过验收，认定为阶段性完成，请持续巩固整改成效。'],
    }),
    en: (d) => ({
      subject: `[Phase completed] ${d.itemCode}`,
      lines: [d.itemTitle, 'The item passed acceptance as phase completed; keep it up.'],
    }),
  },
  'item.reset_deadline': {
    zh: (d) => ({
      subject: `【重新明确整改时限】${d.itemCode} 新整改时限 ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `督办部门重新明确了整改时限，新的整改时限为 ${d.deadline ?? ''}，请按期完成。`, ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[New deadline] ${d.itemCode} now due ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `The dispatcher set a new deadline: ${d.deadline ?? ''}.`, ...why(d, false)],
    }),
  },
  'item.deadline_recomputed': {
    zh: (d) => ({
      subject: `【整改时限更新】${d.itemCode} 按新公布的节假日安排，整改时限调整为 ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `新的整改时限为 ${d.deadline ?? ''}。`, ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Deadline recomputed] ${d.itemCode} now due ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `The item is now due ${d.deadline ?? ''} under the published holiday schedule.`, ...why(d, false)],
    }),
  },
  'item.withdraw': {
    zh: (d) => ({
      subject: `【撤回分派】${d.itemCode} 已撤回分派，暂停办理`,
      lines: [d.itemTitle, '督办部门撤回了该事项的分派，请暂停办理；重新分派时将另行通知。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Assignment withdrawn] ${d.itemCode}`,
      lines: [d.itemTitle, 'The dispatcher withdrew the assignment; please stop work until it is assigned again.', ...why(d, false)],
    }),
  },
  'item.decline': {
    zh: (d) => ({
      subject: `【退回分派】${d.itemCode} 被${d.actorName ?? '责任单位'}退回`,
      lines: [d.itemTitle, '责任单位退回了该事项的分派，事项已回到待分派，请核实后重新分派。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Assignment declined] ${d.itemCode} by ${d.actorName ?? 'the lead unit'}`,
      lines: [
        d.itemTitle,
        'The lead unit declined the assignment; the item is a draft again. Please check and assign it anew.',
        ...why(d, false),
      ],
    }),
  },
  'item.declined': {
    zh: (d) => ({
      subject: `【退回分派】${d.itemCode} 已由${d.actorName ?? '牵头单位'}退回，暂停办理`,
      lines: [d.itemTitle, '牵头单位退回了该事项的分派，事项已回到待分派，请暂停办理；重新分派时将另行通知。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Assignment declined] ${d.itemCode} by ${d.actorName ?? 'the lead unit'}; please stop work`,
      lines: [
        d.itemTitle,
        'The lead unit declined the assignment; the item is a draft again. You will be told if it is assigned anew.',
        ...why(d, false),
      ],
    }),
  },
  'item.cancel': {
    zh: (d) => ({
      subject: `【已撤销】${d.itemCode} 整改事项已撤销`,
      lines: [d.itemTitle, '督办部门撤销了该事项，无需继续整改。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Cancelled] ${d.itemCode}`,
      lines: [d.itemTitle, 'The dispatcher cancelled this item; no further work is needed.', ...why(d, false)],
    }),
  },
  'item.merge': {
    zh: (d) => ({
      subject: `【已合并】${d.itemCode} 已并入${d.mergedInto ? `整改事项 ${d.mergedInto}` : '其他整改事项'}`,
      lines: [
        d.itemTitle,
        `该事项已并入${d.mergedInto ? `整改事项 ${d.mergedInto}` : '其他整改事项'}，请按合并后的事项办理。`,
        ...why(d, true),
      ],
    }),
    en: (d) => ({
      subject: `[Merged] ${d.itemCode} was merged into ${d.mergedInto ?? 'another item'}`,
      lines: [d.itemTitle, `This item was merged into ${d.mergedInto ?? 'another item'}; carry on under that item.`, ...why(d, false)],
    }),
  },
  'item.mention': {
    zh: (d) => ({
      subject: `【留言提及】${d.actorName ?? ''}在 ${d.itemCode} 中提到了您`,
      lines: [d.itemTitle, `${d.actorName ?? ''}留言：${d.reason ?? ''}`],
    }),
    en: (d) => ({
      subject: `[Mentioned] ${d.actorName ?? ''} mentioned you on ${d.itemCode}`,
      lines: [d.itemTitle, `${d.actorName ?? ''} wrote: ${d.reason ?? ''}`],
    }),
  },
  'reminder.notice_over': {
    zh: (d) => ({
      subject: `【公示期满】${d.itemCode} 公示已于 ${d.period ?? ''} 期满，请办理销号`,
      lines: [d.itemTitle, `该事项公示期已于 ${d.period ?? ''} 届满。如无成立的异议，请办理“公示期满”销号；如有异议成立，请退回整改。`],
    }),
    en: (d) => ({
      subject: `[Notice over] ${d.itemCode}: the public notice ended ${d.period ?? ''}; please sign it off`,
      lines: [d.itemTitle, 'The public notice period is over. Close it (sign-off) or uphold an objection.'],
    }),
  },
  'reminder.recurring': {
    zh: (d) => ({
      subject: `【持续督办】${d.itemCode} 已逾期${d.days ?? ''}个工作日（时限 ${d.deadline}）`,
      lines: [d.itemTitle, `该事项自 ${d.deadline} 逾期至今仍未完成，请立即整改并报送进展；逾期期间将持续督办。`],
    }),
    en: (d) => ({
      subject: `[Still overdue] ${d.itemCode}: ${d.days ?? ''} working days past ${d.deadline}`,
      lines: [d.itemTitle, `This item has been overdue since ${d.deadline}. Reminders continue until it moves.`],
    }),
  },
  'item.urge': {
    zh: (d) => ({
      subject: `【催办】${d.itemCode} ${d.itemTitle}${by(d, true)}`,
      lines: [`${d.actorName ?? '督办部门'}催办此事项，请加快整改进度${by(d, true)}。`, ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Urgent] ${d.itemCode} ${d.itemTitle}${by(d, false)}`,
      lines: [`${d.actorName ?? 'The dispatcher'} urges progress on this item${by(d, false)}.`, ...why(d, false)],
    }),
  },
  'item.submit': {
    zh: (d) => ({
      subject: `【待验收】${d.itemCode} 申请${d.level ?? ''}`,
      lines: [
        d.itemTitle,
        d.resumed
          ? '责任单位已按退回意见完成整改并重新申请验收（此前各级验收结论保留），请审核佐证材料并作出验收结论。'
          : '责任单位已申请验收，请审核佐证材料并作出验收结论。',
      ],
    }),
    en: (d) => ({
      subject: `[Acceptance] ${d.itemCode} awaits ${d.level ?? ''} acceptance`,
      lines: [d.itemTitle, 'The lead unit applied for acceptance. Please review the evidence.'],
    }),
  },
  'item.pass': {
    zh: (d) => ({ subject: `【验收通过】${d.itemCode} ${d.level ?? ''}通过`, lines: [d.itemTitle, `${d.level ?? ''}已通过。`] }),
    en: (d) => ({
      subject: `[Accepted] ${d.itemCode} passed ${d.level ?? ''} acceptance`,
      lines: [d.itemTitle, `Acceptance at ${d.level ?? 'this'} level passed.`],
    }),
  },
  'item.return': {
    zh: (d) => ({
      subject: `【验收退回】${d.itemCode} 请补充整改${by(d, true)}`,
      lines: [d.itemTitle, `${d.level ?? ''}未通过。`, ...(d.returnNote ? [d.returnNote] : ['已退回整改。']), ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Returned] ${d.itemCode} returned by ${d.level ?? ''} acceptance${by(d, false)}`,
      lines: [d.itemTitle, 'Acceptance returned the item.', ...why(d, false)],
    }),
  },
  'item.request_extension': {
    zh: (d) => ({
      subject: `【延期申请${d.late ? '（逾期后申请）' : ''}】${d.itemCode} 申请延期`,
      lines: [
        d.itemTitle,
        d.late ? '责任单位在整改时限届满后申请延期（计为逾期申请），请审批。' : '责任单位申请延期，请审批。',
        ...why(d, true),
      ],
    }),
    en: (d) => ({
      subject: `[Extension request] ${d.itemCode}`,
      lines: [d.itemTitle, 'The lead unit asks for an extension. Please decide.', ...why(d, false)],
    }),
  },
  'item.approve_extension': {
    zh: (d) => ({
      subject: `【延期批准】${d.itemCode} 新整改时限 ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `延期申请已批准，新的整改时限为 ${d.deadline ?? ''}。`],
    }),
    en: (d) => ({
      subject: `[Extension approved] ${d.itemCode}, now due ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `The extension was approved; the item is now due ${d.deadline ?? ''}.`],
    }),
  },
  'item.reject_extension': {
    zh: (d) => ({
      subject: `【延期驳回】${d.itemCode}${by(d, true)}`,
      lines: [d.itemTitle, '延期申请未获批准，请按原时限完成。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Extension refused] ${d.itemCode}${by(d, false)}`,
      lines: [d.itemTitle, 'The extension was refused; the deadline stands.', ...why(d, false)],
    }),
  },
  'item.reopen': {
    zh: (d) => ({
      subject: `【重新整改】${d.itemCode} 回头看发现反弹`,
      lines: [d.itemTitle, '回头看发现问题反弹，事项已重新打开，请立即整改。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Reopened] ${d.itemCode} rebounded in a re-check`,
      lines: [d.itemTitle, 'A re-check found the problem back; the item is reopened.', ...why(d, false)],
    }),
  },
  'reminder.before': {
    zh: (d) => ({
      subject: `【到期提醒】${d.itemCode} 距整改时限还有${d.days}个工作日（${d.deadline}）`,
      lines: [d.itemTitle, `请于 ${d.deadline} 前完成整改并申请验收；如确需延期，请在时限前提出申请。`],
    }),
    en: (d) => ({
      subject: `[Due soon] ${d.itemCode} is due in ${d.days} working day(s) (${d.deadline})`,
      lines: [d.itemTitle, `Please finish and apply for acceptance by ${d.deadline}; ask for any extension before then.`],
    }),
  },
  'reminder.part_before': {
    zh: (d) => ({
      subject: `【配合事项到期提醒】${d.itemCode} 贵单位承担部分须于 ${d.partDeadline} 前完成`,
      lines: [d.itemTitle, `距贵单位配合事项时限还有${d.days}个工作日，请按期完成并报送。`],
    }),
    en: (d) => ({
      subject: `[Due soon] ${d.itemCode}: your part is due ${d.partDeadline}`,
      lines: [d.itemTitle, `Your unit's part is due in ${d.days} working day(s). Please report it done.`],
    }),
  },
  'reminder.overdue': {
    zh: (d) => ({
      subject: `【逾期】${d.itemCode} 已超过整改时限（${d.deadline}）`,
      lines: [d.itemTitle, `该事项已超过整改时限 ${d.deadline}，请立即整改并报送进展。`],
    }),
    en: (d) => ({
      subject: `[Overdue] ${d.itemCode} passed its deadline (${d.deadline})`,
      lines: [d.itemTitle, `This item was due ${d.deadline}. Please act now and report progress.`],
    }),
  },
  'reminder.escalation': {
    zh: (d) => ({
      subject: `【逾期升级督办】${d.itemCode} 逾期未完成（时限 ${d.deadline}）`,
      lines: [d.itemTitle, `下级责任单位牵头的该事项已逾期，现提级督办（第${d.level}级），请督促其立即整改。`],
    }),
    en: (d) => ({
      subject: `[Escalated] ${d.itemCode} overdue since ${d.deadline}`,
      lines: [d.itemTitle, `An item led by a unit under yours is overdue; escalated to you (level ${d.level}). Please step in.`],
    }),
  },
  'reminder.acceptance': {
    zh: (d) => ({
      subject: `【验收催办】${d.itemCode} 待${d.level ?? ''}已超过${d.days}个工作日`,
      lines: [d.itemTitle, '该事项等待贵单位验收已超过规定时限，请尽快作出验收结论。'],
    }),
    en: (d) => ({
      subject: `[Acceptance waiting] ${d.itemCode} has waited over ${d.days} working days`,
      lines: [d.itemTitle, 'This item has been waiting for your acceptance too long. Please decide.'],
    }),
  },
  'item.uphold_objection': {
    zh: (d) => ({
      subject: `【公示异议】${d.itemCode} 异议成立，退回整改`,
      lines: [d.itemTitle, '公示期间异议成立，事项退回整改。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Objection upheld] ${d.itemCode} back to work`,
      lines: [d.itemTitle, 'An objection during the public notice was upheld.', ...why(d, false)],
    }),
  },
};
