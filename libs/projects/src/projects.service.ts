import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  CLOCK,
  DEFAULT_MILESTONE_TEMPLATE,
  DomainError,
  PROJECT_CATEGORY_LABELS,
  addDays,
  decide,
  elapsedDays,
  grantFor,
  isSupportedDate,
  dateOutOfRangeIssue,
  listScope,
  parseAmount,
  previousMonth,
  scopeOfPaths,
  shanghaiDate,
  templateProblems,
  type Actor,
  type Clock,
  type FieldIssue,
  type MilestoneTemplateEntry,
  type ProjectCategory,
  type ResourceScope,
  type ScheduleJudgement,
  type ScheduleStatus,
} from '#domain';
import { PG_FOREIGN_KEY_VIOLATION, SqlParams, escapeLike, isUniqueViolation, pgErrorCode } from '#persistence';
import {
  endOfShanghaiDay,
  investmentAt,
  milestoneFactsAt,
  recordRevision,
  revisionsAt,
  schedulesAt,
  type InvestmentFigures,
} from './project-figures.js';

export const PROJECT_ENTITY = 'project';
export const MILESTONE_TEMPLATE_ENTITY = 'milestone_template';

export interface YearPlanInput {
  year: number;
  amount: string | number;
}

export interface MilestoneInput {
  name: string;
  plannedDate: string;
  responsibleUnitId?: string;
}

export interface ProjectFields {
  name: string;
  category: ProjectCategory;
  countyUnitId?: string | null;
  source?: string;
  description?: string;
  /** 万元 */
  plannedInvestment: string | number;
  /** 万元 completed before the first monthly report. */
  priorInvestment?: string | number;
  startYear: number;
  endYear: number;
  plannedStart?: string;
  plannedEnd?: string;
  responsibleUnitIds: string[];
  yearPlans?: YearPlanInput[];
}

export interface CreateProject extends ProjectFields {
  code: string;
  /** Milestones with planned dates; without them the template's milestones are spread over the period. */
  milestones?: MilestoneInput[];
}

export type UpdateProject = Partial<ProjectFields> & { version: number };

export interface ProjectFilter {
  category?: ProjectCategory[];
  countyUnitId?: string;
  unitId?: string;
  schedule?: ScheduleStatus[];
  year?: number;
  q?: string;
  page: number;
  pageSize: number;
}

export interface ProjectSummary {
  id: string;
  code: string;
  name: string;
  category: ProjectCategory;
  categoryLabel: string;
  countyUnitId: string | null;
  countyName: string | null;
  source: string;
  plannedInvestment: string;
  startYear: number;
  endYear: number;
  plannedStart: string;
  plannedEnd: string;
  responsibleUnits: { id: string; name: string }[];
  version: number;
  schedule: ScheduleJudgement;
  /** The latest report month (the month before today's) with its shares. */
  investment: InvestmentFigures;
}

