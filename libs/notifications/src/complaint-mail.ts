import type { EntityManager } from 'typeorm';
import { readChangeEvent } from '#workflow';
import { usersIn, type Recipient } from './item-mail.js';
import type { Locale, MailData } from './templates.js';

/** Who a complaint case's event is mailed to: the lead unit's officers, or the receiving unit's dispatchers. */
export const COMPLAINT_AUDIENCE: Record<string, 'lead_officers' | 'dispatchers'> = {
  'complaint.transfer': 'lead_officers',
  'complaint.return': 'lead_officers',
  'complaint.urge': 'lead_officers',
  'complaint.reassign': 'lead_officers',
  'complaint.approve_extension': 'lead_officers',
  'complaint.reject_extension': 'lead_officers',
  'complaint.close': 'lead_officers',
  'complaint.phase_close': 'lead_officers',
  'complaint.report_verdict': 'dispatchers',
  'complaint.request_extension': 'dispatchers',
  'complaint.apply_closure': 'dispatchers',
};

/**
 * The e-mails one complaint event makes: recipients with the template and its data. The units are
 * the ones the event names (not the case's at relay time); on a transfer the cooperating units'
 * officers learn their part, on a reassignment the former lead's officers that the case left them.
 * Nobody is mailed about their own action (a dispatcher may also be an officer of the lead unit).
 */
export async function complaintMails(
  m: EntityManager,
  kind: string,
  payload: unknown,
  publicUrl: string,
): Promise<{ template: string; recipient: Recipient; data: Omit<MailData, 'recipientName'> }[]> {
  const audience = COMPLAINT_AUDIENCE[kind];
  const e = audience ? readChangeEvent(payload, kind, ['complaintId']) : null;
  if (!e) return [];
  const [c] = await m.query<
    {
      case_no: string;
      content: string;
      deadline: string | null;
      lead_unit_id: string | null;
      dispatcher_unit_id: string;
      actor: string | null;
    }[]
  >(
    `SELECT case_no, content, to_char(deadline, 'YYYY-MM-DD') AS deadline, lead_unit_id, dispatcher_unit_id,
            (SELECT name FROM app_user WHERE id = $2) AS actor
       FROM complaint_case WHERE id = $1`,
    [e.complaintId, e.actorId],
  );
  if (!c) return [];
  const data = {
    itemCode: c.case_no,
    itemTitle: c.content.length > 60 ? `${c.content.slice(0, 60)}…` : c.content,
    // A case closed for now is due again on the day its lead unit committed to (as the event recorded it).
    deadline: kind === 'complaint.phase_close' ? (e.details.committedDate ?? null) : c.deadline,
    link: `${publicUrl}/complaints/${e.complaintId}`,
    actorName: c.actor,
    reason: e.reason,
  };
  const mails: { template: string; recipient: Recipient; data: typeof data }[] = [];
  const seen = new Set<string | null>([e.actorId]);
  const add = async (template: string, units: (string | null | undefined)[], role: 'dispatcher' | 'unit_officer'): Promise<void> => {
    const named = units.filter((u): u is string => typeof u === 'string');
    for (const recipient of await usersIn(m, named, [role])) {
      if (seen.has(recipient.id)) continue;
      seen.add(recipient.id);
      mails.push({ template, recipient, data });
    }
  };
  if (audience === 'dispatchers') await add(kind, [c.dispatcher_unit_id], 'dispatcher');
  else await add(kind, [e.details.leadUnitId ?? c.lead_unit_id], 'unit_officer');
  if (kind === 'complaint.transfer') await add('complaint.cooperate', e.details.cooperatingUnitIds ?? [], 'unit_officer');
  if (kind === 'complaint.reassign') await add('complaint.reassigned_away', [e.details.formerLeadUnitId], 'unit_officer');
  return mails;
}

type Texts = Record<Locale, (d: MailData) => { subject: string; lines: string[] }>;
const why = (d: MailData, zh: boolean): string[] => (d.reason ? [zh ? `说明：${d.reason}` : `Reason: ${d.reason}`] : []);
const due = (d: MailData, zh: boolean): string => (d.deadline ? (zh ? `，办理时限 ${d.deadline}` : `, due ${d.deadline}`) : '');

