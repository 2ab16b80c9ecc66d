import { DUPLICATE_SIMILARITY, DUPLICATE_WINDOW_DAYS } from '#domain';
import { seedDemo } from '../apps/cli/src/demo/seed-demo.js';
import { seedDemoComplaints } from '../apps/cli/src/demo/seed-demo-complaints.js';
import { DEMO_PASSWORD, DEMO_STAFF, DEMO_USERS } from '../apps/cli/src/demo/demo-units.js';
import { DemoClock } from '../apps/cli/src/demo/seed-demo-items.js';
import { TestApi } from './support/api.js';
import { separateDatabaseUrl } from './support/database.js';

/**
 * Round 3's complaint cases in the demo, built through the workflow runner from raw records: the
 * statistics reproduce the seeds' "186件办结184件，阶段性办结2件" with their formulas, and the
 * duplicate threshold separates the forwarded repeats from distinct cases of the same county.
 */
describe('demo complaint cases (e2e)', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({ env: { DATABASE_URL: separateDatabaseUrl('complaintsdemo') } });
    const f = api.factory;
    await seedDemo(api.ds, f.units, f.users, { items: false });
    expect(await seedDemoComplaints(api.ds, { people: [...DEMO_USERS, ...DEMO_STAFF], clock: new DemoClock() })).toBe(192);
    expect(await seedDemoComplaints(api.ds, { people: [...DEMO_USERS, ...DEMO_STAFF], clock: new DemoClock() })).toBe(0);
    const login = await api.request('POST', '/api/auth/login', { body: { email: 'auditor@demo.rectify.cn', password: DEMO_PASSWORD } });
    token = login.body.accessToken;
  }, 300_000);
  afterAll(async () => {
    await api.stop();
  });

  it('reproduces the seeds’ figures at the end of 2025, each naming its formula', async () => {
    const res = await api.request('GET', '/api/complaints/statistics/summary?asOf=2025-12-31', { token });
    const f = Object.fromEntries(res.body.figures.map((x: { key: string }) => [x.key, x]));
    expect(f.received.value).toBe(192); // 186 valid + 6 repeats merged
    expect(f.valid.value).toBe(186);
    expect(f.transferred.value).toBe(186);
    expect(f.closed.value).toBe(184);
    expect(f.phaseClosed.value).toBe(2);
    expect(f.closureRate).toMatchObject({ display: '98.92%', numerator: { value: 184 }, denominator: { value: 186 } });
    expect(f.closureRateWithPhase.display).toBe('100.00%');
    expect(f.closureRate.formula).toBe('已办结的件（完全办结，不含阶段性办结） ÷ 已转办的有效件');
    expect(f.feedbackRate.display).toBe('100.00%');
    // 属实 68 + 基本属实 31 + 部分属实 42 = 141 of 186.
    expect(f.substantiatedShare).toMatchObject({ numerator: { value: 141 }, denominator: { value: 186 }, display: '75.81%' });
    // Six reported after any deadline; three of them had an approved extension.
    expect(f.onTimeRateOriginal).toMatchObject({ numerator: { value: 180 }, denominator: { value: 186 } });
    expect(f.onTimeRateApproved).toMatchObject({ numerator: { value: 183 }, denominator: { value: 186 } });
    const [raw] = await api.ds.query(
      `SELECT sum(v.fines_wan)::float8 AS fines, sum(v.summoned)::int AS summoned FROM complaint_case c
         JOIN LATERAL (SELECT * FROM complaint_verdict v WHERE v.case_id = c.id ORDER BY seq DESC LIMIT 1) v ON true`,
    );
    expect(f.finesWan.value).toBe(raw.fines);
    expect(f.summoned.value).toBe(raw.summoned);
    const mid = await api.request('GET', '/api/complaints/statistics/summary?asOf=2025-05-10', { token });
    const m = Object.fromEntries(mid.body.figures.map((x: { key: string; value: number }) => [x.key, x.value]));
    expect(m.received).toBeLessThan(192);
    expect(m.closed).toBeLessThan(m.transferred);
  });

  it('breaks the figures down by batch: 28 daily batches', async () => {
    const res = await api.request('GET', '/api/complaints/statistics/breakdown?dimension=batch&asOf=2025-12-31', { token });
    expect(res.body.rows).toHaveLength(28);
    const total = res.body.rows.reduce((s: number, r: { figures: { key: string; value: number }[] }) => s + r.figures[0].value, 0);
    expect(total).toBe(192);
  });

  it('the threshold proposes every forwarded repeat and no distinct case of the same county', async () => {
    const repeats = await api.ds.query<{ sim: number }[]>(
      `SELECT similarity(r.content, o.content) AS sim FROM complaint_case r JOIN complaint_case o ON o.id = r.duplicate_of_id`,
    );
    expect(repeats).toHaveLength(6);
    const distinct = await api.ds.query<{ sim: number }[]>(
      `SELECT max(similarity(a.content, b.content)) AS sim FROM complaint_case a JOIN complaint_case b
          ON b.county_unit_id = a.county_unit_id AND b.id < a.id AND abs(b.received_on - a.received_on) <= $1
       WHERE a.state <> 'merged' AND b.state <> 'merged'`,
      [DUPLICATE_WINDOW_DAYS],
    );
    expect(Math.min(...repeats.map((r) => r.sim))).toBeGreaterThanOrEqual(DUPLICATE_SIMILARITY);
    expect(distinct[0].sim).toBeLessThan(DUPLICATE_SIMILARITY);
    const proposals = await api.ds.query(`SELECT count(*)::int AS n FROM complaint_duplicate`);
    expect(proposals[0].n).toBe(6);
  });
});
