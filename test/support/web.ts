import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const WEB_DIR = path.resolve('dist/web');
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Bounded waits sized for a busy 2-core CI machine: a page may take seconds, never minutes. */
export const WAIT_MS = 45_000;

/** The page tests need the built app (the api serves dist/web as in production). */
export function assertWebBuilt(): void {
  if (!existsSync(path.join(WEB_DIR, 'index.html'))) {
    throw new Error(`${WEB_DIR}/index.html is missing: the browser tests need the built web app — run \`npm run build\` first`);
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk)`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser context (its own cookies) and page, at desk size unless told otherwise. */
export async function newPage(browser: Browser, viewport = { width: 1366, height: 768 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  const page = await context.newPage();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Resolves once no CSS transition, animation or loading spinner is running in the page (polled from here:
 * the page's CSP forbids the string evaluation that waitForFunction would poll with).
 */
async function settled(page: Page): Promise<void> {
  const quiet = "document.getAnimations().every((a) => a.playState !== 'running') && !document.querySelector('.ant-spin-spinning')";
  for (let waited = 0; waited < WAIT_MS && !(await page.evaluate<boolean>(quiet)); waited += 100) await page.waitForTimeout(100);
}

async function axeRun(page: Page): Promise<AxeViolation[]> {
  // A string, so the page's globals (axe, document) need no DOM types here.
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * axe-core run in the settled page; returns the serious and critical violations. A finding is confirmed
 * by a second run a moment later, so a repaint caught half-way does not fail the test: a real defect is
 * there both times.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  await settled(page);
  if ((await axeRun(page)).length === 0) return [];
  await page.waitForTimeout(1000);
  await settled(page);
  return axeRun(page);
}

/**
 * Signs in through the sign-in form and waits until `ready` (a selector of what the target page
 * shows) is visible: never on network idle, which polling pages do not reach.
 */
export async function signIn(page: Page, baseUrl: string, email: string, password: string, next: string, ready: string): Promise<void> {
  await page.goto(`${baseUrl}/login${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, { waitUntil: 'domcontentloaded' });
  const form = page.locator('form.sign-in-card');
  await form.locator('#email').fill(email);
  await form.locator('#password').fill(password);
  await form.locator('button[type=submit]').click();
  await page.locator(ready).first().waitFor({ state: 'visible' });
}

/** Opens a path of the app in an already signed-in page (a reload: the session comes back through the refresh cookie). */
export async function openPath(page: Page, baseUrl: string, pathname: string, ready: string): Promise<void> {
  await page.goto(`${baseUrl}${pathname}`, { waitUntil: 'domcontentloaded' });
  await page.locator(ready).first().waitFor({ state: 'visible' });
}

/**
 * Each user's own browser context, signed in on the first visit; later visits reload the path (the refresh
 * cookie keeps the session). `world` is read at call time, as tests start theirs in beforeAll.
 */
export function pagePerUser(
  world: () => { browser: Browser; url: string; password: string },
  contexts: BrowserContext[],
): (user: { email: string }, path: string, ready: string) => Promise<Page> {
  const pages = new Map<string, Page>();
  return async (user, pathname, ready) => {
    const w = world();
    const known = pages.get(user.email);
    if (known) {
      await openPath(known, w.url, pathname, ready);
      return known;
    }
    const { context, page } = await newPage(w.browser);
    contexts.push(context);
    await signIn(page, w.url, user.email, w.password, pathname, ready);
    pages.set(user.email, page);
    return page;
  };
}

/**
 * Picks an option of an antd Select (`combobox`: its input) by typing part of the option's label.
 * The option is looked for in this select's own dropdown (the listbox its input controls while
 * open): another select's dropdown, still closing, may list the same name. An option already
 * selected is not clicked again (in a multiple select that would take it out); either way the
 * select must end up showing it.
 */
export async function pickOption(page: Page, combobox: Locator, text: string): Promise<void> {
  await combobox.click();
  const open = combobox.and(page.locator('[aria-expanded=true][aria-controls]'));
  await open.waitFor();
  await combobox.fill(text);
  const listId = await open.getAttribute('aria-controls');
  const dropdown = page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) });
  const option = dropdown.locator(`.ant-select-item-option[title*="${text}"]`).first();
  await option.waitFor({ state: 'visible' });
  if (!((await option.getAttribute('class')) ?? '').includes('ant-select-item-option-selected')) await option.click();
  const select = combobox.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  // A multiple select shows a tag per value, a single one the value's title on its content.
  await select.locator(`.ant-select-selection-item[title*="${text}"], .ant-select-content[title*="${text}"]`).first().waitFor();
}
