import type { EntityManager } from 'typeorm';
import { HistoryService, type ChainTip, type HistoryEntry } from '#audit';
import { preparedQuery } from '#persistence';

export interface OutboxMessage {
  kind: string;
  /** Makes a message idempotent: writing the same key twice keeps the first. */
  dedupeKey: string;
  payload: Record<string, unknown>;
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
  const row = HistoryService.chained(last, entry);
  const history = HistoryService.insert(row);
  const msg = message(row.seq);
  const n = history.params.length;
  await preparedQuery(
    m,
    `WITH h AS (${history.sql})
     INSERT INTO outbox (kind, dedupe_key, payload) VALUES ($${n + 1}, $${n + 2}, $${n + 3}) ON CONFLICT (dedupe_key) DO NOTHING`,
    [...history.params, msg.kind, msg.dedupeKey, msg.payload],
  );
  return row.seq;
}
