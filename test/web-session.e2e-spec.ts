import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestApi, type Reply } from './support/api.js';
import { TEST_PASSWORD } from './support/factories.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>';

/** The rectify_refresh cookie's value and attributes from a Set-Cookie header. */
function refreshCookie(res: Reply): { value: string; attributes: string[] } | null {
  const header = res.headers['set-cookie'];
  if (!header) return null;
  const [pair, ...attributes] = header.split(';').map((s) => s.trim());
  const [name, value] = pair.split('=');
  return name === 'rectify_refresh' ? { value, attributes } : null;
}

describe('the web application: cookie sessions, pages, headers, password (e2e)', () => {
  let api: TestApi;
  let dist: string;

  beforeAll(async () => {
    dist = await mkdtemp(path.join(tmpdir(), 'rectify-web-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), INDEX_HTML);
    await writeFile(path.join(dist, 'assets', 'app-abc123.js'), 'console.log("app");\n');
    await writeFile(path.join(dist, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
    api = await TestApi.start({ env: { WEB_DIST_DIR: dist } });
  });
  afterAll(async () => {
    await api.stop();
    await rm(dist, { recursive: true, force: true });
  });

  const newUser = async (roles: ('admin' | 'unit_officer')[] = ['unit_officer']) => api.factory.newUser(await api.factory.newUnit(), roles);
  const cookieLogin = async (email: string, password = TEST_PASSWORD): Promise<Reply> =>
    api.request('POST', '/api/auth/login', { body: { email, password, refreshIn: 'cookie' } });

  describe('sign-in with the refresh token in a cookie', () => {
    it('sets an HttpOnly, SameSite=Strict cookie on /api/auth and leaves the token out of the answer', async () => {
      const user = await newUser();
      const res = await cookieLogin(user.email);
      expect(res.status).toBe(200);
      expect(res.body.refreshToken).toBeUndefined();
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.headers['cache-control']).toBe('no-store');
      const cookie = refreshCookie(res)!;
      expect(cookie.value).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);
      expect(cookie.attributes).toEqual(expect.arrayContaining(['Path=/api/auth', 'HttpOnly', 'SameSite=Strict']));
      expect(cookie.attributes).not.toContain('Secure');
      expect(cookie.attributes.find((a) => a.startsWith('Max-Age='))).toBe('Max-Age=2592000');
      // Behind an HTTPS proxy the cookie is Secure.
      const overHttps = await api.request('POST', '/api/auth/login', {
        body: { email: user.email, password: TEST_PASSWORD, refreshIn: 'cookie' },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(refreshCookie(overHttps)!.attributes).toContain('Secure');
    });

    it('refresh with an empty body reads and rotates the cookie; reuse of the old cookie still revokes the session', async () => {
      const user = await newUser();
      const login = await cookieLogin(user.email);
      const first = refreshCookie(login)!.value;
      const refreshed = await api.request('POST', '/api/auth/refresh', {
        body: {},
        headers: { cookie: `other=1; rectify_refresh=${first}` },
      });
      expect(refreshed.status).toBe(200);
      expect(Object.keys(refreshed.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshExpiresAt', 'tokenType']);
      const second = refreshCookie(refreshed)!.value;
      expect(second).not.toBe(first);
      expect((await api.request('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);

      const reuse = await api.request('POST', '/api/auth/refresh', { body: {}, headers: { cookie: `rectify_refresh=${first}` } });
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('AUTH_INVALID_REFRESH_TOKEN');
      expect(refreshCookie(reuse)!.attributes).toContain('Max-Age=0');
      expect((await api.request('POST', '/api/auth/refresh', { body: {}, headers: { cookie: `rectify_refresh=${second}` } })).status).toBe(
        401,
      );
      expect((await api.request('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(401);
      const reasons = await api.ds.query(`SELECT DISTINCT revoked_reason FROM auth_refresh_token WHERE user_id = $1`, [user.id]);
      expect(reasons).toEqual([{ revoked_reason: 'refresh_token_reused' }]);
    });

    it('refresh with neither a body token nor a cookie is a 401', async () => {
      const res = await api.request('POST', '/api/auth/refresh', { body: {} });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_INVALID_REFRESH_TOKEN');
    });

    it('logout by the cookie alone revokes the session and clears the cookie', async () => {
      const user = await newUser();
      const login = await cookieLogin(user.email);
      const cookie = refreshCookie(login)!.value;
      const out = await api.request('POST', '/api/auth/logout', { headers: { cookie: `rectify_refresh=${cookie}` } });
      expect(out.status).toBe(204);
      expect(refreshCookie(out)).toEqual({ value: '', attributes: expect.arrayContaining(['Path=/api/auth', 'Max-Age=0']) });
      expect((await api.request('GET', '/api/auth/me', { token: login.body.accessToken })).status).toBe(401);
      expect((await api.request('POST', '/api/auth/refresh', { body: {}, headers: { cookie: `rectify_refresh=${cookie}` } })).status).toBe(
        401,
      );
    });

    it('logout by the bearer token also clears a cookie sent with it; nothing at all is a 401', async () => {
      const user = await newUser();
      const login = await cookieLogin(user.email);
      const out = await api.request('POST', '/api/auth/logout', {
        token: login.body.accessToken,
        headers: { cookie: 'rectify_refresh=junk' },
      });
      expect(out.status).toBe(204);
      expect(refreshCookie(out)!.attributes).toContain('Max-Age=0');
      const [row] = await api.ds.query(`SELECT revoked_reason FROM auth_refresh_token WHERE user_id = $1`, [user.id]);
      expect(row.revoked_reason).toBe('signed_out');
      expect((await api.request('POST', '/api/auth/logout')).status).toBe(401);
    });

    it('bearer clients are unaffected: the body form gives and rotates the refresh token, no cookie is set', async () => {
      const user = await newUser();
      const login = await api.request('POST', '/api/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
      expect(login.body.refreshToken).toEqual(expect.any(String));
      expect(refreshCookie(login)).toBeNull();
      const refreshed = await api.request('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).toEqual(expect.any(String));
      expect(refreshCookie(refreshed)).toBeNull();
    });

    it('an unknown refreshIn is a 400 naming the field', async () => {
      const user = await newUser();
      const res = await api.request('POST', '/api/auth/login', {
        body: { email: user.email, password: TEST_PASSWORD, refreshIn: 'header' },
      });
      expect(res.status).toBe(400);
      expect(res.body.details.fields).toEqual([{ field: 'refreshIn', messages: ["refreshIn must be 'body' or 'cookie'"] }]);
    });
  });

  describe('me and passwords', () => {
    it('me names the user, the unit and what the roles grant', async () => {
      const unit = await api.factory.newUnit({ kind: 'county' });
      const user = await api.factory.newUser(unit, ['unit_officer']);
      const { accessToken } = await api.login(user.email);
      const me = await api.request('GET', '/api/auth/me', { token: accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(
        expect.objectContaining({
          id: user.id,
          email: user.email,
          name: user.name,
          locale: 'zh',
          roles: ['unit_officer'],
          unit: { id: unit.id, name: unit.name, code: unit.code, kind: 'county' },
          mustChangePassword: false,
        }),
      );
      expect(me.body.permissions).toEqual(expect.arrayContaining(['item.read:subtree', 'item.act:subtree']));
      expect(me.body.permissions).not.toContain('user.manage:all');
    });

    it('changing one’s password needs the current one, checks the policy, ends the other sessions and writes history', async () => {
      const user = await newUser();
      const session = await api.login(user.email);
      const other = await api.login(user.email);
      const wrong = await api.request('POST', '/api/auth/password', {
        token: session.accessToken,
        body: { currentPassword: 'Not-The-Password-1', newPassword: 'Lan-Shan-Qing-47' },
      });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ code: 'PASSWORD_CURRENT_WRONG', details: { fields: [{ field: 'currentPassword' }] } });
      for (const [newPassword, problem] of [
        ['short-1A', 'must be at least 10 characters'],
        ['alllowercaseletters', 'must mix at least three of: lower case, upper case, digits, symbols'],
        ['P@ssw0rd-2026', 'is a common or breached password'],
        [`${user.email.split('@')[0]}-X1`, 'must not contain your e-mail name'],
      ]) {
        const res = await api.request('POST', '/api/auth/password', {
          token: session.accessToken,
          body: { currentPassword: TEST_PASSWORD, newPassword },
        });
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('PASSWORD_POLICY');
        expect(res.body.details.fields[0]).toEqual({ field: 'newPassword', messages: expect.arrayContaining([problem]) });
      }
      expect(await api.ds.query(`SELECT 1 FROM history WHERE entity_id = $1 AND action = 'change_password'`, [user.id])).toHaveLength(0);

      const ok = await api.request('POST', '/api/auth/password', {
        token: session.accessToken,
        body: { currentPassword: TEST_PASSWORD, newPassword: 'Lan-Shan-Qing-47' },
      });
      expect(ok.status).toBe(204);
      expect((await api.request('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(200);
      expect((await api.request('GET', '/api/auth/me', { token: other.accessToken })).status).toBe(401);
      expect((await api.request('POST', '/api/auth/login', { body: { email: user.email, password: TEST_PASSWORD } })).status).toBe(401);
      expect((await api.request('POST', '/api/auth/login', { body: { email: user.email, password: 'Lan-Shan-Qing-47' } })).status).toBe(
        200,
      );
      expect(await api.ds.query(`SELECT actor_id FROM history WHERE entity_id = $1 AND action = 'change_password'`, [user.id])).toEqual([
        { actor_id: user.id },
      ]);
    }, 120_000);

    it('an administrator’s reset ends the sessions and forces a change before anything else', async () => {
      const admin = await newUser(['admin']);
      const adminToken = (await api.login(admin.email)).accessToken;
      const user = await newUser();
      const before = await api.login(user.email);
      const weak = await api.request('POST', `/api/users/${user.id}/reset-password`, {
        token: adminToken,
        body: { temporaryPassword: 'abc' },
      });
      expect(weak.status).toBe(422);
      expect(weak.body.details.fields[0].field).toBe('temporaryPassword');
      const reset = await api.request('POST', `/api/users/${user.id}/reset-password`, {
        token: adminToken,
        body: { temporaryPassword: 'Temp-Reset-2026' },
      });
      expect(reset.status).toBe(204);
      expect((await api.request('GET', '/api/auth/me', { token: before.accessToken })).status).toBe(401);

      const { accessToken } = await api.login(user.email, 'Temp-Reset-2026');
      const me = await api.request('GET', '/api/auth/me', { token: accessToken });
      expect(me.body.mustChangePassword).toBe(true);
      const blocked = await api.request('GET', '/api/items', { token: accessToken });
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
      const changed = await api.request('POST', '/api/auth/password', {
        token: accessToken,
        body: { currentPassword: 'Temp-Reset-2026', newPassword: 'Lan-Shan-Qing-47' },
      });
      expect(changed.status).toBe(204);
      expect((await api.request('GET', '/api/auth/me', { token: accessToken })).body.mustChangePassword).toBe(false);
      expect((await api.request('GET', '/api/items', { token: accessToken })).status).toBe(200);
      const actions = await api.ds.query(
        `SELECT action, actor_id FROM history WHERE entity_id = $1 AND action LIKE '%password' ORDER BY seq`,
        [user.id],
      );
      expect(actions).toEqual([
        { action: 'reset_password', actor_id: admin.id },
        { action: 'change_password', actor_id: user.id },
      ]);
    }, 120_000);

    it('only an administrator may reset a password', async () => {
      const officer = await newUser();
      const token = (await api.login(officer.email)).accessToken;
      const target = await newUser();
      const res = await api.request('POST', `/api/users/${target.id}/reset-password`, {
        token,
        body: { temporaryPassword: 'Temp-Reset-2026' },
      });
      expect(res.status).toBe(403);
      expect((await api.request('POST', '/api/auth/login', { body: { email: target.email, password: TEST_PASSWORD } })).status).toBe(200);
    }, 120_000);
  });

  describe('pages', () => {
    const expectPageHeaders = (res: Reply): void => {
      expect(res.headers['content-security-policy']).toBe(CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
    };

    it('serves index.html at / and for the app’s routes, never cached, with the security headers', async () => {
      for (const url of ['/', '/items/3f0a1c9e-0000-4000-8000-000000000000', '/projects/abc?tab=milestones', '/messages']) {
        const res = await api.request('GET', url);
        expect(res.status).toBe(200);
        expect(res.raw).toBe(INDEX_HTML);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-cache');
        expectPageHeaders(res);
      }
    });

    it('serves hashed assets for a year, immutable; a missing asset is a 404, not the page', async () => {
      const res = await api.request('GET', '/assets/app-abc123.js');
      expect(res.status).toBe(200);
      expect(res.raw).toBe('console.log("app");\n');
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expectPageHeaders(res);
      expect((await api.request('GET', '/assets/app-missing.js')).status).toBe(404);
      expect((await api.request('GET', '/assets/../index.html')).raw).not.toContain('console.log');
      const favicon = await api.request('GET', '/favicon.ico');
      expect(favicon.status).toBe(200);
      expect(favicon.headers['cache-control']).toBe('no-cache');
    });

    it('leaves /api and /health alone: their answers, their 404s', async () => {
      const health = await api.request('GET', '/health');
      expect(health.headers['content-type']).toMatch(/json/);
      const missing = await api.request('GET', '/api/no-such-thing');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String), details: null });
      expect(missing.headers['content-security-policy']).toBeUndefined();
      expect((await api.request('GET', '/api/items')).status).toBe(401);
      expect((await api.request('POST', '/items/x')).status).toBe(404);
    });

    it('GET /api answers an index with links to the documentation', async () => {
      const res = await api.request('GET', '/api');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'Rectify (整改通) API',
        links: { docs: '/api/docs', openapi: '/api/docs-json', health: '/health' },
      });
    });

    it('without a build, / says the web app is not built and the api still works', async () => {
      const bare = await TestApi.start({ env: { WEB_DIST_DIR: path.join(dist, 'no-such-dir') } });
      try {
        const res = await bare.request('GET', '/items/x');
        expect(res.status).toBe(404);
        expect(res.raw).toContain('not built');
        expect((await bare.request('GET', '/api')).status).toBe(200);
      } finally {
        await bare.stop();
      }
    });
  });
});
