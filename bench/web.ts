// npm run bench:web — builds, then reports what the web app costs a slow office PC:
// gzip bytes of JavaScript and CSS the sign-in page loads and the heaviest route needs (from Vite's
// manifest: entry + layout + the route's chunk and its imports), and the sign-in page's largest
// contentful paint with Chromium's CPU throttled 4×, cold and warm cache.
// Targets (issue 19): sign-in ≤ 250 KB gzip of JavaScript.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const WEB = path.resolve('dist/web');
const manifest = JSON.parse(readFileSync(path.join(WEB, '.vite/manifest.json'), 'utf8')) as Record<
  string,
  { file: string; imports?: string[]; css?: string[]; isEntry?: boolean; isDynamicEntry?: boolean; src?: string }
>;
const gz = (file: string) => gzipSync(readFileSync(path.join(WEB, file))).length;

function closure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const i of manifest[key]?.imports ?? []) closure(i, seen);
  return seen;
}
function bytes(keys: Set<string>): { js: number; css: number } {
  let js = 0;
  let css = 0;
  for (const k of keys) {
    js += gz(manifest[k].file);
    for (const c of manifest[k].css ?? []) css += gz(c);
  }
  return { js, css };
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
const layout = Object.keys(manifest).find((k) => k.includes('layout/AppLayout'))!;
const signIn = bytes(closure(entry));
let heaviest = { route: '', js: 0, css: 0 };
for (const k of Object.keys(manifest).filter((x) => manifest[x].isDynamicEntry && x.includes('/pages/'))) {
  const keys = closure(entry);
  closure(layout, keys);
  closure(k, keys);
  const b = bytes(keys);
  if (b.js > heaviest.js) heaviest = { route: path.basename(k), ...b };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`sign-in page: JS ${kb(signIn.js)} gzip, CSS ${kb(signIn.css)} gzip (target ≤ 250 KB JS)`);
console.log(`heaviest route (${heaviest.route}, with layout): JS ${kb(heaviest.js)} gzip, CSS ${kb(heaviest.css)} gzip`);

const index = readFileSync(path.join(WEB, 'index.html'));
const server = http.createServer((req, res) => {
  const file = path.join(WEB, new URL(req.url ?? '/', 'http://x').pathname);
  if (req.url?.startsWith('/assets/') && existsSync(file)) {
    res.writeHead(200, {
      'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    res.end(readFileSync(file));
  } else if (req.url?.startsWith('/api/')) res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"AUTH_REQUIRED"}');
  else res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-cache' }).end(index);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/login`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
const lcp = async (): Promise<number> => {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate<number>(
    `new Promise((resolve) => new PerformanceObserver((l) => { const e = l.getEntries(); resolve(e[e.length - 1].startTime); }).observe({ type: 'largest-contentful-paint', buffered: true }))`,
  );
};
await cdp.send('Network.enable');
await cdp.send('Network.clearBrowserCache');
const cold = await lcp();
const warm = await lcp();
console.log(`sign-in page LCP at 4× CPU throttling: cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms`);
await browser.close();
server.close();
