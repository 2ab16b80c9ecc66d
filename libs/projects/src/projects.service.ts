import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  CLOCK,
  DEFAULT_MILESTONE_TEMPLATE,
  DomainError,
  PROJECT_CATEGORY_LABELS,
  decide,
  grantFor,
  previousMonth,
  scopeOfPaths,
  shanghaiDate,
  templateProblems,
  type Actor,
  type Clock,
  type MilestoneTemplateEntry,
  type ScheduleJudgement,
} from '#domain';
import { SqlParams } from '#persistence';
import {
  MILESTONE_TEMPLATE_ENTITY,
  PROJECT_ENTITY,
  checkMilestones,
  checkProjectFields,
  columnValues,
  dateAtShare,
  type CreateProject,
  type MilestoneInput,
  type ProjectDetail,
  type ProjectFields,
  type ProjectFilter,
  type ProjectPage,
  type ProjectRef,
  type ProjectSummary,
  type UpdateProject,
} from './project-fields.js';
import { endOfShanghaiDay, investmentAt, milestoneFactsAt, recordRevision, revisionsAt, schedulesAt } from './project-figures.js';
import { ProjectQuery, projectScopeSql, type ProjectReads, type ProjectRow } from './project.query.js';
import { guardWrite, insertMilestone, writeUnits, writeYearPlans } from './project-writes.js';

/**
 * The project ledger: create (with milestones from the template or given), edit with a version
 * check, read and list within scope with each project's schedule status and investment shares.
 */
