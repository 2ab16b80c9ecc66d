import { addDays } from '../time/clock.js';
import { STATUTORY_YEARS } from './statutory-days.js';
import type { DayInfo, WorkCalendar } from './work-calendar.js';

/** How a deadline is given: a date, or a number of working or calendar days from an event. */
export type DeadlineRule =
  | { kind: 'date'; date: string }
  | { kind: 'working_days'; from: string; days: number; event?: string }
  | { kind: 'calendar_days'; from: string; days: number; event?: string };

export interface ComputedDeadline {
  deadline: string;
  rule: DeadlineRule;
  /** How the deadline was computed, in Chinese, naming the holidays and make-up days counted. */
  explanation: string;
  /** The same in English. */
  explanationEn: string;
  /** Statutory holidays inside the period (not counted, or pushing its end). */
  holidays: { date: string; name: string }[];
  /** Weekend days worked (调休) inside the period, counted as working days. */
  makeupDays: { date: string; name: string }[];
  /**
   * The period runs into a year whose holiday schedule is not published yet: weekdays were
   * counted as working days there, and the deadline is recomputed when the year is entered.
   */
  provisional: boolean;
  unpublishedYears: number[];
}

/** The years whose schedule is known: the shipped ones by default; the calendar service adds entered ones. */
export type PublishedYears = (year: number) => boolean;
export const SHIPPED_YEARS: PublishedYears = (y) => y >= STATUTORY_YEARS.from && y <= STATUTORY_YEARS.to;

export function computeDeadline(rule: DeadlineRule, calendar: WorkCalendar, published: PublishedYears = SHIPPED_YEARS): ComputedDeadline {
  if (rule.kind === 'date') {
    return {
      deadline: rule.date,
      rule,
      explanation: `指定日期 ${rule.date}`,
      explanationEn: `fixed date ${rule.date}`,
      holidays: [],
      makeupDays: [],
      provisional: false,
      unpublishedYears: [],
    };
  }
  const event = rule.event ? `${rule.event} ` : '';
  const since = rule.event ? `${rule.event}（${rule.from}）` : rule.from;
  const deadline =
    rule.kind === 'working_days' ? calendar.addWorkingDays(rule.from, rule.days) : calendar.addCalendarDays(rule.from, rule.days);
  const nominal = addDays(rule.from, rule.days);
  // The days that decided the result: the counted period for working days; for calendar days, the
  // days from the nominal end to the working day it moved to.
  const spanStart = rule.kind === 'working_days' ? rule.from : addDays(nominal, -1);
  const named = (days: DayInfo[]) => days.map((d) => ({ date: d.date, name: d.name ?? '' }));
  const holidays = named(calendar.holidaysBetween(spanStart, deadline));
  const makeupDays = named(calendar.makeupDaysBetween(spanStart, deadline));
  const years = new Set<number>();
  for (let y = Number(rule.from.slice(0, 4)); y <= Number(deadline.slice(0, 4)); y++) if (!published(y)) years.add(y);
  const unpublishedYears = [...years];
  const names = (days: { name: string }[]): string => [...new Set(days.map((d) => d.name))].join('、');
  const list = (days: { date: string }[]): string => days.map((d) => d.date.slice(5)).join('、');

  let zh: string;
  let en: string;
  if (rule.kind === 'working_days') {
    zh =
      `自${since}起${rule.days}个工作日，截止${deadline}` +
      (holidays.length ? `；期间${names(holidays)}放假${holidays.length}天（${list(holidays)}）不计入` : '') +
      (makeupDays.length ? `；${names(makeupDays)}调休上班${makeupDays.length}天（${list(makeupDays)}）计入工作日` : '') +
      '；周六、周日不计入（调休上班日除外）';
    en =
      `${rule.days} working days after ${event}${rule.from} → ${deadline}` +
      (holidays.length ? `; ${holidays.length} holiday day(s) not counted (${names(holidays)})` : '') +
      (makeupDays.length ? `; ${makeupDays.length} make-up working day(s) counted (${names(makeupDays)})` : '') +
      '; weekends not counted unless made working days (调休)';
  } else {
    zh =
      `自${since}起${rule.days}个自然日，届满日为${nominal}` +
      (deadline !== nominal
        ? `，该日不是工作日${holidays.length ? `（${names(holidays)}放假）` : '（周末）'}，顺延至下一个工作日${deadline}`
        : '');
    en =
      `${rule.days} calendar days after ${event}${rule.from} → ${nominal}` +
      (deadline !== nominal ? `, not a working day, so it ends on the next working day ${deadline}` : '');
  }
  if (unpublishedYears.length) {
    const ys = unpublishedYears.join('、');
    zh += `；注意：${ys}年节假日安排尚未公布，暂按周一至周五为工作日计算，此为临时时限，公布后将重新计算`;
    en += `; provisional: the ${unpublishedYears.join(', ')} holiday schedule is not published yet, so Monday–Friday were counted as working days; it will be recomputed once published`;
  }
  return {
    deadline,
    rule,
    explanation: zh,
    explanationEn: en,
    holidays,
    makeupDays,
    provisional: unpublishedYears.length > 0,
    unpublishedYears,
  };
}
