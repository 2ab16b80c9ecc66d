import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  DomainError,
  dateOutOfRangeIssue,
  isSupportedDate,
  milestoneGuards,
  milestoneInputGuards,
  milestoneWorkflow,
  scopeOfPaths,
  type Actor,
  type ActorScope,
  type MilestoneAction,
  type MilestoneContext,
  type MilestoneState,
  type ResourceScope,
} from '#domain';
import type { ChainTip } from '#audit';
import type { EffectsTable, MilestoneRef, TransitionRequest, WorkflowAdapter } from '#workflow';
import type { ProjectRef } from './project-fields.js';
import { ProjectsService } from './projects.service.js';

export const MILESTONE_ENTITY = 'milestone';

export interface MilestoneTransitionInput extends TransitionRequest<MilestoneAction> {
  actualDate?: string;
  plannedDate?: string;
}

export interface MilestoneRow {
  id: string;
  project_id: string;
  seq: number;
  name: string;
  responsible_unit_id: string;
  responsible_unit_name: string;
  responsible_path: string;
  state: MilestoneState;
  version: number;
  planned_date: string;
  original_planned_date: string;
  plan_version: number;
  plans: { version: number; plannedDate: string; kind: string; reason: string | null; at: string }[];
  actual_date: string | null;
  reported_at: Date | null;
  verified_at: Date | null;
  evidence_count: number;
}

export const SELECT_MILESTONE = `
  SELECT ms.id, ms.project_id, ms.seq, ms.name, ms.responsible_unit_id, o.name AS responsible_unit_name, o.path AS responsible_path,
         ms.state, ms.version, to_char(ms.planned_date, 'YYYY-MM-DD') AS planned_date,
         to_char(ms.original_planned_date, 'YYYY-MM-DD') AS original_planned_date, ms.plan_version,
         to_char(ms.actual_date, 'YYYY-MM-DD') AS actual_date, ms.reported_at, ms.verified_at,
         (SELECT count(*)::int FROM milestone_evidence e WHERE e.milestone_id = ms.id) AS evidence_count,
         (SELECT json_agg(json_build_object('version', mp.version, 'plannedDate', to_char(mp.planned_date, 'YYYY-MM-DD'),
                   'kind', mp.kind, 'reason', mp.reason, 'at', mp.created_at) ORDER BY mp.version)
            FROM milestone_plan mp WHERE mp.milestone_id = ms.id) AS plans,
         ${HistoryService.tipSql(`'${MILESTONE_ENTITY}'`, 'ms.id')} AS tip
    FROM milestone ms JOIN org_unit o ON o.id = ms.responsible_unit_id`;

/** A milestone with its project, as the runner moves it. */
export interface MilestoneSubject {
  id: string;
  state: MilestoneState;
  version: number;
  tip: ChainTip | null;
  row: MilestoneRow;
  project: ProjectRef;
}

export interface MilestoneKey {
  projectId: string;
  milestoneId: string;
}

type MilestoneEffects = EffectsTable<MilestoneState, MilestoneAction, MilestoneSubject, MilestoneTransitionInput, MilestoneContext>;

const effects: MilestoneEffects = {
  start: null,
  urge: null,
  report_done: {
    columns: ({ input }, bind) => [`actual_date = ${bind(input.actualDate)}`, `reported_at = ${bind.at}`],
    data: ({ input }) => ({ actualDate: input.actualDate }),
  },
  return: { columns: () => ['actual_date = NULL', 'reported_at = NULL'] },
  verify: {
    columns: (_args, bind) => [`verified_at = ${bind.at}`],
    data: ({ subject }) => ({ actualDate: subject.row.actual_date }),
  },
  replan: {
    columns: ({ input, subject }, bind) => [
      `planned_date = ${bind(input.plannedDate)}`,
      `plan_version = ${bind(subject.row.plan_version + 1)}`,
    ],
    write: async (m, { actor, subject, input, at }) => {
      const version = subject.row.plan_version + 1;
      await m.query(
        `INSERT INTO milestone_plan (milestone_id, version, planned_date, kind, reason, decided_by, created_at)
         VALUES ($1, $2, $3, 'replan', $4, $5, $6)`,
        [subject.id, version, input.plannedDate, input.reason!.trim(), actor.userId, at],
      );
      return { plannedDate: { from: subject.row.planned_date, to: input.plannedDate, version } };
    },
  },
};

/** Key-project milestones as a subject of the workflow runner. */
@Injectable()
export class MilestoneWorkflow implements WorkflowAdapter<
  MilestoneKey,
  MilestoneState,
  MilestoneAction,
  MilestoneSubject,
  MilestoneTransitionInput,
  MilestoneContext,
  MilestoneRef
> {
  readonly entity = MILESTONE_ENTITY;
  readonly table = 'milestone';
  readonly definition = milestoneWorkflow;
  readonly guards = milestoneGuards;
  readonly inputGuards = milestoneInputGuards;
  readonly effects = effects;

  constructor(@Inject(ProjectsService) private readonly projects: ProjectsService) {}

  /** The milestone if the actor may read its project (404 for the project, then for the milestone). */
  async load(m: EntityManager, actor: Actor, key: MilestoneKey, lock = false): Promise<MilestoneSubject> {
    const project = await this.projects.readable(m, actor, key.projectId);
    const [row] = await m.query<(MilestoneRow & { tip: ChainTip | null })[]>(
      `${SELECT_MILESTONE} WHERE ms.id = $1 AND ms.project_id = $2 ${lock ? 'FOR UPDATE OF ms' : ''}`,
      [key.milestoneId, key.projectId],
    );
    if (!row) throw DomainError.notFound('milestone', key.milestoneId);
    return { id: row.id, state: row.state, version: row.version, tip: row.tip, row, project };
  }

  ref(s: MilestoneSubject): MilestoneRef {
    return { milestoneId: s.id, projectId: s.project.id };
  }

  scope(_m: EntityManager, actorScope: ActorScope, s: MilestoneSubject): Promise<ResourceScope> {
    return Promise.resolve(milestoneScope(actorScope, s.project, s.row));
  }

  context(s: MilestoneSubject, today: string, input: Partial<MilestoneTransitionInput>): MilestoneContext {
    return { milestone: { plannedDate: s.row.planned_date, evidenceCount: s.row.evidence_count }, today, input };
  }

  validate(input: MilestoneTransitionInput): void {
    for (const field of ['actualDate', 'plannedDate'] as const) {
      const value = input[field];
      if (value !== undefined && !isSupportedDate(value))
        throw DomainError.validation(`${field} must be a date`, [dateOutOfRangeIssue(field)]);
    }
  }

  data(s: MilestoneSubject): Record<string, unknown> {
    return { projectId: s.project.id };
  }
}

export function milestoneScope(actorScope: ActorScope, project: ProjectRef, r: Pick<MilestoneRow, 'responsible_path'>): ResourceScope {
  if (actorScope === 'dispatcher') return { ownerScope: [], dispatcherScope: project.scope.dispatcherScope };
  if (actorScope === 'lead') return { ownerScope: scopeOfPaths([r.responsible_path]) };
  return project.scope;
}
