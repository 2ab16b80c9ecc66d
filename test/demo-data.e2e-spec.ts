import type { DataSource } from 'typeorm';
import { seedDemo } from '../apps/cli/src/demo/seed-demo.js';
import { DEMO_PASSWORD, DEMO_STAFF, DEMO_USERS } from '../apps/cli/src/demo/demo-units.js';
import { TestApi } from './support/api.js';

describe('demo data (e2e)', () => {
  let api: TestApi;
  let ds: DataSource;

  beforeAll(async () => {
    api = await TestApi.start();
    ds = api.ds;
  });
  afterAll(async () => {
    await api.stop();
  });

  // The rectification ledger (items: true) has its own test, demo-items.e2e-spec.ts.
  it('loads the city once; a second run creates nothing', async () => {
    const f = api.factory;
    await seedDemo(ds, f.units, f.users, { items: false });
    const again = await seedDemo(ds, f.units, f.users, { items: false });
    expect(again).toEqual({
      unitsCreated: 0,
      usersCreated: 0,
      batchesCreated: 0,
      itemsCreated: 0,
      projectsCreated: 0,
      complaintsCreated: 0,
    });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM org_unit WHERE code LIKE 'DT%'`);
    expect(n).toBe(44); // city, 15 departments + 6 sections of the ecology bureau, 11 counties with their sub-bureaus
    const province = await ds.query(`SELECT kind, parent_id FROM org_unit WHERE code = 'SX-STHJT'`);
    expect(province).toEqual([{ kind: 'other', parent_id: null }]); // the provincial acceptance body, a root of its own
    const [{ staff }] = await ds.query(`SELECT count(*)::int AS staff FROM app_user WHERE lower(email) = ANY($1::text[])`, [
      [...DEMO_USERS, ...DEMO_STAFF].map((u) => u.email.toLowerCase()),
    ]);
    expect(staff).toBe(DEMO_USERS.length + DEMO_STAFF.length);
  }, 240_000); // may wait for a concurrent seed (demo-items.e2e-spec.ts) to finish

  it('every demo account signs in with the demo password and gets its roles', async () => {
    for (const user of DEMO_USERS) {
      const res = await api.request('POST', '/api/auth/login', { body: { email: user.email, password: DEMO_PASSWORD }, ip: '10.9.9.9' });
      expect(res.status).toBe(200);
      expect(res.body.user.roles).toEqual(user.roles);
    }
    // The acting staff share one password hash; a county verifier and the province verifier stand for them.
    for (const email of ['verifier.yungang@demo.rectify.cn', 'verifier.province@demo.rectify.cn']) {
      const res = await api.request('POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD }, ip: '10.9.9.9' });
      expect(res.status).toBe(200);
      expect(res.body.user.roles).toEqual(['verifier']);
    }
  });

  it('resolves the aliases real documents use', async () => {
    const { accessToken } = await api.login('officer.yjj@demo.rectify.cn', DEMO_PASSWORD);
    const res = await api.request('GET', `/api/org-units/resolve?name=${encodeURIComponent('市应急局')}`, { token: accessToken });
    expect(res.body.name).toBe('市应急管理局');
    const county = await api.request('GET', `/api/org-units/resolve?name=${encodeURIComponent('天镇县人民政府')}`, { token: accessToken });
    expect(county.body).toEqual(expect.objectContaining({ name: '天镇县', kind: 'county' }));
  });
});
