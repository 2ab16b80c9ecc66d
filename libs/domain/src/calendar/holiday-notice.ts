import { addDays } from '../time/clock.js';
import type { CalendarDayKind } from './statutory-days.js';

/** One day of a parsed notice: a day off (放假) or a weekend day worked (调休上班). */
export interface NoticeDay {
  date: string;
  kind: CalendarDayKind;
  name: string;
}

export interface ParsedNotice {
  year: number;
  days: NoticeDay[];
  /** Sections as read, for the administrator to check: 春节 2月15日–2月23日 放假（共9天），2月14日、2月28日 上班. */
  sections: { name: string; off: string[]; work: string[]; statedDays: number | null }[];
  /** What did not add up (stated day counts, make-up days not on a weekend, dates outside the year…). */
  problems: string[];
}

/** The names the shipped schedule uses (清明节 → 清明 …); a combined 国庆节、中秋节 is named by the first. */
const SHORT_NAMES: Record<string, string> = { 清明节: '清明', 端午节: '端午', 中秋节: '中秋' };

const SECTION = /(?:^|[\n\s。])[一二三四五六七八九十]+、\s*([^：:\n]+)[：:]/g;
const DATE = /(\d{1,2})月(\d{1,2})日/g;
const RANGE = /(\d{1,2})月(\d{1,2})日(?:\s*至\s*(?:(\d{1,2})月)?(\d{1,2})日)?/;
const CN_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/**
 * Reads the State Council's notice of a year's holidays (国务院办公厅关于20XX年部分节假日安排的通知):
 * each numbered section (一、元旦：…) gives the days off in the sentence with 放假 (a date or a range
 * 月日至[月]日) and the make-up working days in the sentences with 上班. Parenthesised weekdays and
 * lunar dates are ignored, and so are sentences that only encourage (鼓励…除夕休息). Nothing is
 * stored: the result is shown for confirmation.
 */
export function parseHolidayNotice(text: string, year?: number): ParsedNotice {
  const problems: string[] = [];
  const titled = /(\d{4})\s*年部分节假日安排/.exec(text);
  const y = year ?? (titled ? Number(titled[1]) : NaN);
  if (!Number.isInteger(y)) {
    return {
      year: NaN,
      days: [],
      sections: [],
      problems: ['the year is not named (give it, or paste the title 关于20XX年部分节假日安排的通知)'],
    };
  }
  if (titled && year !== undefined && Number(titled[1]) !== year) problems.push(`the notice is for ${titled[1]}, not ${year}`);

  const heads = [...text.matchAll(SECTION)];
  const sections: ParsedNotice['sections'] = [];
  const days = new Map<string, NoticeDay>();
  const date = (m: string, d: string): string | null => {
    const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    if (Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
      problems.push(`${m}月${d}日 is not a date in ${y}`);
      return null;
    }
    return iso;
  };
  const add = (day: NoticeDay): void => {
    const before = days.get(day.date);
    if (before && before.kind !== day.kind) problems.push(`${day.date} is both a day off and a working day`);
    days.set(day.date, day);
  };

  heads.forEach((head, i) => {
    const fullName = head[1].trim();
    const name = shortName(fullName);
    const body = text.slice(head.index + head[0].length, i + 1 < heads.length ? heads[i + 1].index : undefined);
    const off: string[] = [];
    const work: string[] = [];
    let statedDays: number | null = null;
    for (const raw of body.split(/[。；;]/)) {
      const sentence = raw.replace(/[（(][^）)]*[）)]/g, '');
      if (!sentence.trim() || sentence.includes('鼓励')) continue;
      const stated = /共\s*(\d+|[一二三四五六七八九十]+)\s*天/.exec(sentence);
      if (stated) statedDays = /\d/.test(stated[1]) ? Number(stated[1]) : (CN_NUMBERS[stated[1]] ?? null);
      const holiday = sentence.indexOf('放假');
      if (holiday >= 0) {
        const range = RANGE.exec(sentence.slice(0, holiday));
        if (!range) {
          problems.push(`${fullName}: no date before 放假`);
        } else {
          const from = date(range[1], range[2]);
          const to = range[4] ? date(range[3] ?? range[1], range[4]) : from;
          if (from && to) {
            if (to < from || Date.parse(to) - Date.parse(from) > 20 * 86_400_000)
              problems.push(`${fullName}: ${from} to ${to} is not a holiday`);
            else for (let d = from; d <= to; d = addDays(d, 1)) off.push(d);
          }
        }
      }
      if (sentence.includes('上班')) {
        for (const m of sentence.matchAll(DATE)) {
          const d = date(m[1], m[2]);
          if (d) work.push(d);
        }
      }
    }
    if (off.length === 0) problems.push(`${fullName}: no days off found`);
    if (statedDays !== null && off.length > 0 && statedDays !== off.length) {
      problems.push(`${fullName}: the notice says ${statedDays} days, the dates give ${off.length}`);
    }
    for (const d of work) {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) problems.push(`${fullName}: the working day ${d} is not a weekend day`);
    }
    off.forEach((d) => add({ date: d, kind: 'off', name }));
    work.forEach((d) => add({ date: d, kind: 'work', name }));
    sections.push({ name, off, work, statedDays });
  });
  if (heads.length === 0) problems.push('no sections found (一、元旦：… 二、春节：…)');
  return { year: y, days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)), sections, problems };
}

function shortName(full: string): string {
  const first = full.split(/[、，,]/)[0].trim();
  return SHORT_NAMES[first] ?? first;
}
