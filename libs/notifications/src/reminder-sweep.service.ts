import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import { CalendarService } from '#calendar';
import {
  CLOCK,
  DEFAULT_REMINDER_POLICY,
  DomainError,
  SOURCE_TYPES,
  REPORT_DUE_WORKING_DAY,
  deadlineWindows,
  ladderLevels,
  monthEnd,
  overdueSteps,
  policyProblems,
  previousMonth,
  shanghaiDate,
  type Actor,
  type Clock,
  type ReminderPolicy,
  type SourceType,
  type WorkCalendar,
  workingDaysBack,
} from '#domain';
import { APP_CONFIG, type AppConfig } from '#config';
import { sweepComplaints } from './complaint-reminders.js';

export interface SweepResult {
  day: string;
  skipped?: 'not a working day';
  /** E-mail rows written, by reminder kind (rows already there are not counted). */
  written: Record<string, number>;
  ms: number;
}

export const REMINDER_POLICY_ENTITY = 'reminder_policy';

/** How far back overdue working days are counted for the recurring 督办 (about ten years). */
const RECUR_HORIZON = 2600;

/** jsonb of the e-mail payload, built in SQL for set-based inserts (u = recipient, i = item). */
const PAYLOAD = (template: string, extra = `'days', NULL`, provisional: number[] = []) => `jsonb_build_object(
    'template', '${template}', 'userId', u.id, 'to', u.email,
    'data', jsonb_build_object('recipientName', u.name, 'itemCode', i.code, 'itemTitle', i.title,
      'deadline', to_char(i.current_deadline, 'YYYY-MM-DD'), 'link', $1::text || '/items/' || i.id, ${extra}${
        provisional.length ? `, 'provisionalYears', '${provisional.join('、')}'` : ''
      }))`;

/**
 * The daily reminder sweep. It finds, set-based, what is due today on the work calendar and
 * writes one e-mail row per (item, recipient, reminder kind, deadline version); the unique key
 * makes a second sweep, a second worker or a restart write nothing new. The outbox relay sends.
 */
