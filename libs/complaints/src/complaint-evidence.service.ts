import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CLOCK, DomainError, decide, type Actor, type Clock, type ComplaintState } from '#domain';
import { EVIDENCE_STORAGE, acceptUpload, type EvidenceStorage, type StoredFileView } from '#files';
import { personRefSql } from '#persistence';
import { COMPLAINT_ENTITY } from './complaint-intake.service.js';
import { ComplaintWorkflow, type ComplaintSubject } from './complaint-workflow.js';

export interface ComplaintEvidenceView extends StoredFileView {
  caseId: string;
  unitName: string;
  /** The verdict report the file went in with (null: not reported yet, it goes with the next one). */
  verdictSeq: number | null;
}

export interface ComplaintUploadInput {
  stream: Readable;
  filename: string;
  limitBytes: number;
}

/** An archived or merged case is finished with: nothing is added or withdrawn. */
const CLOSED_TO_EVIDENCE: readonly ComplaintState[] = ['archived', 'merged'];

const SELECT_EVIDENCE = `
  SELECT e.id, e.case_id AS "caseId", e.unit_id AS "unitId", o.name AS "unitName", e.verdict_seq AS "verdictSeq",
         e.filename, e.content_type AS "contentType", e.size_bytes::int AS "sizeBytes", e.sha256, e.uploaded_by AS "uploadedById",
         ${personRefSql('e.uploaded_by')} AS "uploadedBy", e.uploaded_at AS "uploadedAt", e.storage_key AS "storageKey"
    FROM complaint_evidence e JOIN org_unit o ON o.id = e.unit_id`;

type Row = ComplaintEvidenceView & { storageKey: string };

/**
 * Evidence of a complaint case (调查核实材料): checked and stored like item evidence, read within
 * the case's scope (another unit's case is a 404), every upload and withdrawal in the case's history.
 */
@Injectable()
export class ComplaintEvidenceService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(ComplaintWorkflow) private readonly workflow: ComplaintWorkflow,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async upload(actor: Actor, caseId: string, input: ComplaintUploadInput): Promise<ComplaintEvidenceView> {
    assertMayAct(actor, await this.workflow.load(this.dataSource.manager, actor, caseId));
    const { staged, mime, filename } = await acceptUpload(this.storage, input.stream, input.filename, input.limitBytes);
    const at = this.clock.now();
    const id = await this.dataSource
      .transaction(async (m) => {
        // Lock the case so its history chain has one writer, and check again under the lock.
        const subject = await this.workflow.load(m, actor, caseId, true);
        assertMayAct(actor, subject);
        const stored = await staged.commit();
        const [{ id }] = await m.query<{ id: string }[]>(
          `INSERT INTO complaint_evidence (case_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [caseId, actor.unitId, filename, mime, stored.sizeBytes, stored.sha256, stored.key, actor.userId, at],
        );
        await this.history.appendAfter(m, subject.tip, {
          entityType: COMPLAINT_ENTITY,
          entityId: caseId,
          action: 'add_evidence',
          actorId: actor.userId,
          fromState: subject.state,
          toState: subject.state,
          data: { evidenceId: id, filename, contentType: mime, sizeBytes: stored.sizeBytes, sha256: stored.sha256 },
          at,
        });
        return id;
      })
      .catch(async (e: unknown) => {
        await staged.discard();
        throw e;
      });
    const [row] = await this.dataSource.query<Row[]>(`${SELECT_EVIDENCE} WHERE e.id = $1`, [id]);
    return strip(row);
  }

  async list(actor: Actor, caseId: string): Promise<ComplaintEvidenceView[]> {
    await this.workflow.load(this.dataSource.manager, actor, caseId);
    const rows = await this.dataSource.query<Row[]>(
      `${SELECT_EVIDENCE} WHERE e.case_id = $1 AND e.removed_at IS NULL ORDER BY e.uploaded_at, e.id`,
      [caseId],
    );
    return rows.map(strip);
  }

  async open(actor: Actor, caseId: string, evidenceId: string): Promise<{ view: ComplaintEvidenceView; stream: Readable }> {
    await this.workflow.load(this.dataSource.manager, actor, caseId);
    const [row] = await this.dataSource.query<Row[]>(`${SELECT_EVIDENCE} WHERE e.id = $1 AND e.case_id = $2 AND e.removed_at IS NULL`, [
      evidenceId,
      caseId,
    ]);
    if (!row) throw DomainError.notFound('evidence', evidenceId);
    return { view: strip(row), stream: await this.storage.open(row.storageKey) };
  }

  /**
   * Withdraws a file not yet reported with a verdict: its own unit or the case's dispatcher. The row
   * stays (removed_at) and the history names the file; the stored content may be shared, so it stays too.
   */
  async remove(actor: Actor, caseId: string, evidenceId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const subject = await this.workflow.load(m, actor, caseId, true);
      assertMayAct(actor, subject);
      const [row] = await m.query<Row[]>(`${SELECT_EVIDENCE} WHERE e.id = $1 AND e.case_id = $2 AND e.removed_at IS NULL`, [
        evidenceId,
        caseId,
      ]);
      if (!row) throw DomainError.notFound('evidence', evidenceId);
      const dispatcher = decide(actor, 'complaint.act', { ownerScope: [], dispatcherScope: subject.row.dispatcher_scope }).allowed;
      if (row.unitId !== actor.unitId && !dispatcher) {
        throw DomainError.forbidden('Only the unit that uploaded a file, or the case’s dispatcher, may withdraw it');
      }
      if (row.verdictSeq !== null) {
        throw DomainError.conflict('EVIDENCE_ALREADY_REPORTED', 'The file was reported with a verdict and stays in the record', {
          verdictSeq: row.verdictSeq,
        });
      }
      const at = this.clock.now();
      await m.query(`UPDATE complaint_evidence SET removed_at = $2, removed_by = $3 WHERE id = $1`, [evidenceId, at, actor.userId]);
      await this.history.appendAfter(m, subject.tip, {
        entityType: COMPLAINT_ENTITY,
        entityId: caseId,
        action: 'remove_evidence',
        actorId: actor.userId,
        fromState: subject.state,
        toState: subject.state,
        data: { evidenceId, filename: row.filename, sha256: row.sha256 },
        at,
      });
    });
  }
}

/** The case's units (officers) and its dispatchers; an auditor reads but adds nothing. */
function assertMayAct(actor: Actor, subject: ComplaintSubject): void {
  const scope = { ownerScope: subject.row.owner_scope, dispatcherScope: subject.row.dispatcher_scope };
  if (!decide(actor, 'complaint.act', scope).allowed) {
    throw DomainError.forbidden('Only the case’s units and its dispatchers may add or withdraw evidence');
  }
  if (CLOSED_TO_EVIDENCE.includes(subject.state)) {
    throw DomainError.conflict('COMPLAINT_NOT_OPEN_FOR_EVIDENCE', `Evidence cannot be changed on a case that is ${subject.state}`, {
      state: subject.state,
    });
  }
}

function strip(row: Row): ComplaintEvidenceView {
  const { storageKey: _key, ...view } = row;
  return view;
}
