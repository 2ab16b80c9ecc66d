import type { Readable } from 'node:stream';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService, type ChainTip } from '#audit';
import {
  CLOCK,
  DomainError,
  actionRefused,
  assertValidWorkflow,
  checkMilestoneAction,
  decide,
  isSupportedDate,
  dateOutOfRangeIssue,
  milestoneActionsFrom,
  milestoneGuards,
  milestoneWorkflow,
  scopeOfPaths,
  shanghaiDate,
  type Actor,
  type Clock,
  type MilestoneAction,
  type MilestoneState,
  type ResourceScope,
} from '#domain';
import { EVIDENCE_STORAGE, acceptUpload, recordChange, type EvidenceStorage, type StoredFileView } from '#items';
import { personRefSql } from '#persistence';
import {
  PROJECT_ENTITY,
  ProjectsService,
  checkMilestones,
  insertMilestone,
  type MilestoneInput,
  type ProjectRef,
} from './projects.service.js';

export const MILESTONE_ENTITY = 'milestone';

export interface MilestoneTransitionInput {
  action: MilestoneAction;
  version: number;
  reason?: string;
  actualDate?: string;
  plannedDate?: string;
}

export interface MilestoneView {
  id: string;
  projectId: string;
  seq: number;
  name: string;
  responsibleUnitId: string;
  responsibleUnitName: string;
  state: MilestoneState;
  stateLabel: string;
  version: number;
  plannedDate: string;
  originalPlannedDate: string;
  planVersions: { version: number; plannedDate: string; kind: string; reason: string | null; at: string }[];
  actualDate: string | null;
  reportedAt: string | null;
  verifiedAt: string | null;
  evidenceCount: number;
  /** Not verified and its planned date has passed. */
  delayed: boolean;
  actions: { action: MilestoneAction; label: string; enabled: boolean; blockedBy: string[]; requiresReason: boolean }[];
}

export interface MilestoneEvidenceView extends StoredFileView {
  milestoneId: string;
}

interface MilestoneRow {
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
  plans: MilestoneView['planVersions'];
  actual_date: string | null;
  reported_at: Date | null;
  verified_at: Date | null;
  evidence_count: number;
}

const SELECT_MILESTONE = `
  SELECT ms.id, ms.project_id, ms.seq, ms.name, ms.responsible_unit_id, o.name AS responsible_unit_name, o.path AS responsible_path,
         ms.state, ms.version, to_char(ms.planned_date, 'YYYY-MM-DD') AS planned_date,
         to_char(ms.original_planned_date, 'YYYY-MM-DD') AS original_planned_date, ms.plan_version,
         to_char(ms.actual_date, 'YYYY-MM-DD') AS actual_date, ms.reported_at, ms.verified_at,
         (SELECT count(*)::int FROM milestone_evidence e WHERE e.milestone_id = ms.id) AS evidence_count,
         (SELECT json_agg(json_build_object('version', mp.version, 'plannedDate', to_char(mp.planned_date, 'YYYY-MM-DD'),
                   'kind', mp.kind, 'reason', mp.reason, 'at', mp.created_at) ORDER BY mp.version)
            FROM milestone_plan mp WHERE mp.milestone_id = ms.id) AS plans
    FROM milestone ms JOIN org_unit o ON o.id = ms.responsible_unit_id`;

const SELECT_EVIDENCE = `
  SELECT id, milestone_id AS "milestoneId", unit_id AS "unitId", filename, content_type AS "contentType", size_bytes::int AS "sizeBytes",
         sha256, uploaded_by AS "uploadedById", ${personRefSql('uploaded_by')} AS "uploadedBy", uploaded_at AS "uploadedAt",
         storage_key AS "storageKey"
    FROM milestone_evidence`;

/**
 * Milestones of a project and the one function that changes their state. Like items: role,
 * unit scope, state and guards are checked, the row is written with `UPDATE … WHERE id AND
 * version` (stale → 409), and the history row and notification are recorded in the same transaction.
 */
