import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CLOCK, DomainError, assertAllowed, scopeOfPaths, type Actor, type Clock } from '#domain';
import { SqlParams } from '#persistence';
import { BATCH_ENTITY, BatchesService, type BatchView, type NoticeEndAction } from './batches.service.js';

/** The fields of a batch that may change while none of its items has been signed off. */
export interface BatchEdit {
  version: number;
  name?: string;
  issuer?: string | null;
  issuedOn?: string | null;
  description?: string | null;
  round?: number | null;
  noticeDays?: number;
  noticeEndAction?: NoticeEndAction;
}

const COLUMNS: Record<Exclude<keyof BatchEdit, 'version'>, string> = {
  name: 'name',
  issuer: 'issuer',
  issuedOn: 'issued_on',
  description: 'description',
  round: 'round',
  noticeDays: 'notice_days',
  noticeEndAction: 'notice_end_action',
};

/**
 * Editing a batch (name, issuer, dates, notice settings) by its dispatching unit. Once an item of
 * it has been signed off, what the batch said then is on record: the batch no longer changes.
 */
@Injectable()
export class BatchEditService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BatchesService) private readonly batches: BatchesService,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async update(actor: Actor, id: string, input: BatchEdit): Promise<BatchView> {
    const before = await this.batches.get(actor, id);
    const at = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const [row] = await m.query<{ version: number; path: string }[]>(
        `SELECT b.version, o.path FROM batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id WHERE b.id = $1 FOR UPDATE OF b`,
        [id],
      );
      if (!row) throw DomainError.notFound('batch', id);
      assertAllowed(actor, 'item.create', { ownerScope: scopeOfPaths([row.path]) }, 'batch', id);
      if (row.version !== input.version)
        throw DomainError.conflict('VERSION_CONFLICT', `The batch was changed by someone else (current version ${row.version})`, {
          currentVersion: row.version,
        });
      const [{ n }] = await m.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM item WHERE batch_id = $1 AND first_signed_off_at IS NOT NULL`,
        [id],
      );
      if (n > 0)
        throw DomainError.conflict(
          'BATCH_HAS_SIGNED_OFF_ITEMS',
          `The batch can no longer be edited: ${n} of its items have been signed off`,
          {
            signedOffItems: n,
          },
        );
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const q = new SqlParams();
      const where = `id = ${q.add(id)}`;
      const sets: string[] = [];
      for (const [key, column] of Object.entries(COLUMNS) as [Exclude<keyof BatchEdit, 'version'>, string][]) {
        const value = input[key];
        if (value === undefined) continue;
        const next = typeof value === 'string' ? value.trim() : value;
        if (next === before[key]) continue;
        changes[key] = { from: before[key], to: next };
        sets.push(`${column} = ${q.add(next)}`);
      }
      if (sets.length === 0) return;
      await m.query(`UPDATE batch SET ${sets.join(', ')}, version = version + 1, updated_at = ${q.add(at)} WHERE ${where}`, q.values);
      await this.history.append(m, { entityType: BATCH_ENTITY, entityId: id, action: 'update', actorId: actor.userId, data: changes, at });
    });
    return this.batches.get(actor, id);
  }
}
