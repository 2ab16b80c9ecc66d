import { createHash } from 'node:crypto';

/**
 * The audit trail is one hash chain per entity: each row's hash covers its content and the
 * previous row's hash, so editing or removing a row breaks every hash after it.
 */
export interface ChainedRow {
  entityType: string;
  entityId: string;
  seq: number;
  action: string;
  fromState: string | null;
  toState: string | null;
  actorId: string | null;
  at: Date;
  reason: string | null;
  data: Record<string, unknown>;
  prevHash: string | null;
  hash: string;
}

/** JSON with object keys sorted, so the same value always gives the same text (jsonb reorders keys). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

export function chainHash(row: Omit<ChainedRow, 'hash'>): string {
  const content = stableStringify({
    prev: row.prevHash,
    type: row.entityType,
    id: row.entityId,
    seq: row.seq,
    action: row.action,
    from: row.fromState,
    to: row.toState,
    actor: row.actorId,
    at: row.at.toISOString(),
    reason: row.reason,
    data: row.data,
  });
  return createHash('sha256').update(content).digest('hex');
}

export interface ChainBreak {
  entityType: string;
  entityId: string;
  seq: number;
  problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap';
}

/** Checks one entity's rows, ordered by seq; returns the first broken row or null. */
export function verifyEntityChain(rows: readonly ChainedRow[]): ChainBreak | null {
  let prev: ChainedRow | null = null;
  for (const row of rows) {
    const at = { entityType: row.entityType, entityId: row.entityId, seq: row.seq };
    if (row.seq !== (prev ? prev.seq + 1 : 1)) return { ...at, problem: 'seq_gap' };
    if (row.prevHash !== (prev ? prev.hash : null)) return { ...at, problem: 'prev_hash_mismatch' };
    if (chainHash(row) !== row.hash) return { ...at, problem: 'hash_mismatch' };
    prev = row;
  }
  return null;
}