@Injectable()
export class MilestonesService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    assertValidWorkflow(milestoneWorkflow, Object.keys(milestoneGuards));
  }

  async list(actor: Actor, projectId: string): Promise<MilestoneView[]> {
    const project = await this.projects.readable(this.dataSource.manager, actor, projectId);
    const rows = await this.dataSource.query<MilestoneRow[]>(`${SELECT_MILESTONE} WHERE ms.project_id = $1 ORDER BY ms.seq`, [projectId]);
    return rows.map((r) => this.view(actor, project, r));
  }

  async get(actor: Actor, projectId: string, milestoneId: string): Promise<MilestoneView> {
    const { project, row } = await this.load(this.dataSource.manager, actor, projectId, milestoneId);
    return this.view(actor, project, row);
  }

  /** A custom milestone, added by the managing unit's dispatchers. */
  async add(actor: Actor, projectId: string, input: MilestoneInput): Promise<MilestoneView> {
    checkMilestones([input]);
    const at = this.clock.now();
    const id = await this.dataSource.transaction(async (m) => {
      const project = await this.projects.readable(m, actor, projectId, true);
      this.projects.assertManages(actor, project);
      const [{ seq }] = await m.query<{ seq: number }[]>(`SELECT coalesce(max(seq), 0) + 1 AS seq FROM milestone WHERE project_id = $1`, [
        projectId,
      ]);
      const milestoneId = await insertMilestone(
        m,
        projectId,
        seq,
        input,
        input.responsibleUnitId ?? project.responsibleUnitIds[0],
        actor.userId,
        at,
      );
      await m.query(`SELECT project_refresh_scope($1)`, [projectId]);
      await this.history.append(m, {
        entityType: PROJECT_ENTITY,
        entityId: projectId,
        action: 'add_milestone',
        actorId: actor.userId,
        data: { milestoneId, name: input.name.trim(), plannedDate: input.plannedDate, responsibleUnitId: input.responsibleUnitId ?? null },
        at,
      });
      return milestoneId;
    });
    return this.get(actor, projectId, id);
  }

  async transition(actor: Actor, projectId: string, milestoneId: string, input: MilestoneTransitionInput) {
    const { project, row } = await this.load(this.dataSource.manager, actor, projectId, milestoneId);
    const def = milestoneWorkflow.actions[input.action];
    if (input.version !== row.version) throw versionConflict(row.version);
    if (!def.from.includes(row.state)) {
      throw DomainError.conflict('ACTION_NOT_ALLOWED', `Cannot ${input.action} a milestone that is ${row.state}`, {
        state: row.state,
        action: input.action,
        allowedActions: this.actionsFor(actor, project, row)
          .filter((a) => a.enabled)
          .map((a) => a.action),
      });
    }
    const actionActor = { ...actor, roles: actor.roles.filter((r) => def.roles.includes(r)) };
    if (actionActor.roles.length === 0) {
      throw DomainError.forbidden(`Only ${def.roles.join(' or ')} may ${input.action}`, { action: input.action, roles: def.roles });
    }
    if (!decide(actionActor, def.permission, this.actionScope(def.actorScope, project, row)).allowed) {
      throw DomainError.forbidden(`Your unit may not ${input.action} this milestone`, { action: input.action, actorScope: def.actorScope });
    }
    for (const field of ['actualDate', 'plannedDate'] as const) {
      const value = input[field];
      if (value !== undefined && !isSupportedDate(value))
        throw DomainError.validation(`${field} must be a date`, [dateOutOfRangeIssue(field)]);
    }
    const at = this.clock.now();
    const check = checkMilestoneAction(input.action, row.state, {
      milestone: { plannedDate: row.planned_date, evidenceCount: row.evidence_count },
      today: shanghaiDate(at),
      input,
    });
    if (!check.ok) throw actionRefused(check, input.action, 'milestone', row.state);
    const to = check.to;
    return this.dataSource.transaction(async (m) => {
      const sets: string[] = ['state = $3', 'version = version + 1', 'updated_at = $4'];
      const values: unknown[] = [milestoneId, row.version, to, at];
      const set = (column: string, value: unknown): void => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      const data: Record<string, unknown> = {};
      if (input.action === 'report_done') {
        set('actual_date', input.actualDate);
        set('reported_at', at);
        data.actualDate = input.actualDate;
      } else if (input.action === 'return') {
        set('actual_date', null);
        set('reported_at', null);
      } else if (input.action === 'verify') {
        set('verified_at', at);
        data.actualDate = row.actual_date;
      } else if (input.action === 'replan') {
        set('planned_date', input.plannedDate);
        set('plan_version', row.plan_version + 1);
        data.plannedDate = { from: row.planned_date, to: input.plannedDate, version: row.plan_version + 1 };
      }
      const updated = await m.query<[{ version: number; tip: ChainTip | null }[], number]>(
        `UPDATE milestone SET ${sets.join(', ')} WHERE id = $1 AND version = $2
         RETURNING version, ${HistoryService.tipSql(`'${MILESTONE_ENTITY}'`, '$1')} AS tip`,
        values,
      );
      if (updated[1] === 0) {
        const [current] = await m.query<{ version: number }[]>(`SELECT version FROM milestone WHERE id = $1`, [milestoneId]);
        throw versionConflict(current.version);
      }
      if (input.action === 'replan') {
        await m.query(
          `INSERT INTO milestone_plan (milestone_id, version, planned_date, kind, reason, decided_by, created_at)
           VALUES ($1, $2, $3, 'replan', $4, $5, $6)`,
          [milestoneId, row.plan_version + 1, input.plannedDate, input.reason!.trim(), actor.userId, at],
        );
      }
      const seq = await recordChange(
        m,
        updated[0][0].tip,
        {
          entityType: MILESTONE_ENTITY,
          entityId: milestoneId,
          action: input.action,
          actorId: actor.userId,
          fromState: row.state,
          toState: to,
          reason: input.reason?.trim() || null,
          data: { projectId, ...data },
          at,
        },
        (historySeq) => ({
          kind: `milestone.${input.action}`,
          dedupeKey: `milestone:${milestoneId}:${historySeq}`,
          payload: { milestoneId, projectId, action: input.action, from: row.state, to, actorId: actor.userId, historySeq },
        }),
      );
      return { id: milestoneId, action: input.action, from: row.state, to, version: updated[0][0].version, historySeq: seq };
    });
  }

  async uploadEvidence(
    actor: Actor,
    projectId: string,
    milestoneId: string,
    file: { stream: Readable; filename: string; limitBytes: number },
  ) {
    const first = await this.load(this.dataSource.manager, actor, projectId, milestoneId);
    this.assertMayUpload(actor, first.project, first.row);
    const { staged, mime, filename } = await acceptUpload(this.storage, file.stream, file.filename, file.limitBytes);
    const at = this.clock.now();
    const id = await this.dataSource
      .transaction(async (m) => {
        // The milestone's row lock gives its history chain one writer; the state is checked again under it.
        const { project, row } = await this.load(m, actor, projectId, milestoneId, true);
        this.assertMayUpload(actor, project, row);
        const stored = await staged.commit();
        const [{ id: evidenceId }] = await m.query<{ id: string }[]>(
          `INSERT INTO milestone_evidence (milestone_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [milestoneId, actor.unitId, filename, mime, stored.sizeBytes, stored.sha256, stored.key, actor.userId, at],
        );
        await this.history.append(m, {
          entityType: MILESTONE_ENTITY,
          entityId: milestoneId,
          action: 'add_evidence',
          actorId: actor.userId,
          fromState: row.state,
          toState: row.state,
          data: { projectId, evidenceId, filename, contentType: mime, sizeBytes: stored.sizeBytes, sha256: stored.sha256 },
          at,
        });
        return evidenceId;
      })
      .catch(async (e: unknown) => {
        await staged.discard();
        throw e;
      });
    const [view] = await this.dataSource.query<(MilestoneEvidenceView & { storageKey: string })[]>(`${SELECT_EVIDENCE} WHERE id = $1`, [
      id,
    ]);
    return strip(view);
  }

  async evidence(actor: Actor, projectId: string, milestoneId: string): Promise<MilestoneEvidenceView[]> {
    await this.load(this.dataSource.manager, actor, projectId, milestoneId);
    const rows = await this.dataSource.query<(MilestoneEvidenceView & { storageKey: string })[]>(
      `${SELECT_EVIDENCE} WHERE milestone_id = $1 ORDER BY uploaded_at, id`,
      [milestoneId],
    );
    return rows.map(strip);
  }

  async openEvidence(actor: Actor, projectId: string, milestoneId: string, evidenceId: string) {
    await this.load(this.dataSource.manager, actor, projectId, milestoneId);
    const [row] = await this.dataSource.query<(MilestoneEvidenceView & { storageKey: string })[]>(
      `${SELECT_EVIDENCE} WHERE id = $1 AND milestone_id = $2`,
      [evidenceId, milestoneId],
    );
    if (!row) throw DomainError.notFound('evidence', evidenceId);
    return { view: strip(row), stream: await this.storage.open(row.storageKey) };
  }

  private async load(m: EntityManager, actor: Actor, projectId: string, milestoneId: string, lock = false) {
    const project = await this.projects.readable(m, actor, projectId);
    const [row] = await m.query<MilestoneRow[]>(
      `${SELECT_MILESTONE} WHERE ms.id = $1 AND ms.project_id = $2 ${lock ? 'FOR UPDATE OF ms' : ''}`,
      [milestoneId, projectId],
    );
    if (!row) throw DomainError.notFound('milestone', milestoneId);
    return { project, row };
  }

  private view(actor: Actor, project: ProjectRef, r: MilestoneRow): MilestoneView {
    const today = shanghaiDate(this.clock.now());
    return {
      id: r.id,
      projectId: r.project_id,
      seq: r.seq,
      name: r.name,
      responsibleUnitId: r.responsible_unit_id,
      responsibleUnitName: r.responsible_unit_name,
      state: r.state,
      stateLabel: milestoneWorkflow.states[r.state].label,
      version: r.version,
      plannedDate: r.planned_date,
      originalPlannedDate: r.original_planned_date,
      planVersions: r.plans ?? [],
      actualDate: r.actual_date,
      reportedAt: r.reported_at?.toISOString() ?? null,
      verifiedAt: r.verified_at?.toISOString() ?? null,
      evidenceCount: r.evidence_count,
      delayed: r.state !== 'verified' && r.planned_date < today,
      actions: this.actionsFor(actor, project, r),
    };
  }

  /** The actions open to the actor now, enabled or with what blocks them (inputs are theirs to give). */
  private actionsFor(actor: Actor, project: ProjectRef, r: MilestoneRow): MilestoneView['actions'] {
    const today = shanghaiDate(this.clock.now());
    return milestoneActionsFrom(r.state).flatMap((action) => {
      const def = milestoneWorkflow.actions[action];
      const actionActor = { ...actor, roles: actor.roles.filter((role) => def.roles.includes(role)) };
      if (actionActor.roles.length === 0 || !decide(actionActor, def.permission, this.actionScope(def.actorScope, project, r)).allowed)
        return [];
      const check = checkMilestoneAction(action, r.state, {
        milestone: { plannedDate: r.planned_date, evidenceCount: r.evidence_count },
        today,
        input: { reason: 'x', actualDate: today, plannedDate: '9999-12-31' },
      });
      return [
        {
          action,
          label: def.label,
          enabled: check.ok,
          blockedBy: !check.ok && check.problem === 'guard' ? check.missing : [],
          requiresReason: !!def.requiresReason,
        },
      ];
    });
  }

  private actionScope(actorScope: string, project: ProjectRef, r: MilestoneRow): ResourceScope {
    if (actorScope === 'dispatcher') return { ownerScope: [], dispatcherScope: project.scope.dispatcherScope };
    if (actorScope === 'lead') return { ownerScope: scopeOfPaths([r.responsible_path]) };
    return project.scope;
  }

  /** Evidence comes from the milestone's unit or the managing dispatchers, until it is verified. */
  private assertMayUpload(actor: Actor, project: ProjectRef, r: MilestoneRow): void {
    const own = decide(actor, 'project.report', { ownerScope: scopeOfPaths([r.responsible_path]) }).allowed;
    const manages = decide(actor, 'project.manage', { ownerScope: [], dispatcherScope: project.scope.dispatcherScope }).allowed;
    if (!own && !manages) throw DomainError.forbidden('Only the milestone’s unit and the managing dispatchers may add evidence');
    if (r.state === 'verified') {
      throw DomainError.conflict('MILESTONE_VERIFIED', 'Evidence cannot be added to a verified milestone', { state: r.state });
    }
  }
}

function versionConflict(current: number): DomainError {
  return DomainError.conflict('VERSION_CONFLICT', `The milestone was changed by someone else (current version ${current})`, {
    currentVersion: current,
  });
}

function strip(row: MilestoneEvidenceView & { storageKey: string }): MilestoneEvidenceView {
  const { storageKey: _key, ...view } = row;
  return view;
}
