import type { DataSource, EntityManager } from 'typeorm';
import { listScope, type Actor, type ProjectCategory } from '#domain';
import { SqlParams, escapeLike } from '#persistence';
import type { ProjectFilter, ProjectRef } from './project-fields.js';

export interface ProjectRow {
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

/** SQL conditions (on project p) limiting projects to what the actor may read; null when nothing. */
export function projectScopeSql(actor: Actor, q: SqlParams): string[] | null {
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

/** Reads of project rows: one, the ones matching a filter within the actor's scope, and one for a permission check. */
export interface ProjectReads {
  byId(m: EntityManager, id: string): Promise<ProjectRow | undefined>;
  /** Rows the actor may read that match the SQL filters, in code order (schedule is judged in code). */
  matching(actor: Actor, filter: Omit<ProjectFilter, 'page' | 'pageSize' | 'schedule'>): Promise<ProjectRow[]>;
  /** The project's scope, units and period (locked FOR UPDATE when asked); undefined when it does not exist. */
  ref(m: EntityManager, id: string, lock: boolean): Promise<ProjectRef | undefined>;
}

export class ProjectQuery implements ProjectReads {
  constructor(private readonly dataSource: DataSource) {}

  async byId(m: EntityManager, id: string): Promise<ProjectRow | undefined> {
    const [row] = await m.query<ProjectRow[]>(`${SELECT_PROJECT} WHERE p.id = $1`, [id]);
    return row;
  }

  async matching(actor: Actor, filter: Omit<ProjectFilter, 'page' | 'pageSize' | 'schedule'>): Promise<ProjectRow[]> {
    const q = new SqlParams();
    const where = projectScopeSql(actor, q);
    if (!where) return [];
    if (filter.category?.length) where.push(`p.category = ANY(${q.add(filter.category)}::text[])`);
    if (filter.countyUnitId) where.push(`p.county_unit_id = ${q.add(filter.countyUnitId)}`);
    if (filter.unitId) {
      where.push(`EXISTS (SELECT 1 FROM project_unit pu JOIN org_unit o ON o.id = pu.unit_id
                           WHERE pu.project_id = p.id AND path_ids(o.path) @> ARRAY[${q.add(filter.unitId)}::uuid])`);
    }
    if (filter.year !== undefined) where.push(`${q.add(filter.year)}::int BETWEEN p.start_year AND p.end_year`);
    if (filter.q) where.push(`(p.code || ' ' || p.name) ILIKE ${q.add(`%${escapeLike(filter.q)}%`)}`);
    return this.dataSource.query<ProjectRow[]>(
      `${SELECT_PROJECT} WHERE ${where.length ? where.join(' AND ') : 'true'} ORDER BY p.code`,
      q.values,
    );
  }

  async ref(m: EntityManager, id: string, lock: boolean): Promise<ProjectRef | undefined> {
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
    return row
      ? {
          id: row.id,
          version: row.version,
          scope: { ownerScope: row.owner_scope, dispatcherScope: row.dispatcher_scope },
          dispatcherUnitId: row.dispatcher_unit_id,
          responsibleUnitIds: row.units,
          plannedStart: row.planned_start,
          plannedEnd: row.planned_end,
        }
      : undefined;
  }
}
