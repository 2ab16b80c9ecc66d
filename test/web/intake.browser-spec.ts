import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { Factory } from '../support/factories.js';
import { WAIT_MS, newPage, openPath, pickOption, screenshot, signIn } from '../support/web.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';

// The intake screens (issue 24) driven by the dispatcher: a ledger import with an unmatched unit
// mapped in the preview, and a plan decomposed, edited and created; outcomes read from the database.
const T = 20 * WAIT_MS;

describe('web: ledger import and plan decomposition through the screens', () => {
  let w: WebWorld;
  let context: BrowserContext;
  let page: Page;
  const tag = Factory.tag().slice(0, 4);

  beforeAll(async () => {
    w = await startWebWorld({ suffix: tag });
    ({ context, page } = await newPage(w.browser));
    await signIn(page, w.url, w.users.dispatcher.email, w.password, '/items', '[data-testid=item-table]');
  }, T);
  afterAll(async () => {
    await context?.close();
    await w?.stop();
  });

  const items = async (): Promise<{ code: string; title: string; lead: string[] }[]> =>
    w.api.ds.query(
      `SELECT i.code, i.title, array(SELECT u.unit_id::text FROM item_unit u WHERE u.item_id = i.id AND u.role = 'lead' ORDER BY 1) AS lead
         FROM item i WHERE i.batch_id = $1 ORDER BY i.code`,
      [w.batch.id],
    );

  const pick = (select: ReturnType<Page['locator']>, text: string) => pickOption(page, select, text);

  it(
    'imports an .xlsx: the preview shows the rows and the unmatched name, the name is mapped, confirm creates the items the list shows',
    async () => {
      const { bureau, county } = w.units;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('整改台账');
      ws.addRow(['编号', '问题', '反馈问题原文', '领域', '责任单位', '完成时限']);
      ws.addRow([`DR-${tag}-1`, '城区道路扬尘污染', '督察发现城区主干道扬尘污染突出。', '大气', county.name, '2030-06-30']);
      ws.addRow([`DR-${tag}-2`, '工业园区污水直排', '园区企业污水未经处理直排河道。', '水', `市环保局${tag}`, '2030年9月底']);
      const file = Buffer.from(await wb.xlsx.writeBuffer());

      await page.getByRole('link', { name: '台账导入' }).click();
      await page.locator('[data-testid=ledger-import]').waitFor();
      await pick(page.locator('#import-batch'), w.batch.code);
      await page.locator('[data-testid=ledger-import] input[type=file]').setInputFiles({
        name: '整改台账.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: file,
      });
      await page.locator('#import-preview').click();
      const summary = page.locator('[data-testid=import-summary]');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('共 2 行：新增 2，更新 0，不变 0，错误 0，未匹配单位 1');
      expect(await page.locator('[data-testid=import-unmatched]').textContent()).toContain(`市环保局${tag}`);
      expect(await page.locator('#import-confirm').isDisabled()).toBe(true);
      await screenshot(page, '40-ledger-import-preview');

      // The closest units are offered beside the name; taking one maps it (the select shows it).
      const unmatched = page.locator('[data-testid=import-unmatched]');
      await unmatched.locator(`button[data-suggestion="${bureau.name}"]`).click();
      await unmatched
        .locator(`.ant-select-selection-item[title*="${bureau.name}"], .ant-select-content[title*="${bureau.name}"]`)
        .first()
        .waitFor();
      await page.getByText('保存为单位别名').click();
      await page.locator('#import-repreview').click();
      await page.locator('[data-testid=import-summary]', { hasText: '未匹配单位 0' }).waitFor();
      expect(await items()).toEqual([]); // the preview wrote nothing
      await page.locator('#import-confirm:not([disabled])').click();
      const result = page.locator('[data-testid=ledger-import-result]');
      await result.waitFor();
      expect(await result.textContent()).toContain('导入完成：新增 2，更新 0，不变 0');
      expect(await result.textContent()).toContain(`已保存别名：市环保局${tag}`);

      expect(await items()).toEqual([
        { code: `DR-${tag}-1`, title: '城区道路扬尘污染', lead: [county.id] },
        { code: `DR-${tag}-2`, title: '工业园区污水直排', lead: [bureau.id] },
      ]);
      await page.getByRole('button', { name: '查看台账' }).click();
      const table = page.locator('[data-testid=item-table]');
      await table.getByText(`DR-${tag}-2`).waitFor();
      expect(await table.textContent()).toContain(`DR-${tag}-1`);
    },
    T,
  );

  it(
    'decomposes a plan: the drafts show, a title is edited, the batch is chosen, the items are created and listed',
    async () => {
      const { bureau, county, otherCounty } = w.units;
      const plan = [
        '大同市2030年大气污染防治攻坚行动方案',
        '一、重点任务',
        `1.强化施工扬尘管控。建筑工地严格落实“六个百分之百”要求，2030年6月底前完成整治。（${bureau.name}牵头，${county.name}配合）`,
        // A department by its name before the 2018 reform (not the alias the import above saved):
        // unmatched, with today's bureau suggested.
        `2.淘汰燃煤锅炉。2030年9月底前淘汰10蒸吨以下燃煤锅炉。（${otherCounty.name}牵头，市环境保护局${tag}配合）`,
        '',
      ].join('\n');
      await openPath(page, w.url, '/items', '[data-testid=item-table]');
      await page.getByRole('link', { name: '任务分解' }).click();
      await page.locator('[data-testid=decomposition]').waitFor();
      await page.locator('[data-testid=decomposition] input[type=file]').setInputFiles({
        name: '攻坚行动方案.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(plan, 'utf8'),
      });
      await page.locator('[data-testid=draft-count]', { hasText: '分解出 2 项任务（2030 年）' }).waitFor();
      const first = page.locator('[data-draft-title="1"]');
      expect(await first.inputValue()).toContain('强化施工扬尘管控');
      await first.fill('城区施工扬尘专项整治');
      const unmatched = page.locator(`[data-unmatched="市环境保护局${tag}"]`);
      expect(await unmatched.textContent()).toContain(`未匹配的配合单位：市环境保护局${tag}`);
      await screenshot(page, '41-decomposition-unmatched');
      await unmatched.locator(`button[data-suggestion="${bureau.name}"]`).click();
      await unmatched.waitFor({ state: 'detached' });
      await pick(page.locator('#decomposition-batch'), w.batch.code);
      await screenshot(page, '41-decomposition-drafts');
      await page.locator('#decomposition-create:not([disabled])').click();
      const result = page.locator('[data-testid=decomposition-result]');
      await result.waitFor();
      expect(await result.textContent()).toContain('已创建 2 个整改事项');

      const created = (await items()).filter((i) => !i.code.startsWith('DR-'));
      expect(created.map((i) => [i.title, i.lead])).toEqual(
        expect.arrayContaining([
          ['城区施工扬尘专项整治', [bureau.id]],
          [expect.stringContaining('淘汰燃煤锅炉'), [otherCounty.id]],
        ]),
      );
      expect(created).toHaveLength(2);
      const [cooperating] = await w.api.ds.query<{ units: string[] }[]>(
        `SELECT array(SELECT u.unit_id::text FROM item_unit u WHERE u.item_id = i.id AND u.role = 'cooperating') AS units
           FROM item i WHERE i.batch_id = $1 AND i.title LIKE '%淘汰燃煤锅炉%'`,
        [w.batch.id],
      );
      expect(cooperating.units).toEqual([bureau.id]); // the suggestion taken, in the role the document gave the name
      await page.getByRole('button', { name: '查看台账' }).click();
      await page.locator('[data-testid=item-table]').getByText('城区施工扬尘专项整治').waitFor();
    },
    T,
  );
});
