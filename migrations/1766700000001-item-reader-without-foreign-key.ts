import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * item_reader is derived from item rows alone and written only by the functions that derive it
 * (item_reader_sync, items_created_in_bulk, item_reader_rebuild), each from the item row it has in
 * hand: its rows cannot name an item that does not exist. Its foreign key still checked that on
 * every insert, one lookup and row lock per reader row: 60,000 checks (a third of a second) for a
 * 10,000-row ledger import, whose items the same transaction had just written. The key goes; what
 * it did on delete stays: deleting (or truncating) items deletes their reader rows.
 */
export class ItemReaderWithoutForeignKey1766700000001 implements MigrationInterface {
  name = 'ItemReaderWithoutForeignKey1766700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE item_reader DROP CONSTRAINT item_reader_item_id_fkey`);
    await q.query(`
      CREATE FUNCTION item_reader_forget() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          TRUNCATE item_reader;
        ELSE
          DELETE FROM item_reader r USING gone g WHERE r.item_id = g.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER item_reader_forget AFTER DELETE ON item REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION item_reader_forget()`,
    );
    await q.query(`CREATE TRIGGER item_reader_forget_all AFTER TRUNCATE ON item FOR EACH STATEMENT EXECUTE FUNCTION item_reader_forget()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER item_reader_forget_all ON item`);
    await q.query(`DROP TRIGGER item_reader_forget ON item`);
    await q.query(`DROP FUNCTION item_reader_forget()`);
    await q.query(
      `ALTER TABLE item_reader ADD CONSTRAINT item_reader_item_id_fkey FOREIGN KEY (item_id) REFERENCES item(id) ON DELETE CASCADE`,
    );
  }
}
