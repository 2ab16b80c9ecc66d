import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CLOCK,
  DomainError,
  PROJECT_CATEGORY_LABELS,
  SCHEDULE_STATUSES,
  definitionsOf,
  expectedAnnualShare,
  fromCents,
  isMonth,
  monthEnd,
  previousMonth,
  projectFiguresFrom,
  shanghaiDate,
  toCents,
  valueOf,
  type Actor,
  type Clock,
  type Figure,
  type FigureDefinition,
  type FigureValue,
  type ProjectCategory,
  type ProjectCounts,
  type ScheduleJudgement,
  type ScheduleStatus,
} from '#domain';
import { SqlParams } from '#persistence';
import {
  endOfShanghaiDay,
  investmentAt,
  milestoneFactsAt,
  revisionsAt,
  schedulesAt,
  type InvestmentFigures,
  type ProjectRevision,
} from './project-figures.js';
import { ProjectsService } from './projects.service.js';

export const PROJECT_BREAKDOWNS = ['category', 'county', 'unit'] as const;
export type ProjectBreakdown = (typeof PROJECT_BREAKDOWNS)[number];

export interface ProjectStatsQuery {
  /** End of this day (China); default now. */
  asOf?: string;
  /** Report month for investment; default the month before the as-of day's. */
  month?: string;
  category?: ProjectCategory;
  countyUnitId?: string;
}

export interface ProjectStats {
  asOf: string;
  statDate: string;
  month: string;
  figures: Figure[];
  /** Delayed milestones of the projects in scope, most late first (at most 200). */
  delayed: { projectId: string; projectCode: string; projectName: string; milestone: string; plannedDate: string; daysLate: number }[];
}

export interface ProjectBreakdownResult {
  asOf: string;
  statDate: string;
  month: string;
  by: ProjectBreakdown;
  definitions: FigureDefinition[];
  rows: { key: string | null; label: string; figures: FigureValue[] }[];
}

interface JudgedProject {
  p: ProjectFacts;
  schedule: ScheduleJudgement;
  investment: InvestmentFigures;
}

interface ProjectFacts extends ProjectRevision {
  code: string;
  name: string;
  countyName: string | null;
  units: { id: string; name: string }[];
}

/**
 * Key-project statistics for the caller's scope, as of the end of any day: schedule status counts,
 * milestones due and done, investment against the plans. Past dates read the plan versions,
 * verifications and report versions made by then, so a month's figures can be reproduced later.
 */
