import { Injectable } from '@nestjs/common';

/**
 * Says, in this process, that what a user may do has changed (roles, unit, status) or that the
 * unit tree moved (anyone's scope may differ), once the change is committed. Whoever keeps such
 * facts for a moment (the sign-in session cache) drops them at once.
 */
@Injectable()
export class AccessChanges {
  private readonly listeners = new Set<(userId: string | null) => void>();

  /** `listener` is told the user whose access changed, or null for anyone's. Returns the unsubscribe. */
  subscribe(listener: (userId: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  userChanged(userId: string): void {
    for (const l of this.listeners) l(userId);
  }

  everyoneChanged(): void {
    for (const l of this.listeners) l(null);
  }
}
