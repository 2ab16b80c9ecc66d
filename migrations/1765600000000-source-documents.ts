import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policy documents kept as a batch's source (任务分解): the file (content-addressed, in the
 * evidence store), its text as read, and on each item made from it the task it came from
 * (number as printed, place, character and line span of the text).
 */
export class SourceDocuments1765600000000 implements MigrationInterface {
  name = 'SourceDocuments1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE source_document (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id      uuid NOT NULL REFERENCES batch(id),
        filename      text NOT NULL,
        content_type  text NOT NULL,
        size_bytes    integer NOT NULL CHECK (size_bytes > 0),
        sha256        text NOT NULL,
        storage_key   text NOT NULL,
        document_year integer,
        text          text NOT NULL,
        uploaded_by   uuid NOT NULL REFERENCES app_user(id),
        uploaded_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX source_document_batch_idx ON source_document (batch_id)`);
    await q.query(`ALTER TABLE item ADD COLUMN source_document_id uuid REFERENCES source_document(id)`);
    await q.query(`ALTER TABLE item ADD COLUMN source_task jsonb`);
    await q.query(`
      ALTER TABLE item ADD CONSTRAINT item_source_task_with_document
        CHECK ((source_document_id IS NULL) = (source_task IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE item DROP CONSTRAINT item_source_task_with_document`);
    await q.query(`ALTER TABLE item DROP COLUMN source_task`);
    await q.query(`ALTER TABLE item DROP COLUMN source_document_id`);
    await q.query(`DROP TABLE source_document`);
  }
}
