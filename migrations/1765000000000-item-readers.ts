import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may read an item, one row per (unit, item), with the columns the list filters on and sorts
 * by. A scoped list (a unit officer, a dispatcher, an acceptor) is then a walk of one B-tree in
 * deadline order, and its count an index-only scan, instead of a GIN containment test on the
 * item's scope arrays followed by a visit to every matching item row (a count of a thousand
 * matches touched a thousand heap pages).
 *
 * `via` says through which scope set the unit reads the item (bit 1: the units doing the work and
 * their parents, owner_scope; 2: the dispatching unit and its parents; 4: the accepting units and
 * their parents), so a role that may read only its own items filters on bit 1.
 *
 * The rows are derived from the item row alone (its scope arrays and the filter columns) and are
 * rewritten by triggers in the writer's transaction; item_reader_rebuild() recomputes them all
 * (after a bulk load that ran with triggers off).
 */
export class ItemReaders1765000000000 implements MigrationInterface {
  name = 'ItemReaders1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE item_reader (
        item_id          uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        unit_id          uuid NOT NULL,
        via              smallint NOT NULL CHECK (via BETWEEN 1 AND 7),
        state            text NOT NULL,
        domain           text NOT NULL,
        county_unit_id   uuid,
        batch_id         uuid NOT NULL,
        current_deadline date,
        PRIMARY KEY (item_id, unit_id)
      )`);
    // Everything a reader's list filters on is in the index, so pages and counts need no table visit.
    await q.query(`
      CREATE INDEX item_reader_deadline_idx ON item_reader (unit_id, current_deadline, item_id)
        INCLUDE (via, state, domain, county_unit_id, batch_id)`);
    await q.query(`
      CREATE FUNCTION item_reader_rows(p_item item) RETURNS SETOF item_reader LANGUAGE sql IMMUTABLE AS $$
        SELECT p_item.id, s.unit_id, bit_or(s.via)::smallint, p_item.state, p_item.domain, p_item.county_unit_id,
               p_item.batch_id, p_item.current_deadline
          FROM (SELECT unnest(p_item.owner_scope) AS unit_id, 1 AS via
                UNION ALL SELECT unnest(p_item.dispatcher_scope), 2
                UNION ALL SELECT unnest(p_item.acceptance_scope), 4) s
         GROUP BY s.unit_id
      $$`);
    await q.query(`
      CREATE FUNCTION item_reader_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.owner_scope = NEW.owner_scope AND OLD.dispatcher_scope = NEW.dispatcher_scope
           AND OLD.acceptance_scope = NEW.acceptance_scope THEN
          UPDATE item_reader SET state = NEW.state, domain = NEW.domain, county_unit_id = NEW.county_unit_id,
                                 batch_id = NEW.batch_id, current_deadline = NEW.current_deadline
           WHERE item_id = NEW.id;
        ELSE
          DELETE FROM item_reader WHERE item_id = NEW.id;
          INSERT INTO item_reader SELECT * FROM item_reader_rows(NEW);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER item_reader_insert AFTER INSERT ON item FOR EACH ROW EXECUTE FUNCTION item_reader_sync()`);
    // Most writes (urges, progress reports, comments) change none of these columns and cost nothing here.
    await q.query(`
      CREATE TRIGGER item_reader_update
      AFTER UPDATE OF state, domain, county_unit_id, batch_id, current_deadline, owner_scope, dispatcher_scope, acceptance_scope ON item
      FOR EACH ROW WHEN (
        OLD.state IS DISTINCT FROM NEW.state OR OLD.domain IS DISTINCT FROM NEW.domain
        OR OLD.county_unit_id IS DISTINCT FROM NEW.county_unit_id OR OLD.batch_id IS DISTINCT FROM NEW.batch_id
        OR OLD.current_deadline IS DISTINCT FROM NEW.current_deadline OR OLD.owner_scope IS DISTINCT FROM NEW.owner_scope
        OR OLD.dispatcher_scope IS DISTINCT FROM NEW.dispatcher_scope OR OLD.acceptance_scope IS DISTINCT FROM NEW.acceptance_scope)
      EXECUTE FUNCTION item_reader_sync()`);
    await q.query(`
      CREATE FUNCTION item_reader_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE n bigint;
      BEGIN
        TRUNCATE item_reader;
        INSERT INTO item_reader SELECT r.* FROM item i CROSS JOIN LATERAL item_reader_rows(i) r;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$`);
    await q.query(`SELECT item_reader_rebuild()`);
    // An administrator's list by domain and state counted through a bitmap of every open item
    // (item_open_deadline_idx); this index answers it from the index alone and replaces the one on domain.
    await q.query(`CREATE INDEX item_domain_state_deadline_idx ON item (domain, state, current_deadline)`);
    await q.query(`DROP INDEX item_domain_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX item_domain_idx ON item (domain)`);
    await q.query(`DROP INDEX item_domain_state_deadline_idx`);
    await q.query(`DROP TRIGGER item_reader_update ON item`);
    await q.query(`DROP TRIGGER item_reader_insert ON item`);
    await q.query(`DROP FUNCTION item_reader_rebuild()`);
    await q.query(`DROP FUNCTION item_reader_sync()`);
    await q.query(`DROP FUNCTION item_reader_rows(item)`);
    await q.query(`DROP TABLE item_reader`);
  }
}