@Injectable()
export class ProjectsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.rows = new ProjectQuery(dataSource);
  }

  private readonly rows: ProjectReads;

  /** The milestone template; inside a transaction, read on its connection (pass its manager). */
  async template(db: DataSource | EntityManager = this.dataSource): Promise<{ template: MilestoneTemplateEntry[]; version: number }> {
    const [row] = await db.query<{ template: MilestoneTemplateEntry[]; version: number }[]>(
      `SELECT template, version FROM milestone_template WHERE id = 1`,
    );
    return row ?? { template: [...DEFAULT_MILESTONE_TEMPLATE], version: 0 };
  }

  /** Replaces the milestone template for projects created from now on (versioned, with history). */
  async setTemplate(actor: Actor, template: MilestoneTemplateEntry[]): Promise<{ template: MilestoneTemplateEntry[]; version: number }> {
    if (grantFor(actor, 'project.manage') !== 'all') throw DomainError.forbidden('Only administrators may change the milestone template');
    const problems = templateProblems(template);
    if (problems.length) throw DomainError.validation('The milestone template is not valid', [{ field: 'template', messages: problems }]);
    const clean = template.map((t) => ({ name: t.name.trim(), share: t.share }));
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<{ version: number }[]>(
        `INSERT INTO milestone_template (id, template, updated_by, updated_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET template = EXCLUDED.template, updated_by = EXCLUDED.updated_by,
                                       updated_at = EXCLUDED.updated_at, version = milestone_template.version + 1
         RETURNING version`,
        [JSON.stringify(clean), actor.userId, this.clock.now()],
      );
      await this.history.append(m, {
        entityType: MILESTONE_TEMPLATE_ENTITY,
        entityId: '00000000-0000-0000-0000-000000000001',
        action: 'update',
        actorId: actor.userId,
        data: { template: clean, version: row.version },
        at: this.clock.now(),
      });
      return { template: clean, version: row.version };
    });
  }

  async create(actor: Actor, input: CreateProject, manager?: EntityManager): Promise<ProjectDetail> {
    const fields = checkProjectFields(input, true);
    const id = randomUUID();
    const at = this.clock.now();
    const milestones: MilestoneInput[] = input.milestones?.length
      ? input.milestones
      : (await this.template(manager)).template.map((t) => ({
          name: t.name,
          plannedDate: dateAtShare(fields.plannedStart, fields.plannedEnd, t.share),
        }));
    checkMilestones(milestones);
    const work = async (m: EntityManager): Promise<void> => {
      const dispatcher = await m.query<{ id: string; path: string }[]>(`SELECT id, path FROM org_unit WHERE id = $1`, [actor.unitId]);
      if (!dispatcher[0] || !decide(actor, 'project.manage', { ownerScope: scopeOfPaths([dispatcher[0].path]) }).allowed) {
        throw DomainError.forbidden('Only dispatchers may create projects');
      }
      await guardWrite(() =>
        m.query(
          `INSERT INTO project (id, code, name, category, county_unit_id, source, description, planned_investment, prior_investment,
                                start_year, end_year, planned_start, planned_end, dispatcher_unit_id, created_by, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
          [id, input.code.trim(), ...columnValues(fields), actor.unitId, actor.userId, at],
        ),
      );
      await writeUnits(m, id, fields.responsibleUnitIds);
      await writeYearPlans(m, id, fields.yearPlans ?? []);
      for (const [i, ms] of milestones.entries()) {
        await insertMilestone(m, id, i + 1, ms, ms.responsibleUnitId ?? fields.responsibleUnitIds[0], actor.userId, at);
      }
      await m.query(`SELECT project_refresh_scope($1)`, [id]);
      await recordRevision(m, id, at);
      await this.history.append(m, {
        entityType: PROJECT_ENTITY,
        entityId: id,
        action: 'create',
        actorId: actor.userId,
        data: {
          code: input.code.trim(),
          name: fields.name.trim(),
          plannedInvestment: fields.plannedInvestment,
          responsibleUnitIds: fields.responsibleUnitIds,
          milestones: milestones.map((ms) => ({ name: ms.name, plannedDate: ms.plannedDate })),
        },
        at,
      });
    };
    if (manager) await work(manager);
    else await this.dataSource.transaction(work);
    return this.get(actor, id, manager);
  }

  async update(actor: Actor, id: string, input: UpdateProject): Promise<ProjectDetail> {
    const at = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const project = await this.readable(m, actor, id, true);
      this.assertManages(actor, project);
      assertVersion(project, input.version);
      const current = (await this.rows.byId(m, id))!;
      const merged: ProjectFields = {
        name: input.name ?? current.name,
        category: input.category ?? current.category,
        countyUnitId: input.countyUnitId !== undefined ? input.countyUnitId : current.county_unit_id,
        source: input.source ?? current.source,
        description: input.description ?? current.description,
        plannedInvestment: input.plannedInvestment ?? current.planned_investment,
        priorInvestment: input.priorInvestment ?? current.prior_investment,
        startYear: input.startYear ?? current.start_year,
        endYear: input.endYear ?? current.end_year,
        // A period moved by years without explicit dates spans the new years whole.
        plannedStart: input.plannedStart ?? (input.startYear !== undefined ? undefined : current.planned_start),
        plannedEnd: input.plannedEnd ?? (input.endYear !== undefined ? undefined : current.planned_end),
        responsibleUnitIds: input.responsibleUnitIds ?? current.units.map((u) => u.id),
        yearPlans: input.yearPlans ?? current.year_plans,
      };
      const fields = checkProjectFields(merged, false);
      await guardWrite(() =>
        m.query(
          `UPDATE project SET name = $3, category = $4, county_unit_id = $5, source = $6, description = $7, planned_investment = $8,
                  prior_investment = $9, start_year = $10, end_year = $11, planned_start = $12, planned_end = $13,
                  version = version + 1, updated_at = $14
            WHERE id = $1 AND version = $2`,
          [id, input.version, ...columnValues(fields), at],
        ),
      );
      if (input.responsibleUnitIds) await writeUnits(m, id, fields.responsibleUnitIds);
      if (input.yearPlans) await writeYearPlans(m, id, fields.yearPlans ?? []);
      await m.query(`SELECT project_refresh_scope($1)`, [id]);
      await recordRevision(m, id, at);
      const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => k !== 'version' && v !== undefined));
      await this.history.append(m, {
        entityType: PROJECT_ENTITY,
        entityId: id,
        action: 'update',
        actorId: actor.userId,
        data: changes,
        at,
      });
    });
    return this.get(actor, id);
  }

  /**
   * Removes a project entered by mistake: only before anything was reported on it (no investment
   * report, every milestone still planned), with a reason kept in the history.
   */
  async remove(actor: Actor, id: string, version: number, reason: string): Promise<void> {
    if (!reason?.trim())
      throw new DomainError('unprocessable', 'REASON_REQUIRED', 'A reason is required to delete a project', { missing: ['reason'] });
    await this.dataSource.transaction(async (m) => {
      const project = await this.readable(m, actor, id, true);
      this.assertManages(actor, project);
      assertVersion(project, version);
      const [records] = await m.query<{ reports: number; started: number; code: string; name: string }[]>(
        `SELECT p.code, p.name,
                (SELECT count(*)::int FROM investment_report r WHERE r.project_id = p.id) AS reports,
                (SELECT count(*)::int FROM milestone ms WHERE ms.project_id = p.id AND ms.state <> 'planned') AS started
           FROM project p WHERE p.id = $1`,
        [id],
      );
      if (records.reports > 0 || records.started > 0) {
        throw DomainError.conflict(
          'PROJECT_HAS_RECORDS',
          `The project has ${records.reports} investment report(s) and ${records.started} milestone(s) under way; it cannot be deleted`,
          { reports: records.reports, milestonesUnderWay: records.started },
        );
      }
      await this.history.append(m, {
        entityType: PROJECT_ENTITY,
        entityId: id,
        action: 'delete',
        actorId: actor.userId,
        reason: reason.trim(),
        data: { code: records.code, name: records.name },
        at: this.clock.now(),
      });
      await m.query(`DELETE FROM project WHERE id = $1`, [id]);
    });
  }

  async get(actor: Actor, id: string, manager: EntityManager = this.dataSource.manager): Promise<ProjectDetail> {
    await this.readable(manager, actor, id);
    const row = await this.rows.byId(manager, id);
    const [detail] = await this.details(manager, [row!]);
    return detail;
  }

  /** 序时进度 of one project as of the end of a day (default: now). */
  async schedule(actor: Actor, id: string, asOf?: string): Promise<ScheduleJudgement> {
    await this.readable(this.dataSource.manager, actor, id);
    const now = this.clock.now();
    if (asOf && asOf > shanghaiDate(now)) {
      throw DomainError.validation('asOf must not be in the future', [{ field: 'asOf', messages: ['must not be in the future'] }]);
    }
    const before = asOf ? endOfShanghaiDay(asOf) : new Date(now.getTime() + 1);
    const revision = (await revisionsAt(this.dataSource.manager, [id], before)).get(id);
    if (!revision) {
      throw DomainError.validation(`The project did not exist on ${asOf}`, [
        { field: 'asOf', messages: ['is before the project was created'] },
      ]);
    }
    const facts = await milestoneFactsAt(this.dataSource.manager, [id], before);
    return schedulesAt([revision], facts, asOf ?? shanghaiDate(now)).get(id)!;
  }

  /**
   * Projects in the actor's scope that match. Schedule status is judged in code (one definition,
   * in the domain), so a status filter is applied after the SQL filters; project counts are small.
   */
  async list(actor: Actor, filter: ProjectFilter): Promise<ProjectPage> {
    const matching = await this.matching(actor, filter);
    const offset = (filter.page - 1) * filter.pageSize;
    return {
      data: matching.slice(offset, offset + filter.pageSize).map(summaryOf),
      total: matching.length,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  /** Every project in the actor's scope that matches, with all its ledger fields, in code order. */
  async matching(actor: Actor, filter: Omit<ProjectFilter, 'page' | 'pageSize'>): Promise<ProjectDetail[]> {
    const details = await this.details(this.dataSource.manager, await this.rows.matching(actor, filter));
    return filter.schedule?.length ? details.filter((d) => filter.schedule!.includes(d.schedule.status)) : details;
  }

  /** SQL conditions limiting projects to what the actor may read; null when nothing. */
  scopeConditions(actor: Actor, q: SqlParams): string[] | null {
    return projectScopeSql(actor, q);
  }

  /** Loads a project the actor may read; otherwise it does not exist for them (404). */
  async readable(m: EntityManager, actor: Actor, id: string, lock = false): Promise<ProjectRef> {
    const ref = await this.rows.ref(m, id, lock);
    if (!ref || !decide(actor, 'project.read', ref.scope).allowed) throw DomainError.notFound('project', id);
    return ref;
  }

  /** Editing the project, its milestones and plans is for dispatchers of the managing unit. */
  assertManages(actor: Actor, project: ProjectRef): void {
    const asDispatcher = { ...actor, roles: actor.roles.filter((r) => r === 'dispatcher' || r === 'admin') };
    if (!decide(asDispatcher, 'project.manage', { ownerScope: [], dispatcherScope: project.scope.dispatcherScope }).allowed) {
      throw DomainError.forbidden('Only dispatchers of the managing unit may change the project');
    }
  }

  /** The rows with their schedule status (now) and the latest report month's investment. */
  private async details(m: EntityManager, rows: ProjectRow[]): Promise<ProjectDetail[]> {
    if (rows.length === 0) return [];
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const ids = rows.map((r) => r.id);
    const before = new Date(now.getTime() + 1);
    const schedules = schedulesAt(
      rows.map((r) => ({ id: r.id, plannedStart: r.planned_start, plannedEnd: r.planned_end })),
      await milestoneFactsAt(m, ids, before),
      today,
    );
    const investment = await investmentAt(m, ids, previousMonth(today.slice(0, 7)), before);
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      category: r.category,
      categoryLabel: PROJECT_CATEGORY_LABELS[r.category],
      countyUnitId: r.county_unit_id,
      countyName: r.county_name,
      source: r.source,
      plannedInvestment: r.planned_investment,
      startYear: r.start_year,
      endYear: r.end_year,
      plannedStart: r.planned_start,
      plannedEnd: r.planned_end,
      responsibleUnits: r.units,
      version: r.version,
      schedule: schedules.get(r.id)!,
      investment: investment.get(r.id)!,
      description: r.description,
      priorInvestment: r.prior_investment,
      dispatcherUnitId: r.dispatcher_unit_id,
      yearPlans: r.year_plans,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    }));
  }
}

/** The list's view of a project: its detail without the fields only the project page shows. */
function summaryOf(d: ProjectDetail): ProjectSummary {
  const { description: _d, priorInvestment: _p, dispatcherUnitId: _u, yearPlans: _y, createdAt: _c, updatedAt: _m, ...summary } = d;
  return summary;
}

/** A stale version is refused with 409, naming the current one. */
function assertVersion(project: ProjectRef, version: number): void {
  if (version !== project.version) {
    throw DomainError.conflict('VERSION_CONFLICT', `The project was changed by someone else (current version ${project.version})`, {
      currentVersion: project.version,
    });
  }
}
