import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A unit's list in the default order (open items first, then by deadline) read item_reader through
 * an index in deadline order alone, so it sorted every reader row of the unit to find a page. This
 * index is on the same expression the list sorts by (as item_open_first_idx is on item), with the
 * columns the filters test included, so a page is the first rows of an index-only walk.
 */
export class ItemReaderOpenFirst1766150000000 implements MigrationInterface {
  name = 'ItemReaderOpenFirst1766150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX item_reader_open_first_idx
        ON item_reader (unit_id, (state IN ('signed_off', 'phase_completed', 'cancelled', 'merged')), current_deadline, item_id)
        INCLUDE (via, state, domain, county_unit_id, batch_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_reader_open_first_idx`);
  }
}
