import { addDays } from '../time/clock.js';
import type { WorkCalendar } from './work-calendar.js';

/** How a deadline is given: a date, or a number of working or calendar days from an event. */
export type DeadlineRule =
  | { kind: 'date'; date: string }
  | { kind: 'working_days'; from: string; days: number; event?: string }
  | { kind: 'calendar_days'; from: string; days: number; event?: string };

export interface ComputedDeadline {
  deadline: string;
  rule: DeadlineRule;
  /** How the deadline was computed, in words a user can check. */
  explanation: string;
  /** Statutory holidays inside the period (not counted, or pushing its end). */
  holidays: { date: string; name: string }[];
}

export function computeDeadline(rule: DeadlineRule, calendar: WorkCalendar): ComputedDeadline {
  if (rule.kind === 'date') return { deadline: rule.date, rule, explanation: `fixed date ${rule.date}`, holidays: [] };
  const event = rule.event ? `${rule.event} ` : '';
  if (rule.kind === 'working_days') {
    const deadline = calendar.addWorkingDays(rule.from, rule.days);
    const holidays = calendar.holidaysBetween(rule.from, deadline);
    const names = [...new Set(holidays.map((d) => d.name))].join('、');
    return {
      deadline,
      rule,
      explanation:
        `${rule.days} working days after ${event}${rule.from} → ${deadline}` +
        (holidays.length ? `; ${holidays.length} holiday day(s) not counted (${names})` : '') +
        '; weekends not counted unless made working days (调休)',
      holidays: holidays.map((d) => ({ date: d.date, name: d.name ?? '' })),
    };
  }
  const deadline = calendar.addCalendarDays(rule.from, rule.days);
  const nominal = addDays(rule.from, rule.days);
  const holidays = calendar.holidaysBetween(addDays(nominal, -1), addDays(deadline, -1));
  return {
    deadline,
    rule,
    explanation:
      `${rule.days} calendar days after ${event}${rule.from} → ${nominal}` +
      (deadline !== nominal ? `, not a working day, so it ends on the next working day ${deadline}` : ''),
    holidays: holidays.map((d) => ({ date: d.date, name: d.name ?? '' })),
  };
}
