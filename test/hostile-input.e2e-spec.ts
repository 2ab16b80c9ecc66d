import { randomUUID } from 'node:crypto';
import type { OrgUnitView } from '#org';
import { TestApi } from './support/api.js';

const BAD_DATES = ['9999-12-31', '0001-01-01', '2025-02-30', '+010000-01-01'];
const RANGE = /1949-10-01.*2100-12-31/;
const QUICK_MS = 2000;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
/** One date-taking place of the API: the request with the date put in, and the field the 400 must name. */
interface DateSite {
  name: string;
  field: string;
  request: (d: string) => { method: Method; url: string; body?: unknown };
}

const id = randomUUID();
const e = encodeURIComponent;
const SITES: DateSite[] = [
  { name: 'calendar days from', field: 'from', request: (d) => ({ method: 'GET', url: `/api/calendar/days?from=${e(d)}&to=2025-01-31` }) },
  { name: 'calendar days to', field: 'to', request: (d) => ({ method: 'GET', url: `/api/calendar/days?from=2025-01-01&to=${e(d)}` }) },
  {
    name: 'deadline (working days)',
    field: 'from',
    request: (d) => ({ method: 'GET', url: `/api/calendar/deadline?kind=working_days&from=${e(d)}&days=1` }),
  },
  {
    name: 'deadline (calendar days)',
    field: 'from',
    request: (d) => ({ method: 'GET', url: `/api/calendar/deadline?kind=calendar_days&from=${e(d)}&days=1` }),
  },
  {
    name: 'PUT calendar day',
    field: 'day',
    request: (d) => ({ method: 'PUT', url: `/api/calendar/days/${e(d)}`, body: { kind: 'off', name: '假日' } }),
  },
  { name: 'DELETE calendar day', field: 'day', request: (d) => ({ method: 'DELETE', url: `/api/calendar/days/${e(d)}?version=1` }) },
  {
    name: 'batch issuedOn',
    field: 'issuedOn',
    request: (d) => ({
      method: 'POST',
      url: '/api/batches',
      body: { code: 'B', name: '批次', sourceType: 'central_inspection', issuedOn: d },
    }),
  },
  {
    name: 'item deadline',
    field: 'deadline',
    request: (d) => ({
      method: 'POST',
      url: '/api/items',
      body: { batchId: id, code: 'X', title: '问题', domain: 'air', type: 'deadline', deadline: d },
    }),
  },
  {
    name: 'item deadlineRule.from (POST)',
    field: 'deadlineRule.from',
    request: (d) => ({
      method: 'POST',
      url: '/api/items',
      body: {
        batchId: id,
        code: 'X',
        title: '问题',
        domain: 'air',
        type: 'deadline',
        deadlineRule: { kind: 'calendar_days', from: d, days: 10 },
      },
    }),
  },
  {
    name: 'item deadlineRule.from (PATCH)',
    field: 'deadlineRule.from',
    request: (d) => ({
      method: 'PATCH',
      url: `/api/items/${id}`,
      body: { version: 1, deadlineRule: { kind: 'working_days', from: d, days: 10 } },
    }),
  },
  {
    name: 'item stage node',
    field: 'stageNodes.0.due',
    request: (d) => ({ method: 'PATCH', url: `/api/items/${id}`, body: { version: 1, stageNodes: [{ name: '节点', due: d }] } }),
  },
  {
    name: 'cooperating subDeadline',
    field: 'cooperating.0.subDeadline',
    request: (d) => ({ method: 'PATCH', url: `/api/items/${id}`, body: { version: 1, cooperating: [{ unitId: id, subDeadline: d }] } }),
  },
  {
    name: 'extension proposedDeadline',
    field: 'proposedDeadline',
    request: (d) => ({
      method: 'POST',
      url: `/api/items/${id}/transitions`,
      body: { action: 'request_extension', version: 1, proposedDeadline: d },
    }),
  },
  { name: 'statistics asOf', field: 'asOf', request: (d) => ({ method: 'GET', url: `/api/statistics/summary?asOf=${e(d)}` }) },
  {
    name: 'statistics asOf instant',
    field: 'asOf',
    request: (d) => ({ method: 'GET', url: `/api/statistics/summary?asOf=${e(`${d}T12:00:00+08:00`)}` }),
  },
  {
    name: 'statistics deadlineTo',
    field: 'deadlineTo',
    request: (d) => ({ method: 'GET', url: `/api/statistics/breakdown?by=county&deadlineTo=${e(d)}` }),
  },
  {
    name: 'trend from',
    field: 'from',
    request: (d) => ({ method: 'GET', url: `/api/statistics/trend?interval=week&from=${e(d)}&to=2026-01-31` }),
  },
  {
    name: 'bulletin month',
    field: 'month',
    request: (d) => ({ method: 'GET', url: `/api/statistics/bulletin?month=${e(d.slice(0, -3))}` }),
  },
  { name: 'project schedule asOf', field: 'asOf', request: (d) => ({ method: 'GET', url: `/api/projects/${id}/schedule?asOf=${e(d)}` }) },
  {
    name: 'project statistics asOf',
    field: 'asOf',
    request: (d) => ({ method: 'GET', url: `/api/projects/statistics/summary?asOf=${e(d)}` }),
  },
  {
    name: 'investment figures month',
    field: 'month',
    request: (d) => ({ method: 'GET', url: `/api/projects/${id}/investment/figures?month=${e(d.slice(0, -3))}` }),
  },
  {
    name: 'milestone plannedDate',
    field: 'plannedDate',
    request: (d) => ({ method: 'POST', url: `/api/projects/${id}/milestones`, body: { name: '开工', plannedDate: d } }),
  },
];

