import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unhappy paths of rectification: a return remembers the level a resubmission resumes at,
 * deadlines can be set anew by the dispatcher (重新明确整改时限) or recomputed when a calendar year
 * is published, and extension requests filed after the deadline are marked late.
 */
export class ReworkPaths1765700000000 implements MigrationInterface {
  name = 'ReworkPaths1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE item ADD COLUMN resume_level integer CHECK (resume_level >= 0)`);
    await q.query(`ALTER TABLE item_acceptance ADD COLUMN return_to text CHECK (return_to IN ('unit', 'recheck', 'level'))`);
    await q.query(`ALTER TABLE item_acceptance ADD COLUMN return_level_index integer`);
    await q.query(`ALTER TABLE item_deadline DROP CONSTRAINT item_deadline_kind_check`);
    await q.query(
      `ALTER TABLE item_deadline ADD CONSTRAINT item_deadline_kind_check CHECK (kind IN ('initial','edit','extension','reset','calendar'))`,
    );
    await q.query(`ALTER TABLE item_extension ADD COLUMN late boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE item_extension DROP COLUMN late`);
    await q.query(`DELETE FROM item_deadline WHERE kind IN ('reset', 'calendar')`);
    await q.query(`ALTER TABLE item_deadline DROP CONSTRAINT item_deadline_kind_check`);
    await q.query(`ALTER TABLE item_deadline ADD CONSTRAINT item_deadline_kind_check CHECK (kind IN ('initial','edit','extension'))`);
    await q.query(`ALTER TABLE item_acceptance DROP COLUMN return_level_index`);
    await q.query(`ALTER TABLE item_acceptance DROP COLUMN return_to`);
    await q.query(`ALTER TABLE item DROP COLUMN resume_level`);
  }
}
