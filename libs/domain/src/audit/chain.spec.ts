import { chainHash, stableStringify, verifyEntityChain, type ChainedRow } from './chain.js';

function chain(n: number): ChainedRow[] {
  const rows: ChainedRow[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      entityType: 'user',
      entityId: '00000000-0000-0000-0000-000000000001',
      seq,
      action: seq === 1 ? 'create' : 'update',
      fromState: null,
      toState: 'active',
      actorId: null,
      at: new Date(Date.UTC(2026, 0, seq)),
      reason: null,
      data: { step: seq, nested: { b: 2, a: 1 } },
      prevHash: rows.at(-1)?.hash ?? null,
    };
    rows.push({ ...base, hash: chainHash(base) });
  }
  return rows;
}

describe('audit chain', () => {
  it('stableStringify ignores key order', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      stableStringify({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it('an intact chain verifies', () => {
    expect(verifyEntityChain(chain(4))).toBeNull();
  });

  it('an edited row is the first break', () => {
    const rows = chain(4);
    rows[2] = { ...rows[2], data: { step: 99 } };
    expect(verifyEntityChain(rows)).toEqual(expect.objectContaining({ seq: 3, problem: 'hash_mismatch' }));
  });

  it('a removed row is found', () => {
    const rows = chain(4);
    rows.splice(1, 1);
    expect(verifyEntityChain(rows)).toEqual(expect.objectContaining({ seq: 3, problem: 'seq_gap' }));
  });

  it('a row re-hashed after an edit still breaks the link to the next row', () => {
    const rows = chain(3);
    const edited = { ...rows[1], reason: 'rewritten' };
    rows[1] = { ...edited, hash: chainHash(edited) };
    expect(verifyEntityChain(rows)).toEqual(expect.objectContaining({ seq: 3, problem: 'prev_hash_mismatch' }));
  });
});
