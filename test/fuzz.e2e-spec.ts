import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Factory } from './support/factories.js';
import { hostileRequests, schemaRequests, type FuzzContext, type FuzzRequest } from './support/fuzz-requests.js';
import { operationsOf, type OpenApiDocument, type Operation } from './support/openapi.js';
import { TestApi } from './support/api.js';
import { separateDatabaseUrl } from './support/database.js';

/** Random requests per operation and sign-in state, on top of the fixed hostile classes. */
const SAMPLES = Number(process.env.FUZZ_SAMPLES ?? 6);
/** The random part stops here (the fixed classes always run for every operation). */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 90_000);
/** No single answer may take longer (a hang, or work that grows with hostile input). */
const SLOW_MS = 10_000;
/** The process's RSS after the run, over its RSS before, at most. */
const RSS_GROWTH_MB = 256;

interface Finding {
  operation: string;
  who: string;
  note: string;
  url: string;
  status: number | string;
  ms: number;
}

/**
 * Every operation of the OpenAPI document, fed requests derived from its schema (fast-check) and the
 * hostile classes of issue 21, as an administrator and without a token: never a 5xx, never slow,
 * and the process's memory back within a bound after.
 */
describe('fuzzing every operation of the OpenAPI document (e2e)', () => {
  let api: TestApi;
  let ops: Operation[];
  let ctx: FuzzContext;
  let adminEmail: string;
  let token: string;
  let addresses = 0;

  beforeAll(async () => {
    // A database of its own: the fuzzing changes shared settings (calendar days, reminder policies, templates).
    api = await TestApi.start({ env: { DATABASE_URL: separateDatabaseUrl('fuzz') } });
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city' });
    const admin = await f.newUser(city, ['admin']);
    adminEmail = admin.email;
    token = (await api.login(adminEmail)).accessToken;
    // Real ids of things an admin may touch (never the admin's own account), so some requests reach data.
    const dept = await f.newUnit({ parent: city });
    const victim = await f.newUser(dept, ['unit_officer']);
    const dispatcher = await f.newUser(city, ['dispatcher']);
    const batch = await f.newBatch(Factory.actor(dispatcher, city));
    const item = await f.newItem(Factory.actor(dispatcher, city), batch, { leadUnitIds: [dept.id] });
    const doc = (await api.request('GET', '/api/docs-json')).body as OpenApiDocument;
    // FUZZ_ONLY=<part of a path>: only those operations (while hunting one finding).
    ops = operationsOf(doc).filter((o) => !process.env.FUZZ_ONLY || o.path.includes(process.env.FUZZ_ONLY));
    ctx = { doc, ids: [dept.id, victim.id, batch.id, item.id, randomUUID()] };
  }, 120_000);
  afterAll(async () => {
    await api.stop();
  });

  async function send(op: Operation, req: FuzzRequest, who: 'admin' | 'anonymous', findings: Finding[]): Promise<void> {
    const headers: Record<string, string> = { ...req.headers, 'x-forwarded-for': `10.21.${(addresses >> 8) & 255}.${addresses++ & 255}` };
    if (who === 'admin') headers.authorization = `Bearer ${token}`;
    const started = performance.now();
    let status: number | string;
    try {
      const res = await fetch(`${api.baseUrl}${req.url}`, {
        method: req.method,
        headers,
        body: req.body,
        signal: AbortSignal.timeout(SLOW_MS * 3),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (e) {
      status = `no answer: ${(e as Error).message}`;
    }
    const ms = performance.now() - started;
    if (typeof status !== 'number' || status >= 500 || ms > SLOW_MS) {
      findings.push({ operation: op.name, who, note: req.note, url: req.url.slice(0, 200), status, ms: Math.round(ms) });
    }
    // A request may end the admin's session (sign-out, a role change): sign in again and go on.
    if (who === 'admin' && status === 401) token = (await api.login(adminEmail, undefined, '10.99.0.1')).accessToken;
  }

  it('covers every operation the document lists', () => {
    if (process.env.FUZZ_ONLY) return;
    expect(ops.length).toBeGreaterThan(80);
    expect(ops.filter((o) => o.body?.kind === 'multipart').length).toBeGreaterThanOrEqual(4);
  });

  it('answers no request with a 5xx or slowly, and the process memory comes back', async () => {
    const findings: Finding[] = [];
    const rssBefore = process.memoryUsage().rss;
    let sent = 0;
    for (const op of ops) {
      for (const req of hostileRequests(ctx, op)) {
        await send(op, req, 'admin', findings);
        sent++;
      }
      for (const req of hostileRequests(ctx, op).slice(0, 2)) {
        await send(op, req, 'anonymous', findings);
        sent++;
      }
    }
    const deadline = Date.now() + BUDGET_MS;
    for (let round = 0; round < SAMPLES && Date.now() < deadline; round++) {
      for (const [i, op] of ops.entries()) {
        const [admin, anonymous] = fc.sample(schemaRequests(ctx, op), { numRuns: 2, seed: 2100 + round * 1000 + i });
        await send(op, admin, 'admin', findings);
        if (round === 0) await send(op, anonymous, 'anonymous', findings);
        sent += round === 0 ? 2 : 1;
      }
    }
    global.gc?.();
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    expect(findings).toEqual([]);
    expect(sent).toBeGreaterThan(ops.length * 5);
    expect(growthMb).toBeLessThan(RSS_GROWTH_MB);
    // Still serving after all that.
    expect((await api.request('GET', '/health')).status).toBe(200);
  }, 300_000);
});
