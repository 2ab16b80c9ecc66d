import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the web application needs: a password that must be changed at the next sign-in (set by an
 * administrator's reset), the in-app reading of the e-mails sent to a user (read mark, and an index
 * by recipient), and filters of the item list that users save on the server.
 */
export class WebApp1765400000000 implements MigrationInterface {
  name = 'WebApp1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE app_user ADD COLUMN password_changed_at timestamptz`);

    await q.query(`ALTER TABLE outbox ADD COLUMN read_at timestamptz`);
    await q.query(`CREATE INDEX outbox_email_recipient_idx ON outbox (((payload->>'userId')::uuid), id DESC) WHERE kind = 'email'`);
    await q.query(`CREATE INDEX outbox_email_unread_idx ON outbox (((payload->>'userId')::uuid)) WHERE kind = 'email' AND read_at IS NULL`);

    await q.query(`
      CREATE TABLE saved_filter (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        query       jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX saved_filter_user_name_uq ON saved_filter (user_id, lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE saved_filter`);
    await q.query(`DROP INDEX outbox_email_unread_idx`);
    await q.query(`DROP INDEX outbox_email_recipient_idx`);
    await q.query(`ALTER TABLE outbox DROP COLUMN read_at`);
    await q.query(`ALTER TABLE app_user DROP COLUMN password_changed_at`);
    await q.query(`ALTER TABLE app_user DROP COLUMN must_change_password`);
  }
}
