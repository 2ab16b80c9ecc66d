import type { SessionActor } from './access.decorators.js';

/**
 * The actors behind recently checked sessions, each kept for at most `ttlMs`: the several requests
 * of one page load check the session once, not once each. What ends or changes a session in this
 * process evicts at once (sign-out, a reused refresh token, a user edit, a unit moved: see
 * AccessChanges); a change made by another process (a second API instance, the CLI) is seen within
 * ttlMs. A check that began before an eviction is not kept, since it may have read the old rows.
 */
export class SessionCache {
  private readonly entries = new Map<string, { actor: SessionActor; until: number }>();
  private evictions = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The actor of session `sessionId` of user `userId`, if checked within ttlMs. */
  get(sessionId: string, userId: string): SessionActor | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.until <= this.now() || entry.actor.userId !== userId) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.actor;
  }

  /** A mark to take before checking a session, to hand to keep() afterwards. */
  mark(): number {
    return this.evictions;
  }

  keep(actor: SessionActor, mark: number): void {
    if (this.ttlMs === 0 || mark !== this.evictions) return;
    // The oldest entry goes first when full (a Map iterates in insertion order).
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(actor.sessionId, { actor, until: this.now() + this.ttlMs });
  }

  evictSession(sessionId: string): void {
    this.evictions += 1;
    this.entries.delete(sessionId);
  }

  /** A user's sessions, or everyone's (null). */
  evictUser(userId: string | null): void {
    this.evictions += 1;
    if (userId === null) this.entries.clear();
    else for (const [sid, e] of this.entries) if (e.actor.userId === userId) this.entries.delete(sid);
  }
}
