import { DomainError, type FieldIssue } from '../errors/domain-error.js';

/**
 * The dates Rectify accepts and computes with, named once: from the founding of the People's
 * Republic to the end of 2100. Every date the API takes is checked into it, and every loop over
 * days or months runs inside it on day numbers, so no request can make date arithmetic run away.
 */
export const DATE_RANGE = { from: '1949-10-01', to: '2100-12-31' } as const;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01 of a real YYYY-MM-DD date (no 2025-02-30); NaN for anything else. */
export function dayNumber(date: string): number {
  if (!ISO_DATE.test(date)) return NaN;
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) return NaN;
  return t / MS_PER_DAY;
}

/** The first and last day numbers of the supported range. */
export const FIRST_DAY = dayNumber(DATE_RANGE.from);
export const LAST_DAY = dayNumber(DATE_RANGE.to);
/** The longest span, in days, any date arithmetic may cover. */
export const MAX_SPAN_DAYS = LAST_DAY - FIRST_DAY;

// Four-digit years only: beyond them ISO strings turn into "+010000-…" and stop comparing as dates.
const FIRST_WRITABLE = dayNumber('0001-01-01');
const LAST_WRITABLE = dayNumber('9999-12-31');

/** The YYYY-MM-DD date of a day number (years 0001-9999; outside them a 400 naming the range). */
export function dateOfDay(day: number, field = 'date'): string {
  if (!Number.isInteger(day) || day < FIRST_WRITABLE || day > LAST_WRITABLE) throw dateOutOfRange(field);
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

export function isSupportedDay(day: number): boolean {
  return day >= FIRST_DAY && day <= LAST_DAY;
}

/** A real YYYY-MM-DD date inside DATE_RANGE. */
export function isSupportedDate(value: unknown): boolean {
  return typeof value === 'string' && isSupportedDay(dayNumber(value));
}

/** A YYYY-MM month inside DATE_RANGE. */
export function isSupportedMonth(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) && isSupportedDate(`${value}-01`);
}

export function dateRangeMessage(field: string): string {
  return `${field} must be a date between ${DATE_RANGE.from} and ${DATE_RANGE.to}`;
}

export function dateOutOfRangeIssue(field: string): FieldIssue {
  return { field, messages: [dateRangeMessage(field)] };
}

/** A 400 naming the field and the supported range. */
export function dateOutOfRange(field: string, message = `${field} is outside the supported dates`): DomainError {
  return new DomainError('validation', 'DATE_OUT_OF_RANGE', `${message} (${DATE_RANGE.from} … ${DATE_RANGE.to})`, {
    fields: [dateOutOfRangeIssue(field)],
    range: { ...DATE_RANGE },
  });
}

/** The day number of a supported date, or a 400 naming the field. */
export function supportedDay(date: string, field: string): number {
  const day = dayNumber(date);
  if (!isSupportedDay(day)) throw dateOutOfRange(field);
  return day;
}
