import type { DataSource } from 'typeorm';
import { openTestDataSource } from './support/database.js';
import { Factory } from './support/factories.js';

describe('history: append-only and hash-chained (real PostgreSQL)', () => {
  let ds: DataSource;
  let f: Factory;

  beforeAll(async () => {
    ds = await openTestDataSource();
    f = await Factory.create(ds);
  });
  afterAll(async () => {
    await f.close();
    await ds.destroy();
  });

  it('every change to a user leaves a chained history row', async () => {
    const unit = await f.newUnit();
    const user = await f.newUser(unit, ['unit_officer']);
    const actor = { userId: user.id, unitId: unit.id, unitPath: unit.path, roles: ['admin' as const] };
    const other = await f.newUser(unit, ['verifier']);
    await f.users.update(actor, other.id, { version: 1, name: '改名' });
    await f.users.update(actor, other.id, { version: 2, roles: ['verifier', 'unit_officer'] });
    const rows = await f.history.list('user', other.id);
    expect(rows.map((r) => [r.seq, r.action])).toEqual([
      [1, 'create'],
      [2, 'update'],
      [3, 'update'],
    ]);
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[2].prevHash).toBe(rows[1].hash);
    expect(rows[2].data).toEqual({ roles: { from: ['verifier'], to: ['unit_officer', 'verifier'] } });
    expect(rows[2].actorId).toBe(user.id);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on history', async () => {
    const unit = await f.newUnit();
    await expect(ds.query(`UPDATE history SET reason = 'x' WHERE entity_id = $1`, [unit.id])).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(ds.query(`DELETE FROM history WHERE entity_id = $1`, [unit.id])).rejects.toThrow(/append-only: DELETE refused/);
    await expect(ds.query(`TRUNCATE history`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const rows = await f.history.list('org_unit', unit.id);
    expect(rows).toHaveLength(1);
  });

  it('verification passes on intact chains and reports the first broken row after tampering', async () => {
    const before = await f.history.verify('org_unit');
    expect(before.firstBreak).toBeNull();
    expect(before.checkedRows).toBeGreaterThan(0);

    // A chain of its own entity type, so the committed tampering below affects no other test.
    const entityType = `tamper-${Factory.tag()}`;
    const entityId = (await f.newUnit()).id;
    for (const action of ['create', 'update', 'update']) {
      await ds.transaction((m) => f.history.append(m, { entityType, entityId, action, actorId: null, data: { action } }));
    }
    expect((await f.history.verify(entityType)).firstBreak).toBeNull();

    // Tamper the way someone with owner rights could: switch the trigger off, edit, switch it on.
    await ds.transaction(async (m) => {
      await m.query(`ALTER TABLE history DISABLE TRIGGER history_no_update_delete`);
      await m.query(`UPDATE history SET data = '{"action":"approve"}' WHERE entity_type = $1 AND seq = 2`, [entityType]);
      await m.query(`ALTER TABLE history ENABLE TRIGGER history_no_update_delete`);
    });
    const after = await f.history.verify(entityType);
    expect(after.firstBreak).toEqual({ entityType, entityId, seq: 2, problem: 'hash_mismatch' });
    expect(after.checkedRows).toBe(3);
  });
});
