import type { Readable } from 'node:stream';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  CLOCK,
  DomainError,
  decide,
  milestoneWorkflow,
  scopeOfPaths,
  shanghaiDate,
  type Actor,
  type Clock,
  type MilestoneAction,
  type MilestoneState,
} from '#domain';
import { EVIDENCE_STORAGE, acceptUpload, type EvidenceStorage, type StoredFileView } from '#files';
import { personRefSql } from '#persistence';
import { WorkflowRunner } from '#workflow';
import {
  MILESTONE_ENTITY,
  MilestoneWorkflow,
  SELECT_MILESTONE,
  type MilestoneRow,
  type MilestoneTransitionInput,
} from './milestone-workflow.js';
import { PROJECT_ENTITY, checkMilestones, type MilestoneInput, type ProjectRef } from './project-fields.js';
import { insertMilestone } from './project-writes.js';
import { ProjectsService } from './projects.service.js';

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

const SELECT_EVIDENCE = `
  SELECT id, milestone_id AS "milestoneId", unit_id AS "unitId", filename, content_type AS "contentType", size_bytes::int AS "sizeBytes",
         sha256, uploaded_by AS "uploadedById", ${personRefSql('uploaded_by')} AS "uploadedBy", uploaded_at AS "uploadedAt",
         storage_key AS "storageKey"
    FROM milestone_evidence`;

/** Milestones of a project: views, custom milestones, evidence; state changes go through the workflow runner. */
@Injectable()
export class MilestonesService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WorkflowRunner) private readonly runner: WorkflowRunner,
    @Inject(MilestoneWorkflow) private readonly workflow: MilestoneWorkflow,
  ) {}

  onModuleInit(): void {
    WorkflowRunner.assertValid(this.workflow);
  }

  async list(actor: Actor, projectId: string): Promise<MilestoneView[]> {
    const project = await this.projects.readable(this.dataSource.manager, actor, projectId);
    const rows = await this.dataSource.query<MilestoneRow[]>(`${SELECT_MILESTONE} WHERE ms.project_id = $1 ORDER BY ms.seq`, [projectId]);
    return Promise.all(rows.map((r) => this.view(actor, project, r)));
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

  transition(actor: Actor, projectId: string, milestoneId: string, input: MilestoneTransitionInput) {
    return this.runner.perform(this.workflow, actor, { projectId, milestoneId }, input);
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
    const { project, row } = await this.workflow.load(m, actor, { projectId, milestoneId }, lock);
    return { project, row };
  }

  private async view(actor: Actor, project: ProjectRef, r: MilestoneRow): Promise<MilestoneView> {
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
      actions: await this.runner.actionsFor(this.workflow, actor, {
        id: r.id,
        state: r.state,
        version: r.version,
        tip: null,
        row: r,
        project,
      }),
    };
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

function strip(row: MilestoneEvidenceView & { storageKey: string }): MilestoneEvidenceView {
  const { storageKey: _key, ...view } = row;
  return view;
}
