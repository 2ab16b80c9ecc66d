import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administrators' calendar entries, on top of the statutory schedule shipped in the code:
 * next year's holidays (published each autumn) and corrections. Each change is versioned and
 * leaves a history row; deleting an entry restores the shipped rule for that day.
 */
export class WorkCalendar1764200000000 implements MigrationInterface {
  name = 'WorkCalendar1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_entry (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        day         date NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('off','work')),
        name        text NOT NULL,
        version     integer NOT NULL DEFAULT 1,
        updated_by  uuid REFERENCES app_user(id),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT calendar_entry_day_uq UNIQUE (day)
      )`);
    // Deadlines can be given as a rule ("10 working days after transfer"); the rule is kept to show how.
    await q.query(`ALTER TABLE item ADD COLUMN deadline_rule jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE item DROP COLUMN deadline_rule`);
    await q.query(`DROP TABLE calendar_entry`);
  }
}
