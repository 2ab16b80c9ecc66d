import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { chainHash, verifyEntityChain, type ChainBreak } from '#domain';
import { HistoryEntity, SqlParams, type PersonRef } from '#persistence';

/** The newest row of an entity's chain. */
export interface ChainTip {
  seq: number;
  hash: string;
}

export interface HistoryEntry {
  entityType: string;
  entityId: string;
  action: string;
  actorId: string | null;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
  at?: Date;
}

/** A history row with the person who acted (name and unit), null for the system. */
export type HistoryView = HistoryEntity & { actor: PersonRef | null };

/**
 * Appends to the audit trail inside the caller's transaction. The per-entity sequence is
 * unique, so two writers racing on the same entity cannot fork its chain: one of them fails
 * and its transaction rolls back with the change it was recording.
 */
@Injectable()
export class HistoryService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, entry: HistoryEntry): Promise<HistoryEntity> {
    const [last] = await manager.query<ChainTip[]>(
      `SELECT seq, hash FROM history WHERE entity_type = $1 AND entity_id = $2 ORDER BY seq DESC LIMIT 1`,
      [entry.entityType, entry.entityId],
    );
    return this.appendAfter(manager, last ?? null, entry);
  }

  /** The SQL that reads an entity's chain tip, for callers that fetch it with another statement. */
  static tipSql(typeParam: string, idParam: string): string {
    return `(SELECT json_build_object('seq', h.seq, 'hash', h.hash) FROM history h
              WHERE h.entity_type = ${typeParam} AND h.entity_id = ${idParam} ORDER BY h.seq DESC LIMIT 1)`;
  }

  /** Appends after a chain tip the caller read under the same lock (null for a new entity). */
  async appendAfter(manager: EntityManager, last: ChainTip | null, entry: HistoryEntry): Promise<HistoryEntity> {
    const row = HistoryService.chained(last, entry);
    const insert = HistoryService.insert(row);
    const [inserted] = await manager.query<{ id: string }[]>(`${insert.sql} RETURNING id`, insert.params);
    return Object.assign(new HistoryEntity(), { ...row, id: inserted.id });
  }

  /** The next row of a chain with its hash, for callers that insert it with other writes in one statement. */
  static chained(last: ChainTip | null, entry: HistoryEntry): Omit<HistoryEntity, 'id'> {
    const row = {
      entityType: entry.entityType,
      entityId: entry.entityId,
      seq: (last?.seq ?? 0) + 1,
      action: entry.action,
      fromState: entry.fromState ?? null,
      toState: entry.toState ?? null,
      actorId: entry.actorId,
      at: entry.at ?? new Date(),
      reason: entry.reason ?? null,
      data: entry.data ?? {},
      prevHash: last?.hash ?? null,
    };
    return { ...row, hash: chainHash(row) };
  }

  /**
   * The INSERT of a chained row, its parameters added to `q` (after those of the statement it joins).
   * With `from` (a CTE of the same statement) the row is written once for each row that CTE
   * returns: only if its write happened.
   */
  static insert(row: Omit<HistoryEntity, 'id'>, q = new SqlParams(), from?: string): { sql: string; params: unknown[] } {
    // Typed, so that they need no column to infer it from (a SELECT list has none).
    const placeholders = [
      q.add(row.entityType, 'text'),
      q.add(row.entityId, 'uuid'),
      q.add(row.seq, 'int'),
      q.add(row.action, 'text'),
      q.add(row.fromState, 'text'),
      q.add(row.toState, 'text'),
      q.add(row.actorId, 'uuid'),
      q.add(row.at, 'timestamptz'),
      q.add(row.reason, 'text'),
      q.add(row.data, 'jsonb'),
      q.add(row.prevHash, 'text'),
      q.add(row.hash, 'text'),
    ].join(', ');
    return {
      sql: `INSERT INTO history (entity_type, entity_id, seq, action, from_state, to_state, actor_id, at, reason, data, prev_hash, hash)
            ${from ? `SELECT ${placeholders} FROM ${from}` : `VALUES (${placeholders})`}`,
      params: q.values,
    };
  }

  /** Writes many chained rows (each an entity's next row, from `chained`) in one statement. */
  static async insertMany(manager: EntityManager, rows: Omit<HistoryEntity, 'id'>[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO history (entity_type, entity_id, seq, action, from_state, to_state, actor_id, at, reason, data, prev_hash, hash)
       SELECT h.entity_type, h.entity_id, h.seq, h.action, h.from_state, h.to_state, h.actor_id, h.at, h.reason, h.data, h.prev_hash, h.hash
         FROM jsonb_to_recordset($1::jsonb) AS h(entity_type text, entity_id uuid, seq int, action text, from_state text, to_state text,
              actor_id uuid, at timestamptz, reason text, data jsonb, prev_hash text, hash text)`,
      [
        JSON.stringify(
          rows.map((h) => ({
            entity_type: h.entityType,
            entity_id: h.entityId,
            seq: h.seq,
            action: h.action,
            from_state: h.fromState,
            to_state: h.toState,
            actor_id: h.actorId,
            at: h.at,
            reason: h.reason,
            data: h.data,
            prev_hash: h.prevHash,
            hash: h.hash,
          })),
        ),
      ],
    );
  }

  /** An entity's history, oldest first, each row naming its actor. */
  async list(entityType: string, entityId: string): Promise<HistoryView[]> {
    const rows = await this.dataSource.getRepository(HistoryEntity).find({
      where: { entityType, entityId },
      order: { seq: 'ASC' },
    });
    const ids = [...new Set(rows.map((r) => r.actorId).filter((a): a is string => a !== null))];
    const people =
      ids.length === 0
        ? []
        : await this.dataSource.query<PersonRef[]>(
            `SELECT u.id, u.name, u.unit_id AS "unitId", o.name AS "unitName"
               FROM app_user u JOIN org_unit o ON o.id = u.unit_id WHERE u.id = ANY($1::uuid[])`,
            [ids],
          );
    const byId = new Map(people.map((p) => [p.id, p]));
    return rows.map((r) => Object.assign(r, { actor: (r.actorId && byId.get(r.actorId)) || null }));
  }

  /** Verifies every chain (or one entity type's), streaming in entity order; returns the first break. */
  async verify(entityType?: string): Promise<{ checkedRows: number; checkedEntities: number; firstBreak: ChainBreak | null }> {
    const batch = 5000;
    let checkedRows = 0;
    let checkedEntities = 0;
    let cursor: { type: string; id: string; seq: number } | null = null;
    let pending: HistoryEntity[] = [];
    const flush = (): ChainBreak | null => {
      if (pending.length === 0) return null;
      checkedEntities += 1;
      const broken = verifyEntityChain(pending);
      pending = [];
      return broken;
    };
    for (;;) {
      const qb = this.dataSource
        .getRepository(HistoryEntity)
        .createQueryBuilder('h')
        .orderBy('h.entity_type')
        .addOrderBy('h.entity_id')
        .addOrderBy('h.seq')
        .limit(batch);
      if (entityType) qb.andWhere('h.entity_type = :entityType', { entityType });
      if (cursor) {
        qb.andWhere('(h.entity_type, h.entity_id, h.seq) > (:ct, :ci, :cs)', { ct: cursor.type, ci: cursor.id, cs: cursor.seq });
      }
      const rows = await qb.getMany();
      for (const row of rows) {
        const last = pending.at(-1);
        if (last && (last.entityType !== row.entityType || last.entityId !== row.entityId)) {
          const broken = flush();
          if (broken) return { checkedRows, checkedEntities, firstBreak: broken };
        }
        pending.push(row);
        checkedRows += 1;
      }
      if (rows.length < batch) break;
      const tail = rows[rows.length - 1];
      cursor = { type: tail.entityType, id: tail.entityId, seq: tail.seq };
    }
    return { checkedRows, checkedEntities, firstBreak: flush() };
  }
}
