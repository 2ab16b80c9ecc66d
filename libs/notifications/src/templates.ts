/**
 * E-mail texts, Chinese and English, HTML and plain text. Each subject says what happened and,
 * where there is one, by when; each body links to the item.
 */
import { COMPLAINT_TEMPLATES } from './complaint-mail.js';
import { ITEM_TEMPLATES } from './item-texts.js';
import { sectionLines, type Locale, type MailData, type RenderedMail, type Texts } from './mail-data.js';
import { PROJECT_TEMPLATES } from './project-texts.js';

export type { Locale, MailData, RenderedMail } from './mail-data.js';

export const TEMPLATES: Record<string, Texts> = {
  ...COMPLAINT_TEMPLATES,
  ...ITEM_TEMPLATES,
  ...PROJECT_TEMPLATES,
  'digest.weekly': {
    zh: (d) => ({ subject: `【周调度】${d.period ?? ''} 本周到期、逾期与待办事项`, lines: sectionLines(d) }),
    en: (d) => ({ subject: `[Weekly] ${d.period ?? ''}: due this week, overdue, waiting for you`, lines: sectionLines(d) }),
  },
  'bulletin.monthly': {
    zh: (d) => ({ subject: `【月通报】${d.period ?? ''} 整改事项进展情况`, lines: sectionLines(d) }),
    en: (d) => ({ subject: `[Monthly bulletin] ${d.period ?? ''}: rectification progress`, lines: sectionLines(d) }),
  },
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function provisionalNote(years: string, locale: Locale): string {
  return locale === 'zh'
    ? `注：${years}年节假日安排尚未发布，本提醒的工作日按周一至周五暂计，发布后以正式安排为准。`
    : `Note: the ${years} holiday schedule is not published yet; working days were counted as Monday–Friday (provisional).`;
}

export function render(template: string, locale: Locale, data: MailData): RenderedMail {
  const texts = TEMPLATES[template];
  if (!texts) throw new Error(`no e-mail template ${template}`);
  const { subject, lines: said } = texts[locale](data);
  const lines = data.provisionalYears ? [...said, provisionalNote(data.provisionalYears, locale)] : said;
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
