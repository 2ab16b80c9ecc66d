import { TestApi } from './support/api.js';
import { Factory, TEST_PASSWORD } from './support/factories.js';

describe('sign-in, refresh, sign-out (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start({ env: { LOGIN_MAX_FAILURES: '3', ACCESS_TOKEN_TTL_SECONDS: '60' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  async function newAccount(roles: ('admin' | 'unit_officer')[] = ['unit_officer']) {
    const unit = await api.factory.newUnit();
    return api.factory.newUser(unit, roles);
  }

  it('signs in and reads the signed-in user', async () => {
    const user = await newAccount();
    const login = await api.request('POST', '/api/auth/login', { body: { email: user.email.toUpperCase(), password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual(
      expect.objectContaining({
        tokenType: 'Bearer',
        expiresIn: 60,
        user: expect.objectContaining({ id: user.id, roles: ['unit_officer'] }),
      }),
    );
    expect(login.body.user.passwordHash).toBeUndefined();
    const me = await api.request('GET', '/api/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(expect.objectContaining({ userId: user.id, unitId: user.unitId, roles: ['unit_officer'] }));
    expect(me.body.permissions).toContain('item.read:subtree');
    const row = await api.ds.query(`SELECT last_login_at FROM app_user WHERE id = $1`, [user.id]);
    expect(row[0].last_login_at).not.toBeNull();
  });

  it('stores only an argon2id hash of the password', async () => {
    const user = await newAccount();
    const [row] = await api.ds.query(`SELECT password_hash FROM app_user WHERE id = $1`, [user.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('gives the same answer for a wrong password, an unknown account and a deactivated account', async () => {
    const user = await newAccount();
    const admin = await newAccount(['admin']);
    const adminToken = (await api.login(admin.email)).accessToken;
    const inactive = await newAccount();
    const off = await api.request('PATCH', `/api/users/${inactive.id}`, {
      token: adminToken,
      body: { version: inactive.version, active: false },
    });
    expect(off.status).toBe(200);

    const wrong = await api.request('POST', '/api/auth/login', {
      body: { email: user.email, password: 'Wrong-Password-1' },
      ip: '10.1.0.1',
    });
    const unknown = await api.request('POST', '/api/auth/login', {
      body: { email: `nobody-${Factory.tag()}@x.cn`, password: 'Wrong-Password-1' },
      ip: '10.1.0.2',
    });
    const deactivated = await api.request('POST', '/api/auth/login', {
      body: { email: inactive.email, password: TEST_PASSWORD },
      ip: '10.1.0.3',
    });
    for (const res of [wrong, unknown, deactivated]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong e-mail address or password', details: null });
    }
  });

  it('rejects a login body without credentials as a 400 naming the fields', async () => {
    const res = await api.request('POST', '/api/auth/login', { body: { email: 'a@b.cn' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields).toEqual([{ field: 'password', messages: ['password must be a non-empty string'] }]);
  });

  it('rate-limits failed attempts per account and address, even with the right password afterwards', async () => {
    const user = await newAccount();
    const ip = '10.2.0.1';
    for (let i = 0; i < 3; i++) {
      const res = await api.request('POST', '/api/auth/login', { body: { email: user.email, password: `Wrong-${i}-password` }, ip });
      expect(res.status).toBe(401);
    }
    const blocked = await api.request('POST', '/api/auth/login', { body: { email: user.email, password: TEST_PASSWORD }, ip });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('LOGIN_RATE_LIMITED');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Another address is not blocked for the same account.
    const elsewhere = await api.request('POST', '/api/auth/login', {
      body: { email: user.email, password: TEST_PASSWORD },
      ip: '10.2.0.2',
    });
    expect(elsewhere.status).toBe(200);
  });

  it('a successful sign-in clears the failure count', async () => {
    const user = await newAccount();
    const ip = '10.3.0.1';
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) {
        expect(
          (await api.request('POST', '/api/auth/login', { body: { email: user.email, password: 'Wrong-password-x' }, ip })).status,
        ).toBe(401);
      }
      expect((await api.request('POST', '/api/auth/login', { body: { email: user.email, password: TEST_PASSWORD }, ip })).status).toBe(200);
    }
  });

  it('refresh rotates the token; the old one no longer works and its reuse ends the session', async () => {
    const user = await newAccount();
    const first = await api.login(user.email);
    const refreshed = await api.request('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);
    expect((await api.request('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);

    // Presenting the rotated token again looks like theft: refused, and the whole session is revoked.
    const reuse = await api.request('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('AUTH_INVALID_REFRESH_TOKEN');
    const afterReuse = await api.request('POST', '/api/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    expect(afterReuse.status).toBe(401);
    expect((await api.request('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(401);
    const rows = await api.ds.query(`SELECT revoked_reason FROM auth_refresh_token WHERE user_id = $1`, [user.id]);
    expect(rows.map((r: { revoked_reason: string }) => r.revoked_reason).sort()).toEqual(['refresh_token_reused', 'refresh_token_reused']);
  });

  it('refuses forged and malformed refresh tokens', async () => {
    const user = await newAccount();
    const { refreshToken } = await api.login(user.email);
    const [id] = refreshToken.split('.');
    for (const token of [
      `${id}.forged-secret-forged-secret`,
      'not-a-token-at-all',
      `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.x`,
    ]) {
      const res = await api.request('POST', '/api/auth/refresh', { body: { refreshToken: token } });
      expect(res.status).toBe(401);
    }
    // the real one still works: forging did not revoke it
    expect((await api.request('POST', '/api/auth/refresh', { body: { refreshToken } })).status).toBe(200);
  });

  it('sign-out revokes the session: access and refresh tokens stop working at once', async () => {
    const user = await newAccount();
    const other = await api.login(user.email);
    const session = await api.login(user.email);
    // Checked once already, so this process holds the session's actor: sign-out must drop it.
    expect((await api.request('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(200);
    const out = await api.request('POST', '/api/auth/logout', { token: session.accessToken });
    expect(out.status).toBe(204);
    expect((await api.request('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(401);
    expect((await api.request('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    // another session of the same user is untouched
    expect((await api.request('GET', '/api/auth/me', { token: other.accessToken })).status).toBe(200);
  });

  it('deactivating a user ends their sessions', async () => {
    const admin = await newAccount(['admin']);
    const adminToken = (await api.login(admin.email)).accessToken;
    const user = await newAccount();
    const session = await api.login(user.email);
    expect((await api.request('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(200);
    await api.request('PATCH', `/api/users/${user.id}`, { token: adminToken, body: { version: user.version, active: false } });
    expect((await api.request('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(401);
    expect((await api.request('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
  });

  it('a reused refresh token ends the session for access tokens already checked, at once', async () => {
    const user = await newAccount();
    const first = await api.login(user.email);
    const refreshed = await api.request('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect((await api.request('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);
    expect((await api.request('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } })).status).toBe(401);
    expect((await api.request('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(401);
  });

  it('a session revoked by another process (another API instance, the CLI) stops working within SESSION_CHECK_CACHE_MS', async () => {
    const user = await newAccount();
    const session = await api.login(user.email);
    expect((await api.request('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(200);
    // Written straight to the database, as another process would: this process learns it by checking again.
    await api.ds.query(`UPDATE auth_refresh_token SET revoked_at = now(), revoked_reason = 'signed_out' WHERE user_id = $1`, [user.id]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await api.request('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(401);
  });

  it('refuses missing, malformed and tampered access tokens, also after the genuine one was verified', async () => {
    const user = await newAccount();
    const victim = await newAccount();
    const { accessToken } = await api.login(user.email);
    // Verified once, so this process remembers the genuine string: only that very string may skip the check.
    expect((await api.request('GET', '/api/auth/me', { token: accessToken })).status).toBe(200);
    const [h, p, sig] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: victim.id })).toString('base64url');
    const cases: (string | undefined)[] = [
      undefined,
      'garbage',
      `${h}.${p}.invalidsignature`,
      `${h}.${forged}.${sig}`,
      `${h}.${p}.${sig}x`,
    ];
    for (const token of cases) {
      const res = await api.request('GET', '/api/auth/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_REQUIRED');
    }
  });
});

describe('an access token past its expiry (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start({ env: { ACCESS_TOKEN_TTL_SECONDS: '1' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('is refused, though it was accepted (and remembered as verified) before', async () => {
    const user = await api.factory.newUser(await api.factory.newUnit(), ['unit_officer']);
    const { accessToken } = await api.login(user.email);
    expect((await api.request('GET', '/api/auth/me', { token: accessToken })).status).toBe(200);
    // The token's exp is whole seconds after its iat: past it for certain 2 s later.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const res = await api.request('GET', '/api/auth/me', { token: accessToken });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_REQUIRED');
  });
});
