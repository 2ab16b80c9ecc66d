import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { DomainError, type Actor } from '#domain';
import { isUniqueViolation } from '#persistence';

export interface SavedFilterView {
  id: string;
  name: string;
  /** Item list query parameters, as the list takes them. */
  query: Record<string, unknown>;
  createdAt: Date;
}

export const SAVED_FILTER_ENTITY = 'saved_filter';
/** How many filters one user may keep. */
export const SAVED_FILTERS_MAX = 50;

const COLUMNS = `id, name, query, created_at AS "createdAt"`;

/** Filters of the item list that a user saves on the server, visible to that user only (another's is a 404). */
@Injectable()
export class SavedFiltersService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
  ) {}

  list(actor: Actor): Promise<SavedFilterView[]> {
    return this.dataSource.query<SavedFilterView[]>(`SELECT ${COLUMNS} FROM saved_filter WHERE user_id = $1 ORDER BY lower(name), id`, [
      actor.userId,
    ]);
  }

  async create(actor: Actor, name: string, query: Record<string, unknown>): Promise<SavedFilterView> {
    return this.dataSource.transaction(async (m) => {
      // Serialises one user's saves, so the limit holds under concurrent requests.
      await m.query(`SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE`, [actor.userId]);
      const [{ n }] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM saved_filter WHERE user_id = $1`, [actor.userId]);
      if (n >= SAVED_FILTERS_MAX) {
        throw new DomainError(
          'unprocessable',
          'SAVED_FILTER_LIMIT',
          `You can keep at most ${SAVED_FILTERS_MAX} saved filters; delete one first`,
          {
            max: SAVED_FILTERS_MAX,
          },
        );
      }
      let row: SavedFilterView;
      try {
        [row] = await m.query<SavedFilterView[]>(
          `INSERT INTO saved_filter (user_id, name, query) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
          [actor.userId, name.trim(), query],
        );
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw DomainError.conflict('SAVED_FILTER_NAME_TAKEN', 'You already have a saved filter of this name', { name: name.trim() });
        }
        throw e;
      }
      await this.history.append(m, {
        entityType: SAVED_FILTER_ENTITY,
        entityId: row.id,
        action: 'create',
        actorId: actor.userId,
        data: { name: row.name, query },
      });
      return row;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [[deleted]] = await m.query<[{ name: string }[], number]>(
        `DELETE FROM saved_filter WHERE id = $1 AND user_id = $2 RETURNING name`,
        [id, actor.userId],
      );
      if (!deleted) throw DomainError.notFound('saved_filter', id);
      await this.history.append(m, {
        entityType: SAVED_FILTER_ENTITY,
        entityId: id,
        action: 'delete',
        actorId: actor.userId,
        data: { name: deleted.name },
      });
    });
  }
}
