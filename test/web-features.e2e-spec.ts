import type { OrgUnitView, UserView } from '#org';
import { OutboxService } from '#notifications';
import { TestApi, type Reply } from './support/api.js';
import { Factory } from './support/factories.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** The API the web app's screens need: names in records, messages, saved filters, bulk actions, list filters, "my work". */
describe('what the web app needs from the API (e2e)', () => {
  let api: TestApi;
  let city: OrgUnitView;
  let bureau: OrgUnitView;
  let county: OrgUnitView;
  let housing: OrgUnitView;
  let county2: OrgUnitView;
  let batchId: string;
  const u: Record<string, UserView> = {};
  const t: Record<string, string> = {};
  /** Items by letter: their id and the version last seen. */
  const it_: Record<string, { id: string; version: number }> = {};

  async function act(who: string, key: string, action: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const item = it_[key];
    const res = await api.request('POST', `/api/items/${item.id}/transitions`, {
      token: t[who],
      body: { action, version: item.version, ...extra },
    });
    if (res.status !== 200) throw new Error(`${who} ${action} ${key}: ${res.status} ${res.raw}`);
    item.version = res.body.version;
    return res;
  }
  async function newItem(key: string, fields: Record<string, unknown> = {}): Promise<void> {
    const res = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId,
        code: `W-${key}-${Factory.tag()}`,
        title: `事项${key}`,
        goal: '按期完成整改',
        domain: 'water',
        type: 'deadline',
        deadline: '2030-12-31',
        leadUnitIds: [county.id],
        countyUnitId: county.id,
        ...fields,
      },
    });
    if (res.status !== 201) throw new Error(`create ${key}: ${res.status} ${res.raw}`);
    it_[key] = { id: res.body.id, version: res.body.version };
  }
  async function upload(who: string, key: string): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([PDF]), '整改报告.pdf');
    const res = await fetch(`${api.baseUrl}/api/items/${it_[key].id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t[who]}` },
      body: form,
    });
    expect(res.status).toBe(201);
  }
  const toQueryString = (query: Record<string, unknown>): string =>
    new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(',') : String(v)]),
    ).toString();
  const listIds = async (who: string, query: Record<string, unknown>): Promise<string[]> => {
    const res = await api.request('GET', `/api/items?${toQueryString({ ...query, pageSize: 200 })}`, { token: t[who] });
    expect(res.status).toBe(200);
    return res.body.data.map((i: { id: string }) => i.id).sort();
  };
  const ids = (...keys: string[]): string[] => keys.map((k) => it_[k].id).sort();

  beforeAll(async () => {
    api = await TestApi.start();
    const f = api.factory;
    city = await f.newUnit({ kind: 'city', name: `大同市-${Factory.tag()}` });
    bureau = await f.newUnit({ parent: city, name: '市生态环境局' });
    county = await f.newUnit({ parent: city, kind: 'county', name: '天镇县' });
    housing = await f.newUnit({ parent: city, name: '市住建局' });
    county2 = await f.newUnit({ parent: city, kind: 'county', name: '阳高县' });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.officer = await f.newUser(county, ['unit_officer']);
    u.housingOfficer = await f.newUser(housing, ['unit_officer']);
    u.officer2 = await f.newUser(county2, ['unit_officer']);
    u.countyVerifier = await f.newUser(county, ['verifier']);
    u.cityVerifier = await f.newUser(bureau, ['verifier']);
    u.auditor = await f.newUser(city, ['auditor']);
    for (const [k, user] of Object.entries(u)) t[k] = (await api.login(user.email)).accessToken;
    const batch = await api.request('POST', '/api/batches', {
      token: t.dispatcher,
      body: {
        code: `WB-${Factory.tag()}`,
        name: '网页端测试批次',
        sourceType: 'self_found',
        acceptanceChain: [{ level: 'county' }, { level: 'city', unitId: bureau.id }],
      },
    });
    batchId = batch.body.id;

    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const soon = (await f.calendar.compute({ kind: 'working_days', from: today, days: 3 })).deadline;
    // A: assigned, overdue.  B: in progress, due within 5 working days.  C: extension requested.
    // D: at the county acceptance level.  E: returned by the city level.  F: the housing bureau's part open.
    // G: another county's.  H: a draft (for bulk assign).
    await newItem('A');
    await newItem('B', { deadline: soon });
    await newItem('C');
    await newItem('D');
    await newItem('E');
    await newItem('F', { cooperating: [{ unitId: housing.id, part: '管网建设' }] });
    await newItem('G', { leadUnitIds: [county2.id], countyUnitId: county2.id });
    await newItem('H');
    for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) await act('dispatcher', k, 'assign');
    await api.ds.query(`UPDATE item SET current_deadline = '2020-01-31' WHERE id = $1`, [it_.A.id]);
    for (const k of ['B', 'C', 'D', 'E', 'F']) await act('officer', k, 'accept');
    await act('officer2', 'G', 'accept');
    await act('officer', 'C', 'request_extension', { proposedDeadline: '2031-06-30', reason: '汛期施工受限' });
    for (const k of ['D', 'E']) {
      await upload('officer', k);
      await act('officer', k, 'submit');
    }
    await act('countyVerifier', 'E', 'pass');
    await act('cityVerifier', 'E', 'return', { reason: '佐证材料不全，缺少水质监测报告' });
    await api.request('POST', `/api/items/${it_.B.id}/comments`, { token: t.officer, body: { text: '已开工' } });
    await act('officer', 'B', 'report_progress', { text: '完成管网设计' });
  }, 180_000);
  afterAll(async () => {
    await api.stop();
  });

  describe('names wherever ids appear', () => {
    it('history rows name their actor and unit; acceptance records their signer', async () => {
      const history = (await api.request('GET', `/api/items/${it_.E.id}/history`, { token: t.auditor })).body;
      const ret = history.find((h: { action: string }) => h.action === 'return');
      expect(ret.actorId).toBe(u.cityVerifier.id);
      expect(ret.actor).toEqual({ id: u.cityVerifier.id, name: u.cityVerifier.name, unitId: bureau.id, unitName: '市生态环境局' });
      const detail = (await api.request('GET', `/api/items/${it_.E.id}`, { token: t.auditor })).body;
      expect(detail.acceptances.map((a: { result: string; signer: unknown }) => [a.result, a.signer])).toEqual([
        ['pass', { id: u.countyVerifier.id, name: u.countyVerifier.name, unitId: county.id, unitName: '天镇县' }],
        ['return', { id: u.cityVerifier.id, name: u.cityVerifier.name, unitId: bureau.id, unitName: '市生态环境局' }],
      ]);
      const c = (await api.request('GET', `/api/items/${it_.C.id}`, { token: t.auditor })).body;
      expect(c.extensions[0].requester).toEqual({ id: u.officer.id, name: u.officer.name, unitId: county.id, unitName: '天镇县' });
      expect(c.extensions[0].decider).toBeNull();
      expect(c.deadlines[0].decider).toMatchObject({ id: u.dispatcher.id, unitName: '市生态环境局' });
    });

    it('evidence names its uploader; comments and progress reports their author', async () => {
      const evidence = (await api.request('GET', `/api/items/${it_.D.id}/evidence`, { token: t.officer })).body;
      expect(evidence[0].uploadedById).toBe(u.officer.id);
      expect(evidence[0].uploadedBy).toEqual({ id: u.officer.id, name: u.officer.name, unitId: county.id, unitName: '天镇县' });
      const comments = (await api.request('GET', `/api/items/${it_.B.id}/comments`, { token: t.officer })).body;
      expect(comments[0].author).toEqual({ id: u.officer.id, name: u.officer.name, unitId: county.id, unitName: '天镇县' });
      const progress = (await api.request('GET', `/api/items/${it_.B.id}/progress`, { token: t.officer })).body;
      expect(progress[0].author).toEqual({ id: u.officer.id, name: u.officer.name, unitId: county.id, unitName: '天镇县' });
    });
  });

  describe('list filters and "my work"', () => {
    it('filters by working days, returns, open parts, pending extensions, dispatcher and acceptance level', async () => {
      expect(await listIds('officer', { overdue: true })).toEqual(ids('A'));
      expect(await listIds('officer', { dueWithinWorkingDays: 5 })).toEqual(ids('B'));
      expect(await listIds('officer', { returned: true })).toEqual(ids('E'));
      expect(await listIds('housingOfficer', { cooperatingUnitId: housing.id, cooperatingPartOpen: true })).toEqual(ids('F'));
      expect(await listIds('dispatcher', { extensionPending: true })).toEqual(ids('C'));
      expect(await listIds('dispatcher', { dispatcherUnitId: bureau.id, state: ['in_acceptance'] })).toEqual(ids('D'));
      expect(await listIds('countyVerifier', { awaitingMyAcceptance: true })).toEqual(ids('D'));
      expect(await listIds('cityVerifier', { awaitingMyAcceptance: true })).toEqual([]);
      expect(await listIds('officer', { awaitingMyAcceptance: true })).toEqual([]);
      expect(await listIds('dispatcher', { countyId: county2.id })).toEqual(ids('G'));
      const bad = await api.request('GET', '/api/items?dueWithinWorkingDays=-1', { token: t.officer });
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields[0].field).toBe('dueWithinWorkingDays');
    });

    it('the dashboard counts per role, each equal to the total of the list its query opens', async () => {
      const officer = (await api.request('GET', '/api/me/dashboard', { token: t.officer })).body;
      expect(Object.keys(officer)).toEqual(['officer']);
      const counts = (section: Record<string, { count: number }>): Record<string, number> =>
        Object.fromEntries(
          Object.entries(section)
            .filter(([, v]) => 'count' in v)
            .map(([k, v]) => [k, v.count]),
        );
      expect(counts(officer.officer)).toEqual({ overdue: 1, dueSoon: 1, returned: 1, toAccept: 1, partsOwed: 0 });
      const housingBoard = (await api.request('GET', '/api/me/dashboard', { token: t.housingOfficer })).body;
      expect(housingBoard.officer.partsOwed.count).toBe(1);
      const dispatcher = (await api.request('GET', '/api/me/dashboard', { token: t.dispatcher })).body.dispatcher;
      expect(counts(dispatcher)).toEqual({ dispatchedOpen: 7, overdue: 1, extensionRequests: 1, inAcceptance: 1 });
      expect(dispatcher.overdueByUnit.map((x: { unitId: string; count: number }) => [x.unitId, x.count])).toEqual([[county.id, 1]]);
      const verifier = (await api.request('GET', '/api/me/dashboard', { token: t.countyVerifier })).body;
      expect(verifier.verifier.acceptanceQueue.count).toBe(1);
      const auditor = (await api.request('GET', '/api/me/dashboard', { token: t.auditor })).body;
      expect(auditor.overview.overdue.count).toBeGreaterThanOrEqual(1);

      const tiles: [string, { count: number; query: Record<string, unknown> }][] = [
        ...Object.values(officer.officer).map((x) => ['officer', x] as [string, { count: number; query: Record<string, unknown> }]),
        ...Object.values(housingBoard.officer).map(
          (x) => ['housingOfficer', x] as [string, { count: number; query: Record<string, unknown> }],
        ),
        ...[...Object.values(dispatcher).filter((x) => !Array.isArray(x)), ...dispatcher.overdueByUnit].map(
          (x) => ['dispatcher', x] as [string, { count: number; query: Record<string, unknown> }],
        ),
        ['countyVerifier', verifier.verifier.acceptanceQueue],
        ...Object.values(auditor.overview).map((x) => ['auditor', x] as [string, { count: number; query: Record<string, unknown> }]),
      ];
      // The auditor reads the whole database, which other test files write to at the same time: a total is
      // compared with the tile's count read again right after it, and a pair that moved in between is read again.
      const tileCount = async (who: string, query: Record<string, unknown>): Promise<number> => {
        const board = (await api.request('GET', '/api/me/dashboard', { token: t[who] })).body as Record<string, unknown>;
        const all = Object.values(board).flatMap((section) =>
          Object.values(section as Record<string, unknown>).flatMap((x) => (Array.isArray(x) ? x : [x])),
        ) as { count: number; query: Record<string, unknown> }[];
        return all.find((x) => JSON.stringify(x.query) === JSON.stringify(query))!.count;
      };
      for (const [who, tile] of tiles) {
        let [before, total, after] = [tile.count, -1, -2];
        for (let attempt = 0; attempt < 5 && before !== after; attempt++) {
          if (attempt > 0) before = await tileCount(who, tile.query);
          total = (await api.request('GET', `/api/items?${toQueryString(tile.query)}`, { token: t[who] })).body.total;
          after = who === 'auditor' ? await tileCount(who, tile.query) : before;
        }
        expect([who, tile.query, total]).toEqual([who, tile.query, after]);
      }
    });

    it('counts overdue by lead unit in one grouped pass: the most first, each the total of its list', async () => {
      // C and F (the county leads them, as A) and G (阳高县 leads it) overdue for a moment: 3 and 1.
      const keys = ['C', 'F', 'G'];
      const before = await api.ds.query<{ id: string; d: string }[]>(
        `SELECT id, current_deadline::text AS d FROM item WHERE id = ANY($1::uuid[])`,
        [keys.map((k) => it_[k].id)],
      );
      await api.ds.query(`UPDATE item SET current_deadline = '2020-01-31' WHERE id = ANY($1::uuid[])`, [before.map((b) => b.id)]);
      try {
        const board = (await api.request('GET', '/api/me/dashboard', { token: t.dispatcher })).body.dispatcher;
        expect(board.overdue.count).toBe(4);
        const byUnit = board.overdueByUnit as { unitId: string; count: number; query: Record<string, unknown> }[];
        expect(byUnit.map((x) => [x.unitId, x.count])).toEqual([
          [county.id, 3],
          [county2.id, 1],
        ]);
        for (const x of byUnit) {
          const list = await api.request('GET', `/api/items?${toQueryString(x.query)}`, { token: t.dispatcher });
          expect(list.body.total).toBe(x.count);
        }
      } finally {
        for (const b of before) await api.ds.query(`UPDATE item SET current_deadline = $2 WHERE id = $1`, [b.id, b.d]);
      }
    });
  });

  describe('bulk transitions', () => {
    it('urges many items, each through the transition function; a refused one is reported with its reason', async () => {
      const before = it_.B.version;
      const res = await api.request('POST', '/api/items/bulk-transitions', {
        token: t.dispatcher,
        body: {
          action: 'urge',
          comment: '请加快进度',
          items: [
            { id: it_.B.id, version: it_.B.version },
            { id: it_.H.id, version: it_.H.version },
            { id: it_.C.id, version: 1 },
          ],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([
        { id: it_.B.id, ok: true, version: before + 1 },
        { id: it_.H.id, ok: false, status: 409, code: 'ACTION_NOT_ALLOWED', message: expect.stringContaining('draft') },
        { id: it_.C.id, ok: false, status: 409, code: 'VERSION_CONFLICT', message: expect.any(String) },
      ]);
      it_.B.version = before + 1;
      const history = (await api.request('GET', `/api/items/${it_.B.id}/history`, { token: t.dispatcher })).body;
      expect(history.at(-1)).toMatchObject({ action: 'urge', reason: '请加快进度', actorId: u.dispatcher.id });
      expect(await api.ds.query(`SELECT 1 FROM history WHERE entity_id = $1 AND action = 'urge'`, [it_.H.id])).toHaveLength(0);
    });

    it('assigns drafts in bulk; an item outside the caller’s scope is a 404 for that item only', async () => {
      const res = await api.request('POST', '/api/items/bulk-transitions', {
        token: t.officer,
        body: {
          action: 'assign',
          items: [
            { id: it_.G.id, version: it_.G.version },
            { id: it_.H.id, version: it_.H.version },
          ],
        },
      });
      expect(res.body.results.map((r: { ok: boolean; status?: number }) => [r.ok, r.status])).toEqual([
        [false, 404],
        [false, 403],
      ]);
      const ok = await api.request('POST', '/api/items/bulk-transitions', {
        token: t.dispatcher,
        body: { action: 'assign', items: [{ id: it_.H.id, version: it_.H.version }] },
      });
      expect(ok.body.results).toEqual([{ id: it_.H.id, ok: true, version: it_.H.version + 1 }]);
      it_.H.version += 1;
    });

    it('refuses other actions, empty and oversized batches with a 400 and does nothing', async () => {
      const items = [{ id: it_.B.id, version: it_.B.version }];
      for (const body of [
        { action: 'cancel', items },
        { action: 'urge', items: [] },
        { action: 'urge', items: Array.from({ length: 201 }, () => items[0]) },
      ]) {
        const res = await api.request('POST', '/api/items/bulk-transitions', { token: t.dispatcher, body });
        expect(res.status).toBe(400);
      }
      expect((await api.request('GET', `/api/items/${it_.B.id}`, { token: t.dispatcher })).body.version).toBe(it_.B.version);
    });
  });

  describe('messages', () => {
    it('the e-mails the outbox relay wrote for a transition are the recipient’s messages, and only theirs', async () => {
      await api.app.get(OutboxService).expandEvents();
      await act('dispatcher', 'B', 'urge', { reason: '本周内报送进度' });
      // Another test file's worker on the same database may claim the event first: wait for its mail rows.
      await api.app.get(OutboxService).expandEvents();
      let page = await api.request('GET', '/api/me/messages?pageSize=50', { token: t.officer });
      for (let i = 0; i < 50 && page.body.items?.[0]?.kind !== 'item.urge'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        await api.app.get(OutboxService).expandEvents();
        page = await api.request('GET', '/api/me/messages?pageSize=50', { token: t.officer });
      }
      expect(page.status).toBe(200);
      const urge = page.body.items[0];
      expect(urge).toMatchObject({ kind: 'item.urge', itemId: it_.B.id, projectId: null, readAt: null });
      expect(urge.subject).toContain('【催办】');
      expect(urge.text).toContain('本周内报送进度');
      const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'email' AND payload->>'userId' = $1`, [
        u.officer.id,
      ]);
      expect(page.body.total).toBe(n);
      expect(page.body.unread).toBe(n);
      expect((await api.request('GET', '/api/me/messages/unread-count', { token: t.officer })).body).toEqual({ unread: n });

      // Another user neither sees nor marks it.
      const others = (await api.request('GET', '/api/me/messages', { token: t.officer2 })).body.items.map((m: { id: string }) => m.id);
      expect(others).not.toContain(urge.id);
      expect((await api.request('POST', `/api/me/messages/${urge.id}/read`, { token: t.officer2 })).status).toBe(404);
      expect((await api.request('POST', '/api/me/messages/not-a-number/read', { token: t.officer })).status).toBe(404);

      expect((await api.request('POST', `/api/me/messages/${urge.id}/read`, { token: t.officer })).status).toBe(204);
      expect((await api.request('GET', '/api/me/messages/unread-count', { token: t.officer })).body).toEqual({ unread: n - 1 });
      const unreadOnly = await api.request('GET', '/api/me/messages?unreadOnly=true&pageSize=50', { token: t.officer });
      expect(unreadOnly.body.total).toBe(n - 1);
      expect(unreadOnly.body.items.map((m: { id: string }) => m.id)).not.toContain(urge.id);
      expect((await api.request('POST', '/api/me/messages/read-all', { token: t.officer })).status).toBe(204);
      expect((await api.request('GET', '/api/me/messages/unread-count', { token: t.officer })).body).toEqual({ unread: 0 });
    });
  });

  describe('saved filters', () => {
    it('are kept per user; another user’s is a 404; bad queries and duplicate names are refused', async () => {
      const created = await api.request('POST', '/api/me/saved-filters', {
        token: t.officer,
        body: { name: '本月到期', query: { state: ['assigned', 'in_progress'], dueWithinWorkingDays: 5 } },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: '本月到期', query: { state: ['assigned', 'in_progress'], dueWithinWorkingDays: 5 } });
      expect((await api.request('GET', '/api/me/saved-filters', { token: t.officer })).body.map((f: { id: string }) => f.id)).toEqual([
        created.body.id,
      ]);
      expect((await api.request('GET', '/api/me/saved-filters', { token: t.officer2 })).body).toEqual([]);

      const dup = await api.request('POST', '/api/me/saved-filters', { token: t.officer, body: { name: '本月到期', query: {} } });
      expect(dup.status).toBe(409);
      const bad = await api.request('POST', '/api/me/saved-filters', {
        token: t.officer,
        body: { name: '坏', query: { state: ['nope'], colour: 'red' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['query.colour', 'query.state']);
      const nested = await api.request('POST', '/api/me/saved-filters', {
        token: t.officer,
        body: { name: '坏2', query: { q: { $ne: 1 } } },
      });
      expect(nested.status).toBe(400);

      expect((await api.request('DELETE', `/api/me/saved-filters/${created.body.id}`, { token: t.officer2 })).status).toBe(404);
      expect((await api.request('DELETE', `/api/me/saved-filters/${created.body.id}`, { token: t.officer })).status).toBe(204);
      expect((await api.request('GET', '/api/me/saved-filters', { token: t.officer })).body).toEqual([]);
      const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM saved_filter WHERE user_id = $1`, [u.officer.id]);
      expect(n).toBe(0);
      const trail = await api.ds.query(`SELECT action FROM history WHERE entity_type = 'saved_filter' AND entity_id = $1 ORDER BY seq`, [
        created.body.id,
      ]);
      expect(trail).toEqual([{ action: 'create' }, { action: 'delete' }]);
    });
  });
});
