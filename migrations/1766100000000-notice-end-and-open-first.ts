import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What happens when a batch's public notice (公示) period ends with no objection upheld: the
 * dispatchers are reminded daily to close it (remind, the default), or the item is signed off at
 * the period's end (sign_off). And the item list's default order (open items first, each part by
 * deadline) read from an index on the same expression the list sorts by.
 */
export class BatchNoticeEndAndOpenFirst1766100000000 implements MigrationInterface {
  name = 'BatchNoticeEndAndOpenFirst1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE batch ADD COLUMN notice_end_action text NOT NULL DEFAULT 'remind' CHECK (notice_end_action IN ('remind', 'sign_off'))`,
    );
    await q.query(
      `CREATE INDEX item_open_first_idx ON item ((state IN ('signed_off', 'phase_completed', 'cancelled', 'merged')), current_deadline, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_open_first_idx`);
    await q.query(`ALTER TABLE batch DROP COLUMN notice_end_action`);
  }
}
