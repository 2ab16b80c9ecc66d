import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The duplicate check at intake (same county, received within the window, similar content) in one
 * GiST index: county and window narrow the tree, and the trigram sets kept in its leaves answer
 * `%` without reading the rows. The GIN trigram index alone matched every case of the same kind
 * in all counties and years; the btree alone left similarity() to run on every case in the window.
 */
export class ComplaintDuplicateIndex1766430000000 implements MigrationInterface {
  name = 'ComplaintDuplicateIndex1766430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(
      `CREATE INDEX complaint_case_duplicate_idx ON complaint_case USING gist (county_unit_id, received_on, content gist_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX complaint_case_duplicate_idx`);
  }
}
