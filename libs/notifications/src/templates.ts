/**
 * E-mail texts, Chinese and English, HTML and plain text. Each subject says what happened and,
 * where there is one, by when; each body links to the item.
 */
export type Locale = 'zh' | 'en';

export interface MailData {
  recipientName: string;
  itemCode: string;
  itemTitle: string;
  deadline: string | null;
  link: string;
  actorName?: string | null;
  reason?: string | null;
  level?: string | null;
  days?: number | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Texts = Record<Locale, (d: MailData) => { subject: string; lines: string[] }>;

const by = (d: MailData, zh: boolean): string => (d.deadline ? (zh ? `，整改时限 ${d.deadline}` : `, due ${d.deadline}`) : '');
const why = (d: MailData, zh: boolean): string[] => (d.reason ? [zh ? `说明：${d.reason}` : `Reason: ${d.reason}`] : []);

export const TEMPLATES: Record<string, Texts> = {
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
      subject: `【待验收】${d.itemCode} 申请${d.level ?? ''}验收`,
      lines: [d.itemTitle, '责任单位已申请验收，请审核佐证材料并作出验收结论。'],
    }),
    en: (d) => ({
      subject: `[Acceptance] ${d.itemCode} awaits ${d.level ?? ''} acceptance`,
      lines: [d.itemTitle, 'The lead unit applied for acceptance. Please review the evidence.'],
    }),
  },
  'item.pass': {
    zh: (d) => ({ subject: `【验收通过】${d.itemCode} ${d.level ?? ''}验收通过`, lines: [d.itemTitle, `${d.level ?? ''}验收已通过。`] }),
    en: (d) => ({
      subject: `[Accepted] ${d.itemCode} passed ${d.level ?? ''} acceptance`,
      lines: [d.itemTitle, `Acceptance at ${d.level ?? 'this'} level passed.`],
    }),
  },
  'item.return': {
    zh: (d) => ({
      subject: `【验收退回】${d.itemCode} 请补充整改${by(d, true)}`,
      lines: [d.itemTitle, `${d.level ?? ''}验收未通过，已退回整改。`, ...why(d, true)],
    }),
    en: (d) => ({
      subject: `[Returned] ${d.itemCode} returned by ${d.level ?? ''} acceptance${by(d, false)}`,
      lines: [d.itemTitle, 'Acceptance returned the item.', ...why(d, false)],
    }),
  },
  'item.request_extension': {
    zh: (d) => ({ subject: `【延期申请】${d.itemCode} 申请延期`, lines: [d.itemTitle, '责任单位申请延期，请审批。', ...why(d, true)] }),
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function render(template: string, locale: Locale, data: MailData): RenderedMail {
  const texts = TEMPLATES[template];
  if (!texts) throw new Error(`no e-mail template ${template}`);
  const { subject, lines } = texts[locale](data);
  const greeting = locale === 'zh' ? `${data.recipientName}：` : `Dear ${data.recipientName},`;
  const open = locale === 'zh' ? `查看事项：${data.link}` : `Open the item: ${data.link}`;
  const footer = locale === 'zh' ? '此邮件由整改通自动发送。' : 'Sent by Rectify.';
  const text = [greeting, '', ...lines, '', open, '', footer].join('\n');
  const html =
    `<p>${escapeHtml(greeting)}</p>` +
    lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
    `<p><a href="${escapeHtml(data.link)}">${escapeHtml(locale === 'zh' ? '查看事项' : 'Open the item')} ${escapeHtml(data.itemCode)}</a></p>` +
    `<p style="color:#888">${escapeHtml(footer)}</p>`;
  return { subject, text, html };
}
