import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reader's list filtered by state, counted on item_reader (unit, deadline), walked the unit's
 * whole deadline order to find the matches: for a unit that reads nearly every item (the
 * dispatching office) and a filter such as "in progress in one county" (3 % of the items), about
 * 33,000 index entries to count the 1,001 a list counts up to. With the state after the unit, the
 * walk covers only the items in the states asked for (an equality or a few ranges), in deadline
 * order within each: about a third of the entries for that count, and overdue / due-soon filters
 * become ranges too. Every reader row already leaves HOT on a state change (the state is in the
 * deadline index), so a transition pays one more index entry per reader row.
 */
export class ItemReaderStateIndex1765100000000 implements MigrationInterface {
  name = 'ItemReaderStateIndex1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX item_reader_state_idx ON item_reader (unit_id, state, current_deadline, item_id)
        INCLUDE (via, domain, county_unit_id, batch_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_reader_state_idx`);
  }
}
