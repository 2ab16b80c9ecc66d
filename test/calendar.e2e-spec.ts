import type { OrgUnitView } from '#org';
import { TestApi } from './support/api.js';

describe('work calendar API (e2e)', () => {
  let api: TestApi;
  let admin: string;
  let officer: string;
  let unit: OrgUnitView;

  beforeAll(async () => {
    api = await TestApi.start();
    unit = await api.factory.newUnit();
    admin = (await api.login((await api.factory.newUser(unit, ['admin'])).email)).accessToken;
    officer = (await api.login((await api.factory.newUser(unit, ['unit_officer'])).email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  it('lists days with their reason and source', async () => {
    const res = await api.request('GET', '/api/calendar/days?from=2025-01-25&to=2025-01-28', { token: officer });
    expect(res.status).toBe(200);
    expect(
      res.body.map((d: { date: string; working: boolean; reason: string; source: string }) => [d.date, d.working, d.reason, d.source]),
    ).toEqual([
      ['2025-01-25', false, 'weekend', 'default'],
      ['2025-01-26', true, 'makeup_workday', 'statutory'],
      ['2025-01-27', true, 'weekday', 'default'],
      ['2025-01-28', false, 'holiday', 'statutory'],
    ]);
  });

  it('computes a deadline and explains it', async () => {
    const res = await api.request(
      'GET',
      `/api/calendar/deadline?kind=working_days&from=2025-01-20&days=10&event=${encodeURIComponent('转办')}`,
      {
        token: officer,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.deadline).toBe('2025-02-08');
    expect(res.body.explanation).toContain('自转办（2025-01-20）起10个工作日，截止2025-02-08；期间春节放假8天');
    expect(res.body.explanationEn).toContain('10 working days after 转办 2025-01-20 → 2025-02-08');
    const en = await api.request('GET', `/api/calendar/deadline?kind=working_days&from=2025-01-20&days=10&lang=en`, { token: officer });
    expect(en.body.explanation).toContain('10 working days after 2025-01-20 → 2025-02-08');
  });

  it('an administrator adds next year’s holidays; versioned, audited, and in force at once', async () => {
    // 2030 lies outside the shipped data: 2030-02-04 is a Monday, an ordinary working day
    const day = '2030-02-04';
    const before = await api.request('GET', `/api/calendar/deadline?kind=working_days&from=2030-02-01&days=1`, { token: officer });
    expect(before.body.deadline).toBe(day);
    const set = await api.request('PUT', `/api/calendar/days/${day}`, { token: admin, body: { kind: 'off', name: '春节' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ date: day, working: false, reason: 'holiday', source: 'admin', version: 1 });
    const after = await api.request('GET', `/api/calendar/deadline?kind=working_days&from=2030-02-01&days=1`, { token: officer });
    expect(after.body.deadline).toBe('2030-02-05');

    const stale = await api.request('PUT', `/api/calendar/days/${day}`, {
      token: admin,
      body: { kind: 'off', name: '春节假期', version: 7 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.currentVersion).toBe(1);
    const renamed = await api.request('PUT', `/api/calendar/days/${day}`, {
      token: admin,
      body: { kind: 'off', name: '春节假期', version: 1 },
    });
    expect(renamed.body).toMatchObject({ name: '春节假期', version: 2 });

    const removed = await api.request('DELETE', `/api/calendar/days/${day}?version=2`, { token: admin });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ working: true, reason: 'weekday', source: 'default', version: null });

    const history = await api.ds.query(
      `SELECT action, from_state, to_state FROM history WHERE entity_type = 'calendar_entry' AND entity_id = $1 ORDER BY seq`,
      [set.body.entryId],
    );
    expect(history).toEqual([
      { action: 'create', from_state: null, to_state: 'off' },
      { action: 'update', from_state: 'off', to_state: 'off' },
      { action: 'delete', from_state: 'off', to_state: null },
    ]);
  });

  it('only administrators change the calendar; bad input is named', async () => {
    expect((await api.request('PUT', '/api/calendar/days/2030-03-01', { token: officer, body: { kind: 'off', name: 'x' } })).status).toBe(
      403,
    );
    const bad = await api.request('PUT', '/api/calendar/days/2030-02-30', { token: admin, body: { kind: 'off', name: 'x' } });
    expect(bad.status).toBe(400);
    const badKind = await api.request('PUT', '/api/calendar/days/2030-03-01', { token: admin, body: { kind: 'maybe', name: 'x' } });
    expect(badKind.status).toBe(400);
    expect(badKind.body.details.fields[0].field).toBe('kind');
    const range = await api.request('GET', '/api/calendar/days?from=2025-01-01&to=2027-01-01', { token: officer });
    expect(range.status).toBe(400);
    expect((await api.ds.query(`SELECT count(*)::int AS n FROM calendar_entry WHERE day IN ('2030-02-28', '2030-03-01')`))[0].n).toBe(0);
  });
});
