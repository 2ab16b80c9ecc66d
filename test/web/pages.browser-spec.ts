import type { BrowserContext, Page } from 'playwright-core';
import type { UserView } from '#org';
import { Factory } from '../support/factories.js';
import { WAIT_MS, newPage, openPath, screenshot, seriousA11yViolations, signIn } from '../support/web.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';

// Every main page of the built app, signed in as each role, on the real api: it renders its data,
// has no serious or critical accessibility violations, and leaves a screenshot at 1366×768.
// One browser for the file, a fresh context per test; every wait is for what the page shows, bounded
// generously (a shared 2-core machine renders a page in seconds, not milliseconds).
const T = 4 * WAIT_MS;

describe('web: pages by role', () => {
  let w: WebWorld;
  let mine: { id: string; code: string };
  let foreign: { id: string };
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    w = await startWebWorld();
    const f = w.api.factory;
    const d = Factory.actor(w.users.dispatcher, w.units.office);
    const lead = { leadUnitIds: [w.units.county.id], countyUnitId: w.units.county.id };
    const a = await f.newItem(d, w.batch, { ...lead, title: '天镇县城区燃煤散烧治理不到位', deadline: '2020-06-30' });
    await f.transitions.transition(d, a.id, { action: 'assign', version: a.version });
    await f.newItem(d, w.batch, { ...lead, title: '南洋河沿线垃圾清理不彻底' });
    const b = await f.newItem(d, w.batch, {
      leadUnitIds: [w.units.otherCounty.id],
      countyUnitId: w.units.otherCounty.id,
      title: '阳高县污水直排',
    });
    mine = { id: a.id, code: a.code };
    foreign = { id: b.id };
  }, T);
  afterAll(() => w?.stop());

  beforeEach(async () => {
    ({ context, page } = await newPage(w.browser));
  });
  afterEach(() => context?.close());

  const open = (user: UserView, path: string, ready: string) => signIn(page, w.url, user.email, w.password, path, ready);

  const check = async (name: string) => {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page)).toEqual([]);
  };

  it(
    'the sign-in page: small, accessible, and refuses a wrong password in plain words',
    async () => {
      await page.goto(`${w.url}/login`, { waitUntil: 'domcontentloaded' });
      await page.locator('#email').waitFor();
      await check('01-sign-in');
      await page.fill('#email', w.users.officer.email);
      await page.fill('#password', 'wrong-password-1');
      await page.click('button[type=submit]');
      await expect(page.locator('[role=alert]').textContent()).resolves.toBe('邮箱或密码不正确');
    },
    T,
  );

  it(
    'dispatcher: 工作台 counts equal the item list totals of the api for the same user',
    async () => {
      await open(w.users.dispatcher, '/', '[data-testid=tile-open] .ant-statistic-content-value');
      const token = await w.token(w.users.dispatcher);
      const mine = (await w.api.request('GET', '/api/me/dashboard', { token })).body.dispatcher;
      for (const [tile, key] of [
        ['open', 'dispatchedOpen'],
        ['dispatchedOverdue', 'overdue'],
        ['extensions', 'extensionRequests'],
        ['acceptance', 'inAcceptance'],
      ] as const) {
        const shown = await page.locator(`[data-testid=tile-${tile}] .ant-statistic-content-value`).textContent();
        expect(shown).toBe(String(mine[key].count));
      }
      // Hand-counted: one assigned item past its deadline (2020-06-30), none in acceptance.
      expect(await page.locator('[data-testid=tile-dispatchedOverdue] .ant-statistic-content-value').textContent()).toBe('1');
      expect(await page.locator('[data-testid=tile-open] .ant-statistic-content-value').textContent()).toBe('1');
      // A tile opens the item list with the api's query, whose total is the tile's count.
      await page.locator('[data-testid=tile-dispatchedOverdue]').click();
      await page.waitForURL((u) => u.pathname === '/items' && u.search.includes('overdue=true'));
      await page.locator('[data-testid=item-table] .ant-table-row').first().waitFor();
      expect(await page.locator('[data-testid=item-table] .ant-table-row').count()).toBe(1);
      await openPath(page, w.url, '/', '[data-testid=tile-open]');
      await check('02-dashboard-dispatcher');
    },
    T,
  );

  it(
    'dispatcher: the item list filters through the address and shows the ledger columns',
    async () => {
      await open(w.users.dispatcher, '/items?state=draft', '[data-testid=item-table] .ant-table-row');
      expect(await page.locator('[data-testid=item-table] .ant-table-row').count()).toBe(2);
      await page.getByRole('checkbox', { name: '已逾期' }).click();
      await page.waitForURL((u) => u.search.includes('overdue=true'));
      await page.getByText('没有符合条件的事项').waitFor();
      await check('03-items');
    },
    T,
  );

  it(
    'officer: item detail with its actions, history and ledger fields',
    async () => {
      await open(w.users.officer, `/items/${mine.id}`, '[data-action=accept]');
      expect(await page.locator('h1').textContent()).toContain(mine.code);
      expect(await page.locator('[data-testid=history]').textContent()).toContain('交办');
      await check('04-item-detail-officer');
    },
    T,
  );

  it(
    "officer: another unit's item and an unknown id show the same not-found page",
    async () => {
      await open(w.users.officer, `/items/${foreign.id}`, '[data-testid=not-found]');
      const foreignText = await page.locator('main').textContent();
      await openPath(page, w.url, '/items/00000000-0000-4000-8000-000000000000', '[data-testid=not-found]');
      expect(await page.locator('main').textContent()).toBe(foreignText);
      await check('05-not-found');
    },
    T,
  );

  it(
    'auditor: statistics figures equal the api summary',
    async () => {
      await open(w.users.auditor, '/statistics', '[data-testid=stat-total] .ant-statistic-content-value');
      await page.locator('canvas').first().waitFor();
      const token = await w.token(w.users.auditor);
      const summary = await w.api.request('GET', '/api/statistics/summary', { token });
      const total = summary.body.figures.find((x: { key: string }) => x.key === 'total');
      expect(await page.locator('[data-testid=stat-total] .ant-statistic-content-value').textContent()).toBe(total.display);
      await check('06-statistics');
      await openPath(page, w.url, '/', '[data-testid=figure-total]');
      await check('07-dashboard-auditor');
    },
    T,
  );

  it(
    'verifier: the acceptance queue',
    async () => {
      await open(w.users.countyVerifier, '/acceptance', '.ant-tabs');
      await check('08-acceptance');
    },
    T,
  );

  it(
    'projects, and the administration pages for an administrator',
    async () => {
      await open(w.users.admin, '/projects', '.ant-table');
      await check('09-projects');
      for (const [path, name] of [
        ['/admin/units', '10-admin-units'],
        ['/admin/users', '11-admin-users'],
        ['/admin/calendar', '12-admin-calendar'],
        ['/admin/reminders', '13-admin-reminders'],
        ['/admin/outbox', '14-admin-outbox'],
      ]) {
        await openPath(page, w.url, path, 'h1.page-title');
        await check(name);
      }
    },
    T,
  );

  it(
    'the language switch turns the pages into English and is remembered',
    async () => {
      await open(w.users.dispatcher, '/', '[data-testid=tile-open]');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByText('My work').first().waitFor();
      expect(await page.evaluate("localStorage.getItem('rectify.locale')")).toBe('en');
      await screenshot(page, '15-dashboard-english');
    },
    T,
  );

  it(
    'keyboard only: sign in, reach an item, accept it',
    async () => {
      await page.goto(`${w.url}/login`, { waitUntil: 'domcontentloaded' });
      await page.locator('#email:focus').waitFor(); // the e-mail field has the focus
      await page.keyboard.type(w.users.officer.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(w.password);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid=tile-overdue]').waitFor();
      const link = page.locator(`a[href="/items/${mine.id}"]`).first();
      await link.focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-action=accept]').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/items/${mine.id}`);
      // …and take an action: Tab to 签收, Enter, Tab to the form's submit button, Enter.
      const tabTo = async (selector: string) => {
        for (let i = 0; i < 80; i++) {
          if (await page.evaluate(`!!document.activeElement?.matches(${JSON.stringify(selector)})`)) return;
          await page.keyboard.press('Tab');
        }
        throw new Error(`Tab never reached ${selector}`);
      };
      await tabTo('[data-action=accept]');
      await page.keyboard.press('Enter');
      await page.locator('.ant-modal:visible').waitFor();
      await tabTo('#action-submit');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid=item-state][data-state=in_progress]').waitFor();
      const token = await w.token(w.users.officer);
      expect((await w.api.request('GET', `/api/items/${mine.id}`, { token })).body.state).toBe('in_progress');
    },
    T,
  );
});
