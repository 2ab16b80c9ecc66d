import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { CLOCK, addDays, shanghaiDate, type Actor, type Clock, type Role } from '#domain';
import { StatisticsService, type AsOf } from '#statistics';
import type { EmailPayload } from './outbox.service.js';

const MAX_LINES = 20;
/** The figures a bulletin e-mail shows; the attached workbook has them all, with their formulas. */
const BULLETIN_FIGURES = ['total', 'signedOff', 'completed', 'phaseCompleted', 'overdueOpen', 'signOffRate', 'dueCompletionRate'];

interface DigestRow {
  id: string;
  name: string;
  email: string;
  due: string[] | null;
  overdue: string[] | null;
  waiting: string[] | null;
  late_milestones: string[] | null;
}

/**
 * The rhythm of the work (周调度, 月通报): a weekly digest to each officer, dispatcher and verifier
 * of what falls due this week, what is overdue and what waits for them (and key-project milestones
 * behind plan); a monthly bulletin to
 * auditors and dispatchers with the closure figures of the month before. One e-mail per person per week or month
 * (unique outbox key), so re-running writes nothing new.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(StatisticsService) private readonly stats: StatisticsService,
  ) {}

  async weekly(day: string = shanghaiDate(this.clock.now())): Promise<number> {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    const monday = addDays(day, -((dow + 6) % 7));
    const sunday = addDays(monday, 6);
    const line = `i.code || ' ' || i.title || '（' || coalesce(to_char(i.current_deadline, 'YYYY-MM-DD'), '—') || '）'`;
    // What each person's units owe (officers), dispatched (dispatchers) or must accept (verifiers).
    const rows = await this.dataSource.query<DigestRow[]>(
      `WITH people AS (
         SELECT u.id, u.name, u.email, u.unit_id, u.roles FROM app_user u
          WHERE u.active AND u.roles && ARRAY['unit_officer', 'dispatcher', 'verifier']),
       mine AS (
         SELECT p.id AS user_id, i.* FROM people p JOIN item i
           ON ('unit_officer' = ANY(p.roles) AND i.lead_scope @> ARRAY[p.unit_id])
           OR ('dispatcher' = ANY(p.roles) AND i.dispatcher_unit_id = p.unit_id))
       SELECT p.id, p.name, p.email,
              (SELECT (array_agg(${line} ORDER BY i.current_deadline))[1:${MAX_LINES}] FROM mine i
                WHERE i.user_id = p.id AND i.state IN ('assigned', 'in_progress') AND i.current_deadline BETWEEN $1 AND $2) AS due,
              (SELECT (array_agg(${line} ORDER BY i.current_deadline))[1:${MAX_LINES}] FROM mine i
                WHERE i.user_id = p.id AND i.state IN ('assigned', 'in_progress') AND i.current_deadline < $3) AS overdue,
              (SELECT (array_agg(${line} ORDER BY i.updated_at))[1:${MAX_LINES}] FROM item i
                WHERE ('verifier' = ANY(p.roles) AND i.state = 'in_acceptance' AND (item_acceptance_units(i.id))[i.acceptance_level + 1] = p.unit_id)
                   OR ('unit_officer' = ANY(p.roles) AND i.state = 'assigned' AND i.lead_scope @> ARRAY[p.unit_id])
                   OR ('dispatcher' = ANY(p.roles) AND i.pending_extension_id IS NOT NULL AND i.dispatcher_unit_id = p.unit_id)) AS waiting,
              (SELECT (array_agg(pr.code || ' ' || pr.name || ' · ' || ms.name || '（计划 ' || to_char(ms.planned_date, 'YYYY-MM-DD') || '）'
                                 ORDER BY ms.planned_date))[1:${MAX_LINES}]
                 FROM milestone ms JOIN project pr ON pr.id = ms.project_id
                WHERE ms.state IN ('planned', 'in_progress') AND ms.planned_date < $3
                  AND (('unit_officer' = ANY(p.roles) AND ms.responsible_unit_id = p.unit_id)
                    OR ('dispatcher' = ANY(p.roles) AND pr.dispatcher_unit_id = p.unit_id))) AS late_milestones
         FROM people p`,
      [monday, sunday, day],
    );
    const period = `${monday} – ${sunday}`;
    let written = 0;
    for (const r of rows) {
      if (!r.due && !r.overdue && !r.waiting && !r.late_milestones) continue;
      const zh = this.config.mail.locale === 'zh';
      written += await this.write(`digest:${r.id}:${monday}`, {
        template: 'digest.weekly',
        userId: r.id,
        to: r.email,
        data: {
          recipientName: r.name,
          itemCode: '',
          itemTitle: '',
          deadline: null,
          link: `${this.config.http.publicUrl}/items`,
          period,
          sections: [
            { title: zh ? '本周到期' : 'Due this week', lines: r.due ?? [] },
            { title: zh ? '已逾期' : 'Overdue', lines: r.overdue ?? [] },
            { title: zh ? '待您办理' : 'Waiting for you', lines: r.waiting ?? [] },
            // Key projects' milestones past their planned date, for the units and dispatchers that have them.
            ...(r.late_milestones
              ? [{ title: zh ? '滞后的重点工程里程碑' : 'Key-project milestones behind plan', lines: r.late_milestones }]
              : []),
          ],
        },
      });
    }
    this.logger.log(`weekly digest for ${period}: ${written} e-mails`);
    return written;
  }

  /**
   * The bulletin for the month before `day` (it runs on the 1st), with the figures as of the end of
   * that month, each person's own scope: the main figures with their formulas and the overdue items,
   * the full workbook attached when the e-mail is sent (ReportsService.bulletin, reproducible).
   */
  async monthly(day: string = shanghaiDate(this.clock.now())): Promise<number> {
    const month = addDays(`${day.slice(0, 7)}-01`, -1).slice(0, 7);
    const asOf: AsOf = { kind: 'date', date: addDays(`${day.slice(0, 7)}-01`, -1) };
    const zh = this.config.mail.locale === 'zh';
    const people = await this.dataSource.query<{ id: string; name: string; email: string; unit_id: string; path: string; roles: Role[] }[]>(
      `SELECT u.id, u.name, u.email, u.unit_id, o.path, u.roles FROM app_user u JOIN org_unit o ON o.id = u.unit_id
        WHERE u.active AND u.roles && ARRAY['auditor', 'dispatcher']`,
    );
    let written = 0;
    for (const p of people) {
      const actor: Actor = { userId: p.id, unitId: p.unit_id, unitPath: p.path, roles: p.roles };
      const summary = await this.stats.summary(actor, {}, asOf);
      const overdue = await this.stats.overdueItems(actor, {}, asOf, MAX_LINES);
      const figures = summary.figures.filter((f) => BULLETIN_FIGURES.includes(f.key));
      written += await this.write(`bulletin:${p.id}:${month}`, {
        template: 'bulletin.monthly',
        userId: p.id,
        to: p.email,
        attachment: { kind: 'bulletin', month },
        data: {
          recipientName: p.name,
          itemCode: '',
          itemTitle: '',
          deadline: null,
          link: `${this.config.http.publicUrl}/items`,
          period: month,
          sections: [
            {
              title: zh ? `主要指标（截至 ${summary.statDate}）` : `Figures as of ${summary.statDate}`,
              lines: figures.map(
                (f) => `${f.label}：${f.display}${f.numerator ? `（${f.numerator.value} ÷ ${f.denominator!.value}）` : ''}`,
              ),
            },
            {
              title: zh ? '逾期未完成事项' : 'Overdue items',
              lines: overdue.map((o) => `${o.code} ${o.title}（${o.deadline}，${o.leadUnits ?? ''}，逾期 ${o.daysOverdue} 天）`),
            },
          ],
        },
      });
    }
    this.logger.log(`monthly bulletin for ${month}: ${written} e-mails`);
    return written;
  }

  private async write(dedupeKey: string, payload: EmailPayload): Promise<number> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO outbox (kind, dedupe_key, payload) VALUES ('email', $1, $2) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [dedupeKey, payload],
    );
    return rows.length;
  }
}