export interface ProjectDetail extends ProjectSummary {
  description: string;
  priorInvestment: string;
  dispatcherUnitId: string;
  yearPlans: { year: number; amount: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface ProjectPage {
  data: ProjectSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** A project loaded for a permission check. */
export interface ProjectRef {
  id: string;
  version: number;
  scope: ResourceScope;
  dispatcherUnitId: string;
  responsibleUnitIds: string[];
  plannedStart: string;
  plannedEnd: string;
}

interface ProjectRow {
  id: string;
  code: string;
  name: string;
  category: ProjectCategory;
  county_unit_id: string | null;
  county_name: string | null;
  source: string;
  description: string;
  planned_investment: string;
  prior_investment: string;
  start_year: number;
  end_year: number;
  planned_start: string;
  planned_end: string;
  dispatcher_unit_id: string;
  units: { id: string; name: string }[];
  year_plans: { year: number; amount: string }[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const SELECT_PROJECT = `
  SELECT p.id, p.code, p.name, p.category, p.county_unit_id, c.name AS county_name, p.source, p.description,
         trim_scale(p.planned_investment)::text AS planned_investment, trim_scale(p.prior_investment)::text AS prior_investment,
         p.start_year, p.end_year, to_char(p.planned_start, 'YYYY-MM-DD') AS planned_start, to_char(p.planned_end, 'YYYY-MM-DD') AS planned_end,
         p.dispatcher_unit_id, p.version, p.created_at, p.updated_at,
         coalesce((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name)
                     FROM project_unit pu JOIN org_unit o ON o.id = pu.unit_id WHERE pu.project_id = p.id), '[]') AS units,
         coalesce((SELECT json_agg(json_build_object('year', y.year, 'amount', trim_scale(y.amount)::text) ORDER BY y.year)
                     FROM project_year_plan y WHERE y.project_id = p.id), '[]') AS year_plans
    FROM project p LEFT JOIN org_unit c ON c.id = p.county_unit_id`;

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
  ) {}

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
    const fields = this.checkFields(input, true);
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
      await this.writeUnits(m, id, fields.responsibleUnitIds);
      await this.writeYearPlans(m, id, fields.yearPlans ?? []);
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
      const [current] = await m.query<ProjectRow[]>(`${SELECT_PROJECT} WHERE p.id = $1`, [id]);
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
      const fields = this.checkFields(merged, false);
      await guardWrite(() =>
        m.query(
          `UPDATE project SET name = $3, category = $4, county_unit_id = $5, source = $6, description = $7, planned_investment = $8,
                  prior_investment = $9, start_year = $10, end_year = $11, planned_start = $12, planned_end = $13,
                  version = version + 1, updated_at = $14
            WHERE id = $1 AND version = $2`,
          [id, input.version, ...columnValues(fields), at],
        ),
      );
      if (input.responsibleUnitIds) await this.writeUnits(m, id, fields.responsibleUnitIds);
      if (input.yearPlans) await this.writeYearPlans(m, id, fields.yearPlans ?? []);
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
    const [row] = await manager.query<ProjectRow[]>(`${SELECT_PROJECT} WHERE p.id = $1`, [id]);
    const [detail] = await this.details(manager, [row]);
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
    const q = new SqlParams();
    const where = this.scopeConditions(actor, q);
    if (!where) return [];
    if (filter.category?.length) where.push(`p.category = ANY(${q.add(filter.category)}::text[])`);
    if (filter.countyUnitId) where.push(`p.county_unit_id = ${q.add(filter.countyUnitId)}`);
    if (filter.unitId) {
      where.push(`EXISTS (SELECT 1 FROM project_unit pu JOIN org_unit o ON o.id = pu.unit_id
                           WHERE pu.project_id = p.id AND path_ids(o.path) @> ARRAY[${q.add(filter.unitId)}::uuid])`);
    }
    if (filter.year !== undefined) where.push(`${q.add(filter.year)}::int BETWEEN p.start_year AND p.end_year`);
    if (filter.q) where.push(`(p.code || ' ' || p.name) ILIKE ${q.add(`%${escapeLike(filter.q)}%`)}`);
    const rows = await this.dataSource.query<ProjectRow[]>(
      `${SELECT_PROJECT} WHERE ${where.length ? where.join(' AND ') : 'true'} ORDER BY p.code`,
      q.values,
    );
    const details = await this.details(this.dataSource.manager, rows);
    return filter.schedule?.length ? details.filter((d) => filter.schedule!.includes(d.schedule.status)) : details;
  }

  /** SQL conditions limiting projects to what the actor may read; null when nothing. */
  scopeConditions(actor: Actor, q: SqlParams): string[] | null {
    const scope = listScope(actor, 'project.read');
    if (scope.kind === 'none') return null;
    if (scope.kind === 'all') return [];
    const unit = q.add(scope.unitId);
    return [
      scope.dispatched
        ? `(p.owner_scope @> ARRAY[${unit}::uuid] OR p.dispatcher_scope @> ARRAY[${unit}::uuid])`
        : `p.owner_scope @> ARRAY[${unit}::uuid]`,
    ];
  }

  /** Loads a project the actor may read; otherwise it does not exist for them (404). */
  async readable(m: EntityManager, actor: Actor, id: string, lock = false): Promise<ProjectRef> {
    const [row] = await m.query<
      {
        id: string;
        version: number;
        owner_scope: string[];
        dispatcher_scope: string[];
        dispatcher_unit_id: string;
        units: string[];
        planned_start: string;
        planned_end: string;
      }[]
    >(
      `SELECT p.id, p.version, p.owner_scope, p.dispatcher_scope, p.dispatcher_unit_id,
              to_char(p.planned_start, 'YYYY-MM-DD') AS planned_start, to_char(p.planned_end, 'YYYY-MM-DD') AS planned_end,
              coalesce((SELECT array_agg(unit_id ORDER BY unit_id) FROM project_unit WHERE project_id = p.id), '{}') AS units
         FROM project p WHERE p.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    const ref: ProjectRef | null = row
      ? {
          id: row.id,
          version: row.version,
          scope: { ownerScope: row.owner_scope, dispatcherScope: row.dispatcher_scope },
          dispatcherUnitId: row.dispatcher_unit_id,
          responsibleUnitIds: row.units,
          plannedStart: row.planned_start,
          plannedEnd: row.planned_end,
        }
      : null;
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

  /** Checks and normalises the fields: amounts as decimal strings, the period inside the years. */
  private checkFields(input: ProjectFields, creating: boolean): ProjectFields & { plannedStart: string; plannedEnd: string } {
    const issues: FieldIssue[] = [];
    const amount = (field: string, value: unknown): string => {
      const parsed = parseAmount(value);
      if (!parsed.ok) issues.push({ field, messages: [`${field} ${parsed.problem}`] });
      return parsed.ok ? parsed.value : '0';
    };
    const plannedInvestment = amount('plannedInvestment', input.plannedInvestment);
    const priorInvestment = input.priorInvestment === undefined ? '0' : amount('priorInvestment', input.priorInvestment);
    const yearPlans = (input.yearPlans ?? []).map((y, i) => ({ year: y.year, amount: amount(`yearPlans.${i}.amount`, y.amount) }));
    if (!Number.isInteger(input.startYear) || !Number.isInteger(input.endYear) || input.endYear < input.startYear) {
      issues.push({ field: 'endYear', messages: ['endYear must be a year not before startYear'] });
    }
    const plannedStart = input.plannedStart ?? `${input.startYear}-01-01`;
    const plannedEnd = input.plannedEnd ?? `${input.endYear}-12-31`;
    if (!isSupportedDate(plannedStart) || plannedStart.slice(0, 4) !== String(input.startYear)) {
      issues.push({ field: 'plannedStart', messages: ['plannedStart must be a date in startYear'] });
    }
    if (!isSupportedDate(plannedEnd) || plannedEnd.slice(0, 4) !== String(input.endYear)) {
      issues.push({ field: 'plannedEnd', messages: ['plannedEnd must be a date in endYear'] });
    } else if (plannedEnd < plannedStart) {
      issues.push({ field: 'plannedEnd', messages: ['plannedEnd must not be before plannedStart'] });
    }
    const years = yearPlans.map((y) => y.year);
    if (new Set(years).size !== years.length) issues.push({ field: 'yearPlans', messages: ['each year may have one plan'] });
    const outside = years.filter((y) => y < input.startYear || y > input.endYear);
    if (outside.length) issues.push({ field: 'yearPlans', messages: [`years outside the construction period: ${outside.join(', ')}`] });
    const planned = yearPlans.reduce((sum, y) => sum + Math.round(Number(y.amount) * 100), 0);
    if (issues.length === 0 && planned > Math.round(Number(plannedInvestment) * 100)) {
      issues.push({ field: 'yearPlans', messages: ['the yearly plans add up to more than the planned total investment'] });
    }
    if (!input.responsibleUnitIds?.length) issues.push({ field: 'responsibleUnitIds', messages: ['at least one responsible unit'] });
    if (creating && !input.name?.trim()) issues.push({ field: 'name', messages: ['name must not be empty'] });
    if (issues.length) throw DomainError.validation('The project has invalid fields', issues);
    return { ...input, plannedInvestment, priorInvestment, yearPlans, plannedStart, plannedEnd };
  }

  private async writeUnits(m: EntityManager, projectId: string, unitIds: string[]): Promise<void> {
    const units = [...new Set(unitIds)];
    await m.query(`DELETE FROM project_unit WHERE project_id = $1 AND NOT (unit_id = ANY($2::uuid[]))`, [projectId, units]);
    await guardWrite(() =>
      m.query(`INSERT INTO project_unit (project_id, unit_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [projectId, units]),
    );
  }

  private async writeYearPlans(m: EntityManager, projectId: string, plans: YearPlanInput[]): Promise<void> {
    await m.query(`DELETE FROM project_year_plan WHERE project_id = $1`, [projectId]);
    if (plans.length === 0) return;
    await m.query(
      `INSERT INTO project_year_plan (project_id, year, amount) SELECT $1, y, a FROM unnest($2::int[], $3::numeric[]) AS t(y, a)`,
      [projectId, plans.map((p) => p.year), plans.map((p) => String(p.amount))],
    );
  }
}

/** The list's view of a project: its detail without the fields only the project page shows. */
/** The project's own columns, name to planned_end, in the order the INSERT and the UPDATE list them. */
function columnValues(fields: ProjectFields & { plannedStart: string; plannedEnd: string }): unknown[] {
  return [
    fields.name.trim(),
    fields.category,
    fields.countyUnitId ?? null,
    fields.source ?? '',
    fields.description ?? '',
    fields.plannedInvestment,
    fields.priorInvestment ?? '0',
    fields.startYear,
    fields.endYear,
    fields.plannedStart,
    fields.plannedEnd,
  ];
}

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

/** The date at a share of the period (0 = start, 1 = end), rounded to whole days. */
export function dateAtShare(start: string, end: string, share: number): string {
  const { total } = elapsedDays(start, end, end);
  return addDays(start, Math.round(share * (total - 1)));
}

export function checkMilestones(milestones: MilestoneInput[]): void {
  const issues: FieldIssue[] = [];
  const names = new Set<string>();
  for (const [i, ms] of milestones.entries()) {
    const name = ms.name?.trim();
    if (!name || name.length > 100) issues.push({ field: `milestones.${i}.name`, messages: ['name must be 1–100 characters'] });
    else if (names.has(name)) issues.push({ field: `milestones.${i}.name`, messages: [`${name} appears twice`] });
    else names.add(name);
    if (!isSupportedDate(ms.plannedDate ?? '')) issues.push(dateOutOfRangeIssue(`milestones.${i}.plannedDate`));
  }
  if (milestones.length > 30) issues.push({ field: 'milestones', messages: ['at most 30 milestones'] });
  if (issues.length) throw DomainError.validation('The milestones are not valid', issues);
}

/** Inserts a milestone with its first planned-date version. */
export async function insertMilestone(
  m: EntityManager,
  projectId: string,
  seq: number,
  input: MilestoneInput,
  responsibleUnitId: string,
  userId: string,
  at: Date,
): Promise<string> {
  const id = randomUUID();
  await guardWrite(() =>
    m.query(
      `INSERT INTO milestone (id, project_id, seq, name, responsible_unit_id, planned_date, original_planned_date, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $7)`,
      [id, projectId, seq, input.name.trim(), responsibleUnitId, input.plannedDate, at],
    ),
  );
  await m.query(
    `INSERT INTO milestone_plan (milestone_id, version, planned_date, kind, decided_by, created_at) VALUES ($1, 1, $2, 'initial', $3, $4)`,
    [id, input.plannedDate, userId, at],
  );
  return id;
}

export async function guardWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e)) {
      if (isUniqueViolation(e, 'milestone_name_uq'))
        throw DomainError.conflict('MILESTONE_NAME_TAKEN', 'The project already has a milestone of this name');
      throw DomainError.conflict('PROJECT_CODE_TAKEN', 'Another project already has this code');
    }
    if (pgErrorCode(e) === PG_FOREIGN_KEY_VIOLATION) {
      throw new DomainError('unprocessable', 'REFERENCE_NOT_FOUND', 'A referenced unit does not exist', {
        detail: (e as { driverError?: { detail?: string } }).driverError?.detail ?? null,
      });
    }
    throw e;
  }
}
