import type { EntityManager } from 'typeorm';
import {
  judgeInvestment,
  judgeSchedule,
  type InvestmentJudgement,
  type MilestoneFacts,
  type ProjectCategory,
  type ScheduleJudgement,
} from '#domain';

/**
 * What a project's figures rest on, as they stood at an instant: the project's plan (its latest
 * revision recorded by then: period, amounts, category, county, units), the planned date of each
 * milestone in force then (its latest plan version made by then), whether it was verified by then,
 * and the investment reports made by then (the latest version of each month). Both "now" and
 * "as of a past date" read these, so a past month's figures come out the same after later changes.
 */
export interface ProjectPeriod {
  id: string;
  plannedStart: string;
  plannedEnd: string;
}

/** The instant just after the end of a day in China: what was recorded before it counts. */
export function endOfShanghaiDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000);
}

/** Records what the figures rest on after a create or edit (in the writer's transaction). */
export async function recordRevision(m: EntityManager, projectId: string, at: Date): Promise<void> {
  await m.query(
    `INSERT INTO project_revision (project_id, version, category, county_unit_id, unit_ids, planned_investment, prior_investment,
                                   planned_start, planned_end, year_plans, recorded_at)
     SELECT p.id, p.version, p.category, p.county_unit_id,
            coalesce((SELECT array_agg(pu.unit_id ORDER BY pu.unit_id) FROM project_unit pu WHERE pu.project_id = p.id), '{}'),
            p.planned_investment, p.prior_investment, p.planned_start, p.planned_end,
            coalesce((SELECT jsonb_agg(jsonb_build_object('year', y.year, 'amount', y.amount) ORDER BY y.year)
                        FROM project_year_plan y WHERE y.project_id = p.id), '[]'),
            $2
       FROM project p WHERE p.id = $1`,
    [projectId, at],
  );
}

/** A project's plan as it stood at an instant (its latest revision recorded before it). */
export interface ProjectRevision extends ProjectPeriod {
  category: ProjectCategory;
  countyUnitId: string | null;
  unitIds: string[];
}

/** The latest revision before `before` of each project ("before" = now + ε for the current plan). */
export const REVISIONS_AT = `
  SELECT DISTINCT ON (r.project_id) r.*
    FROM project_revision r WHERE r.project_id = ANY($1::uuid[]) AND r.recorded_at < $2
   ORDER BY r.project_id, r.version DESC`;

export async function revisionsAt(m: EntityManager, projectIds: string[], before: Date): Promise<Map<string, ProjectRevision>> {
  const rows = await m.query<
    {
      project_id: string;
      category: ProjectCategory;
      county_unit_id: string | null;
      unit_ids: string[];
      planned_start: string;
      planned_end: string;
    }[]
  >(
    `SELECT r.project_id, r.category, r.county_unit_id, r.unit_ids,
            to_char(r.planned_start, 'YYYY-MM-DD') AS planned_start, to_char(r.planned_end, 'YYYY-MM-DD') AS planned_end
       FROM (${REVISIONS_AT}) r`,
    [projectIds, before],
  );
  return new Map(
    rows.map((r) => [
      r.project_id,
      {
        id: r.project_id,
        category: r.category,
        countyUnitId: r.county_unit_id,
        unitIds: r.unit_ids,
        plannedStart: r.planned_start,
        plannedEnd: r.planned_end,
      },
    ]),
  );
}

export async function milestoneFactsAt(m: EntityManager, projectIds: string[], before: Date): Promise<Map<string, MilestoneFacts[]>> {
  const rows = await m.query<{ project_id: string; name: string; planned: string; verified: boolean }[]>(
    `SELECT ms.project_id, ms.name, to_char(pl.planned_date, 'YYYY-MM-DD') AS planned, coalesce(ms.verified_at < $2, false) AS verified
       FROM milestone ms
       CROSS JOIN LATERAL (SELECT mp.planned_date FROM milestone_plan mp
                            WHERE mp.milestone_id = ms.id AND mp.created_at < $2 ORDER BY mp.version DESC LIMIT 1) pl
      WHERE ms.project_id = ANY($1::uuid[]) AND ms.created_at < $2
      ORDER BY ms.project_id, ms.seq`,
    [projectIds, before],
  );
  const byProject = new Map<string, MilestoneFacts[]>(projectIds.map((id) => [id, []]));
  for (const r of rows) byProject.get(r.project_id)!.push({ name: r.name, plannedDate: r.planned, verified: r.verified });
  return byProject;
}

