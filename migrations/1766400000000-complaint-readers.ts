import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may read a complaint case, one row per (unit, case), with the columns the case list filters
 * on and sorts by, as item_reader is for items. A unit's list was a GIN containment test on the
 * case's scope arrays, a visit to every matching case row and, for a verdict filter, a subquery
 * per row: 0.3-0.6 s for a count of 1,001 over 100,000 cases. On these rows a unit's page is a walk
 * of one B-tree in list order and its count an index-only scan.
 *
 * `via`: bit 1, the units doing the work and their parents (owner_scope); bit 2, the dispatching
 * unit and its parents (dispatcher_scope). `verdict` is the case's latest verdict (by seq). The
 * rows are rewritten by triggers on the case and on its verdicts, in the writer's transaction;
 * complaint_reader_rebuild() recomputes them all (after a bulk load that ran with triggers off).
 */
export class ComplaintReaders1766400000000 implements MigrationInterface {
  name = 'ComplaintReaders1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE complaint_reader (
        case_id          uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        unit_id          uuid NOT NULL,
        via              smallint NOT NULL CHECK (via BETWEEN 1 AND 3),
        received_on      date NOT NULL,
        case_no          text NOT NULL,
        state            text NOT NULL,
        county_unit_id   uuid NOT NULL,
        lead_unit_id     uuid,
        pollution_types  text[] NOT NULL,
        key_case         boolean NOT NULL,
        verdict          text,
        PRIMARY KEY (case_id, unit_id)
      )`);
    // The list's order, every filter column included: pages and counts need no table visit.
    await q.query(`
      CREATE INDEX complaint_reader_list_idx ON complaint_reader (unit_id, received_on DESC, case_no DESC, case_id DESC)
        INCLUDE (via, state, county_unit_id, lead_unit_id, pollution_types, key_case, verdict)`);
    // A county filter (a dispatcher's most common one) walks only that county's entries.
    await q.query(`
      CREATE INDEX complaint_reader_county_idx ON complaint_reader (unit_id, county_unit_id, received_on DESC, case_no DESC, case_id DESC)
        INCLUDE (via, state, lead_unit_id, pollution_types, key_case, verdict)`);
    // A state filter walks only the cases in that state (a count of transferred cases otherwise read
    // every reader row of the unit: they are the newest, last in the table).
    await q.query(`
      CREATE INDEX complaint_reader_state_idx ON complaint_reader (unit_id, state, received_on DESC, case_no DESC, case_id DESC)
        INCLUDE (via, county_unit_id, lead_unit_id, pollution_types, key_case, verdict)`);
    await q.query(`
      CREATE FUNCTION complaint_reader_rows(p complaint_case) RETURNS SETOF complaint_reader LANGUAGE sql STABLE AS $$
        SELECT p.id, s.unit_id, bit_or(s.via)::smallint, p.received_on, p.case_no, p.state, p.county_unit_id, p.lead_unit_id,
               p.pollution_types, p.key_case,
               (SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = p.id ORDER BY v.seq DESC LIMIT 1)
          FROM (SELECT unnest(p.owner_scope) AS unit_id, 1 AS via UNION ALL SELECT unnest(p.dispatcher_scope), 2) s
         GROUP BY s.unit_id
      $$`);
    await q.query(`
      CREATE FUNCTION complaint_reader_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.owner_scope = NEW.owner_scope AND OLD.dispatcher_scope = NEW.dispatcher_scope THEN
          UPDATE complaint_reader SET received_on = NEW.received_on, case_no = NEW.case_no, state = NEW.state,
                 county_unit_id = NEW.county_unit_id, lead_unit_id = NEW.lead_unit_id, pollution_types = NEW.pollution_types,
                 key_case = NEW.key_case
           WHERE case_id = NEW.id;
        ELSE
          DELETE FROM complaint_reader WHERE case_id = NEW.id;
          INSERT INTO complaint_reader SELECT * FROM complaint_reader_rows(NEW);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER complaint_reader_insert AFTER INSERT ON complaint_case FOR EACH ROW EXECUTE FUNCTION complaint_reader_sync()`,
    );
    // Transitions that change none of these columns (urges, notes, deadlines) cost nothing here.
    await q.query(`
      CREATE TRIGGER complaint_reader_update
      AFTER UPDATE OF received_on, case_no, state, county_unit_id, lead_unit_id, pollution_types, key_case, owner_scope, dispatcher_scope
      ON complaint_case FOR EACH ROW WHEN (
        OLD.received_on IS DISTINCT FROM NEW.received_on OR OLD.case_no IS DISTINCT FROM NEW.case_no
        OR OLD.state IS DISTINCT FROM NEW.state OR OLD.county_unit_id IS DISTINCT FROM NEW.county_unit_id
        OR OLD.lead_unit_id IS DISTINCT FROM NEW.lead_unit_id OR OLD.pollution_types IS DISTINCT FROM NEW.pollution_types
        OR OLD.key_case IS DISTINCT FROM NEW.key_case OR OLD.owner_scope IS DISTINCT FROM NEW.owner_scope
        OR OLD.dispatcher_scope IS DISTINCT FROM NEW.dispatcher_scope)
      EXECUTE FUNCTION complaint_reader_sync()`);
    await q.query(`
      CREATE FUNCTION complaint_reader_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE c uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
      BEGIN
        UPDATE complaint_reader SET verdict = (SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = c ORDER BY v.seq DESC LIMIT 1)
         WHERE case_id = c;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER complaint_reader_verdict AFTER INSERT OR DELETE OR UPDATE OF verdict, seq, case_id ON complaint_verdict
        FOR EACH ROW EXECUTE FUNCTION complaint_reader_verdict()`);
    await q.query(`
      CREATE FUNCTION complaint_reader_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE n bigint;
      BEGIN
        TRUNCATE complaint_reader;
        INSERT INTO complaint_reader SELECT r.* FROM complaint_case c CROSS JOIN LATERAL complaint_reader_rows(c) r;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$`);
    await q.query(`SELECT complaint_reader_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER complaint_reader_verdict ON complaint_verdict`);
    await q.query(`DROP TRIGGER complaint_reader_update ON complaint_case`);
    await q.query(`DROP TRIGGER complaint_reader_insert ON complaint_case`);
    await q.query(`DROP FUNCTION complaint_reader_rebuild()`);
    await q.query(`DROP FUNCTION complaint_reader_verdict()`);
    await q.query(`DROP FUNCTION complaint_reader_sync()`);
    await q.query(`DROP FUNCTION complaint_reader_rows(complaint_case)`);
    await q.query(`DROP TABLE complaint_reader`);
  }
}
