import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A year's holiday schedule as entered from the State Council's notice: each confirmation is a
 * new version (the notice text, the days it gave, who confirmed it); the days themselves are
 * calendar entries. A year with a version counts as published.
 */
export class CalendarYears1765700000001 implements MigrationInterface {
  name = 'CalendarYears1765700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_year (
        year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        version       integer NOT NULL CHECK (version >= 1),
        notice_text   text NOT NULL,
        days          jsonb NOT NULL,
        confirmed_by  uuid REFERENCES app_user(id),
        confirmed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (year, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_year`);
  }
}
