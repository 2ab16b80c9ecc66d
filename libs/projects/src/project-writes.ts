import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '#domain';
import { PG_FOREIGN_KEY_VIOLATION, isUniqueViolation, pgErrorCode } from '#persistence';
import type { MilestoneInput, YearPlanInput } from './project-fields.js';

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

/** Sets a project's responsible units. */
export async function writeUnits(m: EntityManager, projectId: string, unitIds: string[]): Promise<void> {
  const units = [...new Set(unitIds)];
  await m.query(`DELETE FROM project_unit WHERE project_id = $1 AND NOT (unit_id = ANY($2::uuid[]))`, [projectId, units]);
  await guardWrite(() =>
    m.query(`INSERT INTO project_unit (project_id, unit_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [projectId, units]),
  );
}

/** Replaces a project's yearly investment plans. */
export async function writeYearPlans(m: EntityManager, projectId: string, plans: YearPlanInput[]): Promise<void> {
  await m.query(`DELETE FROM project_year_plan WHERE project_id = $1`, [projectId]);
  if (plans.length === 0) return;
  await m.query(
    `INSERT INTO project_year_plan (project_id, year, amount) SELECT $1, y, a FROM unnest($2::int[], $3::numeric[]) AS t(y, a)`,
    [projectId, plans.map((p) => p.year), plans.map((p) => String(p.amount))],
  );
}
