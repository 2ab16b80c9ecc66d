import { CLOSURE_STATES, UNCOUNTED_STATES, addDays } from '#domain';

/** What the statistics read of item_timeline's stretches, and the instants they are read at. */

/** What the figures and groups read of a stretch (covered by the timeline's indexes). */
export const STRETCH_COLUMNS = [
  'item_id',
  'state',
  'batch_id',
  'county_unit_id',
  'domain',
  'original_deadline',
  'current_deadline',
  'extension_count',
  'closed_on',
  'close_working_days',
  'reopen_count',
  'lead_unit_ids',
  'lead_scope',
]
  .map((c) => `t.${c}`)
  .join(', ');

export const list = (states: readonly string[]): string => `(${states.map((s) => `'${s}'`).join(',')})`;

/**
 * The roll-up sums of stretches t, each counted `sign` times (an SQL expression: 1, or t.sign for
 * corrections), as item_stat_record() computes them for one stretch. The one TypeScript statement
 * of what each stretch adds to the figures; assembleRollup() turns the sums into StatCounts.
 */
export function stretchSums(sign: string): string {
  const counted = `t.state NOT IN ${list(UNCOUNTED_STATES)}`;
  const closure = `t.state IN ${list(CLOSURE_STATES)}`;
  const signed = (condition: string): string => `sum(${sign} * (${condition})::int)::int`;
  return [
    `sum(${sign})::int AS n`,
    `${signed(`${closure} AND t.original_deadline IS NOT NULL`)} AS cwo`,
    `${signed(`${closure} AND coalesce(t.closed_on <= t.original_deadline, false)`)} AS oto`,
    `${signed(`${closure} AND t.current_deadline IS NOT NULL`)} AS cwa`,
    `${signed(`${closure} AND coalesce(t.closed_on <= t.current_deadline, false)`)} AS ota`,
    `sum(${sign} * CASE WHEN ${closure} THEN coalesce(t.close_working_days, 0) ELSE 0 END)::float8 AS cds`,
    `${signed(`${closure} AND t.close_working_days IS NOT NULL`)} AS cdn`,
    `${signed(`${counted} AND t.extension_count > 0`)} AS ei`,
    `sum(${sign} * CASE WHEN ${counted} THEN t.extension_count ELSE 0 END)::int AS ex`,
    `${signed(`${counted} AND t.reopen_count > 0`)} AS ri`,
    `sum(${sign} * CASE WHEN ${counted} THEN t.reopen_count ELSE 0 END)::int AS rb`,
  ].join(', ');
}

/** The first instant of a day in Asia/Shanghai (UTC+8, no daylight saving). */
export function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** The last instant of a day in Asia/Shanghai. */
export function endOfDay(date: string): Date {
  return new Date(startOfDay(addDays(date, 1)).getTime() - 1);
}

/** The last day of the month a date falls in. */
export function monthEnd(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The last day of the month before the one a date falls in. */
export function previousMonthEnd(date: string): string {
  return addDays(`${date.slice(0, 7)}-01`, -1);
}
