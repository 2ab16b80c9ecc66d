import { createAdmin } from '../apps/cli/src/create-admin.js';
import { TestApi } from './support/api.js';
import { Factory } from './support/factories.js';

describe('CLI: first administrator (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('creates the root unit when missing, and an admin who can sign in and manage units', async () => {
    const code = `ROOT-${Factory.tag()}`;
    const email = `first-admin-${Factory.tag()}@example.cn`;
    const admin = await createAdmin(api.ds, api.factory.units, api.factory.users, {
      email,
      name: '首任管理员',
      unitCode: code,
      password: 'First-Admin-2026',
    });
    expect(admin.roles).toEqual(['admin']);
    const [unit] = await api.ds.query(`SELECT id, kind, parent_id FROM org_unit WHERE code = $1`, [code]);
    expect(unit).toEqual({ id: admin.unitId, kind: 'city', parent_id: null });

    const { accessToken } = await api.login(email, 'First-Admin-2026');
    const res = await api.request('POST', '/api/org-units', {
      token: accessToken,
      body: { code: `${code}-A`, name: '市生态环境局', kind: 'department', parentId: unit.id },
    });
    expect(res.status).toBe(201);
  });

  it('refuses a weak password and leaves no user behind', async () => {
    const email = `weak-admin-${Factory.tag()}@example.cn`;
    await expect(
      createAdmin(api.ds, api.factory.units, api.factory.users, { email, name: '弱', unitCode: 'WEAK', password: 'short' }),
    ).rejects.toMatchObject({
      code: 'PASSWORD_POLICY',
    });
    expect(await api.ds.query(`SELECT 1 FROM app_user WHERE email = $1`, [email])).toHaveLength(0);
    expect(await api.ds.query(`SELECT 1 FROM org_unit WHERE code = 'WEAK'`)).toHaveLength(0);
  });
});
