import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Items created in bulk (a ledger import, a decomposition) without a trigger per row: while the
 * transaction-local setting `rectify.bulk_items` is 'on', the insert triggers that keep the
 * timeline, the roll-ups, the readers and the snapshot marks stand aside, and the writer brings
 * those up to date once for the whole set (`items_created_in_bulk`). The scope sets are computed
 * from their inputs (`item_scope_sets`), so a bulk insert writes them with the rows instead of
 * updating every row again; item_refresh_scope and item_acceptance_units use the same functions.
 */
const GATE = `current_setting('rectify.bulk_items', true) IS DISTINCT FROM 'on'`;

const OLD_REFRESH = `
  UPDATE item i SET
    owner_scope = coalesce((SELECT array_agg(DISTINCT a) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                             CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE iu.item_id = i.id), '{}'),
    lead_scope = coalesce((SELECT array_agg(DISTINCT a) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                             CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}'),
    dispatcher_scope = coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = i.dispatcher_unit_id), '{}'),
    acceptance_scope = coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o
                             CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (item_acceptance_units(i.id))), '{}')
  WHERE i.id = p_item`;

const OLD_ACCEPTANCE = `
  SELECT coalesce(array_agg(coalesce((c.lvl->>'unitId')::uuid, i.county_unit_id,
           (SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead' ORDER BY iu.unit_id LIMIT 1))
         ORDER BY c.ord), '{}')
    FROM item i JOIN batch b ON b.id = i.batch_id
    CROSS JOIN LATERAL jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS c(lvl, ord)
   WHERE i.id = p_item`;

function triggers(gate: string): string[] {
  const when = gate ? `WHEN (${gate})` : '';
  return [
    `CREATE TRIGGER item_timeline_insert AFTER INSERT ON item FOR EACH ROW ${when} EXECUTE FUNCTION item_timeline_track()`,
    `CREATE TRIGGER item_reader_insert AFTER INSERT ON item FOR EACH ROW ${when} EXECUTE FUNCTION item_reader_sync()`,
    `CREATE TRIGGER item_timeline_snapshot_guard AFTER INSERT OR UPDATE OR DELETE ON item_timeline
       FOR EACH ROW ${when} EXECUTE FUNCTION item_timeline_snapshot_guard()`,
  ];
}

async function replaceTriggers(q: QueryRunner, gate: string): Promise<void> {
  await q.query(`DROP TRIGGER item_timeline_insert ON item`);
  await q.query(`DROP TRIGGER item_reader_insert ON item`);
  await q.query(`DROP TRIGGER item_timeline_snapshot_guard ON item_timeline`);
  for (const sql of triggers(gate)) await q.query(sql);
}

export class BulkItemInsert1766300000000 implements MigrationInterface {
  name = 'BulkItemInsert1766300000000';

  async up(q: QueryRunner): Promise<void> {
    // A level without a unit is the item's county (县级自查), or its first lead unit when it has none.
    await q.query(`
      CREATE FUNCTION item_acceptance_units_of(p_chain jsonb, p_county uuid, p_leads uuid[]) RETURNS uuid[] LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(array_agg(coalesce((c.lvl->>'unitId')::uuid, p_county, (SELECT x FROM unnest(p_leads) x ORDER BY x LIMIT 1))
               ORDER BY c.ord), '{}')
          FROM jsonb_array_elements(p_chain) WITH ORDINALITY AS c(lvl, ord)
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_acceptance_units(p_item uuid) RETURNS uuid[] LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN coalesce((
          SELECT item_acceptance_units_of(b.acceptance_chain, i.county_unit_id,
                   ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'))
            FROM item i JOIN batch b ON b.id = i.batch_id WHERE i.id = p_item), '{}');
      END $$`);
    // The scope sets: every unit on the paths of the units doing the work, of the lead units, of the
    // dispatching unit and of the accepting units.
    await q.query(`
      CREATE FUNCTION item_scope_sets(p_dispatcher uuid, p_units uuid[], p_leads uuid[], p_acceptance uuid[],
                                      OUT owner_scope uuid[], OUT lead_scope uuid[], OUT dispatcher_scope uuid[], OUT acceptance_scope uuid[])
      LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (p_units)), '{}'),
               coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (p_leads)), '{}'),
               coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = p_dispatcher), '{}'),
               coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (p_acceptance)), '{}')
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_refresh_scope(p_item uuid) RETURNS void LANGUAGE sql AS $$
        UPDATE item i SET (owner_scope, lead_scope, dispatcher_scope, acceptance_scope) = (
          SELECT s.owner_scope, s.lead_scope, s.dispatcher_scope, s.acceptance_scope
            FROM item_scope_sets(i.dispatcher_unit_id, ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id),
                                 ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'),
                                 item_acceptance_units(i.id)) s)
         WHERE i.id = p_item
      $$`);
    await replaceTriggers(q, GATE);
    // What the skipped row triggers would have left for new items, done once for the set: each
    // item's first stretch and its share of the roll-ups, its readers, and the snapshots it changes.
    await q.query(`
      CREATE FUNCTION items_created_in_bulk(p_items uuid[]) RETURNS void LANGUAGE plpgsql AS $$
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
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION items_created_in_bulk(uuid[])`);
    await replaceTriggers(q, '');
    await q.query(`CREATE OR REPLACE FUNCTION item_refresh_scope(p_item uuid) RETURNS void LANGUAGE sql AS $$ ${OLD_REFRESH} $$`);
    await q.query(`DROP FUNCTION item_scope_sets(uuid, uuid[], uuid[], uuid[])`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_acceptance_units(p_item uuid) RETURNS uuid[] LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN (${OLD_ACCEPTANCE});
      END $$`);
    await q.query(`DROP FUNCTION item_acceptance_units_of(jsonb, uuid, uuid[])`);
  }
}
