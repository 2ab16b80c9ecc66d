import type { EntityManager } from 'typeorm';
import { HistoryService, type ChainTip, type HistoryEntry } from '#audit';
import { SqlParams, isUniqueViolation, preparedQuery } from '#persistence';
import { changeDetails, type ChangeEvent, type SubjectRef } from './change-event.js';

/** A change to record: its history row, the subject its event names, and the event's kind (default `<entity>.<action>`). */
export interface ChangeRecord<R extends SubjectRef> {
  entry: HistoryEntry;
  ref: R;
  kind?: string;
}

/** A data-modifying statement with RETURNING, to be run as a CTE of the statement that records it. */
export interface GuardedWrite {
  sql: string;
  params: unknown[];
}

/** The event a recorded change emits, numbered by its history row. */
export function changeEvent<R extends SubjectRef>(change: ChangeRecord<R>, historySeq: number): ChangeEvent<R> {
  const { entry } = change;
  return {
    ...change.ref,
    kind: change.kind ?? `${entry.entityType}.${entry.action}`,
    action: entry.action,
    from: entry.fromState ?? null,
    to: entry.toState ?? null,
    actorId: entry.actorId,
    reason: entry.reason ?? null,
    historySeq,
    details: changeDetails(entry.data ?? {}),
  };
}

/**
 * Appends the next row of an entity's history chain and the event it emits to the outbox in one
 * statement (one round trip in the writer's transaction). Returns the row's sequence number.
 */
export async function recordChange<R extends SubjectRef>(
  m: EntityManager,
  last: ChainTip | null,
  change: ChangeRecord<R>,
): Promise<number> {
  const { seq } = await writeAndRecord(m, null, last, change);
  return seq;
}

/**
 * A write, the history row recording it and its event as one statement, so one that needs no
 * transaction of its own: the history row and the event are written only if the write returned a
 * row. Returns the write's rows (none: nothing was written) and the row's sequence number. `last`
 * must be the chain's tip as the write's own guard saw it; if another writer appended meanwhile,
 * the sequence is taken and the statement fails with a unique violation (see isChainMoved),
 * writing nothing.
 */
export async function writeAndRecord<T, R extends SubjectRef = SubjectRef>(
  m: EntityManager,
  write: GuardedWrite | null,
  last: ChainTip | null,
  change: ChangeRecord<R>,
): Promise<{ rows: T[]; seq: number }> {
  const row = HistoryService.chained(last, change.entry);
  // One numbering for the write, the history row and the event, in the order they are spliced.
  const q = new SqlParams(write?.params);
  const history = HistoryService.insert(row, q, write ? 'w' : undefined);
  const event = changeEvent(change, row.seq);
  const dedupeKey = `${row.entityType}:${row.entityId}:${row.seq}`;
  const outbox = `INSERT INTO outbox (kind, dedupe_key, payload) SELECT ${q.add(event.kind, 'text')}, ${q.add(dedupeKey, 'text')}, ${q.add(event, 'jsonb')} FROM h
                  ON CONFLICT (dedupe_key) DO NOTHING`;
  const sql = write
    ? `WITH w AS (${write.sql}), h AS (${history.sql} RETURNING 1), o AS (${outbox}) SELECT * FROM w`
    : `WITH h AS (${history.sql} RETURNING 1) ${outbox}`;
  const rows = await preparedQuery<T>(m, sql, q.values);
  return { rows, seq: row.seq };
}

/** Whether a statement failed because another writer appended to the same history chain first. */
export function isChainMoved(e: unknown): boolean {
  return isUniqueViolation(e, 'history_entity_seq_uq');
}
