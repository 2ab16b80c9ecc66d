import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { DataSource } from 'typeorm';
import ExcelJS from 'exceljs';
import type { Actor } from '#domain';
import type { ItemDetail, BatchView } from '#items';
import type { OrgUnitView, UserView } from '#org';
import { BREAKDOWNS, StatisticsService, StatisticsSnapshots, monthEnd, type AsOf, type StatScope } from '#statistics';
import { TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';
import { buildTestModule } from './support/test-module.js';

interface FigureView {
  key: string;
  value: number | null;
  display: string;
  numerator?: { value: number; set: string };
  denominator?: { value: number; set: string };
  formula: string;
}

/**
 * Closure figures against hand-computed scenarios: the reporting pattern of domain.md (56 tasks,
 * 55 signed off), an item extended once and closed between its two deadlines, a phase-completed
 * item, a rebound, and as-of queries before and after the reopen — which must not change the past.
 */
describe('statistics (e2e)', () => {
  let api: TestApi;
  let f: Factory;
  const clock = new TestClock(new Date('2026-03-02T09:00:00+08:00'));
  let city: OrgUnitView;
  let bureau: OrgUnitView;
  let deptA: OrgUnitView;
  let deptB: OrgUnitView;
  let county: OrgUnitView;
  let dispatcher: Actor;
  let officerA: Actor;
  let officerB: Actor;
  let verifier: Actor;
  const users: Record<string, UserView> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // A database of its own: the roll-ups are compared with full counts over everything.
    api = await TestApi.start({ clock, env: { DATABASE_URL: separateDatabaseUrl('stats') } });
    f = await Factory.create(api.ds, clock);
    city = await f.newUnit({ kind: 'city', name: `统计市-${Factory.tag()}` });
    bureau = await f.newUnit({ parent: city, name: '市生态环境局' });
    deptA = await f.newUnit({ parent: city, name: '市住建局' });
    deptB = await f.newUnit({ parent: city, name: '市交通运输局' });
    county = await f.newUnit({ parent: city, kind: 'county', name: '云州区' });
    users.dispatcher = await f.newUser(bureau, ['dispatcher']);
    users.officerA = await f.newUser(deptA, ['unit_officer']);
    users.officerB = await f.newUser(deptB, ['unit_officer']);
    users.verifier = await f.newUser(county, ['verifier']);
    users.auditor = await f.newUser(city, ['auditor']);
    dispatcher = Factory.actor(users.dispatcher, bureau);
    officerA = Factory.actor(users.officerA, deptA);
    officerB = Factory.actor(users.officerB, deptB);
    verifier = Factory.actor(users.verifier, county);
    for (const [k, user] of Object.entries(users)) tokens[k] = (await api.login(user.email)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await api.stop();
  });

  const versions = new Map<string, number>();
  async function act(actor: Actor, item: ItemDetail, action: string, extra: Record<string, unknown> = {}): Promise<void> {
    const version = versions.get(item.id) ?? item.version;
    const r = await f.transitions.transition(actor, item.id, { action, version, ...extra } as never);
    versions.set(item.id, r.version);
  }
  async function evidence(item: ItemDetail, unit: OrgUnitView, user: UserView): Promise<void> {
    await api.ds.query(
      `INSERT INTO evidence (item_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
       VALUES ($1, $2, '整改报告.pdf', 'application/pdf', 1, repeat('c', 64), 'cc/x', $3)`,
      [item.id, unit.id, user.id],
    );
  }
  async function newItem(batch: BatchView, code: string, deadline: string, opts: { lead?: OrgUnitView; ongoing?: boolean } = {}) {
    return f.newItem(dispatcher, batch, {
      code,
      deadline,
      leadUnitIds: [(opts.lead ?? deptA).id],
      countyUnitId: county.id,
      type: opts.ongoing ? 'ongoing' : 'deadline',
    });
  }
  /** Assigned and accepted by the lead unit: in progress. */
  async function start(item: ItemDetail, officer = officerA): Promise<void> {
    await act(dispatcher, item, 'assign');
    await act(officer, item, 'accept');
  }
  /** Submitted with evidence and passed at the county: closed. */
  async function finish(item: ItemDetail, lead = deptA, officer = officerA, user = users.officerA): Promise<void> {
    await evidence(item, lead, user);
    await act(officer, item, 'submit');
    await act(verifier, item, 'pass');
  }
  async function get(url: string, token = tokens.auditor): Promise<Reply> {
    return api.request('GET', url, { token });
  }
  function fig(body: { figures: FigureView[] }, key: string): FigureView {
    const found = body.figures.find((x) => x.key === key);
    if (!found) throw new Error(`no figure ${key}`);
    return found;
  }

  it('the reporting pattern: 56 tasks, 55 signed off — 销号率 98.21%, with its formula', async () => {
    clock.setDate('2025-03-03');
    const batch = await f.newBatch(dispatcher, { sourceType: 'central_inspection', chain: [{ level: 'county' }], noticeDays: 0 });
    for (let n = 1; n <= 56; n++) {
      const item = await newItem(batch, `P-${n}`, '2025-12-31');
      await start(item);
      if (n <= 55) await finish(item);
    }
    clock.setDate('2026-01-05');
    const res = await get(`/api/statistics/summary?batchId=${batch.id}`);
    expect(res.status).toBe(200);
    expect(res.body.statDate).toBe('2026-01-05');
    expect(fig(res.body, 'total').value).toBe(56);
    expect(fig(res.body, 'signedOff').value).toBe(55);
    const rate = fig(res.body, 'signOffRate');
    expect(rate).toMatchObject({ value: 0.9821, display: '98.21%', numerator: { value: 55 }, denominator: { value: 56 } });
    expect(rate.formula).toContain('已销号');
    expect(rate.formula).toContain('÷');
    // Every item was due on 2025-12-31; the one still in progress is overdue.
    expect(fig(res.body, 'due').value).toBe(56);
    expect(fig(res.body, 'overdueOpen').value).toBe(1);
    expect(fig(res.body, 'dueCompletionRate')).toMatchObject({ value: 0.9821, numerator: { value: 55 }, denominator: { value: 56 } });
    expect(res.body.byState).toMatchObject({ signed_off: 55, in_progress: 1 });
  });

  describe('a hand-computed scenario over time', () => {
    let batch: BatchView;
    const it_ = it;
    const x: Record<string, ItemDetail> = {};

    beforeAll(async () => {
      clock.setDate('2026-03-02');
      batch = await f.newBatch(dispatcher, { sourceType: 'provincial_inspection', chain: [{ level: 'county' }], noticeDays: 0 });
      x.X1 = await newItem(batch, 'X1', '2026-04-30');
      x.X2 = await newItem(batch, 'X2', '2026-04-30');
      x.X3 = await newItem(batch, 'X3', '2026-04-30', { lead: deptB });
      x.X4 = await newItem(batch, 'X4', '2026-06-30', { ongoing: true });
      x.X5 = await newItem(batch, 'X5', '2026-05-31');
      x.X6 = await newItem(batch, 'X6', '2026-05-31'); // stays a draft
      x.X7 = await newItem(batch, 'X7', '2026-05-31'); // cancelled
      x.X8 = await newItem(batch, 'X8', '2026-04-30', { lead: deptB });
      for (const k of ['X1', 'X2', 'X4', 'X5']) await start(x[k]);
      for (const k of ['X3', 'X8']) await start(x[k], officerB);
      await act(dispatcher, x.X7, 'cancel', { reason: '与其他问题重复' });

      clock.setDate('2026-04-10');
      await act(officerA, x.X1, 'request_extension', { proposedDeadline: '2026-06-30', reason: '汛期施工受限' });
      await act(dispatcher, x.X1, 'approve_extension');
      clock.setDate('2026-04-15');
      await finish(x.X5);
      clock.setDate('2026-04-20');
      await finish(x.X2);
      clock.setDate('2026-04-25');
      await evidence(x.X8, deptB, users.officerB);
      await act(officerB, x.X8, 'submit');
      clock.setDate('2026-05-10');
      await finish(x.X4);
      clock.setDate('2026-05-20');
      await finish(x.X1);
      clock.setDate('2026-06-01');
      await act(dispatcher, x.X5, 'reopen', { reason: '回头看发现问题反弹' });
      clock.setDate('2026-06-10');
    });

    // As of 2026-05-31: counted X1 X2 X3 X4 X5 X8 (6). Signed off X1 X2 X5; X8 awaits acceptance; X4 phase-completed.
    // Due (deadline before 5/31): X2 X3 X8 — X1 was extended to 6/30, X5's 5/31 is not yet passed.
    // Closed on time: original X2 X4 X5 (X1 closed 5/20 after 4/30); approved all four.
    it_('as of the end of May: every figure as computed by hand', async () => {
      const res = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=2026-05-31`);
      expect(res.status).toBe(200);
      expect(res.body.statDate).toBe('2026-05-31');
      expect(res.body.asOf).toBe('2026-05-31T15:59:59.999Z');
      const v = Object.fromEntries(res.body.figures.map((g: FigureView) => [g.key, g.value]));
      expect(v).toMatchObject({
        total: 6,
        signedOff: 3,
        awaitingAcceptance: 1,
        completed: 4,
        phaseCompleted: 1,
        inProgress: 1,
        due: 3,
        overdueOpen: 1,
        signOffRate: 0.5,
        completionRate: 0.6667,
        completionRateWithPhase: 0.8333,
        dueCompletionRate: 0.6667,
        dueCompletionRateWithPhase: 0.6667,
        onTimeRateOriginal: 0.75,
        onTimeRateApproved: 1,
        extendedItems: 1,
        extensionsGranted: 1,
        reboundItems: 0,
        rebounds: 0,
      });
      expect(fig(res.body, 'onTimeRateOriginal')).toMatchObject({ numerator: { value: 3 }, denominator: { value: 4 } });
      // X5 was closed then (4/15: 31 working days): 31, 34, 46, 54 → mean 41.25, median 40.
      expect(fig(res.body, 'closeDaysAverage').value).toBe(41.3);
      expect(fig(res.body, 'closeDaysMedian').value).toBe(40);
      expect(res.body.byState).toMatchObject({
        draft: 1,
        cancelled: 1,
        in_progress: 1,
        in_acceptance: 1,
        phase_completed: 1,
        signed_off: 3,
      });
    });

    // Now (6/10), after X5 was reopened on 6/1: signed off X1 X2; X5 is in progress again and overdue (5/31).
    it_('now, after the reopen: the rebound counts, X5 is overdue again', async () => {
      const res = await get(`/api/statistics/summary?batchId=${batch.id}`);
      const v = Object.fromEntries(res.body.figures.map((g: FigureView) => [g.key, g.value]));
      expect(v).toMatchObject({
        total: 6,
        signedOff: 2,
        completed: 3,
        phaseCompleted: 1,
        due: 4,
        overdueOpen: 2,
        signOffRate: 0.3333,
        dueCompletionRate: 0.5,
        reboundItems: 1,
        rebounds: 1,
        onTimeRateOriginal: 0.6667,
        onTimeRateApproved: 1,
      });
      // Working days after creation (Mon 3/2) up to closure, counted by hand on the 2026 calendar:
      // X2 4/20: 21 in March + 13 in April (Qingming Mon 4/6 off) = 34; X4 5/10: + 8 (4/21–30) + 3 (5/6–8, after
      // the 5/1–5/5 holiday) + 1 (Sat 5/9, make-up day) = 46; X1 5/20: + 5 + 3 = 54. Mean 44.67, median 46.
      expect(fig(res.body, 'closeDaysAverage')).toMatchObject({ value: 44.7, display: '44.7 个工作日' });
      expect(fig(res.body, 'closeDaysMedian').value).toBe(46);
    });

    it_('the past does not move: as of the end of May is the same after the reopen, and as of the end of April too', async () => {
      const may = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=2026-05-31`);
      expect(fig(may.body, 'signedOff').value).toBe(3);
      expect(fig(may.body, 'reboundItems').value).toBe(0);
      // 4/30: signed off X2 X5; X8 awaits; X1 still in progress (extended to 6/30); X3 in progress, deadline 4/30 not passed.
      const april = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=2026-04-30`);
      const v = Object.fromEntries(april.body.figures.map((g: FigureView) => [g.key, g.value]));
      expect(v).toMatchObject({ total: 6, signedOff: 2, completed: 3, phaseCompleted: 0, due: 0, overdueOpen: 0, extendedItems: 1 });
      // Before anything existed: nothing.
      const before = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=2026-03-01`);
      expect(fig(before.body, 'total').value).toBe(0);
      expect(fig(before.body, 'signOffRate')).toMatchObject({ value: null, display: '—' });
    });

    it_('an exact instant: just before and just after X1 was signed off', async () => {
      const [{ at }] = await api.ds.query(
        `SELECT at FROM history WHERE entity_type = 'item' AND entity_id = $1 AND to_state = 'signed_off'`,
        [x.X1.id],
      );
      const before = new Date(new Date(at).getTime() - 1).toISOString();
      const after = new Date(at).toISOString();
      const a = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=${encodeURIComponent(before)}`);
      const b = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=${encodeURIComponent(after)}`);
      expect(fig(a.body, 'signedOff').value).toBe(2);
      expect(fig(b.body, 'signedOff').value).toBe(3);
    });

    it_('breakdowns by lead unit and by deadline month', async () => {
      const byUnit = await get(`/api/statistics/breakdown?batchId=${batch.id}&by=leadUnit&asOf=2026-05-31`);
      expect(byUnit.status).toBe(200);
      const rows = Object.fromEntries(
        byUnit.body.rows.map((r: { label: string; figures: FigureView[] }) => [
          r.label,
          Object.fromEntries(r.figures.map((g) => [g.key, g.value])),
        ]),
      );
      // 市住建局 leads X1 X2 X4 X5 (+ the draft X6, the cancelled X7); 市交通运输局 leads X3 X8.
      expect(rows['市住建局']).toMatchObject({ total: 4, signedOff: 3, phaseCompleted: 1, overdueOpen: 0 });
      expect(rows['市交通运输局']).toMatchObject({ total: 2, signedOff: 0, completed: 1, overdueOpen: 1, due: 2 });
      const byMonth = await get(`/api/statistics/breakdown?batchId=${batch.id}&by=deadlineMonth`);
      const months = Object.fromEntries(
        byMonth.body.rows.map((r: { key: string; figures: FigureView[] }) => [r.key, fig(r, 'total').value]),
      );
      // Current deadlines: X2 X3 X8 in April; X5 in May (X6, X7 not counted); X1 (extended) and X4 in June.
      expect(months).toEqual({ '2026-04': 3, '2026-05': 1, '2026-06': 2 });
    });

    it_('a monthly trend from March to now: month ends, then today', async () => {
      const res = await get(`/api/statistics/trend?batchId=${batch.id}&interval=month&from=2026-03-01&to=2026-12-31`);
      expect(res.status).toBe(200);
      const points = res.body.points.map((p: { periodEnd: string; figures: FigureView[] }) => [
        p.periodEnd,
        fig(p, 'signedOff').value,
        fig(p, 'overdueOpen').value,
      ]);
      expect(points).toEqual([
        ['2026-03-31', 0, 0],
        ['2026-04-30', 2, 0],
        ['2026-05-31', 3, 1],
        ['2026-06-10', 2, 2],
      ]);
    });

    it_('a unit sees its own subtree only; a filter by unit narrows the auditor to it', async () => {
      const mine = await get(`/api/statistics/summary?batchId=${batch.id}`, tokens.officerB);
      expect(fig(mine.body, 'total').value).toBe(2);
      const narrowed = await get(`/api/statistics/summary?batchId=${batch.id}&unitId=${deptB.id}`);
      expect(fig(narrowed.body, 'total').value).toBe(2);
      const county_ = await get(`/api/statistics/summary?batchId=${batch.id}&countyUnitId=${county.id}&domain=air`);
      expect(fig(county_.body, 'total').value).toBe(6);
    });

    it_('the ledger export carries the ledger columns; CSV is UTF-8 with a BOM and neutralised formulas', async () => {
      const res = await fetch(`${api.baseUrl}/api/items/export?batchId=${batch.id}&format=csv&sort=code`, {
        headers: { authorization: `Bearer ${tokens.auditor}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const buf = Buffer.from(await res.arrayBuffer());
      expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = buf.subarray(3).toString('utf8').trim().split('\r\n');
      expect(lines[0].split(',').slice(0, 3)).toEqual(['编号', '轮次/批次', '来源']);
      expect(lines[0]).toContain('牵头单位');
      expect(lines[0]).toContain('销号日期');
      expect(lines).toHaveLength(1 + 8);
      const x1 = lines.find((l) => l.startsWith('X1,'))!;
      expect(x1).toContain('2026-04-30'); // original deadline
      expect(x1).toContain('2026-06-30'); // approved deadline
      expect(x1).toContain('2026-05-20'); // signed off

      const xlsx = await fetch(`${api.baseUrl}/api/items/export?batchId=${batch.id}`, {
        headers: { authorization: `Bearer ${tokens.auditor}` },
      });
      expect(xlsx.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
      const ws = wb.getWorksheet('整改台账')!;
      expect(ws.rowCount).toBe(9);
      expect(ws.getRow(1).getCell(1).value).toBe('编号');
    });

    it_('the roll-ups answer exactly what counting every item answers, before and after folding, and match a rebuild', async () => {
      const stats = f.get(StatisticsService);
      const auditor = Factory.actor(users.auditor, city);
      const scopes: StatScope[] = [
        {},
        { batchId: batch.id },
        { sourceType: 'provincial_inspection' },
        { sourceType: 'warning_film' },
        { unitId: deptA.id },
        { unitId: city.id },
        { countyUnitId: county.id },
        { domain: 'air' },
        { domain: 'water' },
      ];
      const compare = async (): Promise<void> => {
        for (const scope of scopes) {
          expect(await stats.summary(auditor, scope)).toEqual(await stats.summary(auditor, scope, { kind: 'now' }, 'count'));
        }
        for (const by of BREAKDOWNS) {
          expect(await stats.breakdown(auditor, by, {})).toEqual(await stats.breakdown(auditor, by, {}, { kind: 'now' }, 'count'));
        }
        // Units' own summaries: their subtree, plus what they dispatched (dispatcher) or accept (verifier).
        for (const actor of [officerA, officerB, dispatcher, verifier]) {
          expect(await stats.summary(actor, {})).toEqual(await stats.summary(actor, {}, { kind: 'now' }, 'count'));
        }
        // As of past days and instants: the roll-ups of now, corrected by what changed since.
        const instants: AsOf[] = [
          { kind: 'date', date: '2025-03-02' },
          { kind: 'date', date: '2025-06-15' },
          { kind: 'date', date: '2026-03-01' },
          { kind: 'date', date: '2026-04-30' },
          { kind: 'date', date: '2026-05-31' },
          { kind: 'date', date: '2026-06-09' },
          { kind: 'instant', at: new Date('2026-05-20T12:00:00+08:00') },
        ];
        for (const scope of [{}, { batchId: batch.id }]) {
          expect(await stats.trend(auditor, scope, 'month', '2025-01-01', '2026-06-30')).toEqual(
            await stats.trend(auditor, scope, 'month', '2025-01-01', '2026-06-30', 'count'),
          );
        }
        for (const asOf of instants) {
          for (const scope of scopes)
            expect(await stats.summary(auditor, scope, asOf)).toEqual(await stats.summary(auditor, scope, asOf, 'count'));
          for (const by of BREAKDOWNS)
            expect(await stats.breakdown(auditor, by, {}, asOf)).toEqual(await stats.breakdown(auditor, by, {}, asOf, 'count'));
          for (const actor of [officerA, dispatcher, verifier]) {
            expect(await stats.summary(actor, {}, asOf)).toEqual(await stats.summary(actor, {}, asOf, 'count'));
          }
        }
      };
      // The test clock is 6/10: this month's deadlines before today come from the open stretches, not the
      // month's cells. Two items of their own are due in those days: one still in progress, one submitted.
      const june = await f.newBatch(dispatcher, { chain: [{ level: 'county' }], noticeDays: 0 });
      const due5 = await newItem(june, 'J-5', '2026-06-05', { lead: deptA });
      const due9 = await newItem(june, 'J-9', '2026-06-09', { lead: deptA });
      await start(due5);
      await start(due9);
      await evidence(due9, deptA, users.officerA);
      await act(officerA, due9, 'submit');
      const juneNow = await stats.summary(auditor, { batchId: june.id });
      expect(juneNow.figures.filter((g) => ['due', 'overdueOpen', 'awaitingAcceptance'].includes(g.key)).map((g) => g.value)).toEqual([
        1, 2, 1,
      ]);
      await compare();
      const [{ folded }] = await api.ds.query(`SELECT item_stat_compact()::int AS folded`);
      expect(folded).toBeGreaterThan(0);
      expect((await api.ds.query(`SELECT count(*)::int AS n FROM item_stat_delta`))[0].n).toBe(0);
      await compare();
      const cells = `SELECT dim, key, state, deadline_bucket, n::int, on_time_original::int, close_days_sum::int FROM item_stat_cell
                      ORDER BY dim, key, state, deadline_bucket NULLS FIRST`;
      const folded_ = await api.ds.query(cells);
      await api.ds.query(`SELECT item_stat_rebuild()`);
      expect(await api.ds.query(cells)).toEqual(folded_);
      const summary = await stats.summary(auditor, {});
      expect(fig(summary, 'total').value).toBe(64); // 56 + the 6 counted here + the two June items
    });

    it_('the monthly bulletin reproduces the end of May after later changes', async () => {
      const res = await fetch(`${api.baseUrl}/api/statistics/bulletin?month=2026-05`, {
        headers: { authorization: `Bearer ${tokens.officerB}` },
      });
      expect(res.status).toBe(200);
      const file = Buffer.from(await res.arrayBuffer());
      writeFileSync(join(tmpdir(), 'rectify-bulletin-test.xlsx'), file);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '按牵头单位', '按行政区', '按批次', '逾期未完成事项']);
      // Bar charts of 销号率 beside the by-unit and by-county tables, with the values cached.
      const zip = await JSZip.loadAsync(file);
      const chart = await zip.file('xl/charts/chart1.xml')!.async('string');
      expect(chart).toContain('各牵头单位销号率');
      expect(chart).toContain(`'按牵头单位'!$G$2:$G$2`);
      expect(chart).toContain('<c:v>市交通运输局</c:v>');
      expect(chart).toContain('<c:v>0</c:v>'); // officer B's unit: nothing signed off by the end of May
      expect(await zip.file('xl/charts/chart2.xml')!.async('string')).toContain('各行政区销号率');
      expect(await zip.file('[Content_Types].xml')!.async('string')).toContain('/xl/charts/chart2.xml');
      expect(await zip.file('xl/worksheets/sheet2.xml')!.async('string')).toMatch(/<drawing [^>]*r:id="rIdChart1"\/>/);
      const cover = wb.getWorksheet('概况')!;
      expect(cover.getRow(1).getCell(1).text).toContain('2026年5月');
      // counts and rates are numbers with a number format, so a spreadsheet can sum and chart them
      const row = (label: string): ExcelJS.Row =>
        Array.from({ length: cover.rowCount }, (_, i) => cover.getRow(i + 1)).find((r) => r.getCell(1).text === label)!;
      expect(typeof row('事项总数').getCell(2).value).toBe('number');
      expect(row('事项总数').getCell(2).numFmt).toBe('0');
      expect(typeof row('销号率').getCell(2).value).toBe('number');
      expect(row('销号率').getCell(2).numFmt).toBe('0.00%');
      // the report figures follow, numbers too: officer B's X3 and X8 were never signed off, no extension asked late
      expect(row('曾销号事项').getCell(2).value).toBe(0);
      expect(row('逾期后申请延期').getCell(2).value).toBe(0);
      expect(row('逾期后申请延期').getCell(2).numFmt).toBe('0');
      expect(row('反弹率').getCell(5).text).toBe('销号后经回头看重新打开过的事项 ÷ 曾经销号的事项（含销号后重新打开的）');
      const byUnitSheet = wb.getWorksheet('按牵头单位')!;
      expect(typeof byUnitSheet.getRow(2).getCell(2).value).toBe('number');
      expect(byUnitSheet.getRow(2).getCell(7).numFmt).toBe('0.00%');
      // Officer B sees X3 and X8 only: as of 5/31, X3 is overdue.
      const overdue = wb.getWorksheet('逾期未完成事项')!;
      expect(overdue.rowCount).toBe(2);
      expect(overdue.getRow(2).getCell(1).value).toBe('X3');
      expect(overdue.getRow(2).getCell(7).value).toBe(31);
    });

    // Month-end snapshots: as of a past day, the figures start from the nearest month end's snapshot
    // (or from now) and correct for what changed in between. They must always be the counted ones.
    const stats = (): StatisticsService => f.get(StatisticsService);
    const snapshotsNow = (): Promise<{ id: string; kind: string; month_end: string }[]> =>
      api.ds.query(
        `SELECT id, kind, to_char(month_end, 'YYYY-MM-DD') AS month_end FROM item_stat_snapshot
          WHERE built_at IS NOT NULL AND invalidated_at IS NULL ORDER BY kind, month_end`,
      );
    /** Every roll-up scope, breakdown and unit reader, through the roll-ups and snapshots and counted, on each day. */
    async function expectCountedFiguresOn(dates: string[], extraScopes: StatScope[] = []): Promise<void> {
      const s = stats();
      const auditor = Factory.actor(users.auditor, city);
      const scopes: StatScope[] = [
        {},
        { batchId: batch.id },
        { sourceType: 'provincial_inspection' },
        { unitId: deptA.id },
        { unitId: city.id },
        { countyUnitId: county.id },
        { domain: 'air' },
        ...extraScopes,
      ];
      for (const date of dates) {
        const asOf: AsOf = { kind: 'date', date };
        for (const scope of scopes) expect(await s.summary(auditor, scope, asOf)).toEqual(await s.summary(auditor, scope, asOf, 'count'));
        for (const by of BREAKDOWNS)
          expect(await s.breakdown(auditor, by, {}, asOf)).toEqual(await s.breakdown(auditor, by, {}, asOf, 'count'));
        for (const actor of [officerA, officerB, dispatcher, verifier]) {
          expect(await s.summary(actor, {}, asOf)).toEqual(await s.summary(actor, {}, asOf, 'count'));
        }
      }
    }
    const byKind = (rows: { kind: string; month_end: string }[], kind: string): string[] =>
      rows.filter((r) => r.kind === kind).map((r) => r.month_end);

    it_('as of a past day through month-end snapshots: exactly the counted figures, a day or a year back', async () => {
      await api.ds.query(`DELETE FROM item_stat_snapshot`);
      // A year back; a month end; the day after; mid-month (nearer the end of April, then of May);
      // the end of May, before the reopen of 6/1, and the day of the reopen; 6/9 (nearer now: the live roll-ups).
      await expectCountedFiguresOn([
        '2025-06-10',
        '2026-04-30',
        '2026-05-01',
        '2026-05-14',
        '2026-05-20',
        '2026-05-31',
        '2026-06-01',
        '2026-06-09',
      ]);
      const built = await snapshotsNow();
      expect(byKind(built, 'main')).toEqual(['2025-05-31', '2026-04-30', '2026-05-31']);
      expect(byKind(built, 'read')).toEqual(['2025-05-31', '2026-04-30', '2026-05-31']);
      // What the end of May holds for the batch, by hand: X1 X2 X5 signed off, X4 phase-completed,
      // X8 submitted, X3 in progress, X6 a draft, X7 cancelled.
      const cells = await api.ds.query(
        `SELECT c.state, sum(c.n)::int AS n FROM item_stat_snapshot_cell c JOIN item_stat_snapshot s ON s.id = c.snapshot_id
          WHERE s.kind = 'main' AND s.month_end = '2026-05-31' AND c.dim = 'batch' AND c.key = $1 GROUP BY 1`,
        [batch.id],
      );
      expect(Object.fromEntries(cells.map((r: { state: string; n: number }) => [r.state, r.n]))).toEqual({
        signed_off: 3,
        phase_completed: 1,
        in_acceptance: 1,
        in_progress: 1,
        draft: 1,
        cancelled: 1,
      });
      // A monthly trend reads each month end's snapshot: built on the first request, reused after.
      const auditor = Factory.actor(users.auditor, city);
      const trend = await stats().trend(auditor, {}, 'month', '2025-01-01', '2026-06-30');
      expect(trend).toEqual(await stats().trend(auditor, {}, 'month', '2025-01-01', '2026-06-30', 'count'));
      const withTrend = await snapshotsNow();
      const monthEnds = Array.from({ length: 17 }, (_, i) =>
        monthEnd(`${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`),
      );
      expect(byKind(withTrend, 'main')).toEqual(monthEnds);
      await stats().trend(auditor, {}, 'month', '2025-01-01', '2026-06-30');
      expect(await snapshotsNow()).toEqual(withTrend);
    });

    it_('changes after a month end leave its snapshot valid and the past where it was', async () => {
      const before = await snapshotsNow();
      clock.setDate('2026-06-15');
      await finish(x.X3, deptB, officerB, users.officerB);
      expect(await snapshotsNow()).toEqual(before);
      const may = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=2026-05-31`);
      expect([fig(may.body, 'signedOff').value, fig(may.body, 'overdueOpen').value]).toEqual([3, 1]);
      const now = await get(`/api/statistics/summary?batchId=${batch.id}`);
      expect([fig(now.body, 'signedOff').value, fig(now.body, 'overdueOpen').value]).toEqual([3, 1]); // X1 X2 X3; X5 reopened
      await expectCountedFiguresOn(['2026-05-31', '2026-06-01', '2026-06-14', '2026-06-15']);
    });

    it_('a built snapshot is found by the statements that read it: one round trip, no lookup before', async () => {
      const { statements: sent } = await api.statementsSent(async () => {
        const may = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=2026-05-31`);
        expect([fig(may.body, 'signedOff').value, fig(may.body, 'overdueOpen').value]).toEqual([3, 1]);
      });
      // One statement reads the cells and the days to close, each part naming the month end; nothing else touches the snapshots.
      const reads = sent.filter((sql) => /item_stat_snapshot/.test(sql));
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatch(/FROM item_stat_snapshot_cell c .*month_end = \$\d+/s);
      expect(reads[0]).toMatch(/FROM item_stat_snapshot_days c .*month_end = \$\d+/s);
    });

    it_('a breakdown reads a snapshot in two statements side by side, each naming the month end', async () => {
      const { statements: sent } = await api.statementsSent(async () => {
        expect((await get(`/api/statistics/breakdown?by=county&asOf=2026-05-31`)).status).toBe(200);
      });
      const reads = sent.filter((sql) => /item_stat_snapshot/.test(sql));
      expect(reads).toHaveLength(2);
      expect(reads.every((sql) => /FROM item_stat_snapshot_(cell|days) c/.test(sql) && /month_end = \$\d+/.test(sql))).toBe(true);
    });

    it_('a snapshot invalidated between the two reads of a breakdown is not half-read: it is rebuilt and read whole', async () => {
      const auditor = Factory.actor(users.auditor, city);
      const asOf: AsOf = { kind: 'date', date: '2026-05-31' };
      const before = (await snapshotsNow()).find((s) => s.kind === 'main' && s.month_end === '2026-05-31');
      expect(before).toBeDefined();
      // The cells are read; then the snapshot is invalidated; then its days to close are read.
      let cellsRead: Promise<unknown> | null = null;
      let raced = false;
      const racing = {
        query: (sql: string, params?: unknown[]): Promise<unknown> => {
          if (!cellsRead && /FROM item_stat_snapshot_cell c/.test(sql)) return (cellsRead = api.ds.query(sql, params));
          if (cellsRead && !raced && /FROM item_stat_snapshot_days c/.test(sql)) {
            raced = true;
            return (async () => {
              await cellsRead;
              await api.ds.query(`UPDATE item_stat_snapshot SET invalidated_at = now() WHERE id = $1`, [before!.id]);
              return api.ds.query(sql, params);
            })();
          }
          return api.ds.query(sql, params);
        },
      } as unknown as DataSource;
      // The statistics on the racing connection; the snapshots they build on the real one.
      const onRacing = await buildTestModule({ ds: racing, clock, replace: [[StatisticsSnapshots, f.get(StatisticsSnapshots)]] });
      const figures = await onRacing.get(StatisticsService).breakdown(auditor, 'county', {}, asOf);
      await onRacing.close();
      expect(raced).toBe(true);
      expect(figures).toEqual(await stats().breakdown(auditor, 'county', {}, asOf, 'count'));
      expect(figures.rows.some((r) => r.figures.find((x) => x.key === 'closeDaysMedian')?.value !== null)).toBe(true);
      const after = (await snapshotsNow()).find((s) => s.kind === 'main' && s.month_end === '2026-05-31');
      expect(after?.id).toBeDefined();
      expect(after?.id).not.toBe(before!.id);
    });

    it_('a backdated change invalidates the snapshots it reaches back into, and they are rebuilt with it', async () => {
      const before = await snapshotsNow();
      clock.setDate('2026-05-10');
      const late = await f.newBatch(dispatcher, { chain: [{ level: 'county' }], noticeDays: 0 });
      await start(await newItem(late, 'L-1', '2026-05-20'));
      clock.setDate('2026-06-15');
      // It counts from 5/10: the end of May goes (both kinds), the end of April and before stay.
      expect(await snapshotsNow()).toEqual(before.filter((s) => s.month_end < '2026-05-10'));
      const may = await get(`/api/statistics/summary?batchId=${late.id}&asOf=2026-05-31`);
      expect([fig(may.body, 'total').value, fig(may.body, 'overdueOpen').value]).toEqual([1, 1]);
      const april = await get(`/api/statistics/summary?batchId=${late.id}&asOf=2026-04-30`);
      expect(fig(april.body, 'total').value).toBe(0);
      await expectCountedFiguresOn(['2026-04-30', '2026-05-10', '2026-05-31', '2026-06-01']);
      const rebuilt = (await snapshotsNow()).find((s) => s.kind === 'main' && s.month_end === '2026-05-31');
      const old = before.find((s) => s.kind === 'main' && s.month_end === '2026-05-31');
      expect(rebuilt?.id).toBeDefined();
      expect(rebuilt?.id).not.toBe(old?.id);
    });

    it_('a unit moved in the tree rewrites open stretches and read scopes: the snapshots they reach are invalidated', async () => {
      await expectCountedFiguresOn(['2026-03-31', '2026-04-30', '2026-05-31']);
      const before = await snapshotsNow();
      // 市交通运输局 moves under 市生态环境局: X8's open stretch (submitted 4/25) takes the new lead
      // subtree; X3 and X8 (created 3/2) are readable by the bureau now, over all their past.
      await f.units.update(dispatcher, deptB.id, { version: deptB.version, parentId: bureau.id });
      expect(await snapshotsNow()).toEqual(
        before.filter((s) => (s.kind === 'main' ? s.month_end < '2026-04-25' : s.month_end < '2026-03-02')),
      );
      await expectCountedFiguresOn(['2026-03-31', '2026-04-30', '2026-05-31'], [{ unitId: bureau.id }]);
    });

    it_('a snapshot build waits for a backdated write in flight, and counts it', async () => {
      await expectCountedFiguresOn(['2026-05-31']);
      await api.ds.query(`UPDATE item_stat_snapshot SET invalidated_at = now() WHERE month_end = '2026-05-31' AND invalidated_at IS NULL`);
      const writer = api.ds.createQueryRunner();
      await writer.connect();
      await writer.startTransaction();
      // A correction of history: X3's deadline while it was in progress (3/2 to 6/15) moves past the end of May.
      await writer.manager.query(`UPDATE item_timeline SET current_deadline = '2026-06-30' WHERE item_id = $1 AND state = 'in_progress'`, [
        x.X3.id,
      ]);
      let done = false;
      const building = f
        .get(StatisticsSnapshots)
        .ensure('main', '2026-05-31')
        .finally(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      await writer.commitTransaction();
      await writer.release();
      expect(await building).not.toBeNull();
      // Due by 5/31 now X2 and X8 only, both done: nothing overdue.
      const may = await get(`/api/statistics/summary?batchId=${batch.id}&asOf=2026-05-31`);
      expect([fig(may.body, 'due').value, fig(may.body, 'overdueOpen').value]).toEqual([2, 0]);
      await expectCountedFiguresOn(['2026-05-31']);
    });
  });

  it('bad input is refused with a 4xx naming the problem', async () => {
    const future = await get(`/api/statistics/summary?asOf=2099-01-01`);
    expect(future.status).toBe(422);
    expect(future.body.details.field).toBe('asOf');
    const bad = await get(`/api/statistics/summary?asOf=yesterday`);
    expect(bad.status).toBe(400);
    // An instant without its offset would be read in the server's time zone: refused.
    const local = await get(`/api/statistics/summary?asOf=2026-05-31T18:00:00`);
    expect(local.status).toBe(400);
    expect(JSON.stringify(local.body.details)).toContain('offset');
    const by = await get(`/api/statistics/breakdown?by=colour`);
    expect(by.status).toBe(400);
    const month = await get(`/api/statistics/bulletin?month=2026-13`);
    expect(month.status).toBe(400);
    const anon = await api.request('GET', '/api/statistics/summary');
    expect(anon.status).toBe(401);
  });
});
