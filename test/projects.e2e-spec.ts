import ExcelJS from 'exceljs';
import { DEFAULT_MILESTONE_TEMPLATE } from '#domain';
import type { OrgUnitView, UserView } from '#org';
import { DigestService, OutboxService, ReminderSweepService, render, type MailData } from '#notifications';
import { TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function next(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Key projects through HTTP on a database of their own (the reminder sweep reads whole tables):
 * a project's life, investment reports and corrections, statistics now and as of past days,
 * import and export, reminders. Figures are computed by hand in the comments.
 */
describe('key projects (e2e)', () => {
  let api: TestApi;
  const clock = new TestClock(new Date('2025-02-20T10:00:00+08:00'));
  const tag = Factory.tag();
  let city: OrgUnitView;
  let bureau: OrgUnitView;
  let county: OrgUnitView;
  let housing: OrgUnitView;
  let water: OrgUnitView;
  const t: Record<string, string> = {};
  const u: Record<string, UserView> = {};

  beforeAll(async () => {
    api = await TestApi.start({ clock, env: { DATABASE_URL: separateDatabaseUrl('projects'), UPLOAD_LIMIT_BYTES: '65536' } });
    const f = api.factory;
    city = await f.newUnit({ kind: 'city', name: `大同市-${tag}` });
    bureau = await f.newUnit({ parent: city, name: `市生态环境局-${tag}` });
    county = await f.newUnit({ parent: city, kind: 'county', name: `阳高县-${tag}` });
    housing = await f.newUnit({ parent: city, name: `市住建局-${tag}` });
    water = await f.newUnit({ parent: city, name: `市水务局-${tag}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.housing = await f.newUser(housing, ['unit_officer']);
    u.water = await f.newUser(water, ['unit_officer']);
    u.auditor = await f.newUser(city, ['auditor']);
    u.outsider = await f.newUser(await f.newUnit({ parent: city, name: `市交通运输局-${tag}` }), ['unit_officer', 'dispatcher']);
    u.admin = await f.newUser(city, ['admin']);
    for (const [k, user] of Object.entries(u)) t[k] = (await api.login(user.email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  const get = (who: string, url: string): Promise<Reply> => api.request('GET', url, { token: t[who] });
  const post = (who: string, url: string, body: unknown): Promise<Reply> => api.request('POST', url, { token: t[who], body });

  async function upload(who: string, url: string, body: Buffer, name: string): Promise<Reply> {
    const form = new FormData();
    form.append('file', new Blob([body]), name);
    const res = await fetch(`${api.baseUrl}${url}`, { method: 'POST', headers: { authorization: `Bearer ${t[who]}` }, body: form });
    const raw = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers), body: raw ? JSON.parse(raw) : null, raw };
  }

  describe('a project’s life', () => {
    let p1: string;
    let p2: string;
    const ms: Record<string, { id: string; version: number }> = {};

    async function act(who: string, name: string, action: string, extra: Record<string, unknown> = {}): Promise<Reply> {
      const res = await post(who, `/api/projects/${p1}/milestones/${ms[name].id}/transitions`, {
        action,
        version: ms[name].version,
        ...extra,
      });
      if (res.status === 200) ms[name].version = res.body.version;
      return res;
    }

    it('creates a project with the template’s milestones spread over the period', async () => {
      const res = await post('dispatcher', '/api/projects', {
        code: `DQ-${tag}-1`,
        name: '城区集中供热清洁能源替代工程',
        category: 'air',
        countyUnitId: null,
        source: '大同市“十四五”生态环境保护规划',
        plannedInvestment: '35300',
        startYear: 2025,
        endYear: 2026,
        plannedStart: '2025-03-01',
        plannedEnd: '2026-10-31',
        responsibleUnitIds: [housing.id],
        yearPlans: [
          { year: 2025, amount: 12000 },
          { year: 2026, amount: '23300' },
        ],
      });
      expect(res.status).toBe(201);
      p1 = res.body.id;
      expect(res.body).toMatchObject({ plannedInvestment: '35300', priorInvestment: '0', categoryLabel: '大气', version: 1 });
      expect(res.body.schedule).toMatchObject({ status: 'not_started', totalDays: 610, elapsedDays: 0 });
      const list = await get('dispatcher', `/api/projects/${p1}/milestones`);
      // 2025-03-01 … 2026-10-31 is 610 days; share s falls on day round(s × 609) after the start:
      // 0 → 03-01, 0.1 → +61 = 05-01, 0.2 → +122 = 07-01, 0.8 → +487 = 2026-07-01, 0.95 → +579 = 2026-10-01, 1 → 2026-10-31.
      expect(list.body.map((m: { name: string; plannedDate: string }) => [m.name, m.plannedDate])).toEqual([
        ['前期手续/立项', '2025-03-01'],
        ['环评批复', '2025-05-01'],
        ['开工', '2025-07-01'],
        ['主体完工', '2026-07-01'],
        ['竣工验收', '2026-10-01'],
        ['投运', '2026-10-31'],
      ]);
      for (const m of list.body) ms[m.name] = { id: m.id, version: m.version };
      expect(list.body[0].responsibleUnitId).toBe(housing.id);

      const second = await post('dispatcher', '/api/projects', {
        code: `SH-${tag}-2`,
        name: '御河东岸污水处理厂提标改造',
        category: 'water',
        countyUnitId: county.id,
        plannedInvestment: 1000,
        startYear: 2025,
        endYear: 2025,
        responsibleUnitIds: [water.id],
        yearPlans: [{ year: 2025, amount: 1000 }],
        milestones: [
          { name: '开工', plannedDate: '2025-04-01' },
          { name: '投运', plannedDate: '2025-12-31' },
        ],
      });
      expect(second.status).toBe(201);
      p2 = second.body.id;
    });

    it('shows each project only within scope', async () => {
      expect((await get('housing', `/api/projects/${p1}`)).status).toBe(200);
      expect((await get('housing', `/api/projects/${p2}`)).status).toBe(404);
      expect((await get('outsider', `/api/projects/${p1}`)).status).toBe(404);
      expect((await get('auditor', `/api/projects/${p1}`)).status).toBe(200);
      const mine = await get('housing', '/api/projects');
      expect(mine.body.data.map((p: { id: string }) => p.id)).toEqual([p1]);
      const all = await get('dispatcher', '/api/projects?category=water');
      expect(all.body).toMatchObject({ total: 1, data: [{ id: p2, countyName: county.name }] });
      expect((await get('outsider', '/api/projects')).body.total).toBe(0);
    });

    it('rejects bad input with a specific message and writes nothing', async () => {
      const base = {
        code: `BAD-${tag}`,
        name: 'x',
        category: 'air',
        plannedInvestment: '100',
        startYear: 2025,
        endYear: 2025,
        responsibleUnitIds: [housing.id],
      };
      const negative = await post('dispatcher', '/api/projects', { ...base, plannedInvestment: '-5' });
      expect(negative.status).toBe(400);
      expect(negative.body.details.fields).toEqual([{ field: 'plannedInvestment', messages: ['plannedInvestment must not be negative'] }]);
      const text = await post('dispatcher', '/api/projects', { ...base, plannedInvestment: 'abc' });
      expect(text.body.details.fields[0].messages[0]).toBe('plannedInvestment must be a number of 万元, e.g. 1250.5');
      const overPlanned = await post('dispatcher', '/api/projects', { ...base, yearPlans: [{ year: 2025, amount: '100.01' }] });
      expect(overPlanned.status).toBe(400);
      expect(overPlanned.body.details.fields[0].messages).toEqual(['the yearly plans add up to more than the planned total investment']);
      const outside = await post('dispatcher', '/api/projects', { ...base, yearPlans: [{ year: 2024, amount: 1 }] });
      expect(outside.body.details.fields[0].messages).toEqual(['years outside the construction period: 2024']);
      const officer = await post('housing', '/api/projects', base);
      expect(officer.status).toBe(403);
      const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM project WHERE code = $1`, [`BAD-${tag}`]);
      expect(n).toBe(0);
      const dup = await post('dispatcher', '/api/projects', { ...base, code: `DQ-${tag}-1` });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('PROJECT_CODE_TAKEN');
    });

    it('edits with a version check and keeps a history row per change', async () => {
      const stale = await api.request('PATCH', `/api/projects/${p1}`, { token: t.dispatcher, body: { version: 7, name: 'x' } });
      expect(stale.status).toBe(409);
      expect(stale.body.details.currentVersion).toBe(1);
      const ok = await api.request('PATCH', `/api/projects/${p1}`, {
        token: t.dispatcher,
        body: { version: 1, description: '燃煤锅炉替代为热电联产集中供热' },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(2);
      const byOfficer = await api.request('PATCH', `/api/projects/${p1}`, { token: t.housing, body: { version: 2, name: 'x' } });
      expect(byOfficer.status).toBe(403);
      const history = await get('auditor', `/api/projects/${p1}/history`);
      expect(history.body.map((h: { action: string }) => h.action)).toEqual(['create', 'update']);
      expect(history.body[1].data).toEqual({ description: '燃煤锅炉替代为热电联产集中供热' });
    });

    it('is behind from the day after a planned date', async () => {
      clock.setDate('2025-03-03');
      const res = await get('dispatcher', `/api/projects/${p1}/schedule`);
      expect(res.body).toMatchObject({
        status: 'behind',
        delayed: [{ name: '前期手续/立项', plannedDate: '2025-03-01', daysLate: 2 }],
        elapsedDays: 3,
        expectedShare: 0.0049, // 3/610 = 0.00492
      });
    });

    it('runs a milestone through its workflow: start, report with evidence, return, report again, verify', async () => {
      const name = '前期手续/立项';
      const early = await act('housing', name, 'report_done', { actualDate: '2025-03-01' });
      expect(early.status).toBe(422);
      expect(early.body.details.missing).toEqual(['evidence (佐证材料) uploaded to the milestone']);
      expect((await act('dispatcher', name, 'verify')).status).toBe(409);
      expect((await act('housing', name, 'start')).status).toBe(200);
      const evidence = await upload('housing', `/api/projects/${p1}/milestones/${ms[name].id}/evidence`, PDF, '立项批复.pdf');
      expect(evidence.status).toBe(201);
      expect(evidence.body).toMatchObject({ filename: '立项批复.pdf', contentType: 'application/pdf', sizeBytes: PDF.length });
      const file = await fetch(`${api.baseUrl}/api/projects/${p1}/milestones/${ms[name].id}/evidence/${evidence.body.id}`, {
        headers: { authorization: `Bearer ${t.auditor}` },
      });
      expect(file.status).toBe(200);
      expect(file.headers.get('x-content-sha256')).toBe(evidence.body.sha256);
      expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
      const hidden = await fetch(`${api.baseUrl}/api/projects/${p1}/milestones/${ms[name].id}/evidence/${evidence.body.id}`, {
        headers: { authorization: `Bearer ${t.outsider}` },
      });
      expect(hidden.status).toBe(404);
      const fake = await upload('housing', `/api/projects/${p1}/milestones/${ms[name].id}/evidence`, Buffer.from('MZ not a pdf'), 'x.pdf');
      expect(fake.status).toBe(400);
      expect(fake.body.code).toBe('UNSUPPORTED_FILE_TYPE');
      const future = await act('housing', name, 'report_done', { actualDate: '2025-03-04' });
      expect(future.status).toBe(422);
      expect(future.body.details.missing).toEqual(['an actual date that is not in the future']);
      expect((await act('housing', name, 'report_done', { actualDate: '2025-03-02' })).status).toBe(200);
      expect((await act('housing', name, 'verify')).status).toBe(403);
      expect((await act('dispatcher', name, 'return')).status).toBe(422);
      expect((await act('dispatcher', name, 'return', { reason: '批复文件缺盖章页' })).status).toBe(200);
      expect((await act('housing', name, 'report_done', { actualDate: '2025-03-02' })).status).toBe(200);
      const stale = await post('dispatcher', `/api/projects/${p1}/milestones/${ms[name].id}/transitions`, { action: 'verify', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.details.currentVersion).toBe(ms[name].version);
      clock.setDate('2025-03-05');
      const verified = await act('dispatcher', name, 'verify');
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ from: 'reported', to: 'verified' });
      const detail = await get('housing', `/api/projects/${p1}/milestones/${ms[name].id}`);
      expect(detail.body).toMatchObject({ state: 'verified', actualDate: '2025-03-02', evidenceCount: 1, actions: [] });
      const history = await get('auditor', `/api/projects/${p1}/milestones/${ms[name].id}/history`);
      expect(
        history.body.map((h: { action: string; fromState: string; toState: string }) => `${h.action}:${h.fromState}>${h.toState}`),
      ).toEqual([
        'start:planned>in_progress',
        'add_evidence:in_progress>in_progress',
        'report_done:in_progress>reported',
        'return:reported>in_progress',
        'report_done:in_progress>reported',
        'verify:reported>verified',
      ]);
      expect(history.body[3].reason).toBe('批复文件缺盖章页');
      const chains = await get('auditor', '/api/audit/verify-chains');
      expect(chains.body.firstBreak).toBeNull();
    });

    it('mails the dispatchers when a milestone is reported done, and the unit when it is returned or verified', async () => {
      await api.app.get(OutboxService).expandEvents(1000);
      const mails = await api.ds.query<{ to: string; template: string }[]>(
        `SELECT o.payload->>'to' AS to, o.payload->>'template' AS template FROM outbox o
          WHERE o.kind = 'email' AND o.payload->>'template' LIKE 'milestone.%' AND o.payload->>'userId' = ANY($1::text[]) ORDER BY o.id`,
        [[u.dispatcher.id, u.housing.id]],
      );
      expect(mails).toEqual([
        { to: u.dispatcher.email, template: 'milestone.report_done' },
        { to: u.housing.email, template: 'milestone.return' },
        { to: u.dispatcher.email, template: 'milestone.report_done' },
        { to: u.housing.email, template: 'milestone.verify' },
      ]);
      const payloads = await api.ds.query<{ payload: { template: string; data: MailData } }[]>(
        `SELECT payload FROM outbox WHERE kind = 'email' AND payload->>'template' LIKE 'milestone.%' AND payload->>'userId' = ANY($1::text[])`,
        [[u.dispatcher.id, u.housing.id]],
      );
      const returned = payloads.find((p) => p.payload.template === 'milestone.return')!.payload;
      expect(render(returned.template, 'zh', returned.data).subject).toBe(
        `【里程碑退回】DQ-${tag}-1 城区集中供热清洁能源替代工程 · 前期手续/立项`,
      );
      expect(render(returned.template, 'zh', returned.data).text).toContain('批复文件缺盖章页');
    });

    it('moves a planned date as a new version, keeping the original', async () => {
      const name = '环评批复';
      expect((await act('dispatcher', name, 'replan', { plannedDate: '2025-06-15' })).status).toBe(422);
      expect((await act('dispatcher', name, 'replan', { plannedDate: '2025-06-15', reason: '环评公示期延长' })).status).toBe(200);
      const res = await get('dispatcher', `/api/projects/${p1}/milestones/${ms[name].id}`);
      expect(res.body).toMatchObject({ plannedDate: '2025-06-15', originalPlannedDate: '2025-05-01', state: 'planned' });
      expect(
        res.body.planVersions.map((v: { version: number; plannedDate: string; kind: string }) => [v.version, v.plannedDate, v.kind]),
      ).toEqual([
        [1, '2025-05-01', 'initial'],
        [2, '2025-06-15', 'replan'],
      ]);
    });

    it('takes a month’s investment once; a correction is a new version with a reason', async () => {
      clock.setDate('2025-04-03');
      const url = `/api/projects/${p1}/investment`;
      expect((await post('housing', url, { month: '2025-03', amount: '500' })).status).toBe(201);
      const again = await post('housing', url, { month: '2025-03', amount: '520' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'MONTH_ALREADY_REPORTED', details: { currentVersion: 1 } });
      const negative = await post('housing', url, { month: '2025-04', amount: -3 });
      expect(negative.status).toBe(400);
      expect(negative.body.details.fields).toEqual([{ field: 'amount', messages: ['amount must not be negative'] }]);
      const words = await post('housing', url, { month: '2025-04', amount: '五百' });
      expect(words.body.details.fields[0].messages).toEqual(['amount must be a number of 万元, e.g. 1250.5']);
      expect((await post('housing', url, { month: '2025-05', amount: 1 })).status).toBe(400); // not begun
      expect((await post('housing', url, { month: '2025-02', amount: 1 })).status).toBe(400); // before the start
      expect((await post('water', url, { month: '2025-04', amount: 1 })).status).toBe(404);
      clock.setDate('2025-04-10');
      const noReason = await post('housing', url, { month: '2025-03', amount: '520', correctsVersion: 1 });
      expect(noReason.status).toBe(422);
      const wrongVersion = await post('housing', url, { month: '2025-03', amount: '520', correctsVersion: 2, reason: '漏报设备款' });
      expect(wrongVersion.status).toBe(409);
      const corrected = await post('housing', url, { month: '2025-03', amount: '520', correctsVersion: 1, reason: '漏报设备款' });
      expect(corrected.status).toBe(201);
      expect(corrected.body).toMatchObject({ month: '2025-03', version: 2, amount: '520', reason: '漏报设备款', superseded: false });
      const reports = await get('auditor', url);
      expect(
        reports.body.map((r: { version: number; amount: string; superseded: boolean }) => [r.version, r.amount, r.superseded]),
      ).toEqual([
        [1, '500', true],
        [2, '520', false],
      ]);
      // The database itself refuses to change a report.
      await expect(api.ds.query(`UPDATE investment_report SET amount = 1 WHERE project_id = $1`, [p1])).rejects.toThrow(/append-only/);
      const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM investment_report WHERE project_id = $1`, [p1]);
      expect(n).toBe(2);
    });

    it('computes a month’s figures now and as they stood before the correction', async () => {
      const now = await get('dispatcher', `/api/projects/${p1}/investment/figures?month=2025-03`);
      // 520 of the 2025 plan of 12,000 = 0.04333; of the total 35,300 = 0.01473; March expects 3/12.
      expect(now.body).toMatchObject({
        thisMonth: '520',
        yearToDate: '520',
        sinceStart: '520',
        annualPlan: '12000',
        total: '35300',
        annualShare: 0.0433,
        totalShare: 0.0147,
        expectedShare: 0.25,
        status: 'behind',
        missingMonths: [],
      });
      const before = await get('dispatcher', `/api/projects/${p1}/investment/figures?month=2025-03&asOf=2025-04-05`);
      expect(before.body).toMatchObject({ thisMonth: '500', yearToDate: '500', annualShare: 0.0417 });
      const april = await get('dispatcher', `/api/projects/${p1}/investment/figures?month=2025-04`);
      expect(april.body).toMatchObject({ thisMonth: null, yearToDate: '520', missingMonths: ['2025-04'] });
    });

    it('gives statistics with their formulas, now and as of a past day', async () => {
      // As of 2025-04-10: P1 has 立项 (due 03-01) verified, nothing else due → on schedule.
      // P2's 开工 was planned 04-01 and is not verified → behind, 9 days late.
      const res = await get('dispatcher', '/api/projects/statistics/summary');
      expect(res.status).toBe(200);
      const fig = (key: string) => res.body.figures.find((f: { key: string }) => f.key === key);
      expect(res.body).toMatchObject({ statDate: '2025-04-10', month: '2025-03' });
      expect(fig('projects').value).toBe(2);
      expect(fig('onSchedule').value).toBe(1);
      expect(fig('behind').value).toBe(1);
      expect(fig('onScheduleRate')).toMatchObject({ value: 0.5, display: '50.00%', numerator: { value: 1 }, denominator: { value: 2 } });
      expect(fig('milestonesDue').value).toBe(2);
      expect(fig('milestoneRate')).toMatchObject({ value: 0.5, numerator: { value: 1 }, denominator: { value: 2 } });
      expect(fig('milestonesDelayed').value).toBe(1);
      // Plans for 2025: 12,000 + 1,000 = 13,000; done by March: 520 + 0 → 4.00%. Total: 520 / 36,300 = 1.43%.
      expect(fig('annualPlan')).toMatchObject({ value: 13000, display: '13000 万元' });
      expect(fig('annualRate')).toMatchObject({ value: 0.04, numerator: { value: 520 }, denominator: { value: 13000 } });
      expect(fig('totalRate').value).toBe(0.0143);
      expect(fig('missingReports').value).toBe(1); // P2 has no March report
      expect(fig('annualRate').formula).toContain('÷');
      expect(res.body.delayed).toEqual([
        {
          projectId: p2,
          projectCode: `SH-${tag}-2`,
          projectName: '御河东岸污水处理厂提标改造',
          milestone: '开工',
          plannedDate: '2025-04-01',
          daysLate: 9,
        },
      ]);

      // As of 2025-03-03, before 立项 was verified (03-05) and before P2's 开工 was due: P1 behind, P2 on schedule.
      const past = await get('dispatcher', '/api/projects/statistics/summary?asOf=2025-03-03');
      const pastFig = (key: string) => past.body.figures.find((f: { key: string }) => f.key === key);
      expect(pastFig('behind').value).toBe(1);
      expect(pastFig('onSchedule').value).toBe(1);
      expect(past.body.delayed.map((d: { milestone: string }) => d.milestone)).toEqual(['前期手续/立项']);

      const byCategory = await get('dispatcher', '/api/projects/statistics/breakdown?by=category');
      expect(
        byCategory.body.rows.map((r: { key: string; figures: { key: string; value: number }[] }) => [
          r.key,
          r.figures.find((f) => f.key === 'behind')!.value,
        ]),
      ).toEqual([
        ['air', 0],
        ['water', 1],
      ]);
      expect(byCategory.body.definitions.find((d: { key: string }) => d.key === 'annualRate').formula).toContain('÷');
      // The water unit's officer sees only P2.
      const officer = await get('water', '/api/projects/statistics/summary');
      expect(officer.body.figures.find((f: { key: string }) => f.key === 'projects').value).toBe(1);
      expect((await get('dispatcher', '/api/projects/statistics/summary?asOf=2099-01-01')).status).toBe(400);
    });

    it('keeps past figures when the plan is edited later', async () => {
      clock.setDate('2025-04-12');
      const edited = await api.request('PATCH', `/api/projects/${p1}`, {
        token: t.dispatcher,
        body: {
          version: 2,
          yearPlans: [
            { year: 2025, amount: 15000 },
            { year: 2026, amount: 20300 },
          ],
        },
      });
      expect(edited.status).toBe(200);
      const annualPlan = async (query: string): Promise<number> =>
        (await get('dispatcher', `/api/projects/statistics/summary${query}`)).body.figures.find(
          (f: { key: string }) => f.key === 'annualPlan',
        ).value;
      expect(await annualPlan('')).toBe(16000); // 15,000 + 1,000
      expect(await annualPlan('?asOf=2025-04-10')).toBe(13000); // the plan as it stood then
      const before = await get('dispatcher', `/api/projects/${p1}/investment/figures?month=2025-03&asOf=2025-04-10`);
      expect(before.body).toMatchObject({ annualPlan: '12000', annualShare: 0.0433 });
      expect((await get('dispatcher', `/api/projects/${p1}/schedule?asOf=2025-02-01`)).status).toBe(400); // not yet created
    });

    it('lets exactly one of many simultaneous writers through', async () => {
      const name = '开工';
      const version = ms[name].version;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          post('dispatcher', `/api/projects/${p1}/milestones/${ms[name].id}/transitions`, {
            action: 'replan',
            version,
            plannedDate: `2025-08-${String(i + 1).padStart(2, '0')}`,
            reason: `第${i + 1}次调整`,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(11);
      const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM milestone_plan WHERE milestone_id = $1`, [ms[name].id]);
      expect(n).toBe(2);
      const month = await Promise.all(
        Array.from({ length: 8 }, () => post('housing', `/api/projects/${p1}/investment`, { month: '2025-04', amount: 7 })),
      );
      expect(month.filter((r) => r.status === 201)).toHaveLength(1);
      expect(month.filter((r) => r.status === 409)).toHaveLength(7);
    });
  });

  describe('milestones and the template', () => {
    it('adds a custom milestone (names unique per project) and filters projects by schedule status', async () => {
      const list = await get('dispatcher', `/api/projects?q=DQ-${tag}-1`);
      const id = list.body.data[0].id;
      const added = await post('dispatcher', `/api/projects/${id}/milestones`, { name: '设备调试/试运行', plannedDate: '2026-09-15' });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ seq: 7, state: 'planned', plannedDate: '2026-09-15', responsibleUnitId: housing.id });
      const again = await post('dispatcher', `/api/projects/${id}/milestones`, { name: '设备调试/试运行', plannedDate: '2026-09-20' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('MILESTONE_NAME_TAKEN');
      expect((await post('housing', `/api/projects/${id}/milestones`, { name: '其他', plannedDate: '2026-09-20' })).status).toBe(403);
      const history = await get('auditor', `/api/projects/${id}/history`);
      expect(history.body.at(-1)).toMatchObject({ action: 'add_milestone', data: { name: '设备调试/试运行', plannedDate: '2026-09-15' } });
      const behind = await get('dispatcher', '/api/projects?schedule=behind');
      expect(behind.body.data.map((p: { code: string }) => p.code)).toEqual([`SH-${tag}-2`]);
      expect((await get('dispatcher', '/api/projects?schedule=late')).status).toBe(400);
    });

    it('lets administrators change the template new projects start with', async () => {
      const template = [
        { name: '立项', share: 0 },
        { name: '开工', share: 0.25 },
        { name: '完工', share: 1 },
      ];
      expect((await api.request('PUT', '/api/projects/milestone-template', { token: t.dispatcher, body: { template } })).status).toBe(403);
      const bad = await api.request('PUT', '/api/projects/milestone-template', {
        token: t.admin,
        body: { template: [...template, { name: '开工', share: 1 }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields[0].messages).toEqual(['milestone 4: 开工 appears twice']);
      const put = await api.request('PUT', '/api/projects/milestone-template', { token: t.admin, body: { template } });
      expect(put.status).toBe(200);
      try {
        const created = await post('dispatcher', '/api/projects', {
          code: `TPL-${tag}`,
          name: '模板测试项目',
          category: 'ecology',
          plannedInvestment: 100,
          startYear: 2025,
          endYear: 2025,
          responsibleUnitIds: [water.id],
        });
        const milestones = await get('dispatcher', `/api/projects/${created.body.id}/milestones`);
        // 2025 has 365 days: 0.25 × 364 = 91 days after 1 January is 2 April.
        expect(milestones.body.map((m: { name: string; plannedDate: string }) => [m.name, m.plannedDate])).toEqual([
          ['立项', '2025-01-01'],
          ['开工', '2025-04-02'],
          ['完工', '2025-12-31'],
        ]);
      } finally {
        // Other tests here expect the default template.
        await api.request('PUT', '/api/projects/milestone-template', {
          token: t.admin,
          body: { template: DEFAULT_MILESTONE_TEMPLATE.map((m) => ({ ...m })) },
        });
      }
    });
  });

  describe('deleting', () => {
    it('removes a project entered by mistake, keeping the reason, but never one with records', async () => {
      const created = await post('dispatcher', '/api/projects', {
        code: `DEL-${tag}`,
        name: '重复录入的项目',
        category: 'other',
        plannedInvestment: 10,
        startYear: 2025,
        endYear: 2025,
        responsibleUnitIds: [water.id],
      });
      const id = created.body.id;
      expect((await api.request('DELETE', `/api/projects/${id}?version=1`, { token: t.dispatcher })).status).toBe(400);
      expect((await api.request('DELETE', `/api/projects/${id}?version=1&reason=重复`, { token: t.water })).status).toBe(403);
      expect((await api.request('DELETE', `/api/projects/${id}?version=1&reason=重复录入`, { token: t.dispatcher })).status).toBe(204);
      expect((await get('dispatcher', `/api/projects/${id}`)).status).toBe(404);
      const [row] = await api.ds.query(
        `SELECT action, reason FROM history WHERE entity_type = 'project' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
        [id],
      );
      expect(row).toEqual({ action: 'delete', reason: '重复录入' });
      const withReports = await get('dispatcher', `/api/projects?q=DQ-${tag}-1`);
      const p = withReports.body.data[0];
      const refused = await api.request('DELETE', `/api/projects/${p.id}?version=${p.version}&reason=x`, { token: t.dispatcher });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('PROJECT_HAS_RECORDS');
    });
  });

  describe('import and export', () => {
    async function workbook(rows: (string | number | null)[][]): Promise<Buffer> {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('项目表');
      ws.addRow([
        '项目编号',
        '项目名称',
        '类别',
        '县区',
        '责任单位',
        '计划总投资（亿元）',
        '建设年限',
        '2025年计划投资（万元）',
        '开工（计划）',
      ]);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    }

    it('rejects a table with problems, listing each by row and column, and imports nothing', async () => {
      const file = await workbook([
        [`IM-${tag}-1`, '非电行业超低排放改造工程', '大气', county.name, housing.name, 3.53, '2023-2025', 5000, '2025-03-15'],
        [`IM-${tag}-2`, 'VOCs 综合治理工程', '交通', null, `不存在的局-${tag}`, -1, '2025', null, null],
        [`IM-${tag}-1`, '铁路专用线建设工程', '大气', null, housing.name, '1.2.3', '二〇二五', null, '2025-02-30'],
      ]);
      const res = await upload('dispatcher', '/api/projects/import', file, 'projects.xlsx');
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('IMPORT_REJECTED');
      expect(res.body.details.problems).toEqual(
        expect.arrayContaining([
          { row: 3, column: '类别', message: '交通 is not one of 大气、水、生态保护与修复、风险防控、监管能力、其他' },
          { row: 3, column: '计划总投资(亿元)', message: '-1: must not be negative' },
          { row: 3, column: '责任单位', message: `unknown unit 不存在的局-${tag}` },
          { row: 4, column: '建设年限', message: '二〇二五 is not a period of years such as 2021-2025' },
          { row: 4, column: '开工（计划）', message: '2025-02-30 is not a date (YYYY-MM-DD) between 1949-10-01 and 2100-12-31' },
          { row: 4, column: '项目编号', message: `IM-${tag}-1 also on row 2` },
        ]),
      );
      const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM project WHERE code LIKE $1`, [`IM-${tag}-%`]);
      expect(n).toBe(0);
    });

    it('imports a valid table (亿元 converted exactly to 万元) and exports it back', async () => {
      const file = await workbook([
        [
          `IM-${tag}-1`,
          '非电行业超低排放改造工程',
          '大气环境质量改善项目',
          county.name,
          `${housing.name}、${water.name}`,
          3.53,
          '2023-2025',
          5000,
          '2025-03-15',
        ],
        [`IM-${tag}-2`, '工业园区污水集中处理工程', '水', null, water.name, '0.030', '2025', null, null],
      ]);
      const res = await upload('dispatcher', '/api/projects/import', file, 'projects.xlsx');
      expect(res.status).toBe(201);
      expect(res.body.created).toBe(2);
      const first = await get('dispatcher', `/api/projects/${res.body.projects[0].id}`);
      expect(first.body).toMatchObject({
        plannedInvestment: '35300',
        startYear: 2023,
        endYear: 2025,
        plannedStart: '2023-01-01',
        plannedEnd: '2025-12-31',
        countyUnitId: county.id,
        yearPlans: [{ year: 2025, amount: '5000' }],
      });
      expect(first.body.responsibleUnits.map((x: { id: string }) => x.id).sort()).toEqual([housing.id, water.id].sort());
      const milestones = await get('dispatcher', `/api/projects/${res.body.projects[0].id}/milestones`);
      expect(milestones.body.find((m: { name: string }) => m.name === '开工').plannedDate).toBe('2025-03-15');
      const second = await get('dispatcher', `/api/projects/${res.body.projects[1].id}`);
      expect(second.body.plannedInvestment).toBe('300'); // 0.03 亿元

      const xlsx = await fetch(`${api.baseUrl}/api/projects/export?format=xlsx&q=IM-${tag}`, {
        headers: { authorization: `Bearer ${t.dispatcher}` },
      });
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await xlsx.arrayBuffer());
      const ws = wb.worksheets[0];
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(0, 5)).toEqual(['项目编号', '项目名称', '类别', '县区', '责任单位']);
      expect(ws.rowCount).toBe(3);
      const row = (ws.getRow(2).values as unknown[]).slice(1);
      expect(row[0]).toBe(`IM-${tag}-1`);
      expect(row[header.indexOf('计划总投资（万元）')]).toBe(35300);
      expect(row[header.indexOf('开工（计划）')]).toBe('2025-03-15');

      const csv = await fetch(`${api.baseUrl}/api/projects/export?format=csv&q=IM-${tag}`, {
        headers: { authorization: `Bearer ${t.dispatcher}` },
      });
      const bytes = Buffer.from(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8').split('\r\n')).toHaveLength(4); // header, 2 rows, final newline
    });

    it('refuses files over the upload limit', async () => {
      const big = Buffer.concat([PDF, Buffer.alloc(70_000, 0x20)]);
      const res = await upload('dispatcher', '/api/projects/import', big, 'projects.xlsx');
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('FILE_TOO_LARGE');
    });

    it('refuses a file that is not a workbook, and imports only for dispatchers', async () => {
      const notXlsx = await upload('dispatcher', '/api/projects/import', PDF, 'projects.xlsx');
      expect(notXlsx.status).toBe(422);
      expect(notXlsx.body.code).toBe('NOT_AN_OFFICE_FILE');
      expect((await upload('housing', '/api/projects/import', PDF, 'p.xlsx')).status).toBe(403);
    });
  });

  describe('reminders', () => {
    it('reminds of a milestone date and of the monthly report on the working-day calendar, each once', async () => {
      clock.setDate('2025-04-20');
      const created = await post('dispatcher', '/api/projects', {
        code: `RM-${tag}`,
        name: '再生水利用工程',
        category: 'water',
        plannedInvestment: 800,
        startYear: 2025,
        endYear: 2025,
        plannedStart: '2025-05-01',
        responsibleUnitIds: [water.id],
        milestones: [
          { name: '开工', plannedDate: '2025-06-10' },
          { name: '投运', plannedDate: '2025-12-31' },
        ],
      });
      expect(created.status).toBe(201);
      const projectId = created.body.id;
      const sweep = api.app.get(ReminderSweepService);
      const seen = new Set<string>();
      const byDay: Record<string, string[]> = {};
      // 2025: 5/31–6/2 is the Dragon Boat Festival. The May report is due on the 5th working day of
      // June (6/3, 6/4, 6/5, 6/6, 6/9 → 6/9); 开工 (6/10) is reminded 5, 3 and 1 working days before.
      for (let day = '2025-05-26'; day <= '2025-06-12'; day = next(day)) {
        clock.setDate(day);
        await sweep.sweep();
        if (day === '2025-06-11') {
          expect((await post('water', `/api/projects/${projectId}/investment`, { month: '2025-05', amount: 80 })).status).toBe(201);
        }
        const rows = await api.ds.query<{ dedupe_key: string; user_id: string }[]>(
          `SELECT dedupe_key, payload->>'userId' AS user_id FROM outbox
            WHERE dedupe_key LIKE 'reminder:report:' || $1::text || ':%'
               OR dedupe_key LIKE ANY (SELECT 'reminder:milestone:' || id || ':%' FROM milestone WHERE project_id = $1::uuid)`,
          [projectId],
        );
        for (const r of rows) {
          if (seen.has(r.dedupe_key)) continue;
          seen.add(r.dedupe_key);
          const kind = r.dedupe_key.split(':').at(-1)!.replace(/^\d+$/, '') || r.dedupe_key.split(':').at(-2)!;
          const who = r.user_id === u.dispatcher.id ? 'dispatcher' : r.user_id === u.water.id ? 'officer' : r.user_id;
          (byDay[day] ??= []).push(`${kind}>${who}`);
        }
      }
      for (const d of Object.keys(byDay)) byDay[d].sort();
      // Every reminder renders, in both languages, naming the project.
      const payloads = await api.ds.query<{ payload: { template: string; data: MailData } }[]>(
        `SELECT payload FROM outbox WHERE dedupe_key = ANY($1::text[])`,
        [[...seen]],
      );
      for (const { payload } of payloads) {
        for (const locale of ['zh', 'en'] as const) expect(render(payload.template, locale, payload.data).subject).toContain(`RM-${tag}`);
      }
      expect(render(payloads[0].payload.template, 'zh', payloads[0].payload.data).text).toContain(`/projects/${projectId}`);

      // The weekly digest of the next Monday lists the late milestone for its unit's officer.
      clock.setDate('2025-06-16');
      await api.app.get(DigestService).weekly('2025-06-16');
      const [digest] = await api.ds.query<{ payload: { data: MailData } }[]>(`SELECT payload FROM outbox WHERE dedupe_key = $1`, [
        `digest:${u.water.id}:2025-06-16`,
      ]);
      const late = digest.payload.data.sections!.find((sec) => sec.title === '滞后的重点工程里程碑')!;
      expect(late.lines).toContain(`RM-${tag} 再生水利用工程 · 开工（计划 2025-06-10）`);
      expect(byDay).toEqual({
        '2025-06-03': ['before_5>officer', 'report_due>officer'],
        '2025-06-05': ['before_3>officer'],
        '2025-06-09': ['before_1>officer'],
        '2025-06-10': ['report_missing>dispatcher', 'report_missing>officer'],
        '2025-06-11': ['overdue>dispatcher', 'overdue>officer'],
      });
    });
  });
});
