/**
 * Dates as Chinese plans and ledgers write them: 2025年6月30日, 2025 年 6 月底, 9月30日前, 12月底,
 * 年底前, 到2025年底, 2025-06-30, 2025/6/30. A date without a year takes the given year;
 * 月底/月末 is the month's last day, 年底/年末 is 12-31.
 */

const pad = (n: number): string => String(n).padStart(2, '0');

export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number | 'end'): string | null {
  if (month < 1 || month > 12 || year < 1900 || year > 2200) return null;
  const last = lastDayOfMonth(year, month);
  const d = day === 'end' ? last : day;
  if (d < 1 || d > last) return null;
  return `${year}-${pad(month)}-${pad(d)}`;
}

/** Full-width digits and separators as ASCII (one character for one, so offsets hold). */
export function asciiDigits(text: string): string {
  return text.replace(/[０-９／－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const S = '\\s*';
const DATE_PATTERN = new RegExp(
  [
    // 1 year, 2 month, 3 day or 4 底/末
    `(?:(\\d{4})${S}年${S})?(\\d{1,2})${S}月${S}(?:(\\d{1,2})${S}[日号]|(底|末))?`,
    // 5 到/至/于, 6 a bare year, 7 底/末/前
    `(到|至|于)?${S}(\\d{4})${S}年${S}(底|末|前)?`,
    // 8 年底 without a year
    `(年底|年末)`,
    // 9-11 2025-06-30, 2025/6/30, 2025.6.30
    `(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})`,
  ].join('|'),
  'g',
);

export interface FoundDate {
  date: string;
  start: number;
  end: number;
}

/**
 * Every date in a text, in order. A bare year counts only as "到/至 2025 年" or "2025 年底/前";
 * a month without a day is that month's end; dates after 每 (每月10日) are a rhythm, not a date.
 */
export function findDates(input: string, year: number): FoundDate[] {
  const text = asciiDigits(input);
  const found: FoundDate[] = [];
  for (const m of text.matchAll(DATE_PATTERN)) {
    const start = m.index;
    const before = text.slice(Math.max(0, start - 2), start);
    let date: string | null = null;
    if (m[2] !== undefined) {
      if (/每\s*$/.test(before) || /\d$/.test(before)) continue;
      const y = m[1] ? Number(m[1]) : year;
      date = iso(y, Number(m[2]), m[3] ? Number(m[3]) : 'end');
    } else if (m[6] !== undefined) {
      if (!m[5] && !m[7]) continue;
      if (/\d$/.test(before)) continue;
      date = iso(Number(m[6]), 12, 31);
    } else if (m[8] !== undefined) {
      date = iso(year, 12, 31);
    } else if (m[9] !== undefined) {
      if (/\d$/.test(before)) continue;
      date = iso(Number(m[9]), Number(m[10]), Number(m[11]));
    }
    if (date) found.push({ date, start, end: start + m[0].length });
  }
  return found;
}

export type LedgerDate = { kind: 'date'; date: string } | { kind: 'ongoing' } | { kind: 'none' } | { kind: 'invalid' };

/**
 * A ledger's 整改时限 cell: an Excel date or serial, 2025-06-30, 2025/6/30, 2025年6月30日,
 * 2025年6月底, 年底前 (of `year`), or 长期坚持 (an ongoing item, no date).
 */
export function parseLedgerDate(text: string, year: number, serialDate?: string): LedgerDate {
  const t = asciiDigits(text).trim();
  if (t === '') return { kind: 'none' };
  if (serialDate) return { kind: 'date', date: serialDate };
  if (/长期坚持|长期|持续推进/.test(t)) return { kind: 'ongoing' };
  const dates = findDates(t, year);
  if (dates.length === 0) return { kind: 'invalid' };
  // The cell says one date; 前/底/之前 around it are allowed, other words are not.
  const rest = (t.slice(0, dates[0].start) + t.slice(dates[dates.length - 1].end)).replace(/[\s前底止之以内完成（）()]/g, '');
  if (dates.length > 1 || rest !== '') return { kind: 'invalid' };
  return { kind: 'date', date: dates[0].date };
}