@Injectable()
export class ProjectStatisticsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async summary(actor: Actor, query: ProjectStatsQuery): Promise<ProjectStats> {
    const { day, before, month, asOf } = this.instant(query);
    const projects = await this.load(actor, query, before);
    const judged = await this.judge(projects, day, month, before);
    const delayed = judged
      .flatMap(({ p, schedule }) =>
        schedule.delayed.map((d) => ({
          projectId: p.id,
          projectCode: p.code,
          projectName: p.name,
          milestone: d.name,
          plannedDate: d.plannedDate,
          daysLate: d.daysLate,
        })),
      )
      .sort((a, b) => b.daysLate - a.daysLate || a.projectCode.localeCompare(b.projectCode))
      .slice(0, 200);
    return { asOf, statDate: day, month, figures: projectFiguresFrom(countsOf(judged, month)), delayed };
  }

  async breakdown(actor: Actor, by: ProjectBreakdown, query: ProjectStatsQuery): Promise<ProjectBreakdownResult> {
    const { day, before, month, asOf } = this.instant(query);
    const judged = await this.judge(await this.load(actor, query, before), day, month, before);
    const groups = new Map<string | null, { label: string; members: JudgedProject[] }>();
    const add = (key: string | null, label: string, j: JudgedProject): void => {
      const g = groups.get(key) ?? { label, members: [] };
      g.members.push(j);
      groups.set(key, g);
    };
    for (const j of judged) {
      if (by === 'category') add(j.p.category, PROJECT_CATEGORY_LABELS[j.p.category], j);
      else if (by === 'county') add(j.p.countyUnitId, j.p.countyName ?? '市本级/未分县', j);
      // A project with several responsible units counts in each unit's row.
      else for (const u of j.p.units) add(u.id, u.name, j);
    }
    const rows = [...groups.entries()]
      .map(([key, g]) => ({ key, label: g.label, figures: projectFiguresFrom(countsOf(g.members, month)) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'zh'));
    const definitions = definitionsOf(rows[0]?.figures ?? projectFiguresFrom(countsOf([], month)));
    return {
      asOf,
      statDate: day,
      month,
      by,
      definitions,
      rows: rows.map((r) => ({ key: r.key, label: r.label, figures: r.figures.map(valueOf) })),
    };
  }

  private instant(query: ProjectStatsQuery): { day: string; before: Date; month: string; asOf: string } {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    if (query.asOf && query.asOf > today)
      throw DomainError.validation('asOf must not be in the future', [{ field: 'asOf', messages: ['must not be in the future'] }]);
    const day = query.asOf ?? today;
    const before = query.asOf ? endOfShanghaiDay(query.asOf) : new Date(now.getTime() + 1);
    const month = query.month ?? previousMonth(day.slice(0, 7));
    if (!isMonth(month) || month > day.slice(0, 7)) {
      throw DomainError.validation('month must be a report month not after the as-of day', [
        { field: 'month', messages: ['must be YYYY-MM, not after asOf'] },
      ]);
    }
    return { day, before, month, asOf: (query.asOf ? new Date(before.getTime() - 1) : now).toISOString() };
  }

  /** The projects in scope that existed at the instant, with their plan as it stood then. */
  private async load(actor: Actor, query: ProjectStatsQuery, before: Date): Promise<ProjectFacts[]> {
    const q = new SqlParams();
    const where = this.projects.scopeConditions(actor, q);
    if (!where) return [];
    where.push(`p.created_at < ${q.add(before)}`);
    const rows = await this.dataSource.query<{ id: string; code: string; name: string }[]>(
      `SELECT p.id, p.code, p.name FROM project p WHERE ${where.join(' AND ')} ORDER BY p.code`,
      q.values,
    );
    const revisions = await revisionsAt(
      this.dataSource.manager,
      rows.map((r) => r.id),
      before,
    );
    const unitIds = [...new Set([...revisions.values()].flatMap((r) => [...r.unitIds, ...(r.countyUnitId ? [r.countyUnitId] : [])]))];
    const names = new Map(
      (
        await this.dataSource.query<{ id: string; name: string }[]>(`SELECT id, name FROM org_unit WHERE id = ANY($1::uuid[])`, [unitIds])
      ).map((u) => [u.id, u.name]),
    );
    return rows.flatMap((r) => {
      const rev = revisions.get(r.id);
      if (!rev) return [];
      if (query.category && rev.category !== query.category) return [];
      if (query.countyUnitId && rev.countyUnitId !== query.countyUnitId) return [];
      return [
        {
          ...r,
          ...rev,
          countyName: rev.countyUnitId ? (names.get(rev.countyUnitId) ?? null) : null,
          units: rev.unitIds.map((id) => ({ id, name: names.get(id) ?? id })).sort((a, b) => a.name.localeCompare(b.name, 'zh')),
        },
      ];
    });
  }

  private async judge(projects: ProjectFacts[], day: string, month: string, before: Date): Promise<JudgedProject[]> {
    const ids = projects.map((p) => p.id);
    const facts = await milestoneFactsAt(this.dataSource.manager, ids, before);
    const schedules = schedulesAt(projects, facts, day);
    const investment = await investmentAt(this.dataSource.manager, ids, month, before);
    return projects.map((p) => ({ p, schedule: schedules.get(p.id)!, investment: investment.get(p.id)! }));
  }
}

function countsOf(judged: JudgedProject[], month: string): ProjectCounts {
  const byStatus = Object.fromEntries(SCHEDULE_STATUSES.map((s) => [s, 0])) as Record<ScheduleStatus, number>;
  let milestones = 0;
  let due = 0;
  let dueVerified = 0;
  let verified = 0;
  let delayed = 0;
  let plannedProjects = 0;
  let annualPlan = 0;
  let ytdPlanned = 0;
  let ytd = 0;
  let sinceStart = 0;
  let totalPlanned = 0;
  let missing = 0;
  for (const { p, schedule, investment } of judged) {
    byStatus[schedule.status] += 1;
    milestones += schedule.milestones.total;
    due += schedule.milestones.due;
    dueVerified += schedule.milestones.dueVerified;
    verified += schedule.milestones.verified;
    delayed += schedule.milestones.delayed;
    ytd += toCents(investment.yearToDate);
    sinceStart += toCents(investment.sinceStart);
    totalPlanned += toCents(investment.total);
    if (investment.annualPlan !== null) {
      plannedProjects += 1;
      annualPlan += toCents(investment.annualPlan);
      ytdPlanned += toCents(investment.yearToDate);
    }
    // A report owed for the month (from the planned start to the planned end or the completion) and none made.
    if (investment.thisMonth === null && p.plannedStart <= monthEnd(month) && investment.owedThrough >= month) missing += 1;
  }
  return {
    projects: judged.length,
    byStatus,
    milestones,
    milestonesDue: due,
    milestonesDueVerified: dueVerified,
    milestonesVerified: verified,
    milestonesDelayed: delayed,
    plannedProjects,
    annualPlan: fromCents(annualPlan),
    yearToDatePlanned: fromCents(ytdPlanned),
    yearToDate: fromCents(ytd),
    sinceStart: fromCents(sinceStart),
    totalPlanned: fromCents(totalPlanned),
    missingReports: missing,
    month,
    expectedShare: expectedAnnualShare(month),
  };
}
