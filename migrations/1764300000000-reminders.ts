import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminder policies (one default row, optional rows per source type), the moment an item reached
 * its current acceptance level (for "acceptance pending too long"), and users who want only the
 * weekly digest for non-urgent mail.
 */
export class Reminders1764300000000 implements MigrationInterface {
  name = 'Reminders1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder_policy (
        id          uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        scope       text PRIMARY KEY CHECK (scope = 'default' OR scope IN ('central_inspection','central_lookback','provincial_inspection',
                      'special_inspection','warning_film','regional_survey','monitoring_assistance','self_found','complaint')),
        policy      jsonb NOT NULL,
        version     integer NOT NULL DEFAULT 1,
        updated_by  uuid REFERENCES app_user(id),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE item ADD COLUMN acceptance_since timestamptz`);
    await q.query(`UPDATE item SET acceptance_since = updated_at WHERE state = 'in_acceptance'`);
    await q.query(`ALTER TABLE app_user ADD COLUMN digest_only boolean NOT NULL DEFAULT false`);
    // The sweep looks for open items by deadline, and for items waiting at an acceptance level.
    await q.query(`CREATE INDEX item_open_deadline_idx ON item (current_deadline) WHERE state IN ('assigned','in_progress')`);
    await q.query(`CREATE INDEX item_acceptance_since_idx ON item (acceptance_since) WHERE state = 'in_acceptance'`);
    await q.query(`CREATE INDEX item_unit_open_part_idx ON item_unit (sub_deadline) WHERE role = 'cooperating' AND status <> 'done'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX item_unit_open_part_idx`);
    await q.query(`DROP INDEX item_acceptance_since_idx`);
    await q.query(`DROP INDEX item_open_deadline_idx`);
    await q.query(`ALTER TABLE app_user DROP COLUMN digest_only`);
    await q.query(`ALTER TABLE item DROP COLUMN acceptance_since`);
    await q.query(`DROP TABLE reminder_policy`);
  }
}
