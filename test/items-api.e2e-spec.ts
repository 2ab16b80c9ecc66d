import type { Actor } from '#domain';
import type { BatchView } from '#items';
import type { OrgUnitView, UserView } from '#org';
import { TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { Factory } from './support/factories.js';

describe('items API: lists, scope, editing, bad input (e2e)', () => {
  const clock = new TestClock(new Date('2026-06-15T10:00:00+08:00'));
  let api: TestApi;
  let f: Factory;
  let city: OrgUnitView;
  let bureau: OrgUnitView;
  let countyA: OrgUnitView;
  let countyB: OrgUnitView;
  let sectionA: OrgUnitView;
  let dispatcher: Actor;
  let officerA: Actor;
  let batch: BatchView;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await TestApi.start({ clock, env: { UPLOAD_LIMIT_BYTES: '2048' } });
    f = await Factory.create(api.ds, clock);
    city = await f.newUnit({ kind: 'city' });
    bureau = await f.newUnit({ parent: city });
    countyA = await f.newUnit({ parent: city, kind: 'county' });
    countyB = await f.newUnit({ parent: city, kind: 'county' });
    sectionA = await f.newUnit({ parent: countyA, kind: 'section' });
    const users: Record<string, [OrgUnitView, UserView['roles']]> = {
      dispatcher: [bureau, ['dispatcher']],
      officerA: [countyA, ['unit_officer']],
      clerkA: [sectionA, ['unit_officer']],
      officerB: [countyB, ['unit_officer']],
      auditor: [city, ['auditor']],
      verifierA: [countyA, ['verifier']],
    };
    for (const [key, [unit, roles]] of Object.entries(users)) {
      const user = await f.newUser(unit, roles);
      tokens[key] = (await api.login(user.email)).accessToken;
      if (key === 'dispatcher') dispatcher = Factory.actor(user, unit);
      if (key === 'officerA') officerA = Factory.actor(user, unit);
    }
    batch = await f.newBatch(dispatcher, { sourceType: 'provincial_inspection' });
    // A: led by county A, overdue; B: led by county B with county A cooperating, due soon; C: led by A's section, draft
    const a = await f.newItem(dispatcher, batch, {
      code: 'A',
      title: '燃煤锅炉淘汰不到位',
      domain: 'air',
      countyUnitId: countyA.id,
      leadUnitIds: [countyA.id],
      deadline: '2026-05-31',
    });
    const b = await f.newItem(dispatcher, batch, {
      code: 'B',
      title: '河道垃圾清理不彻底',
      domain: 'water',
      countyUnitId: countyB.id,
      leadUnitIds: [countyB.id],
      cooperating: [{ unitId: countyA.id, part: '上游段清理' }],
      deadline: '2026-06-20',
    });
    const c = await f.newItem(dispatcher, batch, {
      code: 'C',
      title: '矿山生态修复滞后',
      domain: 'ecology',
      leadUnitIds: [sectionA.id],
      deadline: '2026-12-31',
    });
    for (const item of [a, b]) {
      await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: 1 });
    }
    Object.assign(ids, { a: a.id, b: b.id, c: c.id });
  });
  afterAll(async () => {
    await f.close();
    await api.stop();
  });

  const list = (token: string, query: string): Promise<Reply> => api.request('GET', `/api/items?batchId=${batch.id}&${query}`, { token });
  const codes = (res: Reply): string[] => res.body.data.map((i: { code: string }) => i.code);
  /** How the API chose each list page while `fn` ran: 'walk' (newest history rows), 'matches' (found once) or 'full' (the whole order). */
  async function pagesChosen<T>(fn: () => Promise<T>): Promise<{ result: T; pages: string[] }> {
    const { result, statements } = await api.statementsSent(fn);
    const pages = statements.filter((sql) => /page AS MATERIALIZED/.test(sql));
    const how = (sql: string): string =>
      /recent AS MATERIALIZED/.test(sql) ? 'walk' : /matches AS MATERIALIZED/.test(sql) ? 'matches' : 'full';
    return { result, pages: pages.map(how) };
  }

  it('a unit sees what it leads or cooperates on, in its subtree, with a total', async () => {
    const a = await list(tokens.officerA, 'sort=code');
    expect(a.status).toBe(200);
    expect(codes(a)).toEqual(['A', 'B', 'C']);
    expect(a.body.total).toBe(3);
    const clerk = await list(tokens.clerkA, 'sort=code');
    expect(codes(clerk)).toEqual(['C']);
    const b = await list(tokens.officerB, 'sort=code');
    expect(codes(b)).toEqual(['B']);
    expect(b.body.total).toBe(1);
  });

  it('an item outside the scope is 404 for reading and for acting', async () => {
    expect((await api.request('GET', `/api/items/${ids.a}`, { token: tokens.officerB })).status).toBe(404);
    const act = await api.request('POST', `/api/items/${ids.a}/transitions`, {
      token: tokens.officerB,
      body: { action: 'accept', version: 2 },
    });
    expect(act.status).toBe(404);
    expect(act.body.code).toBe('ITEM_NOT_FOUND');
  });

  it('filters: state, lead unit (with subtree), cooperating unit, county, domain, overdue, due within, text', async () => {
    const t = tokens.auditor;
    expect(codes(await list(t, 'state=assigned&sort=code'))).toEqual(['A', 'B']);
    expect(codes(await list(t, 'state=draft,assigned&sort=-code'))).toEqual(['C', 'B', 'A']);
    expect(codes(await list(t, `leadUnitId=${countyA.id}&sort=code`))).toEqual(['A', 'C']);
    expect(codes(await list(t, `cooperatingUnitId=${countyA.id}`))).toEqual(['B']);
    expect(codes(await list(t, `countyUnitId=${countyB.id}`))).toEqual(['B']);
    expect(codes(await list(t, 'domain=ecology'))).toEqual(['C']);
    const overdue = await list(t, 'overdue=true');
    expect(codes(overdue)).toEqual(['A']);
    expect(overdue.body.data[0].overdue).toBe(true);
    expect(codes(await list(t, 'overdue=false&sort=code'))).toEqual(['B', 'C']);
    expect(codes(await list(t, 'dueWithinDays=7'))).toEqual(['B']);
    expect(codes(await list(t, `q=${encodeURIComponent('锅炉')}`))).toEqual(['A']);
    // Two characters (the pair index alone), one (each row tested), and four (the pair index, each match tested), in title or code.
    expect(codes(await list(t, `q=${encodeURIComponent('修复')}`))).toEqual(['C']);
    expect(codes(await list(t, `q=${encodeURIComponent('炉修')}`))).toEqual([]);
    expect(codes(await list(t, `q=${encodeURIComponent('河')}`))).toEqual(['B']);
    expect(codes(await list(t, `q=${encodeURIComponent('燃煤锅炉')}`))).toEqual(['A']);
    expect(codes(await list(t, 'sourceType=provincial_inspection&sort=deadline'))).toEqual(['A', 'B', 'C']);
  });

  it('a list row names its lead units in name order, not its cooperating units', async () => {
    const named = await f.newBatch(dispatcher, {});
    const [yi, jia] = [await f.newUnit({ parent: city, name: '乙局' }), await f.newUnit({ parent: city, name: '甲局' })];
    await f.newItem(dispatcher, named, { code: 'N1', leadUnitIds: [yi.id, countyA.id, jia.id], cooperating: [{ unitId: countyB.id }] });
    await f.newItem(dispatcher, named, { code: 'N2', leadUnitIds: [] });
    const res = await api.request('GET', `/api/items?batchId=${named.id}&sort=code`, { token: tokens.auditor });
    const names = [yi.name, countyA.name, jia.name].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    expect(res.body.data.map((i: { code: string; leadUnits: string | null }) => [i.code, i.leadUnits])).toEqual([
      ['N1', names.join('、')],
      ['N2', null],
    ]);
  });

  it("a unit's filtered lists (read from item_reader) give the same items, order, pages and totals", async () => {
    const t = tokens.officerA;
    const page = async (query: string): Promise<[string[], number]> => {
      const res = await list(t, query);
      expect(res.status).toBe(200);
      return [codes(res), res.body.total];
    };
    // County A's officer reads A (its own), B (it cooperates) and C (its section leads).
    expect(await page('sort=deadline')).toEqual([['A', 'B', 'C'], 3]);
    expect(await page('sort=-deadline')).toEqual([['C', 'B', 'A'], 3]);
    expect(await page('sort=deadline&pageSize=2&page=2')).toEqual([['C'], 3]);
    expect(await page('state=assigned')).toEqual([['A', 'B'], 2]);
    expect(await page('state=draft,in_progress')).toEqual([['C'], 1]);
    expect(await page(`countyUnitId=${countyB.id}`)).toEqual([['B'], 1]);
    expect(await page('domain=ecology')).toEqual([['C'], 1]);
    expect(await page('overdue=true')).toEqual([['A'], 1]);
    expect(await page('overdue=false')).toEqual([['B', 'C'], 2]);
    expect(await page('dueWithinDays=7')).toEqual([['B'], 1]);
    expect(await page('sourceType=provincial_inspection')).toEqual([['A', 'B', 'C'], 3]);
    expect(await page('sourceType=warning_film')).toEqual([[], 0]);
    // Filters only the item row answers (lead or cooperating unit, text): the matches found once,
    // page and total taken from them, in one statement.
    const { result, pages } = await pagesChosen(async () => [
      await page(`leadUnitId=${countyA.id}&sort=-deadline`),
      await page(`leadUnitId=${countyA.id}&sort=deadline&pageSize=1&page=2`),
      await page(`leadUnitId=${countyA.id}&pageSize=1&page=3`),
      await page(`cooperatingUnitId=${countyA.id}`),
      await page(`leadUnitId=${countyB.id}&sort=-updatedAt`),
    ]);
    expect(result).toEqual([
      [['C', 'A'], 2],
      [['C'], 2],
      [[], 2],
      [['B'], 1],
      [['B'], 1],
    ]);
    expect(pages).toEqual(['matches', 'matches', 'matches', 'matches', 'matches']);
    expect(codes(await list(tokens.clerkA, 'state=draft'))).toEqual(['C']);
    const b = await list(tokens.officerB, 'state=assigned');
    expect([codes(b), b.body.total]).toEqual([['B'], 1]);
    // The verifier of county A reads what county A accepts as well (the county level of the chain).
    expect(codes(await list(tokens.verifierA, `countyUnitId=${countyA.id}`))).toEqual(['A']);
  });

  it('pages and sorts', async () => {
    const first = await list(tokens.auditor, 'sort=code&pageSize=2&page=1');
    const second = await list(tokens.auditor, 'sort=code&pageSize=2&page=2');
    expect(codes(first)).toEqual(['A', 'B']);
    expect(codes(second)).toEqual(['C']);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
  });

  it('sends one statement per list, which carries the total even when the page is empty', async () => {
    const { result, statements } = await api.statementsSent(async () => ({
      unit: await list(tokens.officerA, 'sort=code&pageSize=2&page=1'),
      unitPast: await list(tokens.officerA, 'pageSize=2&page=9'),
      all: await list(tokens.auditor, 'sort=code&pageSize=2&page=2'),
      allPast: await list(tokens.auditor, 'pageSize=2&page=5'),
      none: await list(tokens.officerB, 'state=signed_off'),
    }));
    expect(statements.map((sql) => /counted AS MATERIALIZED/.test(sql) && /page AS MATERIALIZED/.test(sql))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(result.unit.body).toMatchObject({ total: 3, totalIsExact: true });
    expect(codes(result.unit)).toEqual(['A', 'B']);
    expect(result.unitPast.body).toMatchObject({ total: 3, totalIsExact: true, data: [] });
    expect(result.all.body).toMatchObject({ total: 3, page: 2 });
    expect(codes(result.all)).toEqual(['C']);
    expect(result.allPast.body).toMatchObject({ total: 3, totalIsExact: true, data: [] });
    expect(result.none.body).toMatchObject({ total: 0, totalIsExact: true, data: [] });
  });

  it('counts exactly up to 1000 matches, then says "more"', async () => {
    const big = await f.newBatch(dispatcher);
    await api.ds.query(
      `INSERT INTO item (batch_id, code, title, domain, type, dispatcher_unit_id)
       SELECT $1, 'N-' || g, '批量事项', 'air', 'deadline', $2 FROM generate_series(1, 1001) g`,
      [big.id, bureau.id],
    );
    const many = await api.request('GET', `/api/items?batchId=${big.id}&pageSize=5`, { token: tokens.auditor });
    expect(many.body).toMatchObject({ total: 1000, totalIsExact: false, pageSize: 5 });
    expect(many.body.data).toHaveLength(5);
    const few = await list(tokens.auditor, 'state=assigned');
    expect(few.body).toMatchObject({ total: 2, totalIsExact: true });
  });

  it("a unit's text search: page and total from one pass over the matches, the whole order past 1000", async () => {
    const own = await f.newBatch(dispatcher);
    // 1,005 signed-off items county A may read; the later one is inserted, the earlier its deadline.
    await api.ds.query(
      `INSERT INTO item (batch_id, code, title, domain, type, state, dispatcher_unit_id, owner_scope, current_deadline, original_deadline)
       SELECT $1, 'M-' || lpad(g::text, 4, '0'), '渗滤液批量' || CASE WHEN g % 2 = 0 THEN '偶' ELSE '奇' END, 'water', 'deadline',
              'signed_off', $2, ARRAY[$3]::uuid[], DATE '2030-12-31' - g, DATE '2030-12-31' - g
         FROM generate_series(1, 1005) g`,
      [own.id, bureau.id, countyA.id],
    );
    const search = (q: string, query: string, token = tokens.officerA): Promise<Reply> =>
      api.request('GET', `/api/items?q=${encodeURIComponent(q)}&${query}`, { token });
    // More than 1000 matches: the page is the top of all of them (M-1005 has the earliest deadline).
    const all = await search('渗滤液批量', 'pageSize=3');
    expect(all.body).toMatchObject({ total: 1000, totalIsExact: false });
    expect(codes(all)).toEqual(['M-1005', 'M-1004', 'M-1003']);
    // 503 odd ones (1, 3, …, 1005): counted exactly, pages in order, a page past the end empty but with the total.
    const odd = await search('批量奇', 'pageSize=2&page=2&sort=-deadline');
    expect(odd.body).toMatchObject({ total: 503, totalIsExact: true });
    expect(codes(odd)).toEqual(['M-0005', 'M-0007']);
    const past = await search('批量奇', 'pageSize=100&page=7');
    expect(past.body).toMatchObject({ total: 503, totalIsExact: true, data: [] });
    expect(codes(await search('批量奇', 'pageSize=3&page=168'))).toEqual(['M-0003', 'M-0001']);
    // A two-character search is counted on the pair index alone, a longer one on the pair index with
    // each match tested for the word: the same matches as ILIKE, in any case, across the code/title
    // boundary, with LIKE's own characters taken literally, and none where a word's pairs are all
    // there but not together (Q-6 holds 甲乙 and 乙丙, not 甲乙丙).
    await api.ds.query(
      `INSERT INTO item (batch_id, code, title, feedback_text, domain, type, state, dispatcher_unit_id, owner_scope)
       SELECT $1, v.code, v.title, v.feedback, 'air', 'deadline', 'assigned', $2, ARRAY[$3]::uuid[]
         FROM (VALUES ('Q-1', 'xY 扬尘', ''), ('Q-2', '扬尘XY', ''), ('Q-3x', 'y边界', ''), ('Q-4', '无关', '含 Xy 与 5%'),
                      ('Q-5', '无关', '5x'), ('Q-6', '甲乙 乙丙', '')) v(code, title, feedback)`,
      [own.id, bureau.id, countyA.id],
    );
    const found: number[] = [];
    for (const q of ['xy', 'XY', 'x y', '5%', '扬尘', 'x ', '甲乙丙', '乙 乙丙', 'Y 扬尘', '-3X Y']) {
      const [{ n }] = await api.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM item WHERE batch_id = $1 AND (code || ' ' || title || ' ' || feedback_text) ILIKE $2`,
        [own.id, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
      );
      for (const token of [tokens.officerA, tokens.auditor]) {
        const res = await api.request('GET', `/api/items?batchId=${own.id}&q=${encodeURIComponent(q)}&pageSize=100`, { token });
        expect([q, res.body.total, res.body.data.length]).toEqual([q, n, n]);
      }
      found.push(n);
    }
    expect(found).toEqual([3, 3, 1, 1, 2, 1, 0, 1, 1, 1]);
    // Nothing for county B, and nothing matching at all.
    expect((await search('批量奇', 'pageSize=3', tokens.officerB)).body).toMatchObject({ total: 0, totalIsExact: true, data: [] });
    expect((await search('没有这个词', 'pageSize=3')).body).toMatchObject({ total: 0, data: [] });
  });

  it('bad filters are named', async () => {
    const res = await api.request('GET', '/api/items?state=sleeping&pageSize=1000&dueWithinDays=-1', { token: tokens.auditor });
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((x: { field: string }) => x.field).sort()).toEqual(['dueWithinDays', 'pageSize', 'state']);
  });

  it('bad item input is a 400 naming each field and writes nothing', async () => {
    const before = (await api.ds.query(`SELECT count(*)::int AS n FROM item WHERE batch_id = $1`, [batch.id]))[0].n;
    const res = await api.request('POST', '/api/items', {
      token: tokens.dispatcher,
      body: { batchId: batch.id, code: 'X', title: '', domain: 'fire', type: 'someday', deadline: '2026-02-30', leadUnitIds: ['nope'] },
    });
    expect(res.status).toBe(400);
    const fields = res.body.details.fields.map((x: { field: string }) => x.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'domain', 'type', 'deadline', 'leadUnitIds']));
    expect(res.body.details.fields.find((x: { field: string }) => x.field === 'deadline').messages).toContain(
      'deadline must be a real date (YYYY-MM-DD) between 1949-10-01 and 2100-12-31',
    );
    expect((await api.ds.query(`SELECT count(*)::int AS n FROM item WHERE batch_id = $1`, [batch.id]))[0].n).toBe(before);
  });

  it('unknown units and duplicate codes are refused without a trace', async () => {
    const unknown = await api.request('POST', '/api/items', {
      token: tokens.dispatcher,
      body: {
        batchId: batch.id,
        code: 'Y',
        title: '某问题',
        domain: 'air',
        type: 'deadline',
        leadUnitIds: ['00000000-0000-4000-8000-000000000009'],
      },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('REFERENCE_NOT_FOUND');
    const dup = await api.request('POST', '/api/items', {
      token: tokens.dispatcher,
      body: { batchId: batch.id, code: 'A', title: '重复', domain: 'air', type: 'deadline' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('ITEM_CODE_TAKEN');
    expect((await api.ds.query(`SELECT count(*)::int AS n FROM item WHERE batch_id = $1 AND code IN ('Y')`, [batch.id]))[0].n).toBe(0);
  });

  it('only dispatchers create items; units cannot', async () => {
    const res = await api.request('POST', '/api/items', {
      token: tokens.officerA,
      body: { batchId: batch.id, code: 'Z', title: '某问题', domain: 'air', type: 'deadline' },
    });
    expect(res.status).toBe(403);
  });

  it('assignment refuses an item without lead unit, deadline or goal, naming them', async () => {
    const bare = await f.newItem(dispatcher, batch, { goal: '', deadline: null, leadUnitIds: [] });
    const res = await api.request('POST', `/api/items/${bare.id}/transitions`, {
      token: tokens.dispatcher,
      body: { action: 'assign', version: bare.version },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      code: 'GUARD_FAILED',
      message: 'Cannot assign yet: missing a lead unit (牵头单位); missing a deadline (整改时限); missing a goal (整改目标)',
      details: { missing: ['missing a lead unit (牵头单位)', 'missing a deadline (整改时限)', 'missing a goal (整改目标)'] },
    });
  });

  it('ledger fields are editable while draft or assigned; an assigned deadline edit adds a version and keeps the original', async () => {
    const a = (await api.request('GET', `/api/items/${ids.a}`, { token: tokens.dispatcher })).body;
    const edit = await api.request('PATCH', `/api/items/${ids.a}`, {
      token: tokens.dispatcher,
      body: { version: a.version, deadline: '2026-07-31', measures: '分批淘汰', title: a.title },
    });
    expect(edit.status).toBe(200);
    // the history row has each changed field before and after; the title, given unchanged, is left out
    const [row] = await api.ds.query<{ data: Record<string, unknown> }[]>(
      `SELECT data FROM history WHERE entity_type = 'item' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
      [ids.a],
    );
    expect(row.data).toEqual({
      measures: { from: a.measures, to: '分批淘汰' },
      deadline: { from: '2026-05-31', to: '2026-07-31', version: 2 },
    });
    expect(edit.body).toMatchObject({
      originalDeadline: '2026-05-31',
      currentDeadline: '2026-07-31',
      deadlineVersion: 2,
      measures: '分批淘汰',
    });
    const stale = await api.request('PATCH', `/api/items/${ids.a}`, {
      token: tokens.dispatcher,
      body: { version: a.version, title: '旧版本' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.currentVersion).toBe(a.version + 1);
    const byUnit = await api.request('PATCH', `/api/items/${ids.a}`, {
      token: tokens.officerA,
      body: { version: a.version + 1, title: '单位改' },
    });
    expect(byUnit.status).toBe(403);
    await f.transitions.transition(officerA, ids.a, { action: 'accept', version: a.version + 1 });
    const locked = await api.request('PATCH', `/api/items/${ids.a}`, {
      token: tokens.dispatcher,
      body: { version: a.version + 2, title: '整改中不可改' },
    });
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe('ITEM_NOT_EDITABLE');
  });

  it('a cooperating unit reports its own part only; the lead unit cannot report a part it does not have', async () => {
    const b = (await api.request('GET', `/api/items/${ids.b}`, { token: tokens.dispatcher })).body;
    const tokB = tokens.officerB;
    await api.request('POST', `/api/items/${ids.b}/transitions`, { token: tokB, body: { action: 'accept', version: b.version } });
    const asLead = await api.request('POST', `/api/items/${ids.b}/transitions`, {
      token: tokB,
      body: { action: 'report_part', version: b.version + 1, partStatus: 'done' },
    });
    expect(asLead.status).toBe(403);
    const mine = await api.request('POST', `/api/items/${ids.b}/transitions`, {
      token: tokens.officerA,
      body: { action: 'report_part', version: b.version + 1, partStatus: 'done', text: '上游段已清理' },
    });
    expect(mine.status).toBe(200);
    const detail = (await api.request('GET', `/api/items/${ids.b}`, { token: tokens.auditor })).body;
    expect(detail.units.find((x: { unitId: string }) => x.unitId === countyA.id)).toMatchObject({
      role: 'cooperating',
      status: 'done',
      progress: '上游段已清理',
    });
  });

  it('the auditor reads everything and may act on nothing but spot checks', async () => {
    const res = await api.request('GET', `/api/items/${ids.b}/actions`, { token: tokens.auditor });
    expect(res.body.actions).toEqual([]);
    const urge = await api.request('POST', `/api/items/${ids.b}/transitions`, {
      token: tokens.auditor,
      body: { action: 'urge', version: 99 },
    });
    expect([403, 409]).toContain(urge.status);
  });

  it('uploads: too large is 413, not multipart is 415, wrong content is 400, closed items refuse; nothing is stored', async () => {
    const b = ids.b;
    const count = async (): Promise<number> => (await api.ds.query(`SELECT count(*)::int AS n FROM evidence WHERE item_id = $1`, [b]))[0].n;
    const send = async (body: Buffer, name: string, id = b): Promise<Reply> => {
      const form = new FormData();
      form.append('file', new Blob([body]), name);
      const res = await fetch(`${api.baseUrl}/api/items/${id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.officerB}` },
        body: form,
      });
      return { status: res.status, headers: {}, body: await res.json(), raw: '' };
    };
    const big = await send(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4096, 0x41)]), 'big.pdf');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('FILE_TOO_LARGE');
    const json = await api.request('POST', `/api/items/${b}/evidence`, { token: tokens.officerB, body: { file: 'x' } });
    expect(json.status).toBe(415);
    const fake = await send(Buffer.from('<html><script>alert(1)</script></html>'), 'report.pdf');
    expect(fake.status).toBe(400);
    expect(fake.body.code).toBe('UNSUPPORTED_FILE_TYPE');
    const png = await send(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), '现场照片.jpg');
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ contentType: 'image/png', filename: '现场照片.png' });
    expect(await count()).toBe(1);
    const c = (await api.request('GET', `/api/items/${ids.c}`, { token: tokens.dispatcher })).body;
    await f.transitions.transition(dispatcher, ids.c, { action: 'cancel', version: c.version, reason: '与其他问题重复' });
    const closed = await send(Buffer.from('%PDF-1.4\n'), 'late.pdf', ids.c);
    expect(closed.status).toBe(404); // county B has no part in C
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4\n')]), 'late.pdf');
    const res = await fetch(`${api.baseUrl}/api/items/${ids.c}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.clerkA}` },
      body: form,
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('ITEM_NOT_OPEN_FOR_EVIDENCE');
    expect((await api.ds.query(`SELECT count(*)::int AS n FROM evidence WHERE item_id = $1`, [ids.c]))[0].n).toBe(0);
  });

  it('merging names the live item it joins; a cancelled one is refused', async () => {
    const d = await f.newItem(dispatcher, batch, { code: 'D', leadUnitIds: [countyB.id] });
    const intoCancelled = await api.request('POST', `/api/items/${d.id}/transitions`, {
      token: tokens.dispatcher,
      body: { action: 'merge', version: d.version, mergeIntoId: ids.c, reason: '重复' },
    });
    expect(intoCancelled.status).toBe(422);
    expect(intoCancelled.body.code).toBe('MERGE_TARGET_CLOSED');
    const merged = await api.request('POST', `/api/items/${d.id}/transitions`, {
      token: tokens.dispatcher,
      body: { action: 'merge', version: d.version, mergeIntoId: ids.b, reason: '与B为同一问题' },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.to).toBe('merged');
    const detail = (await api.request('GET', `/api/items/${d.id}`, { token: tokens.dispatcher })).body;
    expect(detail).toMatchObject({ state: 'merged', mergedIntoId: ids.b });
  });

  it('moving a unit in the tree moves what it can see', async () => {
    const mover = await f.newUnit({ parent: countyB, kind: 'section' });
    const user = await f.newUser(mover, ['unit_officer']);
    const token = (await api.login(user.email)).accessToken;
    const item = await f.newItem(dispatcher, batch, { leadUnitIds: [mover.id] });
    expect((await api.request('GET', '/api/auth/me', { token })).body.unitPath).toBe(`${countyB.path}${mover.id}/`);
    expect(codes(await list(tokens.officerB, `leadUnitId=${mover.id}`))).toEqual([item.code]);
    expect(codes(await list(tokens.officerB, 'state=draft'))).toEqual([item.code]);
    const moved = await api.request('PATCH', `/api/org-units/${mover.id}`, {
      token: (await api.login((await f.newUser(city, ['admin'])).email)).accessToken,
      body: { version: mover.version, parentId: countyA.id },
    });
    expect(moved.status).toBe(200);
    expect(codes(await list(tokens.officerB, `leadUnitId=${mover.id}`))).toEqual([]);
    expect(codes(await list(tokens.officerA, `leadUnitId=${mover.id}`))).toEqual([item.code]);
    expect(codes(await list(tokens.officerB, 'state=draft'))).toEqual([]);
    expect(codes(await list(tokens.officerA, 'state=draft'))).toEqual([item.code]); // C was cancelled above
    expect(codes(await list(tokens.officerA, 'state=cancelled'))).toEqual(['C']);
    expect((await api.request('GET', `/api/items/${item.id}`, { token })).status).toBe(200);
    // The mover's own session, checked before the move, sees its new place at once.
    expect((await api.request('GET', '/api/auth/me', { token })).body.unitPath).toBe(`${countyA.path}${mover.id}/`);
  });
  it("a unit's list follows its items through state and deadline changes", async () => {
    const own = await f.newBatch(dispatcher);
    const item = await f.newItem(dispatcher, own, { leadUnitIds: [sectionA.id], countyUnitId: countyA.id, deadline: '2026-07-31' });
    const mine = (token: string, query: string): Promise<Reply> => api.request('GET', `/api/items?batchId=${own.id}&${query}`, { token });
    expect(codes(await mine(tokens.officerA, 'state=draft'))).toEqual([item.code]);
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    expect(codes(await mine(tokens.officerA, 'state=draft'))).toEqual([]);
    expect(codes(await mine(tokens.clerkA, 'state=assigned'))).toEqual([item.code]);
    const accepted = await api.request('POST', `/api/items/${item.id}/transitions`, {
      token: tokens.clerkA,
      body: { action: 'accept', version: item.version + 1 },
    });
    expect(accepted.status).toBe(200);
    expect(codes(await mine(tokens.officerA, 'state=assigned'))).toEqual([]);
    expect(codes(await mine(tokens.officerA, 'state=in_progress&dueWithinDays=60'))).toEqual([item.code]);
    expect(codes(await mine(tokens.officerA, 'overdue=true'))).toEqual([]);
    expect(codes(await mine(tokens.officerB, 'state=in_progress'))).toEqual([]);
  });

  it("item_reader holds exactly the rows the items' scope sets give, after every kind of change above", async () => {
    const [{ rows, missing, extra }] = await api.ds.query<{ rows: number; missing: number; extra: number }[]>(
      `WITH expected AS (SELECT r.* FROM item i CROSS JOIN LATERAL item_reader_rows(i) r)
       SELECT (SELECT count(*)::int FROM item_reader) AS rows,
              (SELECT count(*)::int FROM (SELECT * FROM expected EXCEPT SELECT * FROM item_reader) x) AS missing,
              (SELECT count(*)::int FROM (SELECT * FROM item_reader EXCEPT SELECT * FROM expected) x) AS extra`,
    );
    expect(rows).toBeGreaterThan(10);
    expect({ missing, extra }).toEqual({ missing: 0, extra: 0 });
  });

  it('lists recently changed first, read through the history window, exactly as the full order', async () => {
    const recent = await f.newBatch(dispatcher);
    clock.setDate('2031-01-06');
    const made: Record<string, { id: string; version: number }> = {};
    for (const code of ['R1', 'R2', 'R3', 'R4']) {
      const item = await f.newItem(dispatcher, recent, { code, leadUnitIds: [countyA.id], deadline: '2031-06-30' });
      made[code] = { id: item.id, version: item.version };
    }
    // Changed later, in this order: R3, R1 (then nothing else), so the newest first is R1, R3, R4, R2.
    for (const [code, day] of [
      ['R3', '2031-01-07'],
      ['R1', '2031-01-08'],
    ] as const) {
      clock.setDate(day);
      const res = await api.request('PATCH', `/api/items/${made[code].id}`, {
        token: tokens.dispatcher,
        body: { version: made[code].version, title: `改过 ${code}` },
      });
      expect(res.status).toBe(200);
    }
    const order = (res: Reply): string[] => res.body.data.map((i: { code: string }) => i.code);
    const query = (q: string, token = tokens.auditor): Promise<Reply> =>
      api.request('GET', `/api/items?batchId=${recent.id}&sort=-updatedAt&${q}`, { token });
    const full = await api.ds.query<{ code: string }[]>(`SELECT code FROM item WHERE batch_id = $1 ORDER BY updated_at DESC, id DESC`, [
      recent.id,
    ]);
    // R4 and R2 were created in the same second: their order is by id, as the full order has it.
    expect(full.map((r) => r.code).slice(0, 2)).toEqual(['R1', 'R3']);
    expect([...order(await query('pageSize=2&page=1')), ...order(await query('pageSize=2&page=2'))]).toEqual(full.map((r) => r.code));
    expect(order(await query('pageSize=3'))).toEqual(full.map((r) => r.code).slice(0, 3));
    expect(order(await query('pageSize=50'))).toEqual(full.map((r) => r.code)); // fewer than a page: the full query
    // County A's officer reads them too, in the same order, and county B's officer none of them.
    const officer = [
      ...order(await query('pageSize=2&page=1', tokens.officerA)),
      ...order(await query('pageSize=2&page=2', tokens.officerA)),
    ];
    expect(officer).toEqual(full.map((r) => r.code));
    expect(order(await query('pageSize=2', tokens.officerB))).toEqual([]);
    // County B's items, changed after all of county A's: county A's officer walks past them to its own,
    // with a filter on its reader rows too; county B's officer sees only those, newest first.
    clock.setDate('2031-01-09');
    const other: { id: string; version: number }[] = [];
    for (const code of ['S1', 'S2', 'S3']) other.push(await f.newItem(dispatcher, recent, { code, leadUnitIds: [countyB.id] }));
    clock.setDate('2031-01-10');
    await f.transitions.transition(dispatcher, other[0].id, { action: 'assign', version: other[0].version });
    // The page comes from the walk alone (one statement, no full sort after it): the walk keeps county A's rows.
    const { pages } = await pagesChosen(async () => {
      expect(order(await query('pageSize=2', tokens.officerA))).toEqual(['R1', 'R3']);
      expect(order(await query('pageSize=2&state=draft', tokens.officerA))).toEqual(['R1', 'R3']);
    });
    expect(pages).toEqual(['walk', 'walk']);
    expect(order(await query('pageSize=2&state=assigned', tokens.officerA))).toEqual([]);
    const fullOf = async (where: string): Promise<string[]> =>
      (
        await api.ds.query<{ code: string }[]>(`SELECT code FROM item WHERE batch_id = $1 AND ${where} ORDER BY updated_at DESC, id DESC`, [
          recent.id,
        ])
      ).map((r) => r.code);
    // S2 and S3 were created in the same instant: by id, as the full order has it.
    const ofB = await fullOf(`code LIKE 'S%'`);
    expect(ofB[0]).toBe('S1');
    expect([...order(await query('pageSize=2', tokens.officerB)), ...order(await query('pageSize=2&page=2', tokens.officerB))]).toEqual(
      ofB,
    );
    expect(order(await query('pageSize=2&state=draft', tokens.officerB))).toEqual(ofB.slice(1));
    expect(order(await query('pageSize=3&state=assigned', tokens.auditor))).toEqual(['S1']);
    expect(order(await query('pageSize=2&state=draft', tokens.auditor))).toEqual((await fullOf(`state = 'draft'`)).slice(0, 2));
    // Text search is case-insensitive whatever its length: the code R1 by "r1", the edited titles by "改过".
    expect(order(await query('pageSize=10&q=r1'))).toEqual(['R1']);
    expect(order(await query(`pageSize=10&q=${encodeURIComponent('改过')}`))).toEqual(['R1', 'R3']);
    expect(order(await query(`pageSize=10&q=${encodeURIComponent('改过 r3')}`))).toEqual(['R3']);
  });

  it('recently changed first: an item changed in the instant the walk stopped at sends the page to the full sort', async () => {
    const tie = await f.newBatch(dispatcher);
    clock.setDate('2031-02-01');
    const made: { id: string; version: number }[] = [];
    // X and Y in one instant; after them 24 items, and edits until 99 history rows are newer than X and Y.
    for (const code of ['X', 'Y']) made.push(await f.newItem(dispatcher, tie, { code, leadUnitIds: [countyA.id] }));
    const tieAt = clock.now();
    for (let k = 1; k <= 24; k++) {
      clock.advanceDays(0.001);
      made.push(await f.newItem(dispatcher, tie, { code: `T${k}`, leadUnitIds: [countyA.id] }));
    }
    const newer = async (): Promise<number> =>
      (
        await api.ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM history h JOIN item i ON i.id = h.entity_id WHERE i.batch_id = $1 AND h.at > $2`,
          [tie.id, tieAt],
        )
      )[0].n;
    for (let k = 0; (await newer()) < 99; k++) {
      clock.advanceDays(0.001);
      const item = made[2 + (k % 24)];
      const res = await api.request('PATCH', `/api/items/${item.id}`, {
        token: tokens.dispatcher,
        body: { version: item.version, title: `改 ${k}` },
      });
      expect(res.status).toBe(200);
      item.version = res.body.version;
    }
    expect(await newer()).toBe(99);
    // The walk keeps 100 rows: the 99, then X's or Y's. Only the 24 changed after that instant are
    // certain, so a page of 25 is sorted in full, and it is the top of the whole order.
    const { result: res, pages } = await pagesChosen(() =>
      api.request('GET', `/api/items?batchId=${tie.id}&sort=-updatedAt&pageSize=25`, { token: tokens.auditor }),
    );
    const full = await api.ds.query<{ code: string }[]>(
      `SELECT code FROM item WHERE batch_id = $1 ORDER BY updated_at DESC, id DESC LIMIT 25`,
      [tie.id],
    );
    expect(codes(res)).toEqual(full.map((r) => r.code));
    expect(pages).toEqual(['walk', 'full']);
  });
});

describe('deadlines given as working days on the work calendar (e2e)', () => {
  let api: TestApi;
  let dispatcherToken: string;
  let batch: BatchView;
  let county: OrgUnitView;

  beforeAll(async () => {
    api = await TestApi.start();
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    county = await f.newUnit({ parent: city, kind: 'county' });
    const d = await f.newUser(bureau, ['dispatcher']);
    dispatcherToken = (await api.login(d.email)).accessToken;
    batch = await f.newBatch(Factory.actor(d, bureau));
  });
  afterAll(async () => {
    await api.stop();
  });

  it('computes the deadline across the Spring Festival and shows how; a fixed date replaces the rule', async () => {
    const res = await api.request('POST', '/api/items', {
      token: dispatcherToken,
      body: {
        batchId: batch.id,
        code: 'WD-1',
        title: '督察组交办问题',
        domain: 'air',
        type: 'immediate',
        leadUnitIds: [county.id],
        deadlineRule: { kind: 'working_days', from: '2025-01-20', days: 10, event: '督察组交办' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ currentDeadline: '2025-02-08', originalDeadline: '2025-02-08' });
    expect(res.body.deadlineRule.explanation).toContain('自督察组交办（2025-01-20）起10个工作日，截止2025-02-08');
    expect(res.body.deadlineRule.holidays).toHaveLength(8);

    const both = await api.request('PATCH', `/api/items/${res.body.id}`, {
      token: dispatcherToken,
      body: { version: res.body.version, deadline: '2025-03-01', deadlineRule: { kind: 'calendar_days', from: '2025-01-20', days: 7 } },
    });
    expect(both.status).toBe(400);
    expect(both.body.details.fields[0].field).toBe('deadlineRule');

    const fixed = await api.request('PATCH', `/api/items/${res.body.id}`, {
      token: dispatcherToken,
      body: { version: res.body.version, deadline: '2025-03-03' },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ currentDeadline: '2025-03-03', deadlineRule: null });
  });

  it('a calendar-day period ending on a holiday moves to the next working day', async () => {
    const res = await api.request('POST', '/api/items', {
      token: dispatcherToken,
      body: {
        batchId: batch.id,
        code: 'CD-1',
        title: '信访件转办',
        domain: 'noise',
        type: 'immediate',
        deadlineRule: { kind: 'calendar_days', from: '2025-09-24', days: 7 },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.currentDeadline).toBe('2025-10-09');
  });
});
