import { Controller, Get } from '@nestjs/common';
import type { OrgUnitView, UserView } from '#org';
import { Public } from '../apps/api/src/auth/access.decorators.js';
import { TestApi } from './support/api.js';

/** Mounted only in this test: one route that forgot its access rule, one public route that fails. */
@Controller('test-only')
class ProbeController {
  @Get('no-rule')
  noRule(): string {
    return 'should never be served';
  }

  @Get('boom')
  @Public()
  boom(): string {
    throw new Error('database password is hunter2 at /srv/app/secret.ts:12');
  }
}

describe('authorization and scope (e2e)', () => {
  let api: TestApi;
  let city: OrgUnitView;
  let deptA: OrgUnitView;
  let sectionA: OrgUnitView;
  let deptB: OrgUnitView;
  let officerA: UserView;
  let clerkA: UserView;
  let officerB: UserView;
  let auditor: UserView;
  let admin: UserView;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await TestApi.start({ extraControllers: [ProbeController] });
    const f = api.factory;
    city = await f.newUnit({ kind: 'city' });
    deptA = await f.newUnit({ parent: city });
    sectionA = await f.newUnit({ parent: deptA, kind: 'section' });
    deptB = await f.newUnit({ parent: city });
    officerA = await f.newUser(deptA, ['unit_officer']);
    clerkA = await f.newUser(sectionA, ['unit_officer']);
    officerB = await f.newUser(deptB, ['unit_officer']);
    auditor = await f.newUser(city, ['auditor']);
    admin = await f.newUser(city, ['admin']);
    for (const [key, user] of Object.entries({ officerA, clerkA, officerB, auditor, admin })) {
      tokens[key] = (await api.login(user.email)).accessToken;
    }
  });
  afterAll(async () => {
    await api.stop();
  });

  it('a unit officer reads users of its own subtree', async () => {
    const res = await api.request('GET', `/api/users/${clerkA.id}`, { token: tokens.officerA });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: clerkA.id, unitId: sectionA.id, unitName: sectionA.name }));
  });

  it("another unit's user is 404, indistinguishable from a missing id", async () => {
    const hidden = await api.request('GET', `/api/users/${officerB.id}`, { token: tokens.officerA });
    const missing = await api.request('GET', '/api/users/00000000-0000-4000-8000-000000000000', { token: tokens.officerA });
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body).toEqual({ code: 'USER_NOT_FOUND', message: 'user not found', details: { id: officerB.id } });
    expect(hidden.raw).not.toContain(officerB.email);
    expect(hidden.raw).not.toContain(officerB.name);
  });

  it('a section does not see its parent department', async () => {
    expect((await api.request('GET', `/api/users/${officerA.id}`, { token: tokens.clerkA })).status).toBe(404);
  });

  it('lists hold only the subtree, with a total that counts only the subtree', async () => {
    const res = await api.request('GET', `/api/users?pageSize=200`, { token: tokens.officerA });
    expect(res.status).toBe(200);
    const ids = res.body.data.map((u: UserView) => u.id).sort();
    expect(ids).toEqual([officerA.id, clerkA.id].sort());
    expect(res.body.total).toBe(2);
    // filtering for another unit's users finds nothing rather than leaking them
    const other = await api.request('GET', `/api/users?unitId=${deptB.id}`, { token: tokens.officerA });
    expect(other.body).toEqual({ data: [], total: 0, page: 1, pageSize: 50 });
  });

  it('auditors and admins see every unit', async () => {
    for (const key of ['auditor', 'admin']) {
      const res = await api.request('GET', `/api/users?unitId=${deptB.id}`, { token: tokens[key] });
      expect(res.status).toBe(200);
      expect(res.body.data.map((u: UserView) => u.id)).toEqual([officerB.id]);
    }
  });

  it('a role without the permission is 403; writes by an auditor are refused', async () => {
    const body = { name: '新用户', email: 'new-user@test.rectify.cn', unitId: deptA.id, roles: ['unit_officer'] };
    for (const key of ['officerA', 'auditor']) {
      const res = await api.request('POST', '/api/users', { token: tokens[key], body });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const [row] = await api.ds.query(`SELECT count(*)::int AS n FROM app_user WHERE email = $1`, [body.email]);
    expect(row.n).toBe(0);
  });

  it('every route needs a token unless it is public', async () => {
    for (const url of ['/api/users', '/api/org-units', `/api/org-units/${deptA.id}`, '/api/auth/me']) {
      const res = await api.request('GET', url);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_REQUIRED');
    }
    expect((await api.request('GET', '/health')).status).toBe(200);
  });

  it('a route that declares no access rule is closed, even to an admin', async () => {
    const res = await api.request('GET', '/api/test-only/no-rule', { token: tokens.admin });
    expect(res.status).toBe(403);
    expect(res.raw).not.toContain('should never be served');
  });

  it('an unexpected error is a bare 500 without stack or internals', async () => {
    const res = await api.request('GET', '/api/test-only/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal server error', details: null });
    expect(res.raw).not.toMatch(/hunter2|secret\.ts|at /);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('role changes take effect on the next request, without signing in again', async () => {
    const user = await api.factory.newUser(deptB, ['unit_officer']);
    const { accessToken } = await api.login(user.email);
    expect((await api.request('GET', `/api/users/${officerA.id}`, { token: accessToken })).status).toBe(404);
    const promote = await api.request('PATCH', `/api/users/${user.id}`, {
      token: tokens.admin,
      body: { version: user.version, roles: ['auditor'] },
    });
    expect(promote.status).toBe(200);
    expect((await api.request('GET', `/api/users/${officerA.id}`, { token: accessToken })).status).toBe(200);
  });
});
