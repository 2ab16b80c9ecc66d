/** What an e-mail text is made from, and the small phrases several texts share. */
export type Locale = 'zh' | 'en';

export interface MailData {
  recipientName: string;
  itemCode: string;
  itemTitle: string;
  deadline: string | null;
  link: string;
  actorName?: string | null;
  reason?: string | null;
  level?: string | number | null;
  days?: number | null;
  partDeadline?: string | null;
  /** A cooperating unit's part of the item. */
  part?: string | null;
  /** Where a return sent the item, in words. */
  returnNote?: string | null;
  /** An extension requested after the deadline. */
  late?: boolean;
  /** A resubmission that resumes at a later level. */
  resumed?: boolean;
  /** An item merged: the code of the item it went into. */
  mergedInto?: string | null;
  /** Digests and bulletins: titled lists of items or figures. */
  sections?: { title: string; lines: string[] }[];
  period?: string | null;
  /** A reminder whose working days were counted across years with no published holiday schedule. */
  provisionalYears?: string | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type Texts = Record<Locale, (d: MailData) => { subject: string; lines: string[] }>;

/** "，整改时限 …" / ", due …" when there is a deadline. */
export const by = (d: MailData, zh: boolean): string => (d.deadline ? (zh ? `，整改时限 ${d.deadline}` : `, due ${d.deadline}`) : '');
/** The reason given, as a line of its own. */
export const why = (d: MailData, zh: boolean): string[] => (d.reason ? [zh ? `说明：${d.reason}` : `Reason: ${d.reason}`] : []);

/** Digests and bulletins: each section's title, then its lines (a dash when it has none). */
export function sectionLines(d: MailData): string[] {
  return (d.sections ?? []).flatMap((sec) => [`${sec.title}`, ...(sec.lines.length ? sec.lines.map((l) => `  · ${l}`) : ['  —'])]);
}
