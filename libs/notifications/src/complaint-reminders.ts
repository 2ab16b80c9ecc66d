import type { DataSource } from 'typeorm';
import { overdueSteps, type ReminderPolicy, type WorkCalendar } from '#domain';

/** Writes the selected outbox rows (ON CONFLICT on the key: nothing twice) and counts the new ones. */
export type OutboxInsert = (select: string, params: unknown[]) => Promise<number>;

/** jsonb of a complaint reminder (u = recipient, c = case); `deadline` is the date the mail is about. */
const PAYLOAD = (template: string, extra: string, date = 'c.deadline') => `jsonb_build_object(
    'template', '${template}', 'userId', u.id, 'to', u.email,
    'data', jsonb_build_object('recipientName', u.name, 'itemCode', c.case_no,
      'itemTitle', CASE WHEN length(c.content) > 60 THEN left(c.content, 60) || '…' ELSE c.content END,
      'deadline', to_char(${date}, 'YYYY-MM-DD'), 'link', $1::text || '/complaints/' || c.id, ${extra}))`;

const KEY = (kind: string) => `'reminder:complaint:' || c.id || ':' || u.id || ':${kind}'`;

/** The lead unit's officers and the receiving unit's dispatchers of case c. */
const LEAD_AND_DISPATCHERS = `CROSS JOIN LATERAL (
    SELECT u.* FROM app_user u WHERE u.unit_id = c.lead_unit_id AND 'unit_officer' = ANY(u.roles)
    UNION ALL
    SELECT u.* FROM app_user u WHERE u.unit_id = c.dispatcher_unit_id AND 'dispatcher' = ANY(u.roles)) u`;

/**
 * Complaint cases on the working-day calendar. A transferred case's lead unit is reminded on the
 * working day before the last working day of its period (before_1) and on that last day (due_today:
 * a deadline on a day off is reminded on the working day before it); the first working day after
 * the deadline, its officers and the receiving unit's dispatchers hear it is overdue, then every
 * escalateEveryDays working days the unit one level further up (the items' ladder). A phase-closed
 * case is reminded on its committed completion date (or the first working day after it). Keys
 * carry the deadline version (an approved extension re-arms them) or the committed date.
 */
export async function sweepComplaints(
  ds: DataSource,
  insert: OutboxInsert,
  { calendar, day, policy, link }: { calendar: WorkCalendar; day: string; policy: ReminderPolicy; link: string },
  count: (kind: string, n: number) => void,
): Promise<void> {
  // One indexed look-up spares the sweep six queries while no case waits on a date.
  const [{ pending }] = await ds.query<{ pending: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM complaint_case WHERE state IN ('transferred', 'phase_closed')) AS pending`,
  );
  if (!pending) return;
  const next = calendar.addWorkingDays(day, 1);
  const windows = [
    { kind: 'due_today', days: 0, from: day, before: next },
    { kind: 'before_1', days: 1, from: next, before: calendar.addWorkingDays(day, 2) },
  ];
  for (const w of windows) {
    count(
      `complaint_${w.kind}`,
      await insert(
        `SELECT 'email', ${KEY(w.kind)} || ':' || c.deadline_version, ${PAYLOAD('reminder.complaint_before', `'days', ${w.days}`)}
           FROM complaint_case c
           JOIN app_user u ON u.unit_id = c.lead_unit_id AND u.active AND 'unit_officer' = ANY(u.roles)
          WHERE c.state = 'transferred' AND c.deadline >= $2::date AND c.deadline < $3::date`,
        [link, w.from, w.before],
      ),
    );
  }
  for (const step of overdueSteps(calendar, day, policy)) {
    const recipients =
      step.level === 0
        ? LEAD_AND_DISPATCHERS
        : `JOIN org_unit o ON o.id = c.lead_unit_id AND array_length(path_ids(o.path), 1) > ${step.level}
           JOIN app_user u ON u.unit_id = (path_ids(o.path))[array_length(path_ids(o.path), 1) - ${step.level}]
            AND (u.roles && ARRAY['unit_officer', 'dispatcher'])`;
    count(
      `complaint_${step.kind}`,
      await insert(
        `SELECT DISTINCT ON (c.id, u.id) 'email', ${KEY(step.kind)} || ':' || c.deadline_version,
                ${PAYLOAD(step.level === 0 ? 'reminder.complaint_overdue' : 'reminder.complaint_escalation', `'level', ${step.level}`)}
           FROM complaint_case c ${recipients}
          WHERE u.active AND c.state = 'transferred' AND c.deadline >= $2::date AND c.deadline < $3::date`,
        [link, step.onOrAfter, step.before],
      ),
    );
  }
  count(
    'complaint_committed',
    await insert(
      `SELECT DISTINCT ON (c.id, u.id) 'email', ${KEY('committed')} || ':' || c.committed_date,
              ${PAYLOAD('reminder.complaint_committed', `'days', NULL`, 'c.committed_date')}
         FROM complaint_case c ${LEAD_AND_DISPATCHERS}
        WHERE u.active AND c.state = 'phase_closed' AND c.committed_date > $2::date AND c.committed_date <= $3::date`,
      [link, calendar.subtractWorkingDays(day, 1), day],
    ),
  );
}
