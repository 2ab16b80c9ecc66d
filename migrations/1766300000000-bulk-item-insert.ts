import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Items created in bulk (a ledger import, a decomposition) without a trigger per row: while the
 * transaction-local setting `rectify.bulk_items` is 'on', the item triggers that keep the timeline,
 * the roll-ups, the readers and the snapshot marks stand aside, and the writer brings those up to
 * date once for the whole set (`items_created_in_bulk`). The scope sets of many items are computed
 * in one statement (`item_refresh_scopes`), which the single-item refresh now calls.
 */
const ON = `current_setting('rectify.bulk_items', true) IS DISTINCT FROM 'on'`;

const TIMELINE_UPDATE_WHEN = `
  OLD.state IS DISTINCT FROM NEW.state OR OLD.current_deadline IS DISTINCT FROM NEW.current_deadline
  OR OLD.original_deadline IS DISTINCT FROM NEW.original_deadline OR OLD.extension_count IS DISTINCT FROM NEW.extension_count
  OR OLD.first_signed_off_at IS DISTINCT FROM NEW.first_signed_off_at OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
  OR OLD.close_working_days IS DISTINCT FROM NEW.close_working_days OR OLD.reopen_count IS DISTINCT FROM NEW.reopen_count
  OR OLD.lead_scope IS DISTINCT FROM NEW.lead_scope OR OLD.county_unit_id IS DISTINCT FROM NEW.county_unit_id
  OR OLD.domain IS DISTINCT FROM NEW.domain OR OLD.batch_id IS DISTINCT FROM NEW.batch_id
  OR OLD.owner_scope IS DISTINCT FROM NEW.owner_scope OR OLD.dispatcher_scope IS DISTINCT FROM NEW.dispatcher_scope
  OR OLD.acceptance_scope IS DISTINCT FROM NEW.acceptance_scope`;
const READER_UPDATE_WHEN = `
  OLD.state IS DISTINCT FROM NEW.state OR OLD.domain IS DISTINCT FROM NEW.domain
  OR OLD.county_unit_id IS DISTINCT FROM NEW.county_unit_id OR OLD.batch_id IS DISTINCT FROM NEW.batch_id
  OR OLD.current_deadline IS DISTINCT FROM NEW.current_deadline OR OLD.owner_scope IS DISTINCT FROM NEW.owner_scope
  OR OLD.dispatcher_scope IS DISTINCT FROM NEW.dispatcher_scope OR OLD.acceptance_scope IS DISTINCT FROM NEW.acceptance_scope`;
const SCOPE_WHEN = `
  OLD.owner_scope IS DISTINCT FROM NEW.owner_scope OR OLD.dispatcher_scope IS DISTINCT FROM NEW.dispatcher_scope
  OR OLD.acceptance_scope IS DISTINCT FROM NEW.acceptance_scope`;

const REFRESH_SET = `
  owner_scope = coalesce((SELECT array_agg(DISTINCT a) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                           CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE iu.item_id = i.id), '{}'),
  lead_scope = coalesce((SELECT array_agg(DISTINCT a) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                           CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}'),
  dispatcher_scope = coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = i.dispatcher_unit_id), '{}'),
  acceptance_scope = coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o
                           CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (item_acceptance_units(i.id))), '{}')`;

function triggers(gate: string): string[] {
  const and = (when: string) => (gate ? `WHEN (${gate} AND (${when}))` : `WHEN (${when})`);
  const plain = gate ? `WHEN (${gate})` : '';
  return [
    `CREATE TRIGGER item_timeline_insert AFTER INSERT ON item FOR EACH ROW ${plain} EXECUTE FUNCTION item_timeline_track()`,
    `CREATE TRIGGER item_timeline_update AFTER UPDATE ON item FOR EACH ROW ${and(TIMELINE_UPDATE_WHEN)} EXECUTE FUNCTION item_timeline_track()`,
    `CREATE TRIGGER item_reader_insert AFTER INSERT ON item FOR EACH ROW ${plain} EXECUTE FUNCTION item_reader_sync()`,
    `CREATE TRIGGER item_reader_update
       AFTER UPDATE OF state, domain, county_unit_id, batch_id, current_deadline, owner_scope, dispatcher_scope, acceptance_scope ON item
       FOR EACH ROW ${and(READER_UPDATE_WHEN)} EXECUTE FUNCTION item_reader_sync()`,
    `CREATE TRIGGER item_scope_snapshot_guard AFTER UPDATE ON item FOR EACH ROW ${and(SCOPE_WHEN)} EXECUTE FUNCTION item_scope_snapshot_guard()`,
    `CREATE TRIGGER item_timeline_snapshot_guard AFTER INSERT OR UPDATE OR DELETE ON item_timeline
       FOR EACH ROW ${plain} EXECUTE FUNCTION item_timeline_snapshot_guard()`,
  ];
}

async function replaceTriggers(q: QueryRunner, gate: string): Promise<void> {
  for (const name of [
    'item_timeline_insert',
    'item_timeline_update',
    'item_reader_insert',
    'item_reader_update',
    'item_scope_snapshot_guard',
  ]) {
    await q.query(`DROP TRIGGER ${name} ON item`);
  }
  await q.query(`DROP TRIGGER item_timeline_snapshot_guard ON item_timeline`);
  for (const sql of triggers(gate)) await q.query(sql);
}

export class BulkItemInsert1766300000000 implements MigrationInterface {
  name = 'BulkItemInsert1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION item_refresh_scopes(p_items uuid[]) RETURNS void LANGUAGE sql AS $$
        UPDATE item i SET ${REFRESH_SET} WHERE i.id = ANY (p_items)
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_refresh_scope(p_item uuid) RETURNS void LANGUAGE sql AS $$
        SELECT item_refresh_scopes(ARRAY[p_item])
      $$`);
    await replaceTriggers(q, ON);
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
    await q.query(`
      CREATE OR REPLACE FUNCTION item_refresh_scope(p_item uuid) RETURNS void LANGUAGE sql AS $$
        UPDATE item i SET ${REFRESH_SET} WHERE i.id = p_item
      $$`);
    await q.query(`DROP FUNCTION item_refresh_scopes(uuid[])`);
  }
}
