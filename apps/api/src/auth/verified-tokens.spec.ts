import { VerifiedTokens } from './verified-tokens.js';

describe('VerifiedTokens', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_700_000_000_000;
  });

  it('gives back the claims of the very same token string until its expiry, then forgets it', () => {
    const tokens = new VerifiedTokens(100, clock);
    const exp = now / 1000 + 60;
    tokens.remember('a.b.c', { sub: 'u1', sid: 's1', exp });
    expect(tokens.get('a.b.c')).toEqual({ sub: 'u1', sid: 's1', exp });
    expect(tokens.get('a.b.c ')).toBeUndefined();
    expect(tokens.get('a.b.C')).toBeUndefined();
    now += 59_999;
    expect(tokens.get('a.b.c')?.sub).toBe('u1');
    now += 1;
    expect(tokens.get('a.b.c')).toBeUndefined();
    now -= 10_000;
    // Forgotten once expired, even if the clock went back.
    expect(tokens.get('a.b.c')).toBeUndefined();
  });

  it('keeps no token without an expiry, and only its own claims', () => {
    const tokens = new VerifiedTokens(100, clock);
    tokens.remember('no-exp', { sub: 'u1', sid: 's1' });
    expect(tokens.get('no-exp')).toBeUndefined();
    tokens.remember('extra', { sub: 'u1', sid: 's1', exp: now / 1000 + 60, roles: ['admin'] } as never);
    expect(tokens.get('extra')).toEqual({ sub: 'u1', sid: 's1', exp: now / 1000 + 60 });
  });

  it('holds at most max tokens, dropping the oldest first', () => {
    const tokens = new VerifiedTokens(2, clock);
    const exp = now / 1000 + 60;
    tokens.remember('t1', { sub: 'u1', sid: 's1', exp });
    tokens.remember('t2', { sub: 'u2', sid: 's2', exp });
    tokens.remember('t2', { sub: 'u2', sid: 's2', exp });
    expect(tokens.get('t1')).toBeDefined();
    tokens.remember('t3', { sub: 'u3', sid: 's3', exp });
    expect(tokens.get('t1')).toBeUndefined();
    expect(tokens.get('t2')?.sub).toBe('u2');
    expect(tokens.get('t3')?.sub).toBe('u3');
  });
});
