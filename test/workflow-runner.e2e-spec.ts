import type { DataSource } from 'typeorm';
import { DomainError, type Actor } from '#domain';
import type { ItemDetail } from '#items';
import { itemMails } from '#notifications';
import { readChangeEvent } from '#workflow';
import { openTestDataSource } from './support/database.js';
import { Factory } from './support/factories.js';

/** The workflow runner at service level, against real PostgreSQL: what it writes, what it refuses, what it offers. */
describe('workflow runner (items adapter, real PostgreSQL)', () => {
  let ds: DataSource;
  let f: Factory;
  let dispatcher: Actor;
  let officer: Actor;
  let stranger: Actor;
  let officerEmail: string;

  beforeAll(async () => {
    ds = await openTestDataSource();
    f = await Factory.create(ds);
    const city = await f.newUnit();
    const dept = await f.newUnit({ parent: city, kind: 'department' });
    const other = await f.newUnit();
    const d = await f.newUser(city, ['dispatcher']);
    const o = await f.newUser(dept, ['unit_officer']);
    const s = await f.newUser(other, ['unit_officer']);
    dispatcher = Factory.actor(d, city);
    officer = Factory.actor(o, dept);
    stranger = Factory.actor(s, other);
    officerEmail = o.email;
  });
  afterAll(async () => {
    await f.close();
    await ds.destroy();
  });

  async function newItem(): Promise<ItemDetail> {
    const batch = await f.newBatch(dispatcher);
    return f.newItem(dispatcher, batch, { leadUnitIds: [officer.unitId] });
  }

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => (e instanceof DomainError ? [e.kind, e.code] : e),
    );
  const historyCount = async (id: string): Promise<number> =>
    (await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM history WHERE entity_type = 'item' AND entity_id = $1`, [id]))[0].n;

  it('a state-only action writes the state, one history row and its typed event, which reads back as written', async () => {
    const item = await newItem();
    const before = await historyCount(item.id);
    const result = await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    expect(result).toMatchObject({ id: item.id, action: 'assign', from: 'draft', to: 'assigned', version: item.version + 1 });
    const [row] = await ds.query<{ state: string; version: number }[]>(`SELECT state, version FROM item WHERE id = $1`, [item.id]);
    expect(row).toEqual({ state: 'assigned', version: item.version + 1 });
    expect(await historyCount(item.id)).toBe(before + 1);
    const [outbox] = await ds.query<{ kind: string; dedupe_key: string; payload: unknown }[]>(
      `SELECT kind, dedupe_key, payload FROM outbox WHERE dedupe_key = $1`,
      [`item:${item.id}:${result.historySeq}`],
    );
    expect(outbox.kind).toBe('item.assign');
    expect(readChangeEvent(outbox.payload, outbox.kind, ['itemId'])).toEqual({
      itemId: item.id,
      kind: 'item.assign',
      action: 'assign',
      from: 'draft',
      to: 'assigned',
      actorId: dispatcher.userId,
      reason: null,
      historySeq: result.historySeq,
      details: {},
    });
  });

  it('the event fans out to the lead unit’s officers without reading the history row back', async () => {
    const item = await newItem();
    const result = await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    const [outbox] = await ds.query<{ kind: string; payload: unknown }[]>(`SELECT kind, payload FROM outbox WHERE dedupe_key = $1`, [
      `item:${item.id}:${result.historySeq}`,
    ]);
    const event = readChangeEvent(outbox.payload, outbox.kind, ['itemId'])!;
    const mails = await itemMails(ds.manager, outbox.kind, event, 'http://x/items/1');
    expect(mails.map((m) => [m.template, m.recipient.email])).toEqual([['item.assign', officerEmail]]);
    expect(mails[0].data).toMatchObject({ itemCode: item.code, actorName: expect.stringMatching(/^用户-/) });
  });

  it('refuses a stale version (409), another unit’s item (404), the wrong role (403) and a failed guard (422), writing nothing', async () => {
    const item = await newItem();
    const before = await historyCount(item.id);
    expect(await refusal(f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version + 5 }))).toEqual([
      'conflict',
      'VERSION_CONFLICT',
    ]);
    expect(await refusal(f.transitions.transition(stranger, item.id, { action: 'accept', version: item.version }))).toEqual([
      'not_found',
      'ITEM_NOT_FOUND',
    ]);
    expect(await refusal(f.transitions.transition(officer, item.id, { action: 'assign', version: item.version }))).toEqual([
      'forbidden',
      'FORBIDDEN',
    ]);
    expect(await refusal(f.transitions.transition(officer, item.id, { action: 'accept', version: item.version }))).toEqual([
      'conflict',
      'ACTION_NOT_ALLOWED',
    ]);
    const assigned = await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    const accepted = await f.transitions.transition(officer, item.id, { action: 'accept', version: assigned.version });
    expect(
      await refusal(f.transitions.transition(officer, item.id, { action: 'report_progress', version: accepted.version, text: '  ' })),
    ).toEqual(['unprocessable', 'GUARD_FAILED']);
    expect(await historyCount(item.id)).toBe(before + 2);
  });

  it('offers the actions open now from the item alone: input the user has yet to give blocks nothing', async () => {
    const item = await newItem();
    const assigned = await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    await f.transitions.transition(officer, item.id, { action: 'accept', version: assigned.version });
    const { actions } = await f.transitions.available(officer, item.id);
    const open = Object.fromEntries(actions.map((a) => [a.action, a.enabled]));
    // report_progress needs text and request_extension a proposed date: both still open, the form asks for them.
    expect(open).toMatchObject({ report_progress: true, request_extension: true, submit: false });
    expect(actions.find((a) => a.action === 'submit')!.blockedBy).toEqual([
      'evidence (佐证材料) must be uploaded before applying for acceptance',
    ]);
    expect(actions.some((a) => a.action === 'assign')).toBe(false);
    expect((await f.transitions.available(dispatcher, item.id)).actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['urge', 'cancel']),
    );
  });
});
