import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Item text search had two GIN indexes on the same text: trigrams for words of three characters
 * or more, character pairs (item_text_bigram_idx) for two-character words. The pairs answer every
 * word of two characters or more (a longer word narrows to the items holding all its pairs, and
 * the row is checked for the word), so the trigram index goes: every item insert and every change
 * of a code, title or text kept both up to date.
 *
 * The pair indexes (items, complaint cases) now order their keys bytewise (COLLATE "C"), not by
 * the database's collation: a GIN index sorts every row's keys on insert, and the pairs are only
 * ever tested for equality, which is the same in both. Queries name the collation so that the
 * planner matches them to the index.
 */
export class ItemTextOneIndex1766900000000 implements MigrationInterface {
  name = 'ItemTextOneIndex1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_text_trgm_idx`);
    await q.query(`DROP INDEX item_text_bigram_idx`);
    await q.query(
      `CREATE INDEX item_text_bigram_idx ON item USING gin ((text_bigrams(code || ' ' || title || ' ' || feedback_text)) COLLATE "C")`,
    );
    await q.query(`DROP INDEX complaint_case_text_pairs_idx`);
    await q.query(`CREATE INDEX complaint_case_text_pairs_idx ON complaint_case USING gin (text_pairs COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX complaint_case_text_pairs_idx`);
    await q.query(`CREATE INDEX complaint_case_text_pairs_idx ON complaint_case USING gin (text_pairs)`);
    await q.query(`DROP INDEX item_text_bigram_idx`);
    await q.query(`CREATE INDEX item_text_bigram_idx ON item USING gin (text_bigrams(code || ' ' || title || ' ' || feedback_text))`);
    await q.query(`CREATE INDEX item_text_trgm_idx ON item USING gin ((code || ' ' || title || ' ' || feedback_text) gin_trgm_ops)`);
  }
}
