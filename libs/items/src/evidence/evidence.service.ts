import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { EVIDENCE_STORAGE, acceptUpload, type EvidenceStorage, type StoredFileView } from '#files';
import { personRefSql } from '#persistence';
import { CLOCK, DomainError, decide, type Actor, type Clock, type RectificationState } from '#domain';
import { ITEM_ENTITY } from '../item-snapshot.js';
import { TransitionService } from '../transition.service.js';

export interface EvidenceView extends StoredFileView {
  itemId: string;
  unitName: string;
  partUnitId: string | null;
  acceptanceLevel: number | null;
  progressId: string | null;
}

export interface UploadInput {
  stream: Readable;
  filename: string;
  limitBytes: number;
  /** Attaches the file to a progress report of the same item. */
  progressId?: string;
}

/** Evidence can be added while work or acceptance is going on, not to closed or abandoned items. */
const UPLOAD_STATES: readonly RectificationState[] = ['assigned', 'in_progress', 'in_acceptance', 'public_notice', 'phase_completed'];

const SELECT_EVIDENCE = `
  SELECT e.id, e.item_id AS "itemId", e.unit_id AS "unitId", o.name AS "unitName", e.part_unit_id AS "partUnitId",
         e.acceptance_level AS "acceptanceLevel", e.progress_id AS "progressId", e.filename, e.content_type AS "contentType", e.size_bytes::int AS "sizeBytes",
         e.sha256, e.uploaded_by AS "uploadedById",
         ${personRefSql('e.uploaded_by')} AS "uploadedBy", e.uploaded_at AS "uploadedAt", e.storage_key AS "storageKey"
    FROM evidence e JOIN org_unit o ON o.id = e.unit_id`;

/** 佐证材料: uploads checked by content, stored content-addressed with their SHA-256, read within scope. */
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(TransitionService) private readonly transitions: TransitionService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async upload(actor: Actor, itemId: string, input: UploadInput): Promise<EvidenceView> {
    const item = await this.transitions.readable(this.dataSource.manager, actor, itemId);
    this.assertMayUpload(actor, item.scope, item.state);
    const { staged, mime, filename } = await acceptUpload(this.storage, input.stream, input.filename, input.limitBytes);
    const at = this.clock.now();
    const id = await this.dataSource
      .transaction(async (m) => {
        // Lock the item so the history chain gets one writer, and re-check the state under the lock.
        const locked = await this.transitions.readable(m, actor, itemId, true);
        this.assertMayUpload(actor, locked.scope, locked.state);
        if (input.progressId) {
          const found = await m.query<unknown[]>(`SELECT 1 FROM item_progress WHERE id = $1 AND item_id = $2`, [input.progressId, itemId]);
          if (found.length === 0) {
            throw new DomainError('unprocessable', 'PROGRESS_NOT_FOUND', 'The progress report does not belong to this item', {
              progressId: input.progressId,
            });
          }
        }
        const stored = await staged.commit();
        const part = locked.cooperating.find((p) => p.path.startsWith(actor.unitPath) && !locked.leadScope.includes(actor.unitId));
        const [{ id }] = await m.query<{ id: string }[]>(
          `INSERT INTO evidence (item_id, unit_id, part_unit_id, acceptance_level, filename, content_type, size_bytes, sha256, storage_key,
                               uploaded_by, uploaded_at, progress_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [
            itemId,
            actor.unitId,
            part?.unitId ?? null,
            locked.state === 'in_acceptance' ? locked.acceptanceLevel : null,
            filename,
            mime,
            stored.sizeBytes,
            stored.sha256,
            stored.key,
            actor.userId,
            at,
            input.progressId ?? null,
          ],
        );
        await this.history.append(m, {
          entityType: ITEM_ENTITY,
          entityId: itemId,
          action: 'add_evidence',
          actorId: actor.userId,
          fromState: locked.state,
          toState: locked.state,
          data: { evidenceId: id, filename, contentType: mime, sizeBytes: stored.sizeBytes, sha256: stored.sha256 },
          at,
        });
        return id;
      })
      .catch(async (e: unknown) => {
        await staged.discard();
        throw e;
      });
    const [view] = await this.dataSource.query<(EvidenceView & { storageKey: string })[]>(`${SELECT_EVIDENCE} WHERE e.id = $1`, [id]);
    return strip(view);
  }

  async list(actor: Actor, itemId: string): Promise<EvidenceView[]> {
    await this.transitions.readable(this.dataSource.manager, actor, itemId);
    const rows = await this.dataSource.query<(EvidenceView & { storageKey: string })[]>(
      `${SELECT_EVIDENCE} WHERE e.item_id = $1 ORDER BY e.uploaded_at, e.id`,
      [itemId],
    );
    return rows.map(strip);
  }

  async open(actor: Actor, itemId: string, evidenceId: string): Promise<{ view: EvidenceView; stream: Readable }> {
    await this.transitions.readable(this.dataSource.manager, actor, itemId);
    const [row] = await this.dataSource.query<(EvidenceView & { storageKey: string })[]>(
      `${SELECT_EVIDENCE} WHERE e.id = $1 AND e.item_id = $2`,
      [evidenceId, itemId],
    );
    if (!row) throw DomainError.notFound('evidence', evidenceId);
    return { view: strip(row), stream: await this.storage.open(row.storageKey) };
  }

  private assertMayUpload(actor: Actor, scope: Parameters<typeof decide>[2], state: RectificationState): void {
    if (!decide(actor, 'item.act', scope).allowed && !decide(actor, 'item.verify', scope).allowed) {
      throw DomainError.forbidden('Only the item’s units, its dispatcher and its verifiers may add evidence');
    }
    if (!UPLOAD_STATES.includes(state)) {
      throw DomainError.conflict('ITEM_NOT_OPEN_FOR_EVIDENCE', `Evidence cannot be added to an item that is ${state}`, { state });
    }
  }
}

function strip(row: EvidenceView & { storageKey: string }): EvidenceView {
  const { storageKey: _key, ...view } = row;
  return view;
}
