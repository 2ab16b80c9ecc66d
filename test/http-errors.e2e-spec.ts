import { DataSource } from 'typeorm';
import type { OrgUnitView } from '#org';
import { TestApi } from './support/api.js';
import { Factory } from './support/factories.js';

describe('bad input gets a clear 4xx and writes nothing (e2e)', () => {
  let api: TestApi;
  let unit: OrgUnitView;
  let token: string;
  // Counted under this file's own unit (or, for users no request could place, by their e-mail):
  // other test files write to the same tables at the same time.
  const countUsers = async (): Promise<number> =>
    (
      await api.ds.query(
        `SELECT count(*)::int AS n FROM app_user WHERE unit_id = $1 OR email IN ('not-an-email', 'weak@test.rectify.cn')`,
        [unit.id],
      )
    )[0].n;
  const countUnits = async (): Promise<number> =>
    (await api.ds.query(`SELECT count(*)::int AS n FROM org_unit WHERE parent_id = $1 OR code = 'BIG'`, [unit.id]))[0].n;

  beforeAll(async () => {
    api = await TestApi.start({ env: { BODY_LIMIT_BYTES: '4096' } });
    unit = await api.factory.newUnit();
    const admin = await api.factory.newUser(unit, ['admin']);
    token = (await api.login(admin.email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  it('malformed JSON is a 400 MALFORMED_JSON', async () => {
    const before = await countUsers();
    const res = await api.request('POST', '/api/users', {
      token,
      rawBody: '{"name": "半截", "email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'MALFORMED_JSON', message: 'The request body is not valid JSON', details: null });
    expect(await countUsers()).toBe(before);
  });

  it('an oversized body is a 413 and nothing is written', async () => {
    const before = await countUnits();
    const res = await api.request('POST', '/api/org-units', {
      token,
      body: { code: 'BIG', name: '大'.repeat(3000), kind: 'department', parentId: unit.id },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the allowed limit', details: null });
    expect(await countUnits()).toBe(before);
  });

  it('a non-JSON content type is a 415', async () => {
    const res = await api.request('POST', '/api/org-units', { token, rawBody: 'code=X', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('invalid fields are named one by one, and nothing is written', async () => {
    const before = await countUsers();
    const res = await api.request('POST', '/api/users', {
      token,
      body: { name: '', email: 'not-an-email', unitId: 'nope', roles: ['king'], phone: 'call me' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = Object.fromEntries(res.body.details.fields.map((f: { field: string; messages: string[] }) => [f.field, f.messages]));
    expect(Object.keys(fields).sort()).toEqual(['email', 'name', 'phone', 'roles', 'unitId']);
    expect(fields.email).toEqual(['email must be an e-mail address']);
    expect(fields.phone).toEqual(['phone may contain digits, spaces and + - ( ) only']);
    expect(await countUsers()).toBe(before);
  });

  it('unknown fields are rejected rather than silently dropped', async () => {
    const res = await api.request('POST', '/api/org-units', {
      token,
      body: { code: 'X1', name: '某单位', kind: 'department', isAdmin: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual([{ field: 'isAdmin', messages: ['property isAdmin should not exist'] }]);
  });

  it('a weak password is refused with the reason, and no user is created', async () => {
    const before = await countUsers();
    const res = await api.request('POST', '/api/users', {
      token,
      body: { name: '弱口令', email: 'weak@test.rectify.cn', unitId: unit.id, roles: ['unit_officer'], password: 'abc' },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PASSWORD_POLICY');
    expect(res.body.details.fields[0].field).toBe('password');
    expect(await countUsers()).toBe(before);
  });

  it('a malformed id in the path is a 400, an unknown route a 404, both in the error shape', async () => {
    const badId = await api.request('GET', '/api/users/123', { token });
    expect(badId.status).toBe(400);
    expect(badId.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('uuid'), details: null });
    const noRoute = await api.request('GET', '/api/no-such-thing', { token });
    expect(noRoute.status).toBe(404);
    expect(noRoute.body).toEqual({ code: 'NOT_FOUND', message: 'Cannot GET /api/no-such-thing', details: null });
  });

  it('a referenced unit that does not exist is a 422 naming it', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    const res = await api.request('POST', '/api/users', {
      token,
      body: { name: '无单位', email: 'nounit@test.rectify.cn', unitId: missing, roles: ['unit_officer'] },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ code: 'ORG_UNIT_NOT_FOUND', message: 'The unit does not exist', details: { unitId: missing } });
  });

  it('a missing complaint batch or duplicate proposal is a 404 with a code of one word', async () => {
    const city = await api.factory.newUnit({ parent: unit, kind: 'city' });
    const county = await api.factory.newUnit({ parent: city, kind: 'county' });
    const dispatcher = await api.factory.newUser(city, ['dispatcher']);
    const dt = (await api.login(dispatcher.email)).accessToken;
    const missing = '00000000-0000-4000-8000-000000000002';
    const report = await api.request('GET', `/api/complaint-batches/${missing}/daily-report`, { token: dt });
    expect([report.status, report.body]).toEqual([
      404,
      { code: 'COMPLAINT_BATCH_NOT_FOUND', message: 'complaint_batch not found', details: { id: missing } },
    ]);
    const batch = await api.request('POST', '/api/complaint-batches', {
      token: dt,
      body: {
        round: `督察-${Factory.tag()}`,
        batchNo: 1,
        receivedOn: '2026-06-01',
        issuer: '督察组',
        deadlineDays: 10,
        deadlineKind: 'calendar',
      },
    });
    const kase = await api.request('POST', `/api/complaint-batches/${batch.body.id}/cases`, {
      token: dt,
      body: { caseNo: 'E-001', content: '河道边堆放垃圾', countyUnitId: county.id, pollutionTypes: ['water'] },
    });
    expect([batch.status, kase.status, kase.raw]).toEqual([201, 201, expect.any(String)]);
    const reject = await api.request('POST', `/api/complaints/${kase.body.id}/duplicates/${missing}/reject`, { token: dt });
    expect([reject.status, reject.body]).toEqual([
      404,
      { code: 'DUPLICATE_PROPOSAL_NOT_FOUND', message: 'duplicate_proposal not found', details: { id: missing } },
    ]);
  });

  it('echoes a sane request id and replaces a hostile one', async () => {
    const given = await api.request('GET', '/health', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    const hostile = await api.request('GET', '/health', { headers: { 'x-request-id': 'a b <script>' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('no free database connection is a 503 after a bounded wait, not a hang (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start({ env: { DATABASE_POOL_SIZE: '1', DATABASE_POOL_WAIT_MS: '300' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('a request that cannot get a connection within DATABASE_POOL_WAIT_MS gets 503 with Retry-After, and the next one succeeds', async () => {
    const unit = await api.factory.newUnit();
    const admin = await api.factory.newUser(unit, ['admin']);
    const { accessToken } = await api.login(admin.email);
    // The API's only connection, held as a long transaction would hold it.
    const holder = api.app.get(DataSource).createQueryRunner();
    await holder.connect();
    try {
      const started = Date.now();
      const busy = await api.request('GET', `/api/org-units/${unit.id}`, { token: accessToken });
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.body).toEqual({
        code: 'DATABASE_UNAVAILABLE',
        message: 'The database is busy or unreachable; try again shortly',
        details: null,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await holder.release();
    }
    const free = await api.request('GET', `/api/org-units/${unit.id}`, { token: accessToken });
    expect(free.status).toBe(200);
    expect(free.body.id).toBe(unit.id);
  });
});
