import type { SessionActor } from './access.decorators.js';
import { SessionCache } from './session-cache.js';

const actor = (sessionId: string, userId = 'u1'): SessionActor => ({
  userId,
  unitId: 'unit',
  unitPath: 'root.unit',
  roles: ['unit_officer'],
  sessionId,
});

describe('SessionCache', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('keeps a checked session for ttl milliseconds, for the user it belongs to only', () => {
    const cache = new SessionCache(1000, 100, clock);
    cache.keep(actor('s1'), cache.mark());
    expect(cache.get('s1', 'u1')).toEqual(actor('s1'));
    expect(cache.get('s1', 'someone else')).toBeUndefined();
    cache.keep(actor('s1'), cache.mark());
    now += 999;
    expect(cache.get('s1', 'u1')).toEqual(actor('s1'));
    now += 1;
    expect(cache.get('s1', 'u1')).toBeUndefined();
  });

  it('evicts one session, one user, or everyone', () => {
    const cache = new SessionCache(1000, 100, clock);
    for (const [sid, user] of [
      ['a', 'u1'],
      ['b', 'u1'],
      ['c', 'u2'],
    ]) {
      cache.keep(actor(sid, user), cache.mark());
    }
    cache.evictSession('a');
    expect([cache.get('a', 'u1'), cache.get('b', 'u1')?.sessionId]).toEqual([undefined, 'b']);
    cache.evictUser('u1');
    expect([cache.get('b', 'u1'), cache.get('c', 'u2')?.sessionId]).toEqual([undefined, 'c']);
    cache.evictUser(null);
    expect(cache.get('c', 'u2')).toBeUndefined();
  });

  it('does not keep a check that began before an eviction (it may have read the old rows)', () => {
    const cache = new SessionCache(1000, 100, clock);
    const mark = cache.mark();
    cache.evictUser('u9');
    cache.keep(actor('s1'), mark);
    expect(cache.get('s1', 'u1')).toBeUndefined();
    cache.keep(actor('s1'), cache.mark());
    expect(cache.get('s1', 'u1')).toBeDefined();
  });

  it('keeps nothing when turned off, and drops the oldest entry when full', () => {
    const off = new SessionCache(0, 100, clock);
    off.keep(actor('s1'), off.mark());
    expect(off.get('s1', 'u1')).toBeUndefined();
    const small = new SessionCache(1000, 2, clock);
    for (const sid of ['s1', 's2', 's3']) small.keep(actor(sid), small.mark());
    expect(['s1', 's2', 's3'].map((sid) => small.get(sid, 'u1') !== undefined)).toEqual([false, true, true]);
  });
});
