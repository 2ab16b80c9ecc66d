import type { EntityManager } from 'typeorm';

export interface OutboxMessage {
  kind: string;
  /** Makes a message idempotent: writing the same key twice keeps the first. */
  dedupeKey: string;
  payload: Record<string, unknown>;
}

/** Records notifications in the caller's transaction; the worker relays them once committed. */
export async function writeOutbox(m: EntityManager, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const values = messages.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
  await m.query(
    `INSERT INTO outbox (kind, dedupe_key, payload) VALUES ${values} ON CONFLICT (dedupe_key) DO NOTHING`,
    messages.flatMap((msg) => [msg.kind, msg.dedupeKey, msg.payload]),
  );
}
