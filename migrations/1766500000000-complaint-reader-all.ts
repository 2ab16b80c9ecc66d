import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whole-database readers (admin, auditor) list complaint cases through complaint_reader too: every
 * case gets one more row, under the nil uuid with `via` 4, so their pages and counts are the same
 * index walks a unit's are (before, a verdict filter ran a subquery per case row). Text search gets
 * a trigram index on case number, content and address as one text (a line break between them): a
 * count of a rare term read every case (0.3-0.7 s over 100,000), it now reads the few that match.
 */
export class ComplaintReaderAll1766500000000 implements MigrationInterface {
  name = 'ComplaintReaderAll1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE complaint_reader DROP CONSTRAINT complaint_reader_via_check`);
    await q.query(`
      ALTER TABLE complaint_reader ADD CONSTRAINT complaint_reader_via_check
        CHECK (via BETWEEN 1 AND 3 OR (via = 4 AND unit_id = '00000000-0000-0000-0000-000000000000'))`);
    await q.query(`
      CREATE OR REPLACE FUNCTION complaint_reader_rows(p complaint_case) RETURNS SETOF complaint_reader LANGUAGE sql STABLE AS $$
        SELECT p.id, s.unit_id, bit_or(s.via)::smallint, p.received_on, p.case_no, p.state, p.county_unit_id, p.lead_unit_id,
               p.pollution_types, p.key_case,
               (SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = p.id ORDER BY v.seq DESC LIMIT 1)
          FROM (SELECT unnest(p.owner_scope) AS unit_id, 1 AS via UNION ALL SELECT unnest(p.dispatcher_scope), 2
                UNION ALL SELECT '00000000-0000-0000-0000-000000000000'::uuid, 4) s
         GROUP BY s.unit_id
      $$`);
    await q.query(`
      INSERT INTO complaint_reader
      SELECT r.* FROM complaint_case c CROSS JOIN LATERAL complaint_reader_rows(c) r WHERE r.unit_id = '00000000-0000-0000-0000-000000000000'`);
    await q.query(`
      CREATE INDEX complaint_case_text_trgm_idx ON complaint_case USING gin ((case_no || E'\\n' || content || E'\\n' || address) gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX complaint_case_text_trgm_idx`);
    await q.query(`DELETE FROM complaint_reader WHERE via = 4`);
    await q.query(`
      CREATE OR REPLACE FUNCTION complaint_reader_rows(p complaint_case) RETURNS SETOF complaint_reader LANGUAGE sql STABLE AS $$
        SELECT p.id, s.unit_id, bit_or(s.via)::smallint, p.received_on, p.case_no, p.state, p.county_unit_id, p.lead_unit_id,
               p.pollution_types, p.key_case,
               (SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = p.id ORDER BY v.seq DESC LIMIT 1)
          FROM (SELECT unnest(p.owner_scope) AS unit_id, 1 AS via UNION ALL SELECT unnest(p.dispatcher_scope), 2) s
         GROUP BY s.unit_id
      $$`);
    await q.query(`ALTER TABLE complaint_reader DROP CONSTRAINT complaint_reader_via_check`);
    await q.query(`ALTER TABLE complaint_reader ADD CONSTRAINT complaint_reader_via_check CHECK (via BETWEEN 1 AND 3)`);
  }
}
