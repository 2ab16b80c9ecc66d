import type { OrgUnitView, UserView } from '#org';
import type { DataSource } from 'typeorm';
import type { Actor } from '#domain';
import { TestApi } from './support/api.js';
import { Factory } from './support/factories.js';
import { waitFor } from './support/smtp-sink.js';

/** Many writers on one item at once, through HTTP and directly through the transition function. */
describe('concurrent transitions on real PostgreSQL (e2e)', () => {
  let api: TestApi;
  let ds: DataSource;
  let f: Factory;
  let bureau: OrgUnitView;
  let county: OrgUnitView;
  let dispatcher: Actor;
  let officer: Actor;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await TestApi.start();
    ds = api.ds;
    f = api.factory;
    const city = await f.newUnit({ kind: 'city' });
    bureau = await f.newUnit({ parent: city });
    county = await f.newUnit({ parent: city, kind: 'county' });
    const d: UserView = await f.newUser(bureau, ['dispatcher']);
    const o: UserView = await f.newUser(county, ['unit_officer']);
    dispatcher = Factory.actor(d, bureau);
    officer = Factory.actor(o, county);
    tokens.dispatcher = (await api.login(d.email)).accessToken;
    tokens.officer = (await api.login(o.email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  async function itemInProgress(): Promise<{ id: string; version: number }> {
    const batch = await f.newBatch(dispatcher, { chain: [{ level: 'city', unitId: bureau.id }] });
    const item = await f.newItem(dispatcher, batch, { leadUnitIds: [county.id] });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: 1 });
    const accepted = await f.transitions.transition(officer, item.id, { action: 'accept', version: 2 });
    return { id: item.id, version: accepted.version };
  }

  const historyCount = async (id: string): Promise<number> =>
    (await ds.query(`SELECT count(*)::int AS n FROM history WHERE entity_type = 'item' AND entity_id = $1`, [id]))[0].n;

  it('40 simultaneous requests with the same version: exactly one wins, the rest get 409 naming the new version', async () => {
    const item = await itemInProgress();
    const before = await historyCount(item.id);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api.request('POST', `/api/items/${item.id}/transitions`, {
          token: tokens.dispatcher,
          body: { action: 'urge', version: item.version, reason: `催办 ${i}` },
        }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(39);
    for (const r of lost) {
      expect(r.body.code).toBe('VERSION_CONFLICT');
      expect(r.body.details.currentVersion).toBe(item.version + 1);
    }
    expect(await historyCount(item.id)).toBe(before + 1);
    const [row] = await ds.query(`SELECT version, state FROM item WHERE id = $1`, [item.id]);
    expect(row).toEqual({ version: item.version + 1, state: 'in_progress' });
    const [last] = await ds.query(`SELECT seq, action FROM history WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1`, [item.id]);
    expect(last).toEqual({ seq: won[0].body.historySeq, action: 'urge' });
  });

  it('competing actions (cancel against submit-side work) never both apply; history shows exactly the winner', async () => {
    for (let round = 0; round < 5; round++) {
      const item = await itemInProgress();
      const results = await Promise.allSettled([
        f.transitions.transition(dispatcher, item.id, { action: 'cancel', version: item.version, reason: '重复问题' }),
        f.transitions.transition(officer, item.id, { action: 'report_progress', version: item.version, text: '进展' }),
        f.transitions.transition(dispatcher, item.id, { action: 'urge', version: item.version }),
        f.transitions.transition(officer, item.id, {
          action: 'request_extension',
          version: item.version,
          proposedDeadline: '2031-06-30',
          reason: '延期',
        }),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      expect(fulfilled).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect(r.reason).toMatchObject({ kind: 'conflict', code: 'VERSION_CONFLICT' });
      }
      const winner = (fulfilled[0] as PromiseFulfilledResult<{ action: string; to: string }>).value;
      const history = await ds.query(`SELECT action, to_state FROM history WHERE entity_id = $1 ORDER BY seq`, [item.id]);
      expect(history.map((h: { action: string }) => h.action)).toEqual(['create', 'assign', 'accept', winner.action]);
      const [row] = await ds.query(`SELECT state, version, pending_extension_id FROM item WHERE id = $1`, [item.id]);
      expect(row.state).toBe(winner.to);
      expect(row.version).toBe(item.version + 1);
      // side effects of losers left nothing behind
      const [{ n: progress }] = await ds.query(`SELECT count(*)::int AS n FROM item_progress WHERE item_id = $1`, [item.id]);
      const [{ n: extensions }] = await ds.query(`SELECT count(*)::int AS n FROM item_extension WHERE item_id = $1`, [item.id]);
      expect(progress).toBe(winner.action === 'report_progress' ? 1 : 0);
      expect(extensions).toBe(winner.action === 'request_extension' ? 1 : 0);
      expect(row.pending_extension_id !== null).toBe(winner.action === 'request_extension');
    }
  });

  it('an urge that waited behind another writer of the history chain (no new version) is chained after it, not beside it', async () => {
    // An evidence upload locks the item and appends to its history without a new version. Here that
    // writer holds its lock while the urge reads the item (so the urge sees the older chain tip) and
    // commits once the urge's write is waiting for the lock.
    const item = await itemInProgress();
    const [{ seq: tip }] = await ds.query(`SELECT max(seq)::int AS seq FROM history WHERE entity_type = 'item' AND entity_id = $1`, [
      item.id,
    ]);
    const other = ds.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      await other.query(`SELECT 1 FROM item WHERE id = $1 FOR UPDATE`, [item.id]);
      await f.history.append(other.manager, {
        entityType: 'item',
        entityId: item.id,
        action: 'add_evidence',
        actorId: officer.userId,
        fromState: 'in_progress',
        toState: 'in_progress',
      });
      const urge = f.transitions.transition(dispatcher, item.id, { action: 'urge', version: item.version, reason: '请加快' });
      urge.catch(() => undefined); // awaited below, after the other writer commits
      await waitFor(
        async () => {
          const rows = await ds.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE item SET state%'`,
          );
          return rows.length > 0;
        },
        5000,
        'the urge to wait for the item lock',
      );
      await other.commitTransaction();
      const done = await urge;
      expect(done).toMatchObject({ action: 'urge', version: item.version + 1, historySeq: tip + 2 });
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    const history = await ds.query(
      `SELECT seq, action FROM history WHERE entity_type = 'item' AND entity_id = $1 AND seq > $2 ORDER BY seq`,
      [item.id, tip],
    );
    expect(history).toEqual([
      { seq: tip + 1, action: 'add_evidence' },
      { seq: tip + 2, action: 'urge' },
    ]);
    const outbox = await ds.query(`SELECT kind FROM outbox WHERE dedupe_key = $1`, [`item:${item.id}:${tip + 2}`]);
    expect(outbox).toEqual([{ kind: 'item.urge' }]);
    expect((await f.history.verify('item')).firstBreak).toBeNull();
  });

  it('a chain of writers who each re-read the version all get through, one after another, with nothing lost', async () => {
    const item = await itemInProgress();
    const writers = 12;
    const perWriter = 5;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let done = 0; done < perWriter;) {
          const [{ version }] = await ds.query(`SELECT version FROM item WHERE id = $1`, [item.id]);
          try {
            await f.transitions.transition(officer, item.id, { action: 'report_progress', version, text: `writer ${w} report ${done}` });
            done += 1;
          } catch (e) {
            if ((e as { code?: string }).code !== 'VERSION_CONFLICT') throw e;
          }
        }
      }),
    );
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM item_progress WHERE item_id = $1`, [item.id]);
    expect(n).toBe(writers * perWriter);
    const [row] = await ds.query(`SELECT version FROM item WHERE id = $1`, [item.id]);
    expect(row.version).toBe(item.version + writers * perWriter);
    const seqs = (await ds.query(`SELECT seq FROM history WHERE entity_id = $1 ORDER BY seq`, [item.id])).map(
      (r: { seq: number }) => r.seq,
    );
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect((await f.history.verify(`item`)).firstBreak).toBeNull();
  });
});

/**
 * A pool of two connections and more closings at once than it has connections: every part of a
 * transition runs on the transaction's own connection (closing reads the working-day calendar;
 * that check once took a second connection, so the transactions held the whole pool and each
 * waited for another connection forever).
 */
describe('transitions on a pool smaller than the requests at once (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start({ env: { DATABASE_POOL_SIZE: '2' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('six items signed off at once all close, each with its working days, and nothing waits for a connection', async () => {
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    const county = await f.newUnit({ parent: city, kind: 'county' });
    const dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    const officerUser = await f.newUser(county, ['unit_officer']);
    const officer = Factory.actor(officerUser, county);
    const verifier = Factory.actor(await f.newUser(county, ['verifier']), county);
    const batch = await f.newBatch(dispatcher, { chain: [{ level: 'county' }], noticeDays: 0 });
    const submitted: { id: string; version: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const item = await f.newItem(dispatcher, batch, { leadUnitIds: [county.id], countyUnitId: county.id });
      await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: 1 });
      await f.transitions.transition(officer, item.id, { action: 'accept', version: 2 });
      await api.ds.query(
        `INSERT INTO evidence (item_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
         VALUES ($1, $2, 'r.pdf', 'application/pdf', 1, repeat('c', 64), 'cc/x', $3)`,
        [item.id, county.id, officerUser.id],
      );
      submitted.push({
        id: item.id,
        version: (await f.transitions.transition(officer, item.id, { action: 'submit', version: 3 })).version,
      });
    }
    // Two connections in the pool, six closings: with a second connection taken inside each
    // transaction this never settles (the test times out).
    const results = await Promise.all(
      submitted.map((s) => f.transitions.transition(verifier, s.id, { action: 'pass', version: s.version })),
    );
    expect(results.map((r) => r.version)).toEqual(submitted.map((s) => s.version + 1));
    const rows = await api.ds.query<{ state: string; close_working_days: number | null }[]>(
      `SELECT state, close_working_days FROM item WHERE id = ANY($1::uuid[])`,
      [submitted.map((s) => s.id)],
    );
    expect(rows).toEqual(Array.from({ length: 6 }, () => ({ state: 'signed_off', close_working_days: 0 })));
  }, 20_000);
});
