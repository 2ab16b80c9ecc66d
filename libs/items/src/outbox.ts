import type { EntityManager } from 'typeorm';
import { HistoryService, type ChainTip, type HistoryEntry } from '#audit';
import { preparedQuery } from '#persistence';

export interface OutboxMessage {
  kind: string;
  /** Makes a message idempotent: writing the same key twice keeps the first. */
  dedupeKey: string;
  payload: Record<string, unknown>;
}

/** A data-modifying statement with RETURNING, to be run as a CTE of the statement that records it. */
export interface GuardedWrite {
  sql: string;
  params: unknown[];
}

/**
 * Appends the next row of an entity's history chain and the notification it causes in one
 * statement (one round trip in the writer's transaction). Returns the row's sequence number.
 */
export async function recordChange(
  m: EntityManager,
  last: ChainTip | null,
  entry: HistoryEntry,
  message: (seq: number) => OutboxMessage,
): Promise<number> {
  const { seq } = await writeAndRecord(m, null, last, entry, message);
  return seq;
}

/**
 * A write, the history row recording it and its notification as one statement, so one that needs
 * no transaction of its own: the history row and the message are written only if the write
 * returned a row. Returns the write's rows (none: nothing was written) and the row's sequence
 * number. `last` must be the chain's tip as the write's own guard saw it; if another writer
 * appended meanwhile, the sequence is taken and the statement fails with a unique violation on
 * history_entity_seq_uq (see isChainMoved), writing nothing.
 */
export async function writeAndRecord<T>(
  m: EntityManager,
  write: GuardedWrite | null,
  last: ChainTip | null,
  entry: HistoryEntry,
  message: (seq: number) => OutboxMessage,
): Promise<{ rows: T[]; seq: number }> {
  const row = HistoryService.chained(last, entry);
  const before = write?.params ?? [];
  const history = HistoryService.insert(row, before.length + 1, write ? 'w' : undefined);
  const msg = message(row.seq);
  const n = before.length + history.params.length;
  const outbox = `INSERT INTO outbox (kind, dedupe_key, payload) SELECT $${n + 1}::text, $${n + 2}::text, $${n + 3}::jsonb FROM h
                  ON CONFLICT (dedupe_key) DO NOTHING`;
  const sql = write
    ? `WITH w AS (${write.sql}), h AS (${history.sql} RETURNING 1), o AS (${outbox}) SELECT * FROM w`
    : `WITH h AS (${history.sql} RETURNING 1) ${outbox}`;
  const rows = await preparedQuery<T>(m, sql, [...before, ...history.params, msg.kind, msg.dedupeKey, msg.payload]);
  return { rows, seq: row.seq };
}

/** Whether a statement failed because another writer appended to the same history chain first. */
export function isChainMoved(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' && err.constraint === 'history_entity_seq_uq';
}
