import type { AccessTokenPayload } from './auth.service.js';

/** The claims of a verified access token: who, which session, and when it expires (seconds). */
export interface VerifiedClaims extends AccessTokenPayload {
  exp: number;
}

/**
 * Access tokens whose signature this process has verified, with their claims, until they expire.
 * A client sends the same token with every request for the token's lifetime; verifying it again
 * each time goes through passport and jsonwebtoken, a large share of a small request's time.
 * The key is the whole token, so only the very same string hits; expiry is checked on every hit.
 * The session behind the token is still checked on every request (AuthService.actorForToken and
 * its own short cache), so sign-out, a revoked session or a deactivated user take effect as before.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedClaims>();

  constructor(
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The claims of `token` if it was verified here and has not expired. */
  get(token: string): VerifiedClaims | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    if (claims.exp * 1000 <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  /** Remembers a token that passport has just verified (one without an expiry is not kept). */
  remember(token: string, claims: AccessTokenPayload & { exp?: unknown }): void {
    if (typeof claims.exp !== 'number') return;
    // The oldest entry goes first when full (a Map iterates in insertion order).
    if (this.entries.size >= this.max && !this.entries.has(token)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { sub: claims.sub, sid: claims.sid, exp: claims.exp });
  }
}
