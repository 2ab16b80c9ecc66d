import ExcelJS from 'exceljs';
import type { OrgUnitView, UserView } from '#org';
import { TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { Factory } from './support/factories.js';

async function workbook(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('信访件');
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readBook(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((row) =>
    rows.push((row.values as (string | number | null | undefined)[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))),
  );
  return rows;
}

/**
 * Complaint cases through HTTP: batches, intake one by one with its bad-input rules, duplicate
 * proposals, the .xlsx import (preview, all or nothing, again without repeats), scope and the
 * complainant's contact, the export, the daily report and the figures' formulas.
 */
describe('complaint cases (e2e)', () => {
  let api: TestApi;
  const clock = new TestClock(new Date('2026-06-05T10:00:00+08:00'));
  const tag = Factory.tag();
  let bureau: OrgUnitView;
  let yanggao: OrgUnitView;
  let tianzhen: OrgUnitView;
  let section: OrgUnitView;
  const t: Record<string, string> = {};
  const u: Record<string, UserView> = {};
  let batchId: string;

  beforeAll(async () => {
    api = await TestApi.start({ clock });
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city', name: `大同市-${tag}` });
    bureau = await f.newUnit({ parent: city, name: `市生态环境局-${tag}` });
    yanggao = await f.newUnit({ parent: city, kind: 'county', name: `阳高县-${tag}`, aliases: [`阳高-${tag}`] });
    tianzhen = await f.newUnit({ parent: city, kind: 'county', name: `天镇县-${tag}` });
    section = await f.newUnit({ parent: yanggao, name: `阳高县生态环境分局-${tag}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.officer = await f.newUser(section, ['unit_officer']);
    u.other = await f.newUser(tianzhen, ['unit_officer']);
    u.auditor = await f.newUser(city, ['auditor']);
    for (const [k, user] of Object.entries(u)) t[k] = (await api.login(user.email)).accessToken;
  }, 120_000);
  afterAll(async () => {
    await api.stop();
  });

  const get = (who: string, url: string): Promise<Reply> => api.request('GET', url, { token: t[who] });
  const post = (who: string, url: string, body: unknown): Promise<Reply> => api.request('POST', url, { token: t[who], body });
  const count = async (sql: string, params: unknown[]): Promise<number> => Number((await api.ds.query(sql, params))[0].n);

  async function upload(who: string, url: string, body: Buffer, fields: Record<string, string> = {}): Promise<Reply> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([body]), 'cases.xlsx');
    const res = await fetch(`${api.baseUrl}${url}`, { method: 'POST', headers: { authorization: `Bearer ${t[who]}` }, body: form });
    const raw = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers), body: raw ? JSON.parse(raw) : null, raw };
  }

  const caseBody = (caseNo: string, content: string, county = yanggao.id) => ({
    caseNo,
    content,
    countyUnitId: county,
    address: '龙泉镇',
    pollutionTypes: ['water'],
    contact: { name: '王某', phone: '13800000000' },
  });

  describe('intake one by one', () => {
    it('receives a batch once; a unit officer may not', async () => {
      const body = { round: `第三轮中央督察-${tag}`, batchNo: 1, receivedOn: '2026-06-01', deadlineDays: 10, deadlineKind: 'calendar' };
      const res = await post('dispatcher', '/api/complaint-batches', body);
      expect(res.status).toBe(201);
      batchId = res.body.id;
      expect((await post('dispatcher', '/api/complaint-batches', body)).body.code).toBe('BATCH_EXISTS');
      expect((await post('officer', '/api/complaint-batches', { ...body, batchNo: 2 })).status).toBe(403);
      const bad = await post('dispatcher', '/api/complaint-batches', { ...body, batchNo: 3, deadlineKind: 'weekly' });
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['deadlineKind']);
    });

    it('refuses bad input naming the field, writing nothing', async () => {
      const before = await count(`SELECT count(*) AS n FROM complaint_case WHERE batch_id = $1`, [batchId]);
      const unknownCounty = await post('dispatcher', `/api/complaint-batches/${batchId}/cases`, caseBody('A-0', '内容', bureau.id));
      expect(unknownCounty.status).toBe(400);
      expect(unknownCounty.body.details.fields).toEqual([{ field: 'countyUnitId', messages: ['is not a known county (区县)'] }]);
      const badType = await post('dispatcher', `/api/complaint-batches/${batchId}/cases`, {
        ...caseBody('A-0', '内容'),
        pollutionTypes: ['light'],
      });
      expect(badType.status).toBe(400);
      expect(badType.body.details.fields[0].field).toBe('pollutionTypes');
      const badDate = await post('dispatcher', `/api/complaint-batches/${batchId}/cases`, {
        ...caseBody('A-0', '内容'),
        receivedOn: '2026-02-30',
      });
      expect(badDate.body.details.fields[0].field).toBe('receivedOn');
      expect(await count(`SELECT count(*) AS n FROM complaint_case WHERE batch_id = $1`, [batchId])).toBe(before);
    });

    it('receives cases, proposes the repeat in the same county (not in another), refuses a case number twice', async () => {
      const first = await post(
        'dispatcher',
        `/api/complaint-batches/${batchId}/cases`,
        caseBody('A-1', '阳高县龙泉镇东小村养殖场粪污直排村边河道，臭味严重，影响村民生活'),
      );
      expect(first.status).toBe(201);
      expect(first.body.duplicates).toEqual([]);
      const again = await post(
        'dispatcher',
        `/api/complaint-batches/${batchId}/cases`,
        caseBody('A-2', '阳高县龙泉镇东小村养殖场粪污直排村边河道，臭味严重，影响村民正常生活'),
      );
      expect(again.body.duplicates).toEqual([expect.objectContaining({ otherId: first.body.id, otherCaseNo: 'A-1' })]);
      expect(again.body.duplicates[0].similarity).toBeGreaterThan(0.7);
      const elsewhere = await post(
        'dispatcher',
        `/api/complaint-batches/${batchId}/cases`,
        caseBody('A-3', '阳高县龙泉镇东小村养殖场粪污直排村边河道，臭味严重，影响村民生活', tianzhen.id),
      );
      expect(elsewhere.body.duplicates).toEqual([]);
      const taken = await post('dispatcher', `/api/complaint-batches/${batchId}/cases`, caseBody('A-1', '另一件'));
      expect(taken.status).toBe(409);
      expect(taken.body.details.fields).toEqual([{ field: 'caseNo', messages: ['is already in this batch'] }]);
      const history = await api.ds.query(`SELECT action, to_state FROM history WHERE entity_type = 'complaint' AND entity_id = $1`, [
        first.body.id,
      ]);
      expect(history).toEqual([{ action: 'receive', to_state: 'received' }]);
    });

    it('lists the cases with a proposal to decide, without contacts', async () => {
      const res = await get('dispatcher', `/api/complaints?batchId=${batchId}&duplicateProposals=true`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((r: { caseNo: string }) => r.caseNo)).toEqual(['A-2']);
      expect(res.body.data[0]).toMatchObject({ state: 'received', stateLabel: '已受理', openProposals: 1, countyName: yanggao.name });
      expect(JSON.stringify(res.body)).not.toContain('13800000000');
    });
  });

  describe('scope and the complainant’s contact', () => {
    let caseId: string;
    beforeAll(async () => {
      caseId = (await get('dispatcher', `/api/complaints?batchId=${batchId}&q=A-1`)).body.data[0].id;
      const transfer = await post('dispatcher', `/api/complaints/${caseId}/transitions`, {
        action: 'transfer',
        version: 1,
        leadUnitId: section.id,
      });
      expect(transfer.status).toBe(200);
    });

    it('the dispatcher reads the contact; the lead unit reads the case without it; other units get 404', async () => {
      const d = await get('dispatcher', `/api/complaints/${caseId}`);
      expect(d.status).toBe(200);
      expect(d.body.contact).toEqual({ name: '王某', phone: '13800000000', note: '' });
      expect(d.body.history.map((h: { action: string }) => h.action)).toEqual(['receive', 'transfer']);
      const o = await get('officer', `/api/complaints/${caseId}`);
      expect(o.status).toBe(200);
      expect(o.body).not.toHaveProperty('contact');
      expect(o.raw).not.toContain('13800000000');
      expect((await get('auditor', `/api/complaints/${caseId}`)).body).not.toHaveProperty('contact');
      expect((await get('other', `/api/complaints/${caseId}`)).status).toBe(404);
      expect((await get('other', `/api/complaints/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
      expect((await get('officer', `/api/complaints?batchId=${batchId}`)).body.data.map((r: { id: string }) => r.id)).toEqual([caseId]);
      expect((await get('other', `/api/complaints?batchId=${batchId}`)).body.total).toBe(0);
    });

    it('exports without contacts by default; only a dispatcher adds them', async () => {
      const plain = await fetch(`${api.baseUrl}/api/complaints/export?batchId=${batchId}`, {
        headers: { authorization: `Bearer ${t.dispatcher}` },
      });
      expect(plain.status).toBe(200);
      const rows = await readBook(Buffer.from(await plain.arrayBuffer()));
      expect(rows[0]).not.toContain('联系电话');
      expect(rows.slice(1).map((r) => r[0])).toEqual(['A-3', 'A-2', 'A-1']);
      expect(JSON.stringify(rows)).not.toContain('13800000000');
      const withContact = await fetch(`${api.baseUrl}/api/complaints/export?batchId=${batchId}&includeContact=true`, {
        headers: { authorization: `Bearer ${t.dispatcher}` },
      });
      expect(JSON.stringify(await readBook(Buffer.from(await withContact.arrayBuffer())))).toContain('13800000000');
      const officer = await get('officer', `/api/complaints/export?includeContact=true`);
      expect(officer.status).toBe(403);
    });
  });

  describe('import from .xlsx', () => {
    let importBatch: string;
    const header = ['序号', '交办编号', '受理时间', '反映问题', '区县', '地址', '污染类型', '是否重点', '举报人', '电话'];
    const good = (): (string | number | null)[][] => [
      [`第三轮中央生态环境保护督察第2批信访举报件`],
      header,
      [
        'B-1',
        'D3SX-0101',
        '2026-06-02',
        '天镇县南河堡乡砖厂夜间生产烟尘大，无除尘设施',
        tianzhen.name,
        '南河堡乡',
        '大气',
        '是',
        '李某',
        '13900000001',
      ],
      ['B-2', 'D3SX-0102', '2026-06-02', '阳高县城区某烧烤店油烟扰民，夜间噪声大', `阳高-${tag}`, '城区', '大气、噪声', '', '', ''],
      ['B-3', 'D3SX-0103', '2026-06-02', '天镇县南河堡乡砖厂夜间生产烟尘大，没有除尘设施', tianzhen.name, '南河堡乡', '大气', '', '', ''],
    ];

    beforeAll(async () => {
      const res = await post('dispatcher', '/api/complaint-batches', {
        round: `第三轮中央督察-${tag}`,
        batchNo: 2,
        receivedOn: '2026-06-02',
        deadlineDays: 7,
        deadlineKind: 'calendar',
      });
      importBatch = res.body.id;
    });

    it('previews row errors, and a file with errors imports nothing', async () => {
      const rows = good();
      rows.push(['B-1', null, '2026-06-02', '重复编号', tianzhen.name, '', '水', '', '', '']);
      rows.push(['B-5', null, '2026-06-02', '某地污水', '不存在县', '', '光', '', '', '']);
      const file = await workbook(rows);
      const preview = await upload('dispatcher', `/api/complaint-batches/${importBatch}/import-preview`, file);
      expect(preview.status).toBe(200);
      expect(preview.body.confirmable).toBe(false);
      expect(preview.body.errors).toEqual([
        { row: 6, column: '受理编号', value: 'B-1', message: 'repeats row 3' },
        expect.objectContaining({ row: 7, column: '污染类型', value: '光' }),
        { row: 7, column: '行政区域', value: '不存在县', message: 'is not a known county (区县) or one of its aliases' },
      ]);
      const confirm = await upload('dispatcher', `/api/complaint-batches/${importBatch}/import`, file, {
        previewId: preview.body.previewId,
      });
      expect(confirm.status).toBe(422);
      expect(await count(`SELECT count(*) AS n FROM complaint_case WHERE batch_id = $1`, [importBatch])).toBe(0);
    });

    it('imports all or nothing with the previewed duplicates; importing again creates nothing', async () => {
      const file = await workbook(good());
      const preview = await upload('dispatcher', `/api/complaint-batches/${importBatch}/import-preview`, file);
      expect(preview.body.summary).toEqual({ rows: 3, create: 3, existing: 0, errors: 0, duplicateProposals: 1 });
      expect(preview.body.rows[2].duplicates).toEqual([expect.objectContaining({ otherCaseNo: 'B-1' })]);
      expect(await count(`SELECT count(*) AS n FROM complaint_case WHERE batch_id = $1`, [importBatch])).toBe(0);
      const stale = await upload('dispatcher', `/api/complaint-batches/${importBatch}/import`, file, { previewId: 'a'.repeat(64) });
      expect(stale.body.code).toBe('PREVIEW_OUTDATED');
      const done = await upload('dispatcher', `/api/complaint-batches/${importBatch}/import`, file, { previewId: preview.body.previewId });
      expect(done.status).toBe(201);
      expect(done.body.summary.create).toBe(3);
      const cases = await api.ds.query(
        `SELECT case_no, team_no, pollution_types, key_case, county_unit_id FROM complaint_case WHERE batch_id = $1 ORDER BY case_no`,
        [importBatch],
      );
      expect(cases).toEqual([
        { case_no: 'B-1', team_no: 'D3SX-0101', pollution_types: ['air'], key_case: true, county_unit_id: tianzhen.id },
        { case_no: 'B-2', team_no: 'D3SX-0102', pollution_types: ['air', 'noise'], key_case: false, county_unit_id: yanggao.id },
        { case_no: 'B-3', team_no: 'D3SX-0103', pollution_types: ['air'], key_case: false, county_unit_id: tianzhen.id },
      ]);
      const again = await upload('dispatcher', `/api/complaint-batches/${importBatch}/import-preview`, file);
      expect(again.body.summary).toMatchObject({ create: 0, existing: 3 });
      const twice = await upload('dispatcher', `/api/complaint-batches/${importBatch}/import`, file, { previewId: again.body.previewId });
      expect(twice.status).toBe(201);
      expect(await count(`SELECT count(*) AS n FROM complaint_case WHERE batch_id = $1`, [importBatch])).toBe(3);
      expect(
        await count(`SELECT count(*) AS n FROM complaint_duplicate d JOIN complaint_case c ON c.id = d.case_id WHERE c.batch_id = $1`, [
          importBatch,
        ]),
      ).toBe(1);
    });

    it('the daily report names each case in one line', async () => {
      const res = await get('dispatcher', `/api/complaint-batches/${importBatch}/daily-report?asOf=2026-06-05`);
      expect(res.status).toBe(200);
      expect(res.body.counts).toEqual({ cases: 3, closed: 0, phaseClosed: 0, open: 3, merged: 0 });
      expect(res.body.text.split('\n')[2]).toBe(`1. D3SX-0101（${tianzhen.name}）：正在办理。`);
      const xlsx = await fetch(`${api.baseUrl}/api/complaint-batches/${importBatch}/daily-report?format=xlsx`, {
        headers: { authorization: `Bearer ${t.dispatcher}` },
      });
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      const rows = await readBook(Buffer.from(await xlsx.arrayBuffer()));
      expect(rows[3].slice(0, 4)).toEqual(['1', 'D3SX-0101', 'B-1', tianzhen.name]);
      expect((await get('other', `/api/complaint-batches/${importBatch}/daily-report`)).status).toBe(404);
    });
  });

  describe('figures', () => {
    it('count the received and valid cases as of a day, each naming its formula', async () => {
      const now = await get('auditor', `/api/complaints/statistics/summary?q=${encodeURIComponent(tag)}`);
      expect(now.status).toBe(200);
      const before = await get('auditor', `/api/complaints/statistics/summary?asOf=2026-05-31`);
      const f = Object.fromEntries(before.body.figures.map((x: { key: string }) => [x.key, x]));
      expect(f.received.value).toBe(0);
      const all = await get('dispatcher', `/api/complaints/statistics/summary`);
      const g = Object.fromEntries(all.body.figures.map((x: { key: string }) => [x.key, x]));
      expect(g.received.value).toBe(6);
      expect(g.valid.value).toBe(6);
      expect(g.transferred.value).toBe(1);
      expect(g.closureRate).toMatchObject({
        value: 0,
        display: '0.00%',
        formula: '已办结的件（完全办结，不含阶段性办结） ÷ 已转办的有效件',
      });
      const byCounty = await get('dispatcher', `/api/complaints/statistics/breakdown?dimension=county`);
      expect(
        byCounty.body.rows.map((r: { label: string; figures: { key: string; value: number }[] }) => [r.label, r.figures[0].value]),
      ).toEqual([
        [tianzhen.name, 3],
        [yanggao.name, 3],
      ]);
    });
  });

  // After the figures: these cases would count in them.
  describe('import after the database changed', () => {
    it('a case that came in after the preview is among the duplicates the confirm records', async () => {
      const later = await post('dispatcher', '/api/complaint-batches', {
        round: `第三轮中央督察-${tag}`,
        batchNo: 3,
        receivedOn: '2026-06-03',
        deadlineDays: 7,
        deadlineKind: 'calendar',
      });
      const file = await workbook([
        ['受理编号', '受理日期', '举报内容', '行政区域', '污染类型'],
        ['C-1', '2026-06-03', '天镇县逯家湾镇养殖场粪污直排河道，夏季臭味严重', tianzhen.name, '水'],
      ]);
      const preview = await upload('dispatcher', `/api/complaint-batches/${later.body.id}/import-preview`, file);
      expect(preview.body.summary).toMatchObject({ create: 1, duplicateProposals: 0 });
      const meanwhile = await post(
        'dispatcher',
        `/api/complaint-batches/${batchId}/cases`,
        caseBody(`A-late-${tag}`, '天镇县逯家湾镇养殖场粪污直排河道，夏季臭味很严重', tianzhen.id),
      );
      expect(meanwhile.status).toBe(201);
      const done = await upload('dispatcher', `/api/complaint-batches/${later.body.id}/import`, file, {
        previewId: preview.body.previewId,
      });
      expect(done.status).toBe(201);
      expect(done.body.summary).toMatchObject({ create: 1, duplicateProposals: 1 });
      const [pair] = await api.ds.query(
        `SELECT d.other_id FROM complaint_duplicate d JOIN complaint_case c ON c.id = d.case_id WHERE c.batch_id = $1`,
        [later.body.id],
      );
      expect(pair.other_id).toBe(meanwhile.body.id);
    });
  });
});
