import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * text_bigrams() (item_text_bigram_idx, the list's two-character search) ran a query per call: a
 * generate_series over the text, a substr and lower per position and a DISTINCT sort, some 35 µs
 * for a ledger row, paid by every item insert and every title or text change. It is now one
 * expression the planner inlines: the text lower-cased once, cut into its pairs at odd positions
 * and at even positions by two regexp_replace calls that put a separator (chr(1)) after each pair,
 * and split there. The result may hold a pair twice and is not sorted; a GIN index keeps each
 * distinct element once and `@>` tests membership, so the index entries and every search answer
 * are the same as before and the index needs no rebuild. A text that holds the separator itself,
 * or whose lower-case form has another length (no libc locale does that; some ICU ones), takes the
 * former per-position form, so the pairs are exactly those of the text in every case. The body is
 * SQL-standard (RETURN …): PostgreSQL resolves and records the call to the per-position form, so a
 * dump creates that one first and pg_restore, with its empty search_path, can build what uses
 * text_bigrams() (the index; complaint_case's stored pairs).
 */
const PER_POSITION = `SELECT coalesce(array_agg(DISTINCT lower(substr(t, g, 2))), '{}') FROM generate_series(1, greatest(length(t) - 1, 0)) g`;

export class TextBigramsWithoutSubquery1766700000000 implements MigrationInterface {
  name = 'TextBigramsWithoutSubquery1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION text_bigrams_per_position(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ ${PER_POSITION} $$`,
    );
    await q.query(`
      CREATE OR REPLACE FUNCTION text_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE
          WHEN coalesce(length(t), 0) < 2 THEN '{}'::text[]
          WHEN strpos(t, chr(1)) > 0 OR length(lower(t)) <> length(t) THEN public.text_bigrams_per_position(t)
          ELSE trim_array(string_to_array(regexp_replace(lower(t), '..', '\\&' || chr(1), 'g'), chr(1)), 1)
            || trim_array(string_to_array(regexp_replace(substr(lower(t), 2), '..', '\\&' || chr(1), 'g'), chr(1)), 1)
        END`);
    // Sessions that have the index open keep its expression as they first read it (the old call,
    // which a query's inlined form no longer matches) until the index's catalog row changes.
    await q.query(`ALTER INDEX item_text_bigram_idx RESET (fastupdate)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION text_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ ${PER_POSITION} $$`,
    );
    await q.query(`DROP FUNCTION text_bigrams_per_position(text)`);
  }
}
