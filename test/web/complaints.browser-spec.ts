import ExcelJS from 'exceljs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { Factory } from '../support/factories.js';
import { WAIT_MS, pagePerUser, screenshot, seriousA11yViolations } from '../support/web.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';

// One complaint case's life through the screens (issue 23): transfer, verdict with handling results,
// acceptance and closure, publication, follow-up visit; then the daily report screen and the
// complaint figures on the statistics page, checked against the api and against hand-computed values.
const T = 20 * WAIT_MS;
const PHONE = '13912345678';

describe('web: a complaint case through its life, the daily report and the complaint figures', () => {
  let w: WebWorld;
  const tag = Factory.tag().slice(0, 4);
  const round = `第三轮中央生态环境保护督察-${tag}`;
  const caseNo = `D${tag}-001`;
  const contexts: BrowserContext[] = [];
  let batchId: string;
  let caseId: string;
  let token: string;

  beforeAll(async () => {
    w = await startWebWorld({ suffix: tag });
    token = await w.token(w.users.dispatcher);
  }, T);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await w?.stop();
  });

  const as = pagePerUser(() => w, contexts);
  const get = (url: string, who = token) => w.api.request('GET', url, { token: who });

  /** Opens an antd Select inside `scope`, types and picks the option whose label is (or contains) the text. */
  /** Picks an option of a select and waits until the select shows it (once more if the first click was lost under load). */
  const pick = async (page: Page, scope: Locator, id: string, text: string, exact = false) => {
    const match = `[title${exact ? '' : '*'}="${text}"]`;
    const shown = scope
      .locator(`.ant-select:has(#${id})`)
      .locator(`.ant-select-selection-item${match}, .ant-select-content${match}`)
      .first();
    await scope.locator(`#${id}`).click();
    await page.keyboard.type(text);
    for (let attempt = 1; ; attempt++) {
      await page.locator(`.ant-select-dropdown:visible .ant-select-item-option${match}`).first().click();
      try {
        await shown.waitFor({ timeout: 5_000 });
        return;
      } catch (e) {
        if (attempt === 2) throw e;
        if (!(await page.locator('.ant-select-dropdown:visible').count())) await scope.locator(`#${id}`).click();
      }
    }
  };

  /** Takes an action through its button and modal; resolves when the modal closed, fails with the page's error message. */
  const act = async (page: Page, action: string, fill: (modal: Locator) => Promise<void> = async () => {}) => {
    await page.locator(`[data-action=${action}]:not([disabled])`).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.waitFor();
    await fill(modal);
    await modal.locator('.ant-btn-primary').click();
    const error = page.locator('.ant-message-error');
    await Promise.race([
      modal.waitFor({ state: 'detached' }),
      error.waitFor().then(async () => Promise.reject(new Error(`${action}: ${await error.textContent()}`))),
    ]);
  };
  const stateIs = (page: Page, state: string) => page.locator(`[data-testid=complaint-state][data-state=${state}]`).waitFor();

  it(
    'dispatcher receives a batch and a case, transfers it; the unit reports its verdict and handling; the dispatcher closes, publishes and visits; the officer never sees the contact',
    async () => {
      const { dispatcher, officer } = w.users;
      const county = w.units.county;
      // Dispatcher: receives the team's batch and its case on the list page, the complainant's contact with it.
      let page = await as(dispatcher, '/complaints', '[data-testid=new-batch]');
      await page.locator('[data-testid=new-batch]').click();
      let modal = page.locator('.ant-modal:visible');
      await modal.locator('#round').fill(round);
      await modal.locator('#issuer').fill('中央第三生态环境保护督察组');
      await modal.locator('.ant-btn-primary').click();
      await page.locator('.ant-message-success').waitFor();
      await modal.waitFor({ state: 'detached' });
      const batches = await get('/api/complaint-batches');
      const batch = batches.body.find((b: { round: string }) => b.round === round);
      expect(batch).toMatchObject({ batchNo: 1, deadlineDays: 10, deadlineKind: 'calendar', issuer: '中央第三生态环境保护督察组' });
      batchId = batch.id;

      await page.locator('[data-testid=new-case]').click();
      modal = page.locator('.ant-modal:visible');
      await pick(page, modal, 'batchId', round);
      await modal.locator('#caseNo').fill(caseNo);
      await modal.locator('#teamNo').fill(`X${tag}000001`);
      await modal.locator('#content').fill(`${county.name}南河村养殖场粪污直排村边河道，臭味严重`);
      await pick(page, modal, 'countyUnitId', county.name);
      await modal.locator('#address').fill('南河村东侧');
      await pick(page, modal, 'pollutionTypes', '水', true);
      await modal.locator('#contact_name').click();
      await modal.locator('#contact_name').fill('王先生');
      await modal.locator('#contact_phone').fill(PHONE);
      await modal.locator('.ant-btn-primary').click();
      await stateIs(page, 'received');
      caseId = new URL(page.url()).pathname.split('/').pop()!;
      const created = await get(`/api/complaints/${caseId}`);
      expect(created.body).toMatchObject({
        caseNo,
        countyName: county.name,
        address: '南河村东侧',
        contact: { name: '王先生', phone: PHONE },
      });

      // Dispatcher: finds the case in the list, sees the complainant, transfers it to the county.
      page = await as(dispatcher, '/complaints', '.ant-table-row');
      await page.getByRole('link', { name: caseNo }).click();
      await stateIs(page, 'received');
      await page.getByText(PHONE).waitFor();
      await act(page, 'transfer', (m) => pick(page, m, 'leadUnitId', county.name));
      await stateIs(page, 'transferred');
      const transferred = await get(`/api/complaints/${caseId}`);
      expect(transferred.body).toMatchObject({ state: 'transferred', leadUnitName: county.name });

      // Unit officer: the case without the complainant's contact; reports the verdict and handling.
      page = await as(officer, `/complaints/${caseId}`, '[data-action=report_verdict]:not([disabled])');
      expect(await page.locator('.page').textContent()).not.toContain(PHONE);
      expect(await page.locator('.page').textContent()).not.toContain('王先生');
      const officerView = await get(`/api/complaints/${caseId}`, await w.token(officer));
      expect(JSON.stringify(officerView.body)).not.toContain(PHONE);
      await act(page, 'report_verdict', async (m) => {
        await pick(page, m, 'verdict', '属实', true);
        await m.locator('#findings').fill('现场核查，养殖场粪污经雨水沟直排河道。');
        await m.locator('#handlingSummary').fill('责令养殖场立即停止排污，清理河道粪污');
        await m.locator('#handling_ordersIssued').fill('1');
        await m.locator('#handling_finesWan').fill('2.5');
        await m.locator('#handling_summoned').fill('1');
        await m.locator('#handling_accountable').fill('2');
      });
      await stateIs(page, 'investigated');

      // Dispatcher: accepts (办结), publishes, visits the complainant.
      page = await as(dispatcher, `/complaints/${caseId}`, '[data-action=close]:not([disabled])');
      await act(page, 'close');
      await stateIs(page, 'closed');
      await act(page, 'publish');
      await page.locator('[data-action=follow_up]:not([disabled])').waitFor();
      await act(page, 'follow_up', (m) => pick(page, m, 'satisfaction', '满意', true));
      await page.locator('[data-action=archive]:not([disabled])').waitFor();
      await screenshot(page, '40-complaint-closed');
      const timeline = (await page.locator('.ant-timeline').textContent()) ?? '';
      for (const step of ['受理', '转办', '报送调查核实结果', '办结', '公开', '回访']) expect(timeline).toContain(step);
      for (const user of [dispatcher, officer]) expect(timeline).toContain(user.name);
      const done = await get(`/api/complaints/${caseId}`);
      expect(done.body).toMatchObject({ state: 'closed', verdict: 'substantiated' });
      const history = JSON.stringify(done.body.history.map((h: { action: string }) => h.action));
      for (const step of ['transfer', 'report_verdict', 'close', 'publish', 'follow_up']) expect(history).toContain(step);
    },
    T,
  );

  it(
    'the daily report screen shows the case’s line as the api writes it, downloads the .xlsx and copies the text',
    async () => {
      const page = await as(w.users.dispatcher, '/complaints/daily-report', '#daily-batch');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: w.url });
      await page.getByRole('link', { name: '每日办理情况' }).waitFor();
      await pick(page, page.locator('.page'), 'daily-batch', round);
      const lines = page.locator('[data-testid=daily-lines] .ant-table-row');
      await lines.first().waitFor();
      const api = await get(`/api/complaint-batches/${batchId}/daily-report`);
      expect(api.body.lines).toHaveLength(1);
      const line: string = api.body.lines[0].line;
      // Hand-written: team number (county): verdict, handling with its figures, closed.
      expect(line).toBe(
        `X${tag}000001（${w.units.county.name}）：经核查，反映情况属实。` +
          '责令养殖场立即停止排污，清理河道粪污；责令整改1家，罚款2.5万元，约谈1人，问责2人。已办结。',
      );
      expect(await lines.count()).toBe(1);
      expect(await lines.first().textContent()).toContain(line);
      expect(await page.locator('#daily-text').inputValue()).toBe(api.body.text);

      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=daily-xlsx]').click()]);
      expect(download.suggestedFilename()).toMatch(/^每日办理情况-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.concat(await readAll(await download.createReadStream())) as never);
      const ws = wb.worksheets[0];
      expect(ws.getRow(4).getCell(3).value).toBe(caseNo);
      expect(ws.getRow(4).getCell(7).value).toBe(line);

      await page.locator('[data-testid=daily-copy]').click();
      await page.locator('.ant-message-success').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(api.body.text);
      await screenshot(page, '41-daily-report');
      expect(await seriousA11yViolations(page)).toEqual([]);
    },
    T,
  );

  it(
    'the statistics page’s complaint figures equal the api’s and the hand-computed values, each with its formula',
    async () => {
      const page = await as(w.users.dispatcher, '/statistics?tab=complaints', '[data-testid=complaint-received]');
      const api = await get('/api/complaints/statistics/summary');
      const figures: { key: string; value: number | null; formula: string }[] = api.body.figures;
      expect(figures.length).toBeGreaterThan(15);
      for (const f of figures) {
        const tile = page.locator(`[data-testid=complaint-${f.key}]`);
        expect({ key: f.key, value: await tile.getAttribute('data-value') }).toEqual({ key: f.key, value: String(f.value ?? '') });
        expect(await tile.getAttribute('aria-description')).toBe(f.formula);
      }
      // One case, transferred, closed on its first day (10-day rule), visited, substantiated, 2.5 万元 fined.
      const value = (key: string) => page.locator(`[data-testid=complaint-${key}]`).getAttribute('data-value');
      const expected: Record<string, string> = {
        received: '1',
        valid: '1',
        transferred: '1',
        closed: '1',
        phaseClosed: '0',
        open: '0',
        closureRate: '1',
        closureRateWithPhase: '1',
        feedbackRate: '1',
        substantiatedShare: '1',
        onTimeRateOriginal: '1',
        finesWan: '2.5',
        ordersIssued: '1',
        summoned: '1',
        accountable: '2',
      };
      for (const [key, v] of Object.entries(expected)) expect({ key, value: await value(key) }).toEqual({ key, value: v });
      expect(await page.locator('[data-testid=complaint-closureRateWithPhase]').textContent()).toContain('100.0%');
      expect(await page.locator('[data-testid=complaint-finesWan]').textContent()).toContain('2.5 万元');
      // The breakdown by batch: the one batch, its closure rate.
      const row = page.locator('[data-testid=complaint-breakdown] .ant-table-row', { hasText: round });
      await row.waitFor();
      expect(await row.textContent()).toContain('100.0%');
      await page.locator('[data-testid=complaint-figures] canvas').first().waitFor();
      await screenshot(page, '42-complaint-figures');
      expect(await seriousA11yViolations(page)).toEqual([]);
    },
    T,
  );
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return chunks;
}
