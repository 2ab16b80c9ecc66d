import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, DomainError, decide, type Actor, type Clock, type Role } from '#domain';
import { personRefSql, type PersonRef } from '#persistence';
import type { ItemSnapshot } from './item-snapshot.js';
import { TransitionService } from './transition.service.js';

export interface ProgressView {
  id: string;
  unitId: string;
  unitName: string;
  authorId: string;
  authorName: string;
  author: PersonRef | null;
  reportedOn: string;
  text: string;
  createdAt: Date;
}

export interface CommentView {
  id: string;
  authorId: string;
  authorName: string;
  author: PersonRef | null;
  text: string;
  createdAt: Date;
}

/** Progress reports (written through the report_progress action) and free comments on an item. */
/** What a comment that mentions people writes to the outbox (kind item.comment). */
export interface CommentEvent {
  itemId: string;
  commentId: string;
  actorId: string;
  commentText: string;
  mentionedUserIds: string[];
  mentionedUnitIds: string[];
}

/** An outbox payload read back as a comment event; null when it is not one. */
export function readCommentEvent(payload: unknown): CommentEvent | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const ids = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null);
  const [userIds, unitIds] = [ids(p.mentionedUserIds), ids(p.mentionedUnitIds)];
  if (typeof p.itemId !== 'string' || typeof p.commentId !== 'string' || typeof p.actorId !== 'string') return null;
  if (typeof p.commentText !== 'string' || !userIds || !unitIds) return null;
  return {
    itemId: p.itemId,
    commentId: p.commentId,
    actorId: p.actorId,
    commentText: p.commentText,
    mentionedUserIds: userIds,
    mentionedUnitIds: unitIds,
  };
}

@Injectable()
export class ItemNotesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TransitionService) private readonly transitions: TransitionService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async progress(actor: Actor, itemId: string): Promise<ProgressView[]> {
    await this.transitions.readable(this.dataSource.manager, actor, itemId);
    return this.dataSource.query<ProgressView[]>(
      `SELECT p.id, p.unit_id AS "unitId", o.name AS "unitName", p.author_id AS "authorId", u.name AS "authorName", ${personRefSql('p.author_id')} AS author,
              to_char(p.reported_on, 'YYYY-MM-DD') AS "reportedOn", p.text, p.created_at AS "createdAt"
         FROM item_progress p JOIN org_unit o ON o.id = p.unit_id JOIN app_user u ON u.id = p.author_id
        WHERE p.item_id = $1 ORDER BY p.created_at, p.id`,
      [itemId],
    );
  }

  async comments(actor: Actor, itemId: string): Promise<CommentView[]> {
    await this.transitions.readable(this.dataSource.manager, actor, itemId);
    return this.dataSource.query<CommentView[]>(
      `SELECT c.id, c.author_id AS "authorId", u.name AS "authorName", ${personRefSql('c.author_id')} AS author, c.text,
              c.created_at AS "createdAt"
         FROM item_comment c JOIN app_user u ON u.id = c.author_id WHERE c.item_id = $1 ORDER BY c.created_at, c.id`,
      [itemId],
    );
  }

  /**
   * Anyone who works on the item (its units, dispatcher, verifiers) or audits it may comment.
   * Users and units named after an @ (@张三, @市住建局) who may read the item are told by e-mail.
   */
  async addComment(
    actor: Actor,
    itemId: string,
    text: string,
  ): Promise<CommentView & { mentions: { userIds: string[]; unitIds: string[] } }> {
    const item = await this.transitions.readable(this.dataSource.manager, actor, itemId);
    const mayTalk = (['item.act', 'item.verify', 'item.spot_check'] as const).some((p) => decide(actor, p, item.scope).allowed);
    if (!mayTalk) throw DomainError.forbidden('Your roles do not allow commenting on this item');
    const body = text.trim();
    const mentions =
      body.includes('@') || body.includes('＠') ? await this.mentions(item, body.replace(/＠/g, '@')) : { userIds: [], unitIds: [] };
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<CommentView[]>(
        `WITH c AS (INSERT INTO item_comment (item_id, author_id, text, created_at) VALUES ($1, $2, $3, $4) RETURNING *)
         SELECT c.id, c.author_id AS "authorId", u.name AS "authorName", ${personRefSql('c.author_id')} AS author, c.text,
                c.created_at AS "createdAt"
           FROM c JOIN app_user u ON u.id = c.author_id`,
        [itemId, actor.userId, body, this.clock.now()],
      );
      if (mentions.userIds.length + mentions.unitIds.length > 0) {
        const commentEvent: CommentEvent = {
          itemId,
          commentId: row.id,
          actorId: actor.userId,
          commentText: body.slice(0, 500),
          mentionedUserIds: mentions.userIds,
          mentionedUnitIds: mentions.unitIds,
        };
        await m.query(
          `INSERT INTO outbox (kind, dedupe_key, payload) VALUES ('item.comment', $1, $2) ON CONFLICT (dedupe_key) DO NOTHING`,
          [`comment:${row.id}`, commentEvent],
        );
      }
      return { ...row, mentions };
    });
  }

  /** Users and units (by name or alias) written after an @, kept only if they may read the item. */
  private async mentions(item: ItemSnapshot, text: string): Promise<{ userIds: string[]; unitIds: string[] }> {
    const users = await this.dataSource.query<{ id: string; unit_id: string; path: string; roles: Role[] }[]>(
      `SELECT u.id, u.unit_id, o.path, u.roles FROM app_user u JOIN org_unit o ON o.id = u.unit_id
        WHERE u.active AND strpos($1, '@' || u.name) > 0`,
      [text],
    );
    const units = await this.dataSource.query<{ id: string; path: string }[]>(
      `SELECT DISTINCT o.id, o.path FROM org_unit o LEFT JOIN org_unit_alias a ON a.unit_id = o.id
        WHERE o.active AND (strpos($1, '@' || o.name) > 0 OR strpos($1, '@' || a.alias) > 0)`,
      [text],
    );
    const reads = (a: Actor): boolean => decide(a, 'item.read', item.scope).allowed;
    return {
      userIds: users.filter((u) => reads({ userId: u.id, unitId: u.unit_id, unitPath: u.path, roles: u.roles })).map((u) => u.id),
      // A unit is told if its officers may read the item.
      unitIds: units.filter((u) => reads({ userId: '', unitId: u.id, unitPath: u.path, roles: ['unit_officer'] })).map((u) => u.id),
    };
  }
}
