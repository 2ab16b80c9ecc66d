import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 工作台's "overdue by lead unit" groups the overdue items of a dispatcher by their lead_scope: a
 * visit to every overdue item row (16,000 of 100,000, spread over the whole table). The open-items
 * deadline index now carries the scope sets, so that pass (and the reminders' walk) is an
 * index-only scan. Same key and predicate as before, so writes pay what they paid: a state or
 * deadline change already left HOT for this index; a scope change (a unit reassigned) is rare.
 */
export class OpenItemsCovering1766400000001 implements MigrationInterface {
  name = 'OpenItemsCovering1766400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_open_deadline_idx`);
    await q.query(`
      CREATE INDEX item_open_deadline_idx ON item (current_deadline)
        INCLUDE (lead_scope, owner_scope, dispatcher_scope, acceptance_scope) WHERE state IN ('assigned','in_progress')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_open_deadline_idx`);
    await q.query(`CREATE INDEX item_open_deadline_idx ON item (current_deadline) WHERE state IN ('assigned','in_progress')`);
  }
}