@Injectable()
export class ReminderSweepService {
  private readonly logger = new Logger(ReminderSweepService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CalendarService) private readonly calendars: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HistoryService) private readonly history: HistoryService,
  ) {}

  async policies(): Promise<Map<'default' | SourceType, ReminderPolicy>> {
    const rows = await this.dataSource.query<{ scope: 'default' | SourceType; policy: ReminderPolicy }[]>(
      `SELECT scope, policy FROM reminder_policy`,
    );
    const map = new Map<'default' | SourceType, ReminderPolicy>([['default', DEFAULT_REMINDER_POLICY]]);
    for (const r of rows) map.set(r.scope, { ...DEFAULT_REMINDER_POLICY, ...r.policy });
    return map;
  }

  /**
   * Sets the policy of one source type (or the default); versioned, with a history row. `version`,
   * when given, is the version being replaced (0: none yet); a stale one is a 409.
   */
  async setPolicy(
    actor: Actor,
    scope: 'default' | SourceType,
    input: ReminderPolicy & { version?: number },
  ): Promise<ReminderPolicy & { version: number }> {
    const { version: expected, ...policy } = input;
    const problems = policyProblems(policy);
    if (problems.length) {
      throw DomainError.validation(
        'The reminder policy is not valid',
        problems.map((m) => ({ field: 'policy', messages: [m] })),
      );
    }
    return this.dataSource.transaction(async (m) => {
      const before = await this.lockPolicy(m, scope, expected);
      const [row] = await m.query<{ id: string; version: number }[]>(
        `INSERT INTO reminder_policy (scope, policy, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (scope) DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by,
                                           version = reminder_policy.version + 1, updated_at = now()
         RETURNING id, version`,
        [scope, { ...policy }, actor.userId],
      );
      await this.history.append(m, {
        entityType: REMINDER_POLICY_ENTITY,
        entityId: row.id,
        action: before ? 'update' : 'create',
        actorId: actor.userId,
        data: { scope, policy: { ...policy }, before: before?.policy ?? null, version: row.version },
        at: this.clock.now(),
      });
      return { ...DEFAULT_REMINDER_POLICY, ...policy, version: row.version };
    });
  }

  /**
   * Back to the shipped default: the scope's own policy is removed (a source type then follows the
   * default policy), with a history row keeping what it was.
   */
  async resetPolicy(actor: Actor, scope: 'default' | SourceType, expected?: number): Promise<ReminderPolicy & { version: 0 }> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.lockPolicy(m, scope, expected);
      if (before) {
        await m.query(`DELETE FROM reminder_policy WHERE scope = $1`, [scope]);
        await this.history.append(m, {
          entityType: REMINDER_POLICY_ENTITY,
          entityId: before.id,
          action: 'reset',
          actorId: actor.userId,
          data: { scope, before: before.policy, version: before.version },
          at: this.clock.now(),
        });
      }
      const fallback = scope === 'default' ? DEFAULT_REMINDER_POLICY : ((await this.policies()).get('default') ?? DEFAULT_REMINDER_POLICY);
      return { ...fallback, version: 0 };
    });
  }

  private async lockPolicy(
    m: EntityManager,
    scope: string,
    expected: number | undefined,
  ): Promise<{ id: string; policy: ReminderPolicy; version: number } | undefined> {
    const [before] = await m.query<{ id: string; policy: ReminderPolicy; version: number }[]>(
      `SELECT id, policy, version FROM reminder_policy WHERE scope = $1 FOR UPDATE`,
      [scope],
    );
    const current = before?.version ?? 0;
    if (expected !== undefined && expected !== current) {
      throw DomainError.conflict('VERSION_CONFLICT', `The policy was changed by someone else (current version ${current})`, {
        currentVersion: current,
      });
    }
    return before;
  }

  async sweep(day: string = shanghaiDate(this.clock.now())): Promise<SweepResult> {
    const started = performance.now();
    const calendar = await this.calendars.calendar();
    if (!calendar.isWorkingDay(day)) return { day, skipped: 'not a working day', written: {}, ms: 0 };
    const policies = await this.policies();
    // Working days counted into a year with no published holiday schedule are provisional, and the mail says so.
    const published = await this.calendars.publishedYears();
    const unpublished = (a: string, b: string): number[] => {
      const years: number[] = [];
      for (let y = Number((a < b ? a : b).slice(0, 4)); y <= Number((a < b ? b : a).slice(0, 4)); y++) if (!published(y)) years.push(y);
      return years;
    };
    const written: Record<string, number> = {};
    const count = (kind: string, n: number): void => {
      written[kind] = (written[kind] ?? 0) + n;
    };
    const link = this.config.http.publicUrl;
    // Source types without a policy of their own follow the default.
    const groups = [...policies.entries()].map(([scope, policy]) => ({
      policy,
      types: scope === 'default' ? SOURCE_TYPES.filter((t) => !policies.has(t)) : [scope],
    }));

    for (const { policy, types } of groups) {
      if (types.length === 0) continue;
      for (const w of deadlineWindows(calendar, day, policy.beforeDays)) {
        // Lead units' officers, before the item's deadline (non-urgent: digest-only users skip it).
        count(
          w.kind,
          await this.insert(
            `SELECT 'email', 'reminder:' || i.id || ':' || u.id || ':${w.kind}:' || i.deadline_version, ${PAYLOAD('reminder.before', `'days', ${w.days}`, unpublished(day, w.through))}
               FROM item i JOIN batch b ON b.id = i.batch_id
               JOIN item_unit iu ON iu.item_id = i.id AND iu.role = 'lead'
               JOIN app_user u ON u.unit_id = iu.unit_id AND u.active AND 'unit_officer' = ANY(u.roles) AND NOT u.digest_only
              WHERE i.state IN ('assigned', 'in_progress') AND i.current_deadline > $2 AND i.current_deadline <= $3 AND b.source_type = ANY($4::text[])`,
            [link, w.after, w.through, types],
          ),
        );
        // Cooperating units' officers, before their own part's deadline, while the part is not done.
        count(
          `part_${w.kind}`,
          await this.insert(
            `SELECT 'email', 'reminder:' || i.id || ':' || u.id || ':part_${w.kind}:' || iu.sub_deadline,
                    ${PAYLOAD('reminder.part_before', `'days', ${w.days}, 'partDeadline', to_char(iu.sub_deadline, 'YYYY-MM-DD')`, unpublished(day, w.through))}
               FROM item_unit iu JOIN item i ON i.id = iu.item_id JOIN batch b ON b.id = i.batch_id
               JOIN app_user u ON u.unit_id = iu.unit_id AND u.active AND 'unit_officer' = ANY(u.roles) AND NOT u.digest_only
              WHERE iu.role = 'cooperating' AND iu.status <> 'done' AND iu.sub_deadline > $2 AND iu.sub_deadline <= $3
                AND i.state IN ('assigned', 'in_progress') AND b.source_type = ANY($4::text[])`,
            [link, w.after, w.through, types],
          ),
        );
      }
      for (const step of overdueSteps(calendar, day, policy)) {
        // Level 0: the lead units' officers and the dispatching unit's dispatchers, found per item
        // (LATERAL: only for the items in the window). Level n: the unit n levels above each lead
        // unit, its officers and dispatchers. Never muted.
        const recipients =
          step.level === 0
            ? `CROSS JOIN LATERAL (
                 SELECT u.* FROM item_unit iu JOIN app_user u ON u.unit_id = iu.unit_id AND 'unit_officer' = ANY(u.roles)
                  WHERE iu.item_id = i.id AND iu.role = 'lead'
                 UNION ALL
                 SELECT u.* FROM app_user u WHERE u.unit_id = i.dispatcher_unit_id AND 'dispatcher' = ANY(u.roles)) u`
            : `JOIN (SELECT iu.item_id, u.* FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                 JOIN app_user u ON u.unit_id = (path_ids(o.path))[array_length(path_ids(o.path), 1) - ${step.level}]
                  AND (u.roles && ARRAY['unit_officer', 'dispatcher'])
                WHERE iu.role = 'lead' AND array_length(path_ids(o.path), 1) > ${step.level}) u ON u.item_id = i.id`;
        count(
          step.kind,
          await this.insert(
            `SELECT DISTINCT ON (i.id, u.id) 'email', 'reminder:' || i.id || ':' || u.id || ':${step.kind}:' || i.deadline_version,
                    ${PAYLOAD(step.level === 0 ? 'reminder.overdue' : 'reminder.escalation', `'level', ${step.level}, 'days', NULL`, unpublished(step.onOrAfter, day))}
               FROM item i JOIN batch b ON b.id = i.batch_id
               ${recipients}
              WHERE u.active AND i.state IN ('assigned', 'in_progress') AND i.current_deadline >= $2 AND i.current_deadline < $3
                AND b.source_type = ANY($4::text[])`,
            [link, step.onOrAfter, step.before, types],
          ),
        );
      }
      count('recurring', await this.recurring(calendar, day, policy, types, unpublished(day, day)));
      // Acceptance waiting at one level longer than the policy allows: that level's verifiers. The
      // level's unit is worked out once per item (a county level without a unit is the item's county,
      // else its first lead unit, as item_acceptance_units() does), and the date test can use an index.
      // Like the overdue steps, a missed sweep is caught up for as long again as the wait allowed
      // (waits of N to 2N − 1 working days), not for every item that ever waited.
      const since = calendar.subtractWorkingDays(day, policy.acceptancePendingDays);
      const catchUpFrom = calendar.subtractWorkingDays(day, 2 * policy.acceptancePendingDays);
      count(
        'acceptance_pending',
        await this.insert(
          `SELECT 'email', 'reminder:' || i.id || ':' || u.id || ':acceptance_' || i.submission_round || '_' || i.acceptance_level,
                  ${PAYLOAD('reminder.acceptance', `'days', ${policy.acceptancePendingDays}, 'level', (b.acceptance_chain -> i.acceptance_level ->> 'label')`)}
             FROM item i JOIN batch b ON b.id = i.batch_id
             CROSS JOIN LATERAL (
               SELECT coalesce((b.acceptance_chain -> i.acceptance_level ->> 'unitId')::uuid, i.county_unit_id,
                        (SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead' ORDER BY iu.unit_id LIMIT 1)) AS unit_id
               OFFSET 0) lvl
             JOIN app_user u ON u.unit_id = lvl.unit_id AND u.active AND 'verifier' = ANY(u.roles)
            WHERE i.state = 'in_acceptance' AND i.acceptance_since < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
              AND i.acceptance_since >= (($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
              AND b.source_type = ANY($3::text[])`,
          [link, since, types, catchUpFrom],
        ),
      );
    }
    // A public notice (公示) whose period ended, in a batch that reminds (the others sign off by
    // themselves, NoticeCloser): the dispatchers are reminded daily to close it (close_notice) or
    // uphold an objection, so no item sits in 公示中 for months.
    count(
      'notice_over',
      await this.insert(
        `SELECT 'email', 'reminder:' || i.id || ':' || u.id || ':notice_over:' || $2::text,
                ${PAYLOAD('reminder.notice_over', `'days', NULL, 'period', to_char(i.notice_end, 'YYYY-MM-DD')`)}
           FROM item i JOIN batch b ON b.id = i.batch_id
           JOIN app_user u ON u.unit_id = i.dispatcher_unit_id AND u.active AND 'dispatcher' = ANY(u.roles)
          WHERE i.state = 'public_notice' AND i.notice_end < $2::date AND b.notice_end_action = 'remind'`,
        [link, day],
      ),
    );
    const fallback = policies.get('default') ?? DEFAULT_REMINDER_POLICY;
    await this.sweepProjects(calendar, day, fallback, count);
    await sweepComplaints(this.dataSource, (sql, params) => this.insert(sql, params), { calendar, day, policy: fallback, link }, count);
    const ms = Math.round(performance.now() - started);
    this.logger.log(`reminder sweep for ${day}: ${JSON.stringify(written)} in ${ms} ms`);
    return { day, written, ms };
  }

  /**
   * Key projects: milestones before their planned date (the default policy's days) and once late,
   * and monthly investment reports — a reminder after the month ends, until the report is due on
   * the REPORT_DUE_WORKING_DAY-th working day of the next month, and a missing-report notice after
   * that, to the responsible units' officers and the managing dispatchers. Keys make each go out once.
   */
  private async sweepProjects(
    calendar: WorkCalendar,
    day: string,
    policy: ReminderPolicy,
    count: (kind: string, n: number) => void,
  ): Promise<void> {
    const link = this.config.http.publicUrl;
    const payload = (template: string, extra: string) => `jsonb_build_object(
        'template', '${template}', 'userId', u.id, 'to', u.email,
        'data', jsonb_build_object('recipientName', u.name, 'itemCode', p.code, 'link', $1::text || '/projects/' || p.id, ${extra}))`;
    const milestoneData = `'itemTitle', p.name || ' · ' || ms.name, 'deadline', to_char(ms.planned_date, 'YYYY-MM-DD')`;
    for (const w of deadlineWindows(calendar, day, policy.beforeDays)) {
      count(
        `milestone_${w.kind}`,
        await this.insert(
          `SELECT 'email', 'reminder:milestone:' || ms.id || ':' || u.id || ':${w.kind}:' || ms.plan_version,
                  ${payload('reminder.milestone_before', `${milestoneData}, 'days', ${w.days}`)}
             FROM milestone ms JOIN project p ON p.id = ms.project_id
             JOIN app_user u ON u.unit_id = ms.responsible_unit_id AND u.active AND 'unit_officer' = ANY(u.roles) AND NOT u.digest_only
            WHERE ms.state IN ('planned', 'in_progress') AND ms.planned_date > $2 AND ms.planned_date <= $3`,
          [link, w.after, w.through],
        ),
      );
    }
    // Late: from the first working day after the planned date, caught up for one escalation period.
    const late = overdueSteps(calendar, day, policy)[0];
    count(
      'milestone_overdue',
      await this.insert(
        `SELECT DISTINCT ON (ms.id, u.id) 'email', 'reminder:milestone:' || ms.id || ':' || u.id || ':overdue:' || ms.plan_version,
                ${payload('reminder.milestone_overdue', `${milestoneData}, 'days', NULL`)}
           FROM milestone ms JOIN project p ON p.id = ms.project_id
           JOIN app_user u ON u.active AND ((u.unit_id = ms.responsible_unit_id AND 'unit_officer' = ANY(u.roles))
                                         OR (u.unit_id = p.dispatcher_unit_id AND 'dispatcher' = ANY(u.roles)))
          WHERE ms.state IN ('planned', 'in_progress') AND ms.planned_date >= $2 AND ms.planned_date < $3`,
        [link, late.onOrAfter, late.before],
      ),
    );
    const month = previousMonth(day.slice(0, 7));
    const due = calendar.addWorkingDays(monthEnd(month), REPORT_DUE_WORKING_DAY);
    const reportData = `'itemTitle', p.name, 'deadline', '${due}', 'period', '${month}'`;
    // Projects under construction in the month, not yet complete, without a report for it.
    const missing = `p.planned_start <= '${monthEnd(month)}'::date AND p.planned_end >= '${month}-01'::date
        AND EXISTS (SELECT 1 FROM milestone ms WHERE ms.project_id = p.id AND ms.state <> 'verified')
        AND NOT EXISTS (SELECT 1 FROM investment_report r WHERE r.project_id = p.id AND r.month = '${month}-01'::date)`;
    const kind = day <= due ? 'report_due' : 'report_missing';
    count(
      kind,
      await this.insert(
        `SELECT DISTINCT ON (p.id, u.id) 'email', 'reminder:report:' || p.id || ':${month}:' || u.id || ':${kind}',
                ${payload(`reminder.${kind}`, reportData)}
           FROM project p
           JOIN app_user u ON u.active AND ((u.unit_id IN (SELECT pu.unit_id FROM project_unit pu WHERE pu.project_id = p.id)
                                             AND 'unit_officer' = ANY(u.roles) AND (NOT u.digest_only OR $2))
                                         OR ($2 AND u.unit_id = p.dispatcher_unit_id AND 'dispatcher' = ANY(u.roles)))
          WHERE ${missing}`,
        [link, kind === 'report_missing'],
      ),
    );
  }

  /**
   * After the ladder's top (the policy's levels, or the root when the lead unit's tree is shallower),
   * a 督办 reminder every recurEveryDays working days to the lead unit's officers and the dispatching
   * unit's dispatchers, for as long as the item stays overdue. Each period k goes out once (the key),
   * a missed sweep is caught up within the period. Working days overdue come from width_bucket over
   * the last RECUR_HORIZON working days (beyond that, the count stops growing).
   */
  private async recurring(
    calendar: WorkCalendar,
    day: string,
    policy: ReminderPolicy,
    types: readonly string[],
    provisional: number[],
  ): Promise<number> {
    const every = policy.recurEveryDays ?? DEFAULT_REMINDER_POLICY.recurEveryDays;
    if (every <= 0) return 0;
    const days = workingDaysBack(calendar, day, RECUR_HORIZON);
    const step = policy.escalateEveryDays;
    const cutoff = days[days.length - step];
    return this.insert(
      `SELECT DISTINCT ON (i.id, u.id) 'email', 'reminder:' || i.id || ':' || u.id || ':recurring_' || r.k || ':' || i.deadline_version,
              ${PAYLOAD('reminder.recurring', `'days', d.overdue`, provisional)}
         FROM item i JOIN batch b ON b.id = i.batch_id
         CROSS JOIN LATERAL (
           SELECT $4::int - width_bucket(i.current_deadline, $5::date[]) AS overdue,
                  least($6::int, (SELECT max(array_length(path_ids(o.path), 1)) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                                   WHERE iu.item_id = i.id AND iu.role = 'lead') - 1) AS top) d
         CROSS JOIN LATERAL (SELECT (d.overdue - (d.top + 1) * $7::int) / $8::int AS k) r
         CROSS JOIN LATERAL (
           SELECT u.* FROM item_unit iu JOIN app_user u ON u.unit_id = iu.unit_id AND 'unit_officer' = ANY(u.roles)
            WHERE iu.item_id = i.id AND iu.role = 'lead'
           UNION ALL
           SELECT u.* FROM app_user u WHERE u.unit_id = i.dispatcher_unit_id AND 'dispatcher' = ANY(u.roles)) u
        WHERE u.active AND i.state IN ('assigned', 'in_progress') AND i.current_deadline < $2 AND b.source_type = ANY($3::text[])
          AND d.overdue >= (d.top + 1) * $7::int`,
      [this.config.http.publicUrl, cutoff, types, days.length, days, ladderLevels(policy), step, every],
    );
  }

  private async insert(select: string, params: unknown[]): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `WITH ins AS (INSERT INTO outbox (kind, dedupe_key, payload) ${select} ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      params,
    );
    return n;
  }
}
