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
    // As of a past instant T: the closed stretches that end after T (few when T is recent) … Both
    // cover what the figures read, so the corrections for what changed since T come from the indexes alone.
    await q.query(`
      CREATE INDEX item_timeline_closed_idx ON item_timeline (valid_to, valid_from)
      INCLUDE (item_id, state, batch_id, county_unit_id, domain, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count, lead_unit_ids, lead_scope) WHERE valid_to IS NOT NULL`);
    // … and the open ones that began by T.
    await q.query(`
      CREATE INDEX item_timeline_open_from_idx ON item_timeline (valid_from)
      INCLUDE (item_id, state, batch_id, county_unit_id, domain, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count, lead_unit_ids, lead_scope) WHERE valid_to IS NULL`);
    await q.query(`CREATE INDEX item_timeline_open_lead_idx ON item_timeline USING gin (lead_scope) WHERE valid_to IS NULL`);
    // Counting a batch's items now (several filters at once, which no roll-up covers) from the index alone.
    await q.query(`
      CREATE INDEX item_timeline_open_batch_idx ON item_timeline (batch_id, domain, county_unit_id)
      INCLUDE (state, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count)
      WHERE valid_to IS NULL`);
    // This month's deadlines before today (the roll-ups keep deadlines by month).
    // Covering: counted from the index alone for a summary, a dimension or a lead breakdown.
    await q.query(`
      CREATE INDEX item_timeline_open_deadline_idx ON item_timeline (current_deadline)
      INCLUDE (state, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope) WHERE valid_to IS NULL`);

    // Roll-ups for the figures of now: per dimension value, state and deadline month, the sums the
    // figures need; and per dimension value the distribution of working days to close (medians).
    // Dimensions: all, batch, county, domain, lead unit, lead subtree, and what a unit may read
    // (read_owner: its subtree; read_dispatch: plus what it dispatched; read_accept: plus what it accepts).
    // Changes append signed contributions to item_stat_delta (no row is updated by two writers, so
    // transitions never wait for each other here); readers add the pending deltas to the cells;
    // item_stat_compact() folds them into the cells in one statement (one snapshot).
    await q.query(`
      CREATE TABLE item_stat_delta (
        id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        batch_id              uuid NOT NULL,
        county_unit_id        uuid,
        domain                text NOT NULL,
        lead_unit_ids         uuid[] NOT NULL,
        lead_scope            uuid[] NOT NULL,
        read_owner            uuid[] NOT NULL,
        read_dispatch         uuid[] NOT NULL,
        read_accept           uuid[] NOT NULL,
        state                 text NOT NULL,
        deadline              date,
        close_days            integer,
        n                     integer NOT NULL,
        closed_with_original  integer NOT NULL,
        on_time_original      integer NOT NULL,
        closed_with_approved  integer NOT NULL,
        on_time_approved      integer NOT NULL,
        close_days_sum        bigint NOT NULL,
        close_days_n          integer NOT NULL,
        extended_items        integer NOT NULL,
        extensions            integer NOT NULL,
        rebound_items         integer NOT NULL,
        rebounds              integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE item_stat_cell (
        dim                   text NOT NULL CHECK (dim IN ('all','batch','county','domain','lead','lead_scope','read_owner','read_dispatch','read_accept')),
        key                   text NOT NULL,
        state                 text NOT NULL,
        deadline_bucket       date,
        n                     bigint NOT NULL,
        closed_with_original  bigint NOT NULL,
        on_time_original      bigint NOT NULL,
        closed_with_approved  bigint NOT NULL,
        on_time_approved      bigint NOT NULL,
        close_days_sum        bigint NOT NULL,
        close_days_n          bigint NOT NULL,
        extended_items        bigint NOT NULL,
        extensions            bigint NOT NULL,
        rebound_items         bigint NOT NULL,
        rebounds              bigint NOT NULL,
        CONSTRAINT item_stat_cell_uq UNIQUE NULLS NOT DISTINCT (dim, key, state, deadline_bucket)
      )`);
    await q.query(`
      CREATE TABLE item_close_days_cell (
        dim   text NOT NULL,
        key   text NOT NULL,
        days  integer NOT NULL,
        n     bigint NOT NULL,
        PRIMARY KEY (dim, key, days)
      )`);
    // Deadlines are kept by month (this month's days before today are counted from the open
    // stretches), except in a unit's read scope, kept by day: its summary then needs no item lookups.
    await q.query(`
      CREATE FUNCTION item_stat_bucket(p_dim text, p_deadline date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN p_dim LIKE 'read\\_%' THEN p_deadline ELSE date_trunc('month', p_deadline)::date END
      $$`);
    // The dimension values a delta row counts under (the view below and the compaction fan out by it).
    await q.query(`
      CREATE FUNCTION item_stat_dims(p_batch uuid, p_county uuid, p_domain text, p_leads uuid[], p_lead_scope uuid[],
                                     p_read_owner uuid[], p_read_dispatch uuid[], p_read_accept uuid[])
      RETURNS TABLE (dim text, key text) LANGUAGE sql IMMUTABLE AS $$
        SELECT 'all', '' UNION ALL SELECT 'batch', p_batch::text UNION ALL SELECT 'county', coalesce(p_county::text, '')
        UNION ALL SELECT 'domain', p_domain UNION ALL SELECT 'lead', u::text FROM unnest(p_leads) u
        UNION ALL SELECT 'lead_scope', u::text FROM unnest(p_lead_scope) u
        UNION ALL SELECT 'read_owner', u::text FROM unnest(p_read_owner) u
        UNION ALL SELECT 'read_dispatch', u::text FROM unnest(p_read_dispatch) u
        UNION ALL SELECT 'read_accept', u::text FROM unnest(p_read_accept) u
      $$`);
    // A delta row counted under every dimension value it belongs to.
    await q.query(`
      CREATE VIEW item_stat_delta_cells AS
      SELECT d.id, v.dim, v.key, d.state, item_stat_bucket(v.dim, d.deadline) AS deadline_bucket, d.close_days, d.n, d.closed_with_original, d.on_time_original,
             d.closed_with_approved, d.on_time_approved, d.close_days_sum, d.close_days_n, d.extended_items, d.extensions,
             d.rebound_items, d.rebounds
        FROM item_stat_delta d
        CROSS JOIN LATERAL item_stat_dims(d.batch_id, d.county_unit_id, d.domain, d.lead_unit_ids, d.lead_scope, d.read_owner, d.read_dispatch, d.read_accept) AS v`);
    // What one stretch adds to the figures (sign +1) or takes away (-1). The state lists are the
    // domain's (libs/domain/src/statistics/figures.ts); a test checks roll-ups against a full count.
    await q.query(`
      CREATE FUNCTION item_stat_record(p_stretch bigint, p_sign integer, p_owner uuid[], p_dispatcher uuid[], p_acceptance uuid[])
      RETURNS void LANGUAGE sql AS $$
        INSERT INTO item_stat_delta (batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, read_owner, read_dispatch, read_accept,
                                     state, deadline, close_days,
                                     n, closed_with_original, on_time_original, closed_with_approved, on_time_approved, close_days_sum,
                                     close_days_n, extended_items, extensions, rebound_items, rebounds)
        SELECT t.batch_id, t.county_unit_id, t.domain, t.lead_unit_ids, t.lead_scope, p_owner,
               ARRAY(SELECT DISTINCT unnest(p_owner || p_dispatcher)), ARRAY(SELECT DISTINCT unnest(p_owner || p_acceptance)), t.state,
               t.current_deadline, CASE WHEN c.closure THEN t.close_working_days END,
               p_sign,
               p_sign * (c.closure AND t.original_deadline IS NOT NULL)::int,
               p_sign * (c.closure AND coalesce(t.closed_on <= t.original_deadline, false))::int,
               p_sign * (c.closure AND t.current_deadline IS NOT NULL)::int,
               p_sign * (c.closure AND coalesce(t.closed_on <= t.current_deadline, false))::int,
               p_sign * CASE WHEN c.closure THEN coalesce(t.close_working_days, 0) ELSE 0 END,
               p_sign * (c.closure AND t.close_working_days IS NOT NULL)::int,
               p_sign * (c.counted AND t.extension_count > 0)::int,
               p_sign * CASE WHEN c.counted THEN t.extension_count ELSE 0 END,
               p_sign * (c.counted AND t.reopen_count > 0)::int,
               p_sign * CASE WHEN c.counted THEN t.reopen_count ELSE 0 END
          FROM item_timeline t
          CROSS JOIN LATERAL (SELECT t.state NOT IN ('draft','cancelled','merged') AS counted,
                                     t.state IN ('signed_off','phase_completed') AS closure) c
         WHERE t.id = p_stretch
      $$`);
    await q.query(`
      CREATE FUNCTION item_stat_compact() RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE folded bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('item_stat_compact'));
        WITH gone AS (DELETE FROM item_stat_delta RETURNING *),
        fan AS (
          SELECT v.dim, v.key, item_stat_bucket(v.dim, g.deadline) AS deadline_bucket, g.* FROM gone g
          CROSS JOIN LATERAL item_stat_dims(g.batch_id, g.county_unit_id, g.domain, g.lead_unit_ids, g.lead_scope, g.read_owner, g.read_dispatch, g.read_accept) AS v),
        cells AS (
          INSERT INTO item_stat_cell AS c (dim, key, state, deadline_bucket, n, closed_with_original, on_time_original, closed_with_approved,
                                           on_time_approved, close_days_sum, close_days_n, extended_items, extensions, rebound_items, rebounds)
          SELECT dim, key, state, deadline_bucket, sum(n), sum(closed_with_original), sum(on_time_original), sum(closed_with_approved),
                 sum(on_time_approved), sum(close_days_sum), sum(close_days_n), sum(extended_items), sum(extensions),
                 sum(rebound_items), sum(rebounds)
            FROM fan GROUP BY dim, key, state, deadline_bucket
          ON CONFLICT (dim, key, state, deadline_bucket) DO UPDATE SET
            n = c.n + EXCLUDED.n, closed_with_original = c.closed_with_original + EXCLUDED.closed_with_original,
            on_time_original = c.on_time_original + EXCLUDED.on_time_original,
            closed_with_approved = c.closed_with_approved + EXCLUDED.closed_with_approved,
            on_time_approved = c.on_time_approved + EXCLUDED.on_time_approved, close_days_sum = c.close_days_sum + EXCLUDED.close_days_sum,
            close_days_n = c.close_days_n + EXCLUDED.close_days_n, extended_items = c.extended_items + EXCLUDED.extended_items,
            extensions = c.extensions + EXCLUDED.extensions, rebound_items = c.rebound_items + EXCLUDED.rebound_items,
            rebounds = c.rebounds + EXCLUDED.rebounds
          RETURNING 1),
        days AS (
          INSERT INTO item_close_days_cell AS c (dim, key, days, n)
          SELECT dim, key, close_days, sum(n) FROM fan WHERE close_days IS NOT NULL GROUP BY dim, key, close_days
          ON CONFLICT (dim, key, days) DO UPDATE SET n = c.n + EXCLUDED.n
          RETURNING 1)
        SELECT (SELECT count(*) FROM gone) INTO folded FROM (SELECT count(*) FROM cells) a, (SELECT count(*) FROM days) b;
        DELETE FROM item_stat_cell WHERE n = 0 AND close_days_n = 0;
        DELETE FROM item_close_days_cell WHERE n = 0;
        RETURN folded;
      END $$`);
    // From scratch: every item's open stretch, folded (after a bulk load, or to check the roll-ups).
    await q.query(`
      CREATE FUNCTION item_stat_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('item_stat_compact'));
        DELETE FROM item_stat_delta;
        DELETE FROM item_stat_cell;
        DELETE FROM item_close_days_cell;
        PERFORM item_stat_record(t.id, 1, i.owner_scope, i.dispatcher_scope, i.acceptance_scope)
           FROM item_timeline t JOIN item i ON i.id = t.item_id WHERE t.valid_to IS NULL;
        RETURN item_stat_compact();
      END $$`);

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
        -- The open stretch mirrors the item before this change (OLD): take it out of the roll-ups.
        IF open_id IS NOT NULL THEN
          PERFORM item_stat_record(open_id, -1, OLD.owner_scope, OLD.dispatcher_scope, OLD.acceptance_scope);
        END IF;
        IF open_id IS NOT NULL AND open_from >= NEW.updated_at THEN
          UPDATE item_timeline SET batch_id = NEW.batch_id, county_unit_id = NEW.county_unit_id, domain = NEW.domain,
                 lead_unit_ids = leads, lead_scope = NEW.lead_scope, state = NEW.state, original_deadline = NEW.original_deadline,
                 current_deadline = NEW.current_deadline, extension_count = NEW.extension_count,
                 first_signed_off_at = NEW.first_signed_off_at, closed_on = closed, close_working_days = NEW.close_working_days,
                 reopen_count = NEW.reopen_count
           WHERE id = open_id;
          PERFORM item_stat_record(open_id, 1, NEW.owner_scope, NEW.dispatcher_scope, NEW.acceptance_scope);
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
                NEW.close_working_days, NEW.reopen_count)
        RETURNING id INTO open_id;
        PERFORM item_stat_record(open_id, 1, NEW.owner_scope, NEW.dispatcher_scope, NEW.acceptance_scope);
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
         OR OLD.domain IS DISTINCT FROM NEW.domain OR OLD.batch_id IS DISTINCT FROM NEW.batch_id
         OR OLD.owner_scope IS DISTINCT FROM NEW.owner_scope OR OLD.dispatcher_scope IS DISTINCT FROM NEW.dispatcher_scope
         OR OLD.acceptance_scope IS DISTINCT FROM NEW.acceptance_scope)
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
    await q.query(`SELECT item_stat_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER item_timeline_update ON item`);
    await q.query(`DROP TRIGGER item_timeline_insert ON item`);
    await q.query(`DROP FUNCTION item_timeline_track()`);
    await q.query(`DROP FUNCTION item_stat_rebuild()`);
    await q.query(`DROP FUNCTION item_stat_compact()`);
    await q.query(`DROP FUNCTION item_stat_record(bigint, integer, uuid[], uuid[], uuid[])`);
    await q.query(`DROP VIEW item_stat_delta_cells`);
    await q.query(`DROP FUNCTION item_stat_dims(uuid, uuid, text, uuid[], uuid[], uuid[], uuid[], uuid[])`);
    await q.query(`DROP FUNCTION item_stat_bucket(text, date)`);
    await q.query(`DROP TABLE item_close_days_cell, item_stat_cell, item_stat_delta`);
    await q.query(`DROP TABLE item_timeline`);
    await q.query(`ALTER TABLE item DROP COLUMN close_working_days`);
    await q.query(`ALTER TABLE item DROP COLUMN extension_count`);
  }
}
