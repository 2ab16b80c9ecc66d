/** How dates and amounts are written on the pages: 2025年6月30日 / 2025-06-30, 万元 / 亿元. */
export type Locale = 'zh-CN' | 'en';

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar day (China time) of an instant or a YYYY-MM-DD date, as YYYY-MM-DD. */
export function isoDay(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = typeof value === 'string' ? new Date(value) : value;
  return new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** 2025年6月30日 (zh, long), 2025-06-30 (short or English). Empty for null. */
export function formatDate(value: string | Date | null | undefined, locale: Locale, style: 'long' | 'short' = 'long'): string {
  if (value === null || value === undefined || value === '') return '';
  const m = DAY.exec(isoDay(value));
  if (!m) return '';
  if (style === 'short' || locale === 'en') return `${m[1]}-${m[2]}-${m[3]}`;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Date and minute, China time: 2025-06-30 14:05. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rounds a decimal string to `digits` places without binary floating point. */
function roundDecimal(value: string, digits: number): string {
  const negative = value.startsWith('-');
  const [i = '0', f = ''] = value.replace(/^[-+]/, '').split('.');
  const padded = (f + '0'.repeat(digits + 1)).slice(0, digits + 1);
  let scaled = BigInt(i + padded.slice(0, digits));
  if (Number(padded[digits]) >= 5) scaled += 1n;
  const s = scaled.toString().padStart(digits + 1, '0');
  const out = digits > 0 ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return negative && scaled !== 0n ? `-${out}` : out;
}

/** Divides a decimal string by 10,000 exactly (万元 → 亿元). */
function divideBy10k(value: string): string {
  const negative = value.startsWith('-');
  const [i = '0', f = ''] = value.replace(/^[-+]/, '').split('.');
  const padded = i.padStart(5, '0');
  const out = `${padded.slice(0, -4).replace(/^0+(?=\d)/, '')}.${padded.slice(-4)}${f}`;
  return negative ? `-${out}` : out;
}

/**
 * An amount given in 万元 (a decimal string or number): "1,234.56 万元"; from 10,000 万元 up in 亿元
 * ("11.88 亿元", two decimals unless `digits` says otherwise).
 */
export function formatWan(amount: string | number | null | undefined, locale: Locale = 'zh-CN', digits = 2): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return '';
  const abs = text.replace(/^[-+]/, '').split('.')[0];
  const yi = abs.replace(/^0+/, '').length >= 5;
  const value = roundDecimal(yi ? divideBy10k(text) : text, digits);
  const [i, f] = value.split('.');
  const shown = f ? `${group(i)}.${f}` : group(i);
  const unit = yi ? (locale === 'en' ? '100M CNY' : '亿元') : locale === 'en' ? '10k CNY' : '万元';
  return `${shown} ${unit}`;
}

/** A rate 0..1 (or null) as a percentage with one decimal: 87.5%. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** "5 个工作日" / "5 working days"; calendar days as "5 天" / "5 days". */
export function formatDays(n: number, kind: 'working_days' | 'calendar_days', locale: Locale): string {
  if (locale === 'en') return `${n} ${kind === 'working_days' ? 'working ' : ''}day${n === 1 ? '' : 's'}`;
  return kind === 'working_days' ? `${n} 个工作日` : `${n} 天`;
}