describe('every date the API accepts lies in 1949-10-01 … 2100-12-31 (e2e)', () => {
  let api: TestApi;
  let admin: string;
  let unit: OrgUnitView;

  beforeAll(async () => {
    api = await TestApi.start();
    unit = await api.factory.newUnit();
    admin = (await api.login((await api.factory.newUser(unit, ['admin'])).email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  // '2025-02-30' has no valid month form; the month sites take its first 7 characters, still a real month, so they get 9999-12 etc. only.
  const cases = SITES.flatMap((s) =>
    BAD_DATES.filter((d) => !(s.field === 'month' && d === '2025-02-30')).map((d) => [s.name, d, s] as const),
  );

  it.each(cases)('%s = %s → 400 naming the field and the range, at once', async (_name, date, site) => {
    const { method, url, body } = site.request(date);
    const started = Date.now();
    const res = await api.request(method, url, { token: admin, body });
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    expect(res.status).toBe(400);
    const fields = res.body.details.fields as { field: string; messages: string[] }[];
    const named = fields.find((f) => f.field === site.field);
    expect(named?.messages.join(' ')).toMatch(RANGE);
  });

  it('a huge number of days is refused at once; the API still answers', async () => {
    for (const url of [
      '/api/calendar/deadline?kind=working_days&from=2025-01-01&days=999999999',
      '/api/calendar/deadline?kind=calendar_days&from=2025-01-01&days=1e9',
      '/api/calendar/days?from=1949-10-01&to=2100-12-31',
    ]) {
      const started = Date.now();
      const res = await api.request('GET', url, { token: admin });
      expect(Date.now() - started).toBeLessThan(QUICK_MS);
      expect(res.status).toBe(400);
    }
    const patch = await api.request('PATCH', `/api/items/${id}`, {
      token: admin,
      body: { version: 1, deadlineRule: { kind: 'working_days', from: '2025-01-01', days: 1e9 } },
    });
    expect(patch.status).toBe(400);
    expect((await api.request('GET', '/health')).status).toBe(200);
  });

  it('a period that would end after 2100-12-31 is a 400 naming days, not a hang', async () => {
    const started = Date.now();
    const res = await api.request('GET', '/api/calendar/deadline?kind=working_days&from=2100-12-20&days=3000', { token: admin });
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DATE_OUT_OF_RANGE');
    expect(res.body.details.fields[0].field).toBe('days');
    expect(res.body.details.range).toEqual({ from: '1949-10-01', to: '2100-12-31' });
  });

  it('the range is in the OpenAPI document on every date field', async () => {
    const doc = (await api.request('GET', '/api/docs-json')).body;
    const rule = doc.components.schemas.DeadlineRuleDto.properties.from;
    expect(rule).toMatchObject({ format: 'date', 'x-date-range': { from: '1949-10-01', to: '2100-12-31' } });
    const deadline = doc.paths['/api/calendar/deadline'].get.parameters.find((p: { name: string }) => p.name === 'from');
    expect(JSON.stringify(deadline)).toContain('2100-12-31');
  });
});

describe('every malformed input is a 4xx that writes nothing (e2e)', () => {
  let api: TestApi;
  let admin: string;
  let unit: OrgUnitView;

  beforeAll(async () => {
    api = await TestApi.start();
    unit = await api.factory.newUnit();
    admin = (await api.login((await api.factory.newUser(unit, ['admin'])).email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  const count = async (table: string): Promise<number> => Number((await api.ds.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('NUL in a query, a path or a body (sign-in included) → 400', async () => {
    const units = await count('org_unit');
    for (const [method, url, body, token] of [
      ['GET', '/api/items?q=a%00b', undefined, admin],
      ['GET', `/api/org-units/resolve?name=${e('市\u0000局')}`, undefined, admin],
      ['GET', '/api/org-units/a%00b', undefined, admin],
      ['POST', '/api/auth/login', { email: 'a\u0000@b.cn', password: 'x\u0000y' }, undefined],
      ['POST', '/api/org-units', { code: 'N\u0000UL', name: '单位', kind: 'department', parentId: unit.id }, admin],
    ] as const) {
      const res = await api.request(method, url, { token, body });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.details.fields[0].messages[0]).toContain('NUL');
    }
    expect(await count('org_unit')).toBe(units);
  });

  it('a lone surrogate anywhere in a body → 400', async () => {
    const res = await api.request('POST', '/api/org-units', {
      token: admin,
      rawBody: '{"code":"S1","name":"x\\ud800y","kind":"department"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual([{ field: 'name', messages: ['must not contain unpaired UTF-16 surrogates'] }]);
  });

  it('JSON nested 5,000 (object) or 100,000 (array) levels deep → 400 before it is parsed', async () => {
    for (const raw of ['{"a":'.repeat(5000) + '1' + '}'.repeat(5000), '['.repeat(100_000) + ']'.repeat(100_000)]) {
      const started = Date.now();
      const res = await api.request('POST', '/api/org-units', {
        token: admin,
        rawBody: raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('JSON_TOO_DEEP');
      expect(Date.now() - started).toBeLessThan(QUICK_MS);
    }
    // A string holding brackets is not nesting.
    const res = await api.request('POST', '/api/org-units', {
      token: admin,
      body: { code: `B-${id.slice(0, 6)}`, name: '['.repeat(40), kind: 'department' },
    });
    expect(res.status).not.toBe(400);
  });

  it('null in a field that is not nullable → 400 naming it; a nullable one still takes null', async () => {
    const u = unit;
    for (const [url, body, field] of [
      [`/api/org-units/${u.id}`, { version: 1, name: null }, 'name'],
      [`/api/org-units/${u.id}`, { version: 1, sortOrder: null }, 'sortOrder'],
      [`/api/org-units/${u.id}`, { version: 1, active: null }, 'active'],
      [`/api/users/${id}`, { version: 1, password: null }, 'password'],
      [`/api/users/${id}`, { version: 1, unitId: null }, 'unitId'],
      [`/api/items/${id}`, { version: 1, leadUnitIds: null }, 'leadUnitIds'],
    ] as const) {
      const res = await api.request('PATCH', url, { token: admin, body });
      expect({ url, field, status: res.status }).toEqual({ url, field, status: 400 });
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const created = await api.request('POST', '/api/users', {
      token: admin,
      body: { email: `n-${id.slice(0, 6)}@t.cn`, name: '某人', unitId: u.id, roles: ['auditor'], password: null },
    });
    expect(created.status).toBe(400);
    const nullable = await api.request('PATCH', `/api/org-units/${id}`, { token: admin, body: { version: 1, parentId: null } });
    expect(nullable.status).toBe(404); // validated, then not found
  });

  it('deadlineRule: [] and cooperating: [[[]]] → 400; empty leadUnitIds or roles → 400', async () => {
    const rule = await api.request('PATCH', `/api/items/${id}`, { token: admin, body: { version: 1, deadlineRule: [] } });
    expect(rule.status).toBe(400);
    expect(rule.body.details.fields).toEqual([{ field: 'deadlineRule', messages: ['deadlineRule must be an object'] }]);
    const coop = await api.request('POST', '/api/items', {
      token: admin,
      body: { batchId: id, code: 'C', title: '问题', domain: 'air', type: 'deadline', cooperating: [[[]]] },
    });
    expect(coop.status).toBe(400);
    expect(coop.body.details.fields).toEqual([{ field: 'cooperating.0', messages: ['cooperating.0 must be an object'] }]);
    const lead = await api.request('PATCH', `/api/items/${id}`, { token: admin, body: { version: 1, leadUnitIds: [] } });
    expect(lead.status).toBe(400);
    const users = await count('app_user');
    const roles = await api.request('POST', '/api/users', {
      token: admin,
      body: { email: `r-${id.slice(0, 6)}@t.cn`, name: '某人', unitId: unit.id, roles: [] },
    });
    expect(roles.status).toBe(400);
    expect(roles.body.details.fields[0].field).toBe('roles');
    expect(await count('app_user')).toBe(users);
  });

  it('NUL or a lone surrogate in a multipart field (plain or inside its JSON) → 400 naming the field, nothing written', async () => {
    const batch = await api.request('POST', '/api/batches', {
      token: admin,
      body: { code: `MP-${id.slice(0, 6)}`, name: '多部分批次', sourceType: 'self_found' },
    });
    expect(batch.status).toBe(201);
    const send = async (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([Buffer.from('not read')]), 'ledger.xlsx');
      const res = await fetch(`${api.baseUrl}/api/batches/${batch.body.id}/ledger-import/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
        body: form,
      });
      return { status: res.status, body: (await res.json()) as { details: { fields: { field: string; messages: string[] }[] } } };
    };
    const items = await count('item');
    const plainNul = await send({ saveAliases: 'tr\u0000ue' });
    expect(plainNul.status).toBe(400);
    expect(plainNul.body.details.fields).toEqual([{ field: 'saveAliases', messages: ['must not contain NUL characters'] }]);
    const escapedNul = await send({ mapping: '{"市\\u0000局":"x"}' });
    expect(escapedNul.status).toBe(400);
    expect(escapedNul.body.details.fields).toEqual([{ field: 'mapping', messages: ['a field name must not contain NUL characters'] }]);
    const surrogate = await send({ mapping: '{"市局":"\\ud800"}' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.details.fields).toEqual([{ field: 'mapping.市局', messages: ['must not contain unpaired UTF-16 surrogates'] }]);
    expect(await count('item')).toBe(items);
  });

  it('multipart without a boundary → 4xx, not 500', async () => {
    const res = await api.request('POST', `/api/items/${id}/evidence`, {
      token: admin,
      rawBody: 'whatever',
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const cut = await api.request('POST', '/api/decompositions', {
      token: admin,
      rawBody: '--zz\r\nContent-Disposition: form-data; name="file"; filename="plan.txt"\r\n\r\n1. 任务',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
    });
    expect(cut.status).toBe(400);
    expect(cut.body).toEqual({
      code: 'MALFORMED_MULTIPART',
      message: 'The multipart/form-data body is cut off or malformed',
      details: null,
    });
  });
});
