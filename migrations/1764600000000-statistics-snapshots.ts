import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Month-end snapshots of the statistics roll-ups, so that "as of" any past instant costs at most
 * about half a month of corrections, however far back it lies.
 *
 * A snapshot holds, for one month end (its instant `at`: the first instant of the next month,
 * Asia/Shanghai), the roll-up sums of the stretches in force just before `at`, per dimension value,
 * state and deadline bucket, and the distribution of working days to close. Deadlines are kept by
 * day in the snapshot's month and the next (the statistics days it serves), by month otherwise.
 *
 * Two kinds, built, read and invalidated apart: 'main' (all, batch, county, domain, lead,
 * lead_scope: a function of the timeline alone) and 'read' (what each unit may read, by the
 * item's scopes as they are now, so a change of an item's scopes changes its whole past there).
 *
 * A snapshot must never silently go wrong. Every change of a stretch that counts at an instant
 * before a snapshot's `at` (a backdated write: the demo seeder, a test clock, a unit moved in the
 * tree, which amends open stretches in place) marks the snapshot invalidated, in the writer's own
 * transaction; readers use only snapshots built and not invalidated. Writers take an advisory lock
 * shared; a builder takes it alone just to register its snapshot row, so every writer either has
 * committed before the build reads the timeline, or finds the row and invalidates it (see
 * StatisticsSnapshots in #statistics).
 */
export class StatisticsSnapshots1764600000000 implements MigrationInterface {
  name = 'StatisticsSnapshots1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // Stretches begun in a window and ended after it: the corrections between a snapshot and an
    // instant read them from this index alone (the closed index is ordered by the end).
    await q.query(`
      CREATE INDEX item_timeline_closed_from_idx ON item_timeline (valid_from)
      INCLUDE (valid_to, item_id, state, batch_id, county_unit_id, domain, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count, lead_unit_ids, lead_scope) WHERE valid_to IS NOT NULL`);
    await q.query(`
      CREATE TABLE item_stat_snapshot (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind            text NOT NULL CHECK (kind IN ('main', 'read')),
        month_end       date NOT NULL,
        at              timestamptz NOT NULL,
        built_at        timestamptz,
        invalidated_at  timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX item_stat_snapshot_month_uq ON item_stat_snapshot (kind, month_end) WHERE invalidated_at IS NULL`);
    await q.query(`CREATE INDEX item_stat_snapshot_at_idx ON item_stat_snapshot (at) WHERE invalidated_at IS NULL`);
    await q.query(`
      CREATE TABLE item_stat_snapshot_cell (
        snapshot_id           bigint NOT NULL REFERENCES item_stat_snapshot(id) ON DELETE CASCADE,
        dim                   text NOT NULL,
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
        rebounds              bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX item_stat_snapshot_cell_idx ON item_stat_snapshot_cell (snapshot_id, dim, key)`);
    await q.query(`
      CREATE TABLE item_stat_snapshot_days (
        snapshot_id  bigint NOT NULL REFERENCES item_stat_snapshot(id) ON DELETE CASCADE,
        dim          text NOT NULL,
        key          text NOT NULL,
        days         integer NOT NULL,
        n            bigint NOT NULL,
        PRIMARY KEY (snapshot_id, dim, key, days)
      )`);

    // Marks the snapshots of kinds p_kinds that a change counting from p_from on makes wrong.
    await q.query(`
      CREATE FUNCTION item_stat_snapshot_invalidate(p_from timestamptz, p_kinds text[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        -- Held to the end of the transaction; a builder registering its snapshot waits for it (and it for the builder).
        PERFORM pg_advisory_xact_lock_shared(hashtext('item_stat_snapshot'));
        UPDATE item_stat_snapshot SET invalidated_at = clock_timestamp()
         WHERE at > p_from AND kind = ANY(p_kinds) AND invalidated_at IS NULL;
      END $$`);
    // A stretch counts at instants from its start (or, when only its end moved, from the earlier end).
    await q.query(`
      CREATE FUNCTION item_timeline_snapshot_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM item_stat_snapshot_invalidate(NEW.valid_from, '{main,read}');
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM item_stat_snapshot_invalidate(OLD.valid_from, '{main,read}');
        ELSIF to_jsonb(OLD) - 'valid_to' = to_jsonb(NEW) - 'valid_to' THEN
          IF OLD.valid_to IS DISTINCT FROM NEW.valid_to THEN
            PERFORM item_stat_snapshot_invalidate(least(OLD.valid_to, NEW.valid_to), '{main,read}');
          END IF;
        ELSE
          PERFORM item_stat_snapshot_invalidate(least(OLD.valid_from, NEW.valid_from), '{main,read}');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER item_timeline_snapshot_guard AFTER INSERT OR UPDATE OR DELETE ON item_timeline
      FOR EACH ROW EXECUTE FUNCTION item_timeline_snapshot_guard()`);
    // Who may read an item is decided on the item as it is now: a change of its scopes changes the
    // read snapshots from its first stretch on.
    await q.query(`
      CREATE FUNCTION item_scope_snapshot_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE first_from timestamptz;
      BEGIN
        SELECT min(valid_from) INTO first_from FROM item_timeline WHERE item_id = NEW.id;
        IF first_from IS NOT NULL THEN
          PERFORM item_stat_snapshot_invalidate(first_from, '{read}');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER item_scope_snapshot_guard AFTER UPDATE ON item FOR EACH ROW
      WHEN (OLD.owner_scope IS DISTINCT FROM NEW.owner_scope OR OLD.dispatcher_scope IS DISTINCT FROM NEW.dispatcher_scope
         OR OLD.acceptance_scope IS DISTINCT FROM NEW.acceptance_scope)
      EXECUTE FUNCTION item_scope_snapshot_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER item_scope_snapshot_guard ON item`);
    await q.query(`DROP FUNCTION item_scope_snapshot_guard()`);
    await q.query(`DROP TRIGGER item_timeline_snapshot_guard ON item_timeline`);
    await q.query(`DROP FUNCTION item_timeline_snapshot_guard()`);
    await q.query(`DROP FUNCTION item_stat_snapshot_invalidate(timestamptz, text[])`);
    await q.query(`DROP TABLE item_stat_snapshot_days, item_stat_snapshot_cell, item_stat_snapshot`);
    await q.query(`DROP INDEX item_timeline_closed_from_idx`);
  }
}
