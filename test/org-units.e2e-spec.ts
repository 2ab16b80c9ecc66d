import type { OrgUnitView } from '#org';
import { TestApi } from './support/api.js';
import { Factory } from './support/factories.js';

describe('org units: tree, aliases, versions, history (e2e)', () => {
  let api: TestApi;
  let city: OrgUnitView;
  let adminToken: string;
  let officerToken: string;

  beforeAll(async () => {
    api = await TestApi.start();
    city = await api.factory.newUnit({ kind: 'city' });
    const admin = await api.factory.newUser(city, ['admin']);
    const officer = await api.factory.newUser(city, ['unit_officer']);
    adminToken = (await api.login(admin.email)).accessToken;
    officerToken = (await api.login(officer.email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  const create = (body: Record<string, unknown>) => api.request('POST', '/api/org-units', { token: adminToken, body });

  it('creates a unit under a parent, with aliases, and resolves any of its names', async () => {
    const tag = Factory.tag();
    const res = await create({
      code: `YJJ-${tag}`,
      name: `市应急管理局${tag}`,
      kind: 'department',
      parentId: city.id,
      aliases: [`市应急局${tag}`],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ parentId: city.id, path: `${city.path}${res.body.id}/`, aliases: [`市应急局${tag}`], version: 1 }),
    );
    for (const name of [`市应急局${tag}`, ` 市应急管理局${tag} `, `YJJ-${tag}`]) {
      const found = await api.request('GET', `/api/org-units/resolve?name=${encodeURIComponent(name)}`, { token: officerToken });
      expect(found.status).toBe(200);
      expect(found.body.id).toBe(res.body.id);
    }
    const none = await api.request('GET', `/api/org-units/resolve?name=${encodeURIComponent('不存在的局')}`, { token: officerToken });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('ORG_UNIT_NOT_FOUND');
  });

  it('refuses duplicate codes, sibling names and aliases with 409', async () => {
    const tag = Factory.tag();
    const first = await create({ code: `D-${tag}`, name: `重复局${tag}`, kind: 'department', parentId: city.id, aliases: [`别名${tag}`] });
    expect(first.status).toBe(201);
    const sameCode = await create({ code: `D-${tag}`, name: `另一个${tag}`, kind: 'department', parentId: city.id });
    expect(sameCode.status).toBe(409);
    expect(sameCode.body.message).toBe('Another unit already has this code');
    const sameName = await create({ code: `E-${tag}`, name: `重复局${tag}`, kind: 'department', parentId: city.id });
    expect(sameName.status).toBe(409);
    const sameAlias = await create({
      code: `F-${tag}`,
      name: `第三个${tag}`,
      kind: 'department',
      parentId: city.id,
      aliases: [`别名${tag}`],
    });
    expect(sameAlias.status).toBe(409);
    const [row] = await api.ds.query(`SELECT count(*)::int AS n FROM org_unit WHERE code IN ($1, $2)`, [`E-${tag}`, `F-${tag}`]);
    expect(row.n).toBe(0);
  });

  it('a stale version is a 409 naming the current version; the first writer wins', async () => {
    const unit = (await create({ code: `V-${Factory.tag()}`, name: `版本局${Factory.tag()}`, kind: 'department', parentId: city.id })).body;
    const results = await Promise.all(
      ['甲', '乙', '丙', '丁'].map((n) =>
        api.request('PATCH', `/api/org-units/${unit.id}`, { token: adminToken, body: { version: 1, name: `${unit.name}${n}` } }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(3);
    expect(conflicts[0].body).toEqual({
      code: 'VERSION_CONFLICT',
      message: expect.stringContaining('current version 2'),
      details: { currentVersion: 2 },
    });
    const history = await api.request('GET', `/api/org-units/${unit.id}/history`, { token: adminToken });
    expect(history.body.map((h: { action: string }) => h.action)).toEqual(['create', 'update']);
    expect(history.body[1].data.name.to).toBe(ok[0].body.name);
  });

  it('moves a unit with its subtree and refuses cycles', async () => {
    const f = api.factory;
    const a = await f.newUnit({ parent: city });
    const b = await f.newUnit({ parent: city });
    const section = await f.newUnit({ parent: a, kind: 'section' });
    const team = await f.newUnit({ parent: section, kind: 'section' });
    const moved = await api.request('PATCH', `/api/org-units/${section.id}`, {
      token: adminToken,
      body: { version: section.version, parentId: b.id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.path).toBe(`${b.path}${section.id}/`);
    const [teamRow] = await api.ds.query(`SELECT path FROM org_unit WHERE id = $1`, [team.id]);
    expect(teamRow.path).toBe(`${b.path}${section.id}/${team.id}/`);

    const cycle = await api.request('PATCH', `/api/org-units/${b.id}`, {
      token: adminToken,
      body: { version: b.version, parentId: team.id },
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.code).toBe('ORG_UNIT_CYCLE');
    const [bRow] = await api.ds.query(`SELECT path, parent_id FROM org_unit WHERE id = $1`, [b.id]);
    expect(bRow).toEqual({ path: b.path, parent_id: city.id });
  });

  it('the tree nests units under their parents', async () => {
    const f = api.factory;
    const dept = await f.newUnit({ parent: city });
    await f.newUnit({ parent: dept, kind: 'section' });
    const res = await api.request('GET', '/api/org-units/tree', { token: officerToken });
    expect(res.status).toBe(200);
    const root = res.body.find((n: { id: string }) => n.id === city.id);
    const node = root.children.find((n: { id: string }) => n.id === dept.id);
    expect(node.children).toHaveLength(1);
    expect(node.children[0].parentId).toBe(dept.id);
  });

  it('only admins change units; others get 403 and nothing is written', async () => {
    const res = await api.request('POST', '/api/org-units', {
      token: officerToken,
      body: { code: 'NOPE', name: '无权', kind: 'department' },
    });
    expect(res.status).toBe(403);
    const [row] = await api.ds.query(`SELECT count(*)::int AS n FROM org_unit WHERE code = 'NOPE'`);
    expect(row.n).toBe(0);
  });
});
