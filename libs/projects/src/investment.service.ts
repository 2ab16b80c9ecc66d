import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CLOCK, DomainError, decide, isMonth, parseAmount, shanghaiDate, type Actor, type Clock } from '#domain';
import { isUniqueViolation } from '#persistence';
import { endOfShanghaiDay, investmentAt, type InvestmentFigures } from './project-figures.js';
import { PROJECT_ENTITY, type ProjectRef } from './project-fields.js';
import { ProjectsService } from './projects.service.js';

export interface InvestmentReportInput {
  /** YYYY-MM */
  month: string;
  /** 万元 completed in the month. */
  amount: string | number;
  note?: string;
  /** To correct a month already reported: the version being corrected (the latest), with a reason. */
  correctsVersion?: number;
  reason?: string;
}

export interface InvestmentReportView {
  id: string;
  month: string;
  version: number;
  amount: string;
  note: string;
  reason: string | null;
  reportedBy: string;
  reportedByName: string | null;
  reportedAt: string;
  /** Whether a later version has corrected it. */
  superseded: boolean;
}

/**
 * 月报 of completed investment. A month is reported once; a correction is a new version that names
 * the version it corrects and why, so nothing reported is ever silently overwritten and the
 * figures of any past date can be recomputed from the versions made by then.
 */
@Injectable()
export class InvestmentService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(actor: Actor, projectId: string, input: InvestmentReportInput): Promise<InvestmentReportView> {
    const amount = parseAmount(input.amount);
    const issues = [];
    if (!amount.ok) issues.push({ field: 'amount', messages: [`amount ${amount.problem}`] });
    if (!isMonth(input.month ?? '')) issues.push({ field: 'month', messages: ['month must be a month (YYYY-MM)'] });
    if (issues.length) throw DomainError.validation('The investment report is not valid', issues);
    const at = this.clock.now();
    const currentMonth = shanghaiDate(at).slice(0, 7);
    if (input.month > currentMonth) {
      throw DomainError.validation('A month cannot be reported before it begins', [
        { field: 'month', messages: ['must not be in the future'] },
      ]);
    }
    const id = await this.dataSource
      .transaction(async (m) => {
        const project = await this.projects.readable(m, actor, projectId, true);
        this.assertMayReport(actor, project);
        if (input.month < project.plannedStart.slice(0, 7)) {
          throw DomainError.validation(`The project starts in ${project.plannedStart.slice(0, 7)}`, [
            { field: 'month', messages: ['must not be before the project’s planned start'] },
          ]);
        }
        const [latest] = await m.query<{ version: number }[]>(
          `SELECT max(version) AS version FROM investment_report WHERE project_id = $1 AND month = $2::date`,
          [projectId, `${input.month}-01`],
        );
        const current = latest?.version ?? null;
        if (current !== null && input.correctsVersion === undefined) {
          throw DomainError.conflict(
            'MONTH_ALREADY_REPORTED',
            `${input.month} is already reported (version ${current}); to correct it, send correctsVersion ${current} with a reason`,
            { month: input.month, currentVersion: current },
          );
        }
        if (input.correctsVersion !== undefined && input.correctsVersion !== current) {
          throw DomainError.conflict(
            'VERSION_CONFLICT',
            current === null
              ? `${input.month} has no report to correct`
              : `The latest report of ${input.month} is version ${current}, not ${input.correctsVersion}`,
            { month: input.month, currentVersion: current },
          );
        }
        const correcting = current !== null;
        if (correcting && !input.reason?.trim()) {
          throw new DomainError('unprocessable', 'REASON_REQUIRED', 'A correction needs a reason', { missing: ['reason'] });
        }
        const version = (current ?? 0) + 1;
        const [row] = await m.query<{ id: string }[]>(
          `INSERT INTO investment_report (project_id, month, version, amount, note, reason, reported_by, reported_at)
           VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            projectId,
            `${input.month}-01`,
            version,
            amount.ok ? amount.value : '0',
            input.note?.trim() ?? '',
            input.reason?.trim() || null,
            actor.userId,
            at,
          ],
        );
        await this.history.append(m, {
          entityType: PROJECT_ENTITY,
          entityId: projectId,
          action: correcting ? 'correct_investment' : 'report_investment',
          actorId: actor.userId,
          reason: input.reason?.trim() || null,
          data: { reportId: row.id, month: input.month, version, amount: amount.ok ? amount.value : null },
          at,
        });
        return row.id;
      })
      .catch((e: unknown) => {
        // Two first reports of a month at once: the unique version lets one through.
        if (isUniqueViolation(e)) {
          throw DomainError.conflict('MONTH_ALREADY_REPORTED', `${input.month} was reported by someone else just now`, {
            month: input.month,
          });
        }
        throw e;
      });
    const reports = await this.listRows(projectId);
    return reports.find((r) => r.id === id)!;
  }

  async list(actor: Actor, projectId: string): Promise<InvestmentReportView[]> {
    await this.projects.readable(this.dataSource.manager, actor, projectId);
    return this.listRows(projectId);
  }

  /** The figures of a report month as they stood at the end of a day (default: now). */
  async figures(actor: Actor, projectId: string, month: string, asOf?: string): Promise<InvestmentFigures & { asOf: string }> {
    await this.projects.readable(this.dataSource.manager, actor, projectId);
    if (!isMonth(month))
      throw DomainError.validation('month must be YYYY-MM', [{ field: 'month', messages: ['must be a month (YYYY-MM)'] }]);
    const now = this.clock.now();
    const before = asOf ? endOfShanghaiDay(asOf) : new Date(now.getTime() + 1);
    const figures = (await investmentAt(this.dataSource.manager, [projectId], month, before)).get(projectId)!;
    return { ...figures, asOf: (asOf ? new Date(before.getTime() - 1) : now).toISOString() };
  }

  private listRows(projectId: string): Promise<InvestmentReportView[]> {
    return this.dataSource.query<InvestmentReportView[]>(
      `SELECT r.id, to_char(r.month, 'YYYY-MM') AS month, r.version, trim_scale(r.amount)::text AS amount, r.note, r.reason,
              r.reported_by AS "reportedBy", u.name AS "reportedByName", r.reported_at AS "reportedAt",
              EXISTS (SELECT 1 FROM investment_report l WHERE l.project_id = r.project_id AND l.month = r.month AND l.version > r.version) AS superseded
         FROM investment_report r LEFT JOIN app_user u ON u.id = r.reported_by
        WHERE r.project_id = $1 ORDER BY r.month, r.version`,
      [projectId],
    );
  }

  /** The responsible units' officers report; the managing dispatchers may report for them. */
  private assertMayReport(actor: Actor, project: ProjectRef): void {
    const own = decide(actor, 'project.report', { ownerScope: project.scope.ownerScope }).allowed;
    const manages = decide(actor, 'project.manage', { ownerScope: [], dispatcherScope: project.scope.dispatcherScope }).allowed;
    if (!own && !manages) throw DomainError.forbidden('Only the project’s units and its managing dispatchers may report investment');
  }
}
