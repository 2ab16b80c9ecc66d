import type { DataSource } from 'typeorm';
import type { Actor } from '#domain';
import { insertItems, type NewItem } from '#intake';
import type { BatchView } from '#items';
import { openTestDataSource } from './support/database.js';
import { Factory } from './support/factories.js';

/** Many items in a few statements (a ledger import, a decomposition): all of them or none. */
describe('insertItems', () => {
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
    leadUnitId = (await f.newUnit({ parent: city })).id;
    dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    batch = await f.newBatch(dispatcher);
  });
  afterAll(async () => {
    await f.close();
    await ds.destroy();
  });

  const row = (code: string): NewItem => ({
    code,
    title: '工业园区污水管网错接混接',
    feedbackText: '',
    domain: 'water',
    countyUnitId: null,
    goal: '',
    measures: '',
    type: 'deadline',
    responsibleLeader: null,
    responsiblePerson: null,
    responsiblePhone: null,
    stageNodes: [],
    deadline: '2026-06-30',
    leadUnitIds: [leadUnitId],
    cooperatingParts: [],
    provenance: {},
  });
  const inBatch = async (): Promise<number> => {
    const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM item WHERE batch_id = $1`, [batch.id]);
    return n;
  };

  it('writes nothing when a statement fails while the next chunk is prepared (6,000 rows, one code)', async () => {
    const rows = Array.from({ length: 6000 }, () => row('DUP-1'));
    const target = { batchId: batch.id, dispatcherUnitId: dispatcher.unitId, at: new Date() };
    await expect(ds.transaction((m) => insertItems(m, dispatcher, target, rows))).rejects.toThrow(/item_code_in_batch_uq/);
    await expect(inBatch()).resolves.toBe(0);
  });

  it('writes every row of several chunks, with its deadline version, unit and creation history', async () => {
    const rows = Array.from({ length: 5002 }, (_, i) => row(`C-${i}`));
    const target = { batchId: batch.id, dispatcherUnitId: dispatcher.unitId, at: new Date() };
    const ids = await ds.transaction((m) => insertItems(m, dispatcher, target, rows));
    const [counts] = await ds.query<{ items: number; deadlines: number; units: number; created: number }[]>(
      `SELECT (SELECT count(*)::int FROM item WHERE batch_id = $1) AS items,
              (SELECT count(*)::int FROM item_deadline d JOIN item i ON i.id = d.item_id WHERE i.batch_id = $1) AS deadlines,
              (SELECT count(*)::int FROM item_unit u JOIN item i ON i.id = u.item_id WHERE i.batch_id = $1) AS units,
              (SELECT count(*)::int FROM history WHERE entity_type = 'item' AND entity_id = ANY($2::uuid[]) AND action = 'create') AS created`,
      [batch.id, ids],
    );
    expect(counts).toEqual({ items: 5002, deadlines: 5002, units: 5002, created: 5002 });
  });
});
