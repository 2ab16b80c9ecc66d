import type { DataSource } from 'typeorm';
import type { Actor } from '#domain';
import type { BatchView } from '#items';
import { openTestDataSource } from './support/database.js';
import { Factory } from './support/factories.js';

/** item_reader has no foreign key to item (migration 1766700000001): its rows still go with their items. */
describe('item_reader rows of deleted items', () => {
  let ds: DataSource;
  let f: Factory;
  let dispatcher: Actor;
  let batch: BatchView;
  let leadUnitId: string;

  beforeAll(async () => {
    ds = await openTestDataSource();
    f = await Factory.create(ds);
    const city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    const dept = await f.newUnit({ parent: city });
    leadUnitId = dept.id;
    dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    batch = await f.newBatch(dispatcher, { chain: [{ level: 'county' }], noticeDays: 0 });
  });
  afterAll(async () => {
    await f.close();
    await ds.destroy();
  });

  it('are deleted with the item, and only those', async () => {
    const gone = await f.newItem(dispatcher, batch, { leadUnitIds: [leadUnitId] });
    const kept = await f.newItem(dispatcher, batch, { leadUnitIds: [leadUnitId] });
    const readers = (id: string, q: { query: DataSource['query'] } = ds): Promise<{ n: number }[]> =>
      q.query(`SELECT count(*)::int AS n FROM item_reader WHERE item_id = $1`, [id]);
    // The city, the bureau (dispatching) and the department (leading): three readers each.
    await expect(readers(gone.id)).resolves.toEqual([{ n: 3 }]);
    const qr = ds.createQueryRunner();
    await qr.startTransaction();
    try {
      await qr.query(`DELETE FROM item WHERE id = $1`, [gone.id]);
      await expect(readers(gone.id, qr)).resolves.toEqual([{ n: 0 }]);
      await expect(readers(kept.id, qr)).resolves.toEqual([{ n: 3 }]);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });
});