/** Complaint case e-mails: itemCode is the case number, itemTitle the start of its content. */
export const COMPLAINT_TEMPLATES: Record<string, Texts> = {
  'complaint.transfer': {
    zh: (d) => ({ subject: `【信访件转办】${d.itemCode}${due(d, true)}`, lines: [d.itemTitle, '请按时调查核实并报送办理情况。'] }),
    en: (d) => ({
      subject: `[Complaint transferred] ${d.itemCode}${due(d, false)}`,
      lines: [d.itemTitle, 'Please investigate and report by the deadline.'],
    }),
  },
  'complaint.reassign': {
    zh: (d) => ({
      subject: `【信访件改派】${d.itemCode}${due(d, true)}`,
      lines: [d.itemTitle, '该件已改派贵单位牵头办理。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Complaint reassigned] ${d.itemCode}${due(d, false)}`,
      lines: [d.itemTitle, 'Your unit now leads this case.', ...why(d, false)],
    }),
  },
  'complaint.cooperate': {
    zh: (d) => ({
      subject: `【信访件配合办理】${d.itemCode}${due(d, true)}`,
      lines: [d.itemTitle, '贵单位为该件的配合单位，请配合牵头单位按时调查核实。'],
    }),
    en: (d) => ({
      subject: `[Complaint: your unit cooperates] ${d.itemCode}${due(d, false)}`,
      lines: [d.itemTitle, 'Your unit cooperates on this case; please support the lead unit by the deadline.'],
    }),
  },
  'complaint.reassigned_away': {
    zh: (d) => ({
      subject: `【信访件已改派】${d.itemCode} 不再由贵单位牵头`,
      lines: [d.itemTitle, '该件已改派其他单位牵头办理，贵单位无需继续报送。', ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Complaint reassigned] ${d.itemCode} is no longer led by your unit`,
      lines: [d.itemTitle, 'Another unit now leads this case; your unit need not report on it.', ...why(d, false)],
    }),
  },
  'complaint.close': {
    zh: (d) => ({ subject: `【信访件已办结】${d.itemCode}`, lines: [d.itemTitle, '该件已审核办结，感谢贵单位的办理。'] }),
    en: (d) => ({ subject: `[Complaint closed] ${d.itemCode}`, lines: [d.itemTitle, 'The case is closed. Thank you for handling it.'] }),
  },
  'complaint.phase_close': {
    zh: (d) => ({
      subject: `【信访件阶段性办结】${d.itemCode}，承诺完成时限 ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `该件已阶段性办结。请于 ${d.deadline ?? ''} 前完成整改，并申请完全办结。`],
    }),
    en: (d) => ({
      subject: `[Complaint closed for now] ${d.itemCode}, to be completed by ${d.deadline ?? ''}`,
      lines: [d.itemTitle, `The case is closed for now. Please complete the work by ${d.deadline ?? ''} and apply for final closure.`],
    }),
  },
  'complaint.return': {
    zh: (d) => ({ subject: `【信访件退回重办】${d.itemCode}`, lines: [d.itemTitle, '报送的办理情况未通过审核。', ...why(d, true)] }),
    en: (d) => ({
      subject: `[Complaint returned] ${d.itemCode}`,
      lines: [d.itemTitle, 'The reported handling was returned.', ...why(d, false)],
    }),
  },
  'complaint.urge': {
    zh: (d) => ({
      subject: `【催办】信访件 ${d.itemCode}${due(d, true)}`,
      lines: [`${d.actorName ?? '督办部门'}催办此件，请加快办理。`, ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Urgent] complaint ${d.itemCode}${due(d, false)}`,
      lines: [`${d.actorName ?? 'The dispatcher'} urges this case.`, ...why(d, false)],
    }),
  },
  'complaint.approve_extension': {
    zh: (d) => ({ subject: `【延期已批准】信访件 ${d.itemCode}${due(d, true)}`, lines: [d.itemTitle] }),
    en: (d) => ({ subject: `[Extension approved] complaint ${d.itemCode}${due(d, false)}`, lines: [d.itemTitle] }),
  },
  'complaint.reject_extension': {
    zh: (d) => ({ subject: `【延期未批准】信访件 ${d.itemCode}${due(d, true)}`, lines: [d.itemTitle, ...why(d, true)] }),
    en: (d) => ({ subject: `[Extension refused] complaint ${d.itemCode}${due(d, false)}`, lines: [d.itemTitle, ...why(d, false)] }),
  },
  'complaint.report_verdict': {
    zh: (d) => ({
      subject: `【信访件待审核】${d.itemCode} 已报送调查核实结果`,
      lines: [d.itemTitle, '请审核办理情况：办结、阶段性办结或退回。'],
    }),
    en: (d) => ({
      subject: `[Complaint to review] ${d.itemCode} reported`,
      lines: [d.itemTitle, 'Please review: close, phase-close or return.'],
    }),
  },
  'complaint.request_extension': {
    zh: (d) => ({ subject: `【延期申请】信访件 ${d.itemCode}`, lines: [d.itemTitle, ...why(d, true)] }),
    en: (d) => ({ subject: `[Extension requested] complaint ${d.itemCode}`, lines: [d.itemTitle, ...why(d, false)] }),
  },
  'reminder.complaint_before': {
    zh: (d) => ({
      subject: d.days
        ? `【信访件到期提醒】${d.itemCode} 距办理时限还有${d.days}个工作日（${d.deadline}）`
        : `【信访件今日到期】${d.itemCode} 办理时限 ${d.deadline}，今天是最后一个工作日`,
      lines: [d.itemTitle, `请于 ${d.deadline} 前报送调查核实和处理情况；如确需延期，请在时限前提出申请。`],
    }),
    en: (d) => ({
      subject: d.days
        ? `[Complaint due soon] ${d.itemCode} is due in ${d.days} working day(s) (${d.deadline})`
        : `[Complaint due] ${d.itemCode} is due ${d.deadline}: today is the last working day`,
      lines: [d.itemTitle, `Please report the findings and handling by ${d.deadline}; ask for any extension before then.`],
    }),
  },
  'reminder.complaint_overdue': {
    zh: (d) => ({
      subject: `【信访件逾期】${d.itemCode} 已超过办理时限（${d.deadline}）`,
      lines: [d.itemTitle, `该件办理时限为 ${d.deadline}，至今未报送办理情况，请立即办理。`],
    }),
    en: (d) => ({
      subject: `[Complaint overdue] ${d.itemCode} passed its deadline (${d.deadline})`,
      lines: [d.itemTitle, `This case was due ${d.deadline} and nothing has been reported. Please act now.`],
    }),
  },
  'reminder.complaint_escalation': {
    zh: (d) => ({
      subject: `【信访件逾期升级督办】${d.itemCode} 逾期未报送（时限 ${d.deadline}）`,
      lines: [d.itemTitle, `下级单位承办的该信访件已逾期，现提级督办（第${d.level}级），请督促其立即办理。`],
    }),
    en: (d) => ({
      subject: `[Complaint escalated] ${d.itemCode} overdue since ${d.deadline}`,
      lines: [d.itemTitle, `A case led by a unit under yours is overdue; escalated to you (level ${d.level}). Please step in.`],
    }),
  },
  'reminder.complaint_committed': {
    zh: (d) => ({
      subject: `【阶段性办结到期】${d.itemCode} 承诺完成时限 ${d.deadline} 已到`,
      lines: [d.itemTitle, '该件阶段性办结时承诺的完成时限已到，请报送完全办结申请。'],
    }),
    en: (d) => ({
      subject: `[Committed date reached] ${d.itemCode}: completion was promised by ${d.deadline}`,
      lines: [d.itemTitle, 'This phase-closed case reached its committed completion date. Please apply for final closure.'],
    }),
  },
  'complaint.apply_closure': {
    zh: (d) => ({ subject: `【申请完全办结】信访件 ${d.itemCode}`, lines: [d.itemTitle, '阶段性办结件已申请完全办结，请审核。'] }),
    en: (d) => ({
      subject: `[Final closure applied for] complaint ${d.itemCode}`,
      lines: [d.itemTitle, 'Please review the final closure.'],
    }),
  },
};