export function schedulesAt(projects: ProjectPeriod[], facts: Map<string, MilestoneFacts[]>, day: string): Map<string, ScheduleJudgement> {
  return new Map(projects.map((p) => [p.id, judgeSchedule({ start: p.plannedStart, end: p.plannedEnd }, facts.get(p.id) ?? [], day)]));
}

/** Investment of a report month (万元, exact decimal strings) and its shares of the plans. */
export interface InvestmentFigures extends InvestmentJudgement {
  /** Completed in the month itself; null when the month has no report. */
  thisMonth: string | null;
  yearToDate: string;
  sinceStart: string;
  annualPlan: string | null;
  total: string;
  /** Report months of the year up to this one that have no report (only months owed: see owedThrough). */
  missingMonths: string[];
  /** The last month a report is owed for (YYYY-MM): the planned end's, or the completion's (every milestone verified) when earlier. */
  owedThrough: string;
}

export async function investmentAt(
  m: EntityManager,
  projectIds: string[],
  month: string,
  before: Date,
): Promise<Map<string, InvestmentFigures>> {
  const rows = await m.query<
    {
      id: string;
      this_month: string | null;
      ytd: string;
      since_start: string;
      annual_plan: string | null;
      total: string;
      reported_months: string[];
      start: string;
      end: string;
      completed: string | null;
    }[]
  >(
    `WITH cur AS (
       SELECT DISTINCT ON (r.project_id, r.month) r.project_id, r.month, r.amount
         FROM investment_report r
        WHERE r.project_id = ANY($1::uuid[]) AND r.month <= $2::date AND r.reported_at < $3
        ORDER BY r.project_id, r.month, r.version DESC),
     rev AS (${REVISIONS_AT.replace('$2', '$3')})
     SELECT rev.project_id AS id,
            trim_scale(max(cur.amount) FILTER (WHERE cur.month = $2::date))::text AS this_month,
            trim_scale(coalesce(sum(cur.amount) FILTER (WHERE cur.month >= date_trunc('year', $2::date)), 0))::text AS ytd,
            trim_scale(rev.prior_investment + coalesce(sum(cur.amount), 0))::text AS since_start,
            (SELECT trim_scale((e->>'amount')::numeric)::text FROM jsonb_array_elements(rev.year_plans) e
              WHERE (e->>'year')::int = extract(year FROM $2::date)::int) AS annual_plan,
            trim_scale(rev.planned_investment)::text AS total,
            coalesce(array_agg(to_char(cur.month, 'YYYY-MM')) FILTER (WHERE cur.month >= date_trunc('year', $2::date)), '{}') AS reported_months,
            to_char(rev.planned_start, 'YYYY-MM') AS start, to_char(rev.planned_end, 'YYYY-MM') AS end,
            -- Completed by then: every milestone verified; the month of the last verification.
            (SELECT CASE WHEN count(*) > 0 AND bool_and(coalesce(ms.verified_at < $3, false))
                         THEN to_char(max(ms.verified_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') END
               FROM milestone ms WHERE ms.project_id = rev.project_id AND ms.created_at < $3) AS completed
       FROM rev
       LEFT JOIN cur ON cur.project_id = rev.project_id
      GROUP BY rev.project_id, rev.prior_investment, rev.year_plans, rev.planned_investment, rev.planned_start, rev.planned_end`,
    [projectIds, `${month}-01`, before],
  );
  const result = new Map<string, InvestmentFigures>();
  for (const r of rows) {
    const owedThrough = r.completed !== null && r.completed < r.end ? r.completed : r.end;
    const judgement = judgeInvestment(month, {
      yearToDate: Number(r.ytd),
      sinceStart: Number(r.since_start),
      annualPlan: r.annual_plan === null ? null : Number(r.annual_plan),
      total: Number(r.total),
    });
    result.set(r.id, {
      ...judgement,
      thisMonth: r.this_month,
      yearToDate: r.ytd,
      sinceStart: r.since_start,
      annualPlan: r.annual_plan,
      total: r.total,
      missingMonths: expectedMonths(month, r.start, owedThrough).filter((mo) => !r.reported_months.includes(mo)),
      owedThrough,
    });
  }
  return result;
}

/** Months of `month`'s year, up to it, from the project's start month to the last month owed, for which a report is due. */
function expectedMonths(month: string, startMonth: string, owedThrough: string): string[] {
  const year = month.slice(0, 4);
  const months: string[] = [];
  for (let i = 1; i <= Number(month.slice(5, 7)); i++) {
    const mo = `${year}-${String(i).padStart(2, '0')}`;
    if (mo >= startMonth && mo <= owedThrough) months.push(mo);
  }
  return months;
}
