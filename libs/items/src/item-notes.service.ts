import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, DomainError, decide, type Actor, type Clock } from '#domain';
import { personRefSql, type PersonRef } from '#persistence';
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

  /** Anyone who works on the item (its units, dispatcher, verifiers) or audits it may comment. */
  async addComment(actor: Actor, itemId: string, text: string): Promise<CommentView> {
    const item = await this.transitions.readable(this.dataSource.manager, actor, itemId);
    const mayTalk = (['item.act', 'item.verify', 'item.spot_check'] as const).some((p) => decide(actor, p, item.scope).allowed);
    if (!mayTalk) throw DomainError.forbidden('Your roles do not allow commenting on this item');
    const [row] = await this.dataSource.query<CommentView[]>(
      `WITH c AS (INSERT INTO item_comment (item_id, author_id, text, created_at) VALUES ($1, $2, $3, $4) RETURNING *)
       SELECT c.id, c.author_id AS "authorId", u.name AS "authorName", ${personRefSql('c.author_id')} AS author, c.text,
              c.created_at AS "createdAt"
         FROM c JOIN app_user u ON u.id = c.author_id`,
      [itemId, actor.userId, text.trim(), this.clock.now()],
    );
    return row;
  }
}
