import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the item list's common orders and filters (measured with `npm run bench:items`):
 * newest-changed first, and a county's items of one state in deadline order.
 */
export class ListIndexes1764400000000 implements MigrationInterface {
  name = 'ListIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX item_updated_idx ON item (updated_at, id)`);
    await q.query(`CREATE INDEX item_county_state_deadline_idx ON item (county_unit_id, state, current_deadline, id)`);
    await q.query(`DROP INDEX item_county_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX item_county_idx ON item (county_unit_id)`);
    await q.query(`DROP INDEX item_county_state_deadline_idx`);
    await q.query(`DROP INDEX item_updated_idx`);
  }
}
