import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Measured with `npm run bench:items`: a county's items of one state in deadline order get an
 * index; item pages keep free space so that updates touching no indexed column (a version bump by
 * an urge or a progress report) stay on their page (HOT) and write no index entries. For that
 * reason updated_at is deliberately not indexed: every transition changes it.
 */
export class ListIndexes1764400000000 implements MigrationInterface {
  name = 'ListIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE item SET (fillfactor = 85)`);
    await q.query(`CREATE INDEX item_county_state_deadline_idx ON item (county_unit_id, state, current_deadline, id)`);
    await q.query(`DROP INDEX item_county_idx`);
    // Chinese searches are often two characters (污水, 扬尘), which trigrams cannot serve: index
    // the text's two-character pieces too; the list narrows by them, then checks with ILIKE.
    await q.query(`
      CREATE FUNCTION text_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT lower(substr(t, g, 2))), '{}') FROM generate_series(1, greatest(length(t) - 1, 0)) g
      $$`);
    await q.query(`CREATE INDEX item_text_bigram_idx ON item USING gin (text_bigrams(code || ' ' || title || ' ' || feedback_text))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_text_bigram_idx`);
    await q.query(`DROP FUNCTION text_bigrams(text)`);
    await q.query(`CREATE INDEX item_county_idx ON item (county_unit_id)`);
    await q.query(`DROP INDEX item_county_state_deadline_idx`);
    await q.query(`ALTER TABLE item RESET (fillfactor)`);
  }
}
