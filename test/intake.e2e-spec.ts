import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Actor } from '#domain';
import type { BatchView } from '#items';
import type { OrgUnitView } from '#org';
import { TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { Factory } from './support/factories.js';
import { buildZip, docxBomb, peakRssGrowthMiB, sheetXmlBomb, zerosBomb } from './support/office-files.js';

/**
 * Ledgers in and out and policy documents into drafts (issue 24), and hostile files (issue 21):
 * through HTTP on the real database; every refusal checked to have written nothing.
 */
describe('intake: ledger import and export, decomposition, hostile files (e2e)', () => {
  const clock = new TestClock(new Date('2026-03-10T10:00:00+08:00'));
  let api: TestApi;
  let f: Factory;
  let tag: string;
  let bureau: OrgUnitView;
  let eco: OrgUnitView;
  let housing: OrgUnitView;
  let water: OrgUnitView;
  let county: OrgUnitView;
  let dispatcher: Actor;
  let batch: BatchView;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    api = await TestApi.start({ clock });
    f = await Factory.create(api.ds, clock);
    tag = Factory.tag();
    const city = await f.newUnit({ kind: 'city' });
    bureau = await f.newUnit({ parent: city });
    eco = await f.newUnit({ parent: city, name: `市生态环境局${tag}` });
    housing = await f.newUnit({ parent: city, name: `市住房和城乡建设局${tag}` });
    water = await f.newUnit({ parent: city, name: `市水务局${tag}`, aliases: [`市水利局${tag}`] });
    county = await f.newUnit({ parent: city, kind: 'county', name: `天镇县${tag}` });
    const d = await f.newUser(bureau, ['dispatcher']);
    dispatcher = Factory.actor(d, bureau);
    t.dispatcher = (await api.login(d.email)).accessToken;
    const other = await f.newUnit({ kind: 'city' });
    const o = await f.newUser(other, ['dispatcher']);
    t.otherDispatcher = (await api.login(o.email)).accessToken;
    const officer = await f.newUser(eco, ['unit_officer']);
    t.officer = (await api.login(officer.email)).accessToken;
    batch = await f.newBatch(dispatcher, { sourceType: 'provincial_inspection' });
  });
  afterAll(async () => {
    await f.close();
    await api.stop();
  });

  async function send(who: string, url: string, file: Buffer, name: string, fields: Record<string, string> = {}): Promise<Reply> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([file]), name);
    const res = await fetch(`${api.baseUrl}${url}`, { method: 'POST', headers: { authorization: `Bearer ${t[who]}` }, body: form });
    const raw = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers), body: raw ? JSON.parse(raw) : null, raw };
  }
  const itemCount = async (batchId = batch.id): Promise<number> =>
    (await api.ds.query(`SELECT count(*)::int AS n FROM item WHERE batch_id = $1`, [batchId]))[0].n;

  async function workbook(rows: unknown[][], build?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('整改台账');
    for (const r of rows) ws.addRow(r);
    build?.(ws);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  describe('ledger import', () => {
    let ledger: Buffer;
    let preview: Reply;

    it('reads header variants, a merged two-row header, every date form and several lead units per cell; the preview writes nothing', async () => {
      ledger = await workbook(
        [
          ['大同市整改台账'],
          ['序号', '反馈问题原文', '领域', '行政区', '整改措施', '整改责任', null, '完成时限', '整改类型'],
          [null, null, null, null, null, '责任单位', '配合单位', null, null],
          [
            '1',
            '工业园区污水管网错接混接。需全面排查',
            '水',
            county.name,
            '排查整治',
            `${eco.name}、${water.name}`,
            null,
            new Date(Date.UTC(2025, 5, 30)),
            null,
          ],
          ['2', '焦化企业废水处理设施未提标', '水', null, '提标改造', `${eco.name}\n${housing.name}`, null, '2025-06-30', null],
          [],
          ['3', '城区道路扬尘', '大气', null, '', `${housing.name}，${eco.name}`, `${water.name}（洒水保障）`, '2025/6/30', null],
          ['4', '污泥处置不规范', '固废', null, '', `${housing.name},${water.name}`, null, '2025年6月30日', null],
          ['5', '农村黑臭水体', '水', null, '', eco.name, null, '2025年6月底', null],
          ['6', '污水厂提标改造滞后', '水', null, '', `市住建局${tag}`, null, '年底前', null],
          ['7', '水源地问题回头看', '生态', null, '', eco.name, null, '长期坚持', null],
          ['8', '排污口溯源', '水', null, '', `市水利局${tag}`, null, 45838, '限期整改'],
        ],
        (ws) => {
          ws.mergeCells('F2:G2');
          for (const c of ['A', 'B', 'C', 'D', 'E', 'H', 'I']) ws.mergeCells(`${c}2:${c}3`);
        },
      );
      preview = await send('dispatcher', `/api/batches/${batch.id}/ledger-import/preview`, ledger, 'ledger.xlsx');
      expect(preview.status).toBe(200);
      expect(preview.body.header).toEqual({
        rows: [2, 3],
        columns: {
          code: '编号',
          feedbackText: '反馈问题原文',
          domain: '领域',
          county: '行政区',
          measures: '整改措施',
          lead: '牵头单位',
          cooperating: '配合单位',
          deadline: '整改时限',
          type: '整改类型',
        },
      });
      expect(preview.body.errors).toEqual([]);
      expect(preview.body.summary).toEqual({ rows: 8, create: 8, update: 0, unchanged: 0, errors: 0, unmatchedUnits: 1 });
      expect(preview.body.confirmable).toBe(false);
      const [unmatched] = preview.body.unmatchedUnits;
      expect(unmatched).toMatchObject({ name: `市住建局${tag}`, rows: [10], columns: ['牵头单位'] });
      expect(unmatched.suggestions).toEqual(expect.arrayContaining([expect.objectContaining({ id: housing.id, name: housing.name })]));
      expect(await itemCount()).toBe(0);
    });

    it('refuses to confirm with unmatched units, then confirms the mapped preview all at once, with creation history and the alias kept', async () => {
      const unmapped = await send('dispatcher', `/api/batches/${batch.id}/ledger-import`, ledger, 'ledger.xlsx', {
        previewId: preview.body.previewId,
      });
      expect(unmapped.status).toBe(422);
      expect(unmapped.body.code).toBe('IMPORT_HAS_PROBLEMS');
      const mapping = JSON.stringify({ [`市住建局${tag}`]: housing.id });
      const mapped = await send('dispatcher', `/api/batches/${batch.id}/ledger-import/preview`, ledger, 'ledger.xlsx', {
        mapping,
        saveAliases: 'true',
      });
      expect(mapped.body.confirmable).toBe(true);
      expect(mapped.body.mapping).toEqual({ [`市住建局${tag}`]: { unitId: housing.id, unitName: housing.name } });
      // The confirm must be of that preview: another mapping or another id is refused.
      const stale = await send('dispatcher', `/api/batches/${batch.id}/ledger-import`, ledger, 'ledger.xlsx', {
        previewId: preview.body.previewId,
        mapping,
        saveAliases: 'true',
      });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('PREVIEW_OUTDATED');
      expect(await itemCount()).toBe(0);
      const outsider = await send('otherDispatcher', `/api/batches/${batch.id}/ledger-import`, ledger, 'ledger.xlsx', {
        previewId: mapped.body.previewId,
        mapping,
      });
      expect(outsider.status).toBe(404);

      const done = await send('dispatcher', `/api/batches/${batch.id}/ledger-import`, ledger, 'ledger.xlsx', {
        previewId: mapped.body.previewId,
        mapping,
        saveAliases: 'true',
      });
      expect(done.status).toBe(201);
      expect(done.body).toEqual({ batchId: batch.id, created: 8, updated: 0, unchanged: 0, aliasesSaved: [`市住建局${tag}`] });
      const items = await api.ds.query(
        `SELECT i.code, i.title, i.type, to_char(i.current_deadline, 'YYYY-MM-DD') AS deadline, i.domain, i.county_unit_id,
                (SELECT array_agg(u.unit_id ORDER BY u.unit_id) FROM item_unit u WHERE u.item_id = i.id AND u.role = 'lead') AS lead,
                (SELECT json_agg(json_build_object('unitId', u.unit_id, 'part', u.part)) FROM item_unit u WHERE u.item_id = i.id AND u.role = 'cooperating') AS coop,
                (SELECT count(*)::int FROM history h WHERE h.entity_type = 'item' AND h.entity_id = i.id AND h.action = 'create' AND h.seq = 1) AS created
           FROM item i WHERE i.batch_id = $1 ORDER BY i.code`,
        [batch.id],
      );
      expect(items.map((i: { deadline: string | null }) => i.deadline)).toEqual([
        '2025-06-30',
        '2025-06-30',
        '2025-06-30',
        '2025-06-30',
        '2025-06-30',
        '2026-12-31', // 年底前: this year's end
        null, // 长期坚持
        '2025-06-30', // an Excel serial number
      ]);
      expect(items[0]).toMatchObject({ title: '工业园区污水管网错接混接', domain: 'water', county_unit_id: county.id, type: 'deadline' });
      expect(items[0].lead).toEqual([eco.id, water.id].sort());
      expect(items[1].lead).toEqual([eco.id, housing.id].sort());
      expect(items[2].coop).toEqual([{ unitId: water.id, part: '洒水保障' }]);
      expect(items[5].lead).toEqual([housing.id]);
      expect(items[6].type).toBe('ongoing');
      expect(items[7].lead).toEqual([water.id]);
      expect(items.every((i: { created: number }) => i.created === 1)).toBe(true);
      // The scope sets and reader rows written with the rows are those item_refresh_scope() computes.
      const runner = api.ds.createQueryRunner();
      await runner.startTransaction();
      try {
        const state = (): Promise<unknown[]> =>
          runner.query(
            `SELECT i.id, i.owner_scope, i.lead_scope, i.dispatcher_scope, i.acceptance_scope,
                    (SELECT array_agg(r.unit_id::text || ':' || r.via ORDER BY r.unit_id, r.via) FROM item_reader r WHERE r.item_id = i.id) AS readers
               FROM item i WHERE i.batch_id = $1 ORDER BY i.id`,
            [batch.id],
          );
        const written = await state();
        await runner.query(`SELECT item_refresh_scope(id) FROM item WHERE batch_id = $1`, [batch.id]);
        expect(await state()).toEqual(written);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      // The statistics timeline knows each item's lead units.
      const timeline = await api.ds.query(
        `SELECT count(*)::int AS n FROM item_timeline t JOIN item i ON i.id = t.item_id
          WHERE i.batch_id = $1 AND t.valid_to IS NULL
            AND t.lead_unit_ids = (SELECT array_agg(u.unit_id ORDER BY u.unit_id) FROM item_unit u WHERE u.item_id = i.id AND u.role = 'lead')`,
        [batch.id],
      );
      expect(timeline).toEqual([{ n: 8 }]);
      // Written once for the set, the readers and roll-ups are what the row triggers would have left.
      const readers = await api.ds.query(
        `SELECT (SELECT array_agg(r.unit_id::text || ':' || r.via ORDER BY r.unit_id) FROM item_reader r WHERE r.item_id = i.id) AS written,
                (SELECT array_agg(r.unit_id::text || ':' || r.via ORDER BY r.unit_id) FROM item_reader_rows(i) r) AS derived
           FROM item i WHERE i.batch_id = $1`,
        [batch.id],
      );
      expect(readers).toHaveLength(8);
      for (const r of readers) expect(r.written).toEqual(r.derived);
      const rollups = await api.ds.query(
        `SELECT dim, sum(n)::int AS n FROM (SELECT dim, key, n FROM item_stat_cell UNION ALL SELECT dim, key, n FROM item_stat_delta_cells) c
          WHERE (dim = 'batch' AND key = $1) OR (dim = 'lead' AND key = $2) GROUP BY dim ORDER BY dim`,
        [batch.id, eco.id],
      );
      const ecoLeads = items.filter((i: { lead: string[] }) => i.lead.includes(eco.id)).length;
      expect(ecoLeads).toBeGreaterThanOrEqual(2);
      expect(rollups).toEqual([
        { dim: 'batch', n: 8 },
        { dim: 'lead', n: ecoLeads },
      ]);
      // Every roll-up cell (all sums, every dimension) is what a rebuild from the items' stretches gives.
      const check = api.ds.createQueryRunner();
      await check.startTransaction();
      try {
        const cells = (): Promise<unknown[]> =>
          check.query(
            `SELECT dim, key, state, deadline_bucket, sum(n)::int AS n, sum(closed_with_original)::int AS cwo, sum(on_time_original)::int AS oto,
                    sum(closed_with_approved)::int AS cwa, sum(on_time_approved)::int AS ota, sum(close_days_sum)::int AS cds,
                    sum(close_days_n)::int AS cdn, sum(extended_items)::int AS ei, sum(extensions)::int AS ex, sum(rebound_items)::int AS ri,
                    sum(rebounds)::int AS rb
               FROM (SELECT dim, key, state, deadline_bucket, n, closed_with_original, on_time_original, closed_with_approved, on_time_approved,
                            close_days_sum, close_days_n, extended_items, extensions, rebound_items, rebounds FROM item_stat_cell
                     UNION ALL
                     SELECT dim, key, state, deadline_bucket, n, closed_with_original, on_time_original, closed_with_approved, on_time_approved,
                            close_days_sum, close_days_n, extended_items, extensions, rebound_items, rebounds FROM item_stat_delta_cells) c
              GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 OR sum(close_days_n) <> 0 ORDER BY 1, 2, 3, 4`,
          );
        const live = await cells();
        expect(live.length).toBeGreaterThan(0);
        await check.query(`SELECT item_stat_rebuild()`);
        expect(await cells()).toEqual(live);
      } finally {
        await check.rollbackTransaction();
        await check.release();
      }
      const alias = await api.ds.query(`SELECT unit_id FROM org_unit_alias WHERE alias = $1`, [`市住建局${tag}`]);
      expect(alias).toEqual([{ unit_id: housing.id }]);
      const chain = await api.request('GET', `/api/audit/verify?entityType=item`, { token: t.dispatcher });
      if (chain.status === 200) expect(chain.body.firstBreak).toBeNull();
    });

    it('re-imports a changed list: updates by batch and code, shows each change, keeps what the workflow owns', async () => {
      const [item1] = await api.ds.query(`SELECT id, version FROM item WHERE batch_id = $1 AND code = '1'`, [batch.id]);
      const withGoal = await f.items.update(dispatcher, item1.id, { goal: '管网错接混接全部整改', version: item1.version });
      await f.transitions.transition(dispatcher, item1.id, { action: 'assign', version: withGoal.version });
      item1.version = withGoal.version;
      const changed = await workbook([
        ['编号', '问题', '反馈问题原文', '领域', '行政区', '整改目标', '整改措施', '牵头单位', '整改时限'],
        [
          '1',
          '工业园区污水管网问题',
          '工业园区污水管网错接混接。需全面排查',
          '水',
          county.name,
          '管网错接混接全部整改',
          '排查整治并建档',
          `${eco.name}、${water.name}`,
          '2025-09-30',
        ],
      ]);
      const p = await send('dispatcher', `/api/batches/${batch.id}/ledger-import/preview`, changed, 'v2.xlsx');
      expect(p.status).toBe(200);
      expect(p.body.rows).toEqual([
        {
          row: 2,
          code: '1',
          action: 'update',
          itemId: item1.id,
          version: item1.version + 1,
          changes: [
            { field: '问题', from: '工业园区污水管网错接混接', to: '工业园区污水管网问题' },
            { field: '整改措施', from: '排查整治', to: '排查整治并建档' },
          ],
          kept: [{ field: '整改时限', from: '2025-06-30', to: '2025-09-30', reason: 'changed through an extension once assigned' }],
        },
      ]);
      const done = await send('dispatcher', `/api/batches/${batch.id}/ledger-import`, changed, 'v2.xlsx', { previewId: p.body.previewId });
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ created: 0, updated: 1 });
      const [after] = await api.ds.query(
        `SELECT title, measures, state, to_char(current_deadline, 'YYYY-MM-DD') AS deadline, deadline_version FROM item WHERE id = $1`,
        [item1.id],
      );
      expect(after).toEqual({
        title: '工业园区污水管网问题',
        measures: '排查整治并建档',
        state: 'assigned',
        deadline: '2025-06-30',
        deadline_version: 1,
      });
      const [h] = await api.ds.query(
        `SELECT action, data FROM history WHERE entity_type = 'item' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
        [item1.id],
      );
      expect(h.action).toBe('update');
      expect(h.data.changes).toHaveLength(2);
      expect(await itemCount()).toBe(8);
    });

    it('exports the batch and imports the export back with no change', async () => {
      const res = await fetch(`${api.baseUrl}/api/items/export?batchId=${batch.id}&sort=code`, {
        headers: { authorization: `Bearer ${t.dispatcher}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const exported = Buffer.from(await res.arrayBuffer());
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(exported as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      expect(ws.rowCount).toBe(9);
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(0, 4)).toEqual(['编号', '轮次/批次', '来源', '问题']);
      const row1 = (ws.getRow(2).values as unknown[]).slice(1);
      expect(row1[header.indexOf('验收层级')]).toBe('县级自验→市级验收');
      // 县级自验 has no unit of its own and falls to the item's county; 市级验收 is the chain's unit.
      const [cityLevel] = await api.ds.query(
        `SELECT o.name FROM batch b JOIN org_unit o ON o.id = (b.acceptance_chain->1->>'unitId')::uuid WHERE b.id = $1`,
        [batch.id],
      );
      expect(row1[header.indexOf('验收单位')]).toBe(`${county.name}→${cityLevel.name}`);
      const dateCol = header.indexOf('验收日期') + 1;
      expect(ws.getRow(2).getCell(dateCol).value).toBeNull();
      for (const col of [1, dateCol]) expect(ws.getRow(2).getCell(col).alignment).toEqual({ vertical: 'top', wrapText: true });
      const p = await send('dispatcher', `/api/batches/${batch.id}/ledger-import/preview`, exported, 'export.xlsx');
      expect(p.status).toBe(200);
      expect(p.body.errors).toEqual([]);
      expect(p.body.summary).toEqual({ rows: 8, create: 0, update: 0, unchanged: 8, errors: 0, unmatchedUnits: 0 });
      expect(p.body.rows.flatMap((r: { kept: unknown[] }) => r.kept)).toEqual([]);
    });

    it('a confirm that meets a changed ledger writes nothing (all or nothing)', async () => {
      const more = await workbook([
        ['编号', '问题', '牵头单位', '整改时限'],
        ['20', '新增问题一', eco.name, '2026-06-30'],
        ['21', '新增问题二', eco.name, '2026-06-30'],
      ]);
      const p = await send('dispatcher', `/api/batches/${batch.id}/ledger-import/preview`, more, 'more.xlsx');
      expect(p.body.confirmable).toBe(true);
      await f.newItem(dispatcher, batch, { code: '21', leadUnitIds: [eco.id] });
      const done = await send('dispatcher', `/api/batches/${batch.id}/ledger-import`, more, 'more.xlsx', { previewId: p.body.previewId });
      expect(done.status).toBe(409);
      expect(await api.ds.query(`SELECT code FROM item WHERE batch_id = $1 AND code IN ('20', '21')`, [batch.id])).toEqual([
        { code: '21' },
      ]);
    });

    it('lists every row problem with row, column, value and why', async () => {
      const bad = await workbook([
        ['编号', '问题', '领域', '牵头单位', '整改时限', '整改类型'],
        ['30', '问题', '交通', eco.name, '尽快', null],
        ['30', '', '水', '', '2025-02-30', '马上改'],
      ]);
      const p = await send('dispatcher', `/api/batches/${batch.id}/ledger-import/preview`, bad, 'bad.xlsx');
      expect(p.status).toBe(200);
      expect(p.body.confirmable).toBe(false);
      expect(p.body.errors).toEqual(
        expect.arrayContaining([
          { row: 2, column: '领域', value: '交通', message: 'is not one of 大气、水、土壤、固废、生态、噪声、辐射、其他' },
          expect.objectContaining({ row: 2, column: '整改时限', value: '尽快' }),
          { row: 3, column: '编号', value: '30', message: 'also on row 2' },
          { row: 3, column: '问题', value: '', message: 'is empty' },
          { row: 3, column: '牵头单位', value: '', message: 'is empty' },
          expect.objectContaining({ row: 3, column: '整改时限', value: '2025-02-30' }),
          { row: 3, column: '整改类型', value: '马上改', message: 'is not one of 立行立改、限期整改、长期坚持' },
        ]),
      );
    });
  });

  describe('bad files: a clear 4xx naming the problem, nothing written, memory flat', () => {
    const url = (): string => `/api/batches/${batch.id}/ledger-import/preview`;

    it('a renamed binary, a sheet with formulas, a sheet with no header', async () => {
      const pdf = await send('dispatcher', url(), Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj'), 'ledger.xlsx');
      expect([pdf.status, pdf.body.code]).toEqual([422, 'NOT_AN_OFFICE_FILE']);
      const formulas = await workbook([
        ['编号', '问题', '牵头单位', '整改时限'],
        ['1', { formula: 'CONCAT("a","b")', result: 'ab' }, eco.name, '2026-06-30'],
      ]);
      const f1 = await send('dispatcher', url(), formulas, 'f.xlsx');
      expect([f1.status, f1.body.code, f1.body.details.cells]).toEqual([422, 'FORMULAS_NOT_ACCEPTED', ['B2']]);
      const noHeader = await send(
        'dispatcher',
        url(),
        await workbook([
          ['a', 'b'],
          ['c', 'd'],
        ]),
        'h.xlsx',
      );
      expect([noHeader.status, noHeader.body.code]).toEqual([422, 'LEDGER_HEADER_NOT_FOUND']);
      const empty = await send('dispatcher', url(), await workbook([['编号', '问题', '牵头单位'], [], []]), 'e.xlsx');
      expect([empty.status, empty.body.code]).toEqual([422, 'LEDGER_HAS_NO_ROWS']);
    });

    it('a 50 MB sheet is refused by size', async () => {
      const big = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(50 * 1024 * 1024, 0x41)]);
      const res = await send('dispatcher', url(), big, 'big.xlsx');
      expect([res.status, res.body.code]).toEqual([413, 'FILE_TOO_LARGE']);
    });

    it('zip bombs as .xlsx (ledger and project import), .docx and evidence: 413 naming the limit, RSS growth bounded', async () => {
      const zeros = await zerosBomb(400);
      const xml = await sheetXmlBomb(100_000);
      const before = await itemCount();
      const replies: Reply[] = [];
      const growth = await peakRssGrowthMiB(async () => {
        replies.push(await send('dispatcher', url(), zeros, 'bomb.xlsx'));
        replies.push(await send('dispatcher', url(), xml, 'rows.xlsx'));
        replies.push(...(await Promise.all([zeros, xml, zeros].map((b) => send('dispatcher', url(), b, 'three.xlsx')))));
        replies.push(await send('dispatcher', '/api/decompositions', await docxBomb(400), 'plan.docx'));
        replies.push(await send('dispatcher', '/api/projects/import', xml, 'projects.xlsx'));
      });
      expect(replies.map((r) => [r.status, r.body.code])).toEqual([
        [413, 'OFFICE_ENTRY_TOO_LARGE'],
        [413, 'OFFICE_ENTRY_TOO_LARGE'],
        [413, 'OFFICE_ENTRY_TOO_LARGE'],
        [413, 'OFFICE_ENTRY_TOO_LARGE'],
        [413, 'OFFICE_ENTRY_TOO_LARGE'],
        [413, 'OFFICE_ENTRY_TOO_LARGE'],
        [413, 'OFFICE_ENTRY_TOO_LARGE'],
      ]);
      expect(replies[0].body.details).toMatchObject({ entry: 'xl/worksheets/sheet1.xml', limitBytes: 64 * 1024 * 1024 });
      expect(growth).toBeLessThan(150);
      expect(await itemCount()).toBe(before);

      const [item] = await api.ds.query(`SELECT id FROM item WHERE batch_id = $1 AND state = 'assigned' LIMIT 1`, [batch.id]);
      const evidence = await send('dispatcher', `/api/items/${item.id}/evidence`, zeros, '整改报告.xlsx');
      expect([evidence.status, evidence.body.code]).toEqual([413, 'OFFICE_ENTRY_TOO_LARGE']);
      expect((await api.ds.query(`SELECT count(*)::int AS n FROM evidence WHERE item_id = $1`, [item.id]))[0].n).toBe(0);
    });
  });

  describe('policy-document decomposition', () => {
    const sample = readFileSync('test/fixtures/decomposition/plan-sample.txt');
    const expected = JSON.parse(readFileSync('test/fixtures/decomposition/plan-sample.expected.json', 'utf8')) as {
      documentYear: number;
      tasks: Record<string, unknown>[];
    };

    it('answers the sample plan field by field, units as {name, unitId, unitName}', async () => {
      const res = await send('dispatcher', '/api/decompositions', sample, 'plan.txt');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['documentYear', 'tasks']);
      expect(res.body.documentYear).toBe(expected.documentYear);
      const names = (us: { name: string }[]): string[] => us.map((u) => u.name);
      expect(
        res.body.tasks.map((x: Record<string, unknown>) => ({
          no: x.no,
          title: x.title,
          lead: names(x.lead as { name: string }[]),
          cooperating: names(x.cooperating as { name: string }[]),
          leadExplicit: x.leadExplicit,
          implementing: names(x.implementing as { name: string }[]),
          stages: x.stages,
          deadline: x.deadline,
          type: x.type,
        })),
      ).toEqual(expected.tasks);
      expect(res.body.tasks[0].span).toMatchObject({ lineStart: 21, lineEnd: 21 });
      expect(res.body.tasks[0].text).toContain('（市生态环境局牵头，市工信局、市住建局等部门按职责分工负责）');
    });

    it('reads a .docx, matches units of the org tree, and creates the reviewed drafts in one step with their task and span', async () => {
      const paragraphs = [
        `大同市2026年碧水行动方案`,
        `1. 开展排污口整治。2026 年 9 月底前完成整治。（${eco.name}牵头，${water.name}配合）`,
        `2. 推进污泥处置。长期坚持。（${housing.name}负责，市环保局${tag}配合）`,
      ];
      const docx = await buildZip([
        {
          name: '[Content_Types].xml',
          data: Buffer.from(
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
          ),
        },
        {
          name: '_rels/.rels',
          data: Buffer.from(
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
          ),
        },
        {
          name: 'word/document.xml',
          data: Buffer.from(
            `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs
              .map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`)
              .join('')}</w:body></w:document>`,
          ),
        },
      ]);
      const res = await send('dispatcher', '/api/decompositions', docx, 'plan.docx');
      expect(res.status).toBe(200);
      expect(res.body.documentYear).toBe(2026);
      const [first, second] = res.body.tasks;
      expect(first).toMatchObject({
        no: 1,
        title: '开展排污口整治',
        lead: [{ name: eco.name, unitId: eco.id, unitName: eco.name, suggestions: [] }],
        cooperating: [{ name: water.name, unitId: water.id, unitName: water.name }],
        deadline: '2026-09-30',
        type: 'deadline',
      });
      expect(second).toMatchObject({ no: 2, lead: [{ unitId: housing.id }], type: 'ongoing', deadline: null });
      // A name matching no unit (the bureau's name before the 2018 reform) comes with today's bureau first.
      expect(second.cooperating).toEqual([
        { name: `市环保局${tag}`, unitId: null, unitName: null, suggestions: expect.arrayContaining([expect.anything()]) },
      ]);
      expect(second.cooperating[0].suggestions[0]).toMatchObject({ id: eco.id, name: eco.name });

      const target = await f.newBatch(dispatcher, { sourceType: 'self_found' });
      const drafts = res.body.tasks.map(
        (x: {
          no: number;
          title: string;
          type: string;
          deadline: string | null;
          stages: string[];
          span: unknown;
          lead: { unitId: string }[];
          cooperating: { unitId: string | null }[];
        }) => ({
          no: x.no,
          title: x.title,
          type: x.type,
          deadline: x.deadline,
          stages: x.stages,
          span: x.span,
          leadUnitIds: x.lead.map((u) => u.unitId),
          cooperatingUnitIds: x.cooperating.flatMap((u) => (u.unitId ? [u.unitId] : [])),
        }),
      );
      // One bad draft (no lead unit) refuses all of them.
      const refused = await send('dispatcher', `/api/batches/${target.id}/decomposition`, docx, 'plan.docx', {
        drafts: JSON.stringify([drafts[0], { ...drafts[1], leadUnitIds: [] }]),
      });
      expect(refused.status).toBe(400);
      expect(await itemCount(target.id)).toBe(0);
      const created = await send('dispatcher', `/api/batches/${target.id}/decomposition`, docx, 'plan.docx', {
        drafts: JSON.stringify(drafts),
      });
      expect(created.status).toBe(201);
      expect(created.body.itemIds).toHaveLength(2);
      const rows = await api.ds.query(
        `SELECT i.code, i.title, i.type, to_char(i.current_deadline, 'YYYY-MM-DD') AS deadline, i.source_task, d.filename, d.batch_id, d.sha256,
                (SELECT action FROM history h WHERE h.entity_type = 'item' AND h.entity_id = i.id AND h.seq = 1) AS first
           FROM item i JOIN source_document d ON d.id = i.source_document_id WHERE i.batch_id = $1 ORDER BY i.code`,
        [target.id],
      );
      expect(rows).toEqual([
        expect.objectContaining({
          code: '1',
          title: '开展排污口整治',
          type: 'deadline',
          deadline: '2026-09-30',
          filename: 'plan.docx',
          batch_id: target.id,
          first: 'create',
        }),
        expect.objectContaining({ code: '2', type: 'ongoing', deadline: null, first: 'create' }),
      ]);
      expect(rows[0].source_task).toEqual({ no: 1, label: '1', span: first.span });
    });

    it('refuses a document with no numbered tasks, a renamed binary, and non-dispatchers', async () => {
      const prose = await send(
        'dispatcher',
        '/api/decompositions',
        Buffer.from('会议强调，要抓好落实。\n会议指出，要压实责任。'),
        'news.txt',
      );
      expect([prose.status, prose.body.code]).toEqual([422, 'NO_TASKS_FOUND']);
      const binary = await send('dispatcher', '/api/decompositions', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), 'plan.txt');
      expect([binary.status, binary.body.code]).toEqual([422, 'NOT_A_TEXT_DOCUMENT']);
      const officer = await send('officer', '/api/decompositions', sample, 'plan.txt');
      expect(officer.status).toBe(403);
    });
  });
});
