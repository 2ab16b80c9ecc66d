import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Items created in bulk bring the roll-ups up to date set-wise: what one stretch adds to the
 * figures is a function of the stretch (`item_stat_contribution`, inlined where it is used), which
 * item_stat_record() inserts for one stretch and items_created_in_bulk() inserts summed per cell key
 * for the whole set (a few hundred delta rows for a ledger instead of one per item). The readers
 * go in in the order of their (unit, deadline) indexes, so consecutive rows land on the same pages.
 */
const STAT_COLUMNS = [
  ...['batch_id', 'county_unit_id', 'domain', 'lead_unit_ids', 'lead_scope', 'read_owner', 'read_dispatch', 'read_accept'],
  ...['state', 'deadline', 'close_days', 'n', 'closed_with_original', 'on_time_original', 'closed_with_approved', 'on_time_approved'],
  ...['close_days_sum', 'close_days_n', 'extended_items', 'extensions', 'rebound_items', 'rebounds'],
].join(', ');

const OLD_RECORD = `
  INSERT INTO item_stat_delta (${STAT_COLUMNS})
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
   WHERE t.id = p_stretch`;

const OLD_BULK = `
  DECLARE first_from timestamptz;
  BEGIN
    INSERT INTO item_timeline (item_id, valid_from, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, state,
                               original_deadline, current_deadline, extension_count, first_signed_off_at, closed_on,
                               close_working_days, reopen_count)
    SELECT i.id, i.updated_at, i.batch_id, i.county_unit_id, i.domain,
           coalesce((SELECT array_agg(iu.unit_id ORDER BY iu.unit_id) FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}'),
           i.lead_scope, i.state, i.original_deadline, i.current_deadline, i.extension_count, i.first_signed_off_at,
           (i.completed_at AT TIME ZONE 'Asia/Shanghai')::date, i.close_working_days, i.reopen_count
      FROM item i WHERE i.id = ANY (p_items);
    PERFORM item_stat_record(t.id, 1, i.owner_scope, i.dispatcher_scope, i.acceptance_scope)
       FROM item_timeline t JOIN item i ON i.id = t.item_id
      WHERE t.item_id = ANY (p_items) AND t.valid_to IS NULL;
    INSERT INTO item_reader SELECT r.* FROM item i CROSS JOIN LATERAL item_reader_rows(i) r WHERE i.id = ANY (p_items);
    SELECT min(updated_at) INTO first_from FROM item WHERE id = ANY (p_items);
    IF first_from IS NOT NULL THEN
      PERFORM item_stat_snapshot_invalidate(first_from, '{main,read}');
    END IF;
  END`;

export class BulkItemRollups1766550000000 implements MigrationInterface {
  name = 'BulkItemRollups1766550000000';

