import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closure statistics, current and as of any past instant.
 *
 * item_timeline keeps, for every item, the stretches of time during which the facts that the
 * figures count stayed the same: state, deadlines, extensions, closure, reopenings, and the
 * dimensions (batch, county, domain, lead units). A trigger on item writes it in the same
 * transaction as the change, with the change's business time (item.updated_at, which every
 * write sets to the clock's instant that its history row carries). The open stretch
 * (valid_to IS NULL) is the item now; "as of T" is the stretch with valid_from <= T < valid_to.
 *
 * Several writes in one transaction share one instant; they amend the open stretch rather than
 * leave empty ones. A change that does not move updated_at (a unit moved in the tree) amends the
 * open stretch too, so it counts from the item's last change.
 */
export class Statistics1764500000000 implements MigrationInterface {
  name = 'Statistics1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE item ADD COLUMN extension_count integer NOT NULL DEFAULT 0 CHECK (extension_count >= 0)`);
    // Working days from the item's creation to its current closure, fixed when it closes.
    await q.query(`ALTER TABLE item ADD COLUMN close_working_days integer CHECK (close_working_days >= 0)`);
    await q.query(`
      UPDATE item i SET extension_count = d.n
        FROM (SELECT item_id, count(*)::int AS n FROM item_deadline WHERE kind = 'extension' GROUP BY item_id) d
       WHERE d.item_id = i.id`);

    await q.query(`
      CREATE TABLE item_timeline (
        id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id              uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        valid_from           timestamptz NOT NULL,
        valid_to             timestamptz,
        batch_id             uuid NOT NULL,
        county_unit_id       uuid,
        domain               text NOT NULL,
        lead_unit_ids        uuid[] NOT NULL,
        lead_scope           uuid[] NOT NULL,
        state                text NOT NULL,
        original_deadline    date,
        current_deadline     date,
        extension_count      integer NOT NULL,
        first_signed_off_at  timestamptz,
        closed_on            date,
        close_working_days   integer,
        reopen_count         integer NOT NULL,
        CONSTRAINT item_timeline_span_ck CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await q.query(`CREATE UNIQUE INDEX item_timeline_open_uq ON item_timeline (item_id) WHERE valid_to IS NULL`);
    await q.query(`CREATE INDEX item_timeline_item_idx ON item_timeline (item_id, valid_from)`);
    // As of a past instant T: the closed stretches that end after T (few when T is recent) …
    await q.query(`CREATE INDEX item_timeline_closed_idx ON item_timeline (valid_to, valid_from) WHERE valid_to IS NOT NULL`);
    // … and the open ones that began by T.
    await q.query(`CREATE INDEX item_timeline_open_from_idx ON item_timeline (valid_from) WHERE valid_to IS NULL`);
    await q.query(`CREATE INDEX item_timeline_open_lead_idx ON item_timeline USING gin (lead_scope) WHERE valid_to IS NULL`);

    await q.query(`
      CREATE FUNCTION item_timeline_track() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        open_id   bigint;
        open_from timestamptz;
        leads     uuid[];
        closed    date := (NEW.completed_at AT TIME ZONE 'Asia/Shanghai')::date;
      BEGIN
        SELECT coalesce(array_agg(unit_id ORDER BY unit_id), '{}') INTO leads
          FROM item_unit WHERE item_id = NEW.id AND role = 'lead';
        SELECT id, valid_from INTO open_id, open_from FROM item_timeline WHERE item_id = NEW.id AND valid_to IS NULL FOR UPDATE;
        IF open_id IS NOT NULL AND open_from >= NEW.updated_at THEN
          UPDATE item_timeline SET batch_id = NEW.batch_id, county_unit_id = NEW.county_unit_id, domain = NEW.domain,
                 lead_unit_ids = leads, lead_scope = NEW.lead_scope, state = NEW.state, original_deadline = NEW.original_deadline,
                 current_deadline = NEW.current_deadline, extension_count = NEW.extension_count,
                 first_signed_off_at = NEW.first_signed_off_at, closed_on = closed, close_working_days = NEW.close_working_days,
                 reopen_count = NEW.reopen_count
           WHERE id = open_id;
          RETURN NULL;
        END IF;
        IF open_id IS NOT NULL THEN
          UPDATE item_timeline SET valid_to = NEW.updated_at WHERE id = open_id;
        END IF;
        INSERT INTO item_timeline (item_id, valid_from, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, state,
                                   original_deadline, current_deadline, extension_count, first_signed_off_at, closed_on,
                                   close_working_days, reopen_count)
        VALUES (NEW.id, NEW.updated_at, NEW.batch_id, NEW.county_unit_id, NEW.domain, leads, NEW.lead_scope, NEW.state,
                NEW.original_deadline, NEW.current_deadline, NEW.extension_count, NEW.first_signed_off_at, closed,
                NEW.close_working_days, NEW.reopen_count);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER item_timeline_insert AFTER INSERT ON item FOR EACH ROW EXECUTE FUNCTION item_timeline_track()`);
    // Only the columns the figures read: an urge or a progress report writes no stretch.
    await q.query(`
      CREATE TRIGGER item_timeline_update AFTER UPDATE ON item FOR EACH ROW
      WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.current_deadline IS DISTINCT FROM NEW.current_deadline
         OR OLD.original_deadline IS DISTINCT FROM NEW.original_deadline OR OLD.extension_count IS DISTINCT FROM NEW.extension_count
         OR OLD.first_signed_off_at IS DISTINCT FROM NEW.first_signed_off_at OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
         OR OLD.close_working_days IS DISTINCT FROM NEW.close_working_days OR OLD.reopen_count IS DISTINCT FROM NEW.reopen_count
         OR OLD.lead_scope IS DISTINCT FROM NEW.lead_scope OR OLD.county_unit_id IS DISTINCT FROM NEW.county_unit_id
         OR OLD.domain IS DISTINCT FROM NEW.domain OR OLD.batch_id IS DISTINCT FROM NEW.batch_id)
      EXECUTE FUNCTION item_timeline_track()`);

    // Items that exist already start their timeline at their last change.
    await q.query(`
      INSERT INTO item_timeline (item_id, valid_from, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, state,
                                 original_deadline, current_deadline, extension_count, first_signed_off_at, closed_on,
                                 close_working_days, reopen_count)
      SELECT i.id, i.updated_at, i.batch_id, i.county_unit_id, i.domain,
             coalesce((SELECT array_agg(unit_id ORDER BY unit_id) FROM item_unit WHERE item_id = i.id AND role = 'lead'), '{}'),
             i.lead_scope, i.state, i.original_deadline, i.current_deadline, i.extension_count, i.first_signed_off_at,
             (i.completed_at AT TIME ZONE 'Asia/Shanghai')::date, i.close_working_days, i.reopen_count
        FROM item i`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER item_timeline_update ON item`);
    await q.query(`DROP TRIGGER item_timeline_insert ON item`);
    await q.query(`DROP FUNCTION item_timeline_track()`);
    await q.query(`DROP TABLE item_timeline`);
    await q.query(`ALTER TABLE item DROP COLUMN close_working_days`);
    await q.query(`ALTER TABLE item DROP COLUMN extension_count`);
  }
}
