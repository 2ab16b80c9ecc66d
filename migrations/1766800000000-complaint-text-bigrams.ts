import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-character words (污水, 洗煤, 噪声) have no trigram, so a text filter of one tested every case
 * in scope with LIKE. Each case now stores the lower-cased character pairs of its number, content
 * and address, GIN-indexed: the pairs answer such a word exactly, from the index when the word is
 * rare and as a cheap array test per row when the list is walked in order. Stored rather than an
 * expression index because a walked row would then compute its pairs again (text_bigrams()) to be
 * tested, several times the cost of testing the stored array.
 */
export class ComplaintTextBigrams1766800000000 implements MigrationInterface {
  name = 'ComplaintTextBigrams1766800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE complaint_case
        ADD COLUMN text_pairs text[] GENERATED ALWAYS AS (text_bigrams(case_no || E'\\n' || content || E'\\n' || address)) STORED`);
    await q.query(`CREATE INDEX complaint_case_text_pairs_idx ON complaint_case USING gin (text_pairs)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX complaint_case_text_pairs_idx`);
    await q.query(`ALTER TABLE complaint_case DROP COLUMN text_pairs`);
  }
}
