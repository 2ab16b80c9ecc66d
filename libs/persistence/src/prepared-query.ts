import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * Runs a statement as a named prepared statement on the connection that serves the manager (the
 * transaction's, or one from the pool). PostgreSQL parses and plans it once per connection instead
 * of on every call, which matters for the few statements every request sends (the session check,
 * an item's snapshot). The name is derived from the text, so one text is one statement.
 */
export async function preparedQuery<T>(m: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const name = `q_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  const runner = m.queryRunner ?? m.connection.createQueryRunner();
  const own = !m.queryRunner;
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    const result = await client.query<T & pg.QueryResultRow>({ name, text, values });
    return result.rows;
  } finally {
    if (own) await runner.release();
  }
}
