import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The metrics endpoint counts failed e-mails and finds the oldest row handed to the queue but
 * not yet sent on every scrape. The outbox keeps every sent row, so without these partial indexes
 * each scrape would read the whole table.
 */
export class OutboxMetricsIndexes1765300000000 implements MigrationInterface {
  name = 'OutboxMetricsIndexes1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_failed_idx ON outbox (id) WHERE status = 'failed'`);
    await q.query(`CREATE INDEX outbox_enqueued_idx ON outbox (available_at) WHERE status = 'enqueued'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_enqueued_idx`);
    await q.query(`DROP INDEX outbox_failed_idx`);
  }
}