  async up(q: QueryRunner): Promise<void> {
    // The state lists are the domain's (libs/domain/src/statistics/figures.ts), as before.
    await q.query(`
      CREATE FUNCTION item_stat_contribution(t item_timeline, p_sign integer, p_owner uuid[], p_dispatcher uuid[], p_acceptance uuid[])
      RETURNS TABLE (batch_id uuid, county_unit_id uuid, domain text, lead_unit_ids uuid[], lead_scope uuid[], read_owner uuid[],
                     read_dispatch uuid[], read_accept uuid[], state text, deadline date, close_days integer, n integer,
                     closed_with_original integer, on_time_original integer, closed_with_approved integer, on_time_approved integer,
                     close_days_sum bigint, close_days_n integer, extended_items integer, extensions integer, rebound_items integer,
                     rebounds integer)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT t.batch_id, t.county_unit_id, t.domain, t.lead_unit_ids, t.lead_scope, p_owner,
               ARRAY(SELECT DISTINCT unnest(p_owner || p_dispatcher)), ARRAY(SELECT DISTINCT unnest(p_owner || p_acceptance)), t.state,
               t.current_deadline, CASE WHEN c.closure THEN t.close_working_days END,
               p_sign,
               p_sign * (c.closure AND t.original_deadline IS NOT NULL)::int,
               p_sign * (c.closure AND coalesce(t.closed_on <= t.original_deadline, false))::int,
               p_sign * (c.closure AND t.current_deadline IS NOT NULL)::int,
               p_sign * (c.closure AND coalesce(t.closed_on <= t.current_deadline, false))::int,
               (p_sign * CASE WHEN c.closure THEN coalesce(t.close_working_days, 0) ELSE 0 END)::bigint,
               p_sign * (c.closure AND t.close_working_days IS NOT NULL)::int,
               p_sign * (c.counted AND t.extension_count > 0)::int,
               p_sign * CASE WHEN c.counted THEN t.extension_count ELSE 0 END,
               p_sign * (c.counted AND t.reopen_count > 0)::int,
               p_sign * CASE WHEN c.counted THEN t.reopen_count ELSE 0 END
          FROM (SELECT t.state NOT IN ('draft','cancelled','merged') AS counted, t.state IN ('signed_off','phase_completed') AS closure) c
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_stat_record(p_stretch bigint, p_sign integer, p_owner uuid[], p_dispatcher uuid[], p_acceptance uuid[])
      RETURNS void LANGUAGE sql AS $$
        INSERT INTO item_stat_delta (${STAT_COLUMNS})
        SELECT c.* FROM item_timeline t CROSS JOIN LATERAL item_stat_contribution(t, p_sign, p_owner, p_dispatcher, p_acceptance) c
         WHERE t.id = p_stretch
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION items_created_in_bulk(p_items uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE first_from timestamptz;
      BEGIN
        INSERT INTO item_timeline (item_id, valid_from, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, state,
                                   original_deadline, current_deadline, extension_count, first_signed_off_at, closed_on,
                                   close_working_days, reopen_count)
        SELECT i.id, i.updated_at, i.batch_id, i.county_unit_id, i.domain,
               coalesce((SELECT array_agg(iu.unit_id ORDER BY iu.unit_id) FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}'),
               i.lead_scope, i.state, i.original_deadline, i.current_deadline, i.extension_count, i.first_signed_off_at,
               (i.completed_at AT TIME ZONE 'Asia/Shanghai')::date, i.close_working_days, i.reopen_count
          FROM item i WHERE i.id = ANY (p_items);
        INSERT INTO item_stat_delta (${STAT_COLUMNS})
        SELECT c.batch_id, c.county_unit_id, c.domain, c.lead_unit_ids, c.lead_scope, c.read_owner, c.read_dispatch, c.read_accept, c.state,
               c.deadline, c.close_days, sum(c.n), sum(c.closed_with_original), sum(c.on_time_original), sum(c.closed_with_approved),
               sum(c.on_time_approved), sum(c.close_days_sum), sum(c.close_days_n), sum(c.extended_items), sum(c.extensions),
               sum(c.rebound_items), sum(c.rebounds)
          FROM item_timeline t JOIN item i ON i.id = t.item_id
         CROSS JOIN LATERAL item_stat_contribution(t, 1, i.owner_scope, i.dispatcher_scope, i.acceptance_scope) c
         WHERE t.item_id = ANY (p_items) AND t.valid_to IS NULL
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
        INSERT INTO item_reader SELECT r.* FROM item i CROSS JOIN LATERAL item_reader_rows(i) r WHERE i.id = ANY (p_items)
         ORDER BY r.unit_id, r.current_deadline, r.item_id;
        SELECT min(updated_at) INTO first_from FROM item WHERE id = ANY (p_items);
        IF first_from IS NOT NULL THEN
          PERFORM item_stat_snapshot_invalidate(first_from, '{main,read}');
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION items_created_in_bulk(p_items uuid[]) RETURNS void LANGUAGE plpgsql AS $$ ${OLD_BULK} $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_stat_record(p_stretch bigint, p_sign integer, p_owner uuid[], p_dispatcher uuid[], p_acceptance uuid[])
      RETURNS void LANGUAGE sql AS $$ ${OLD_RECORD} $$`);
    await q.query(`DROP FUNCTION item_stat_contribution(item_timeline, integer, uuid[], uuid[], uuid[])`);
  }
}
