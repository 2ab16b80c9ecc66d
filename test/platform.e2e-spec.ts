import { TestApi } from './support/api.js';

/** Reads Fastify's route tree ("├── /api/users (GET, HEAD, POST)", children indented) into "METHOD /path" lines. */
function servedRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = line.match(/^(.*?)[├└]── (\S+) \(([A-Z, ]+)\)$/);
    if (!m) continue;
    const depth = m[1].length / 4;
    const path = (depth > 0 ? stack[depth - 1] : '') + m[2];
    stack[depth] = path;
    routes.push(...m[3].split(', ').map((method) => `${method} ${path}`));
  }
  return routes;
}

describe('health and API documentation (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('/health reports the database and Redis', async () => {
    const res = await api.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { database: expect.objectContaining({ status: 'up' }), redis: expect.objectContaining({ status: 'up' }) },
      eventLoop: { meanMs: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) },
    });
  });

  it('/api/docs serves the UI and /api/docs-json describes every route the app serves', async () => {
    const ui = await api.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.raw).toContain('SwaggerUIBundle');
    const asset = await api.request('GET', '/api/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect(asset.raw.length).toBeGreaterThan(100_000);
    expect((await api.request('GET', '/api/docs/assets/..%2Fpackage.json')).status).toBe(404);
    const doc = await api.request('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const routes = servedRoutes(api.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }));
    // The web app's pages (index.html and its assets) are not API operations.
    const webPages = ['GET /', 'GET /assets/*', 'GET /*'];
    const expected = routes.filter((r) => !r.startsWith('HEAD ') && !r.includes(' /api/docs') && !webPages.includes(r));
    expect(expected.length).toBeGreaterThan(10);
    for (const route of expected) expect(documented).toContain(route);
    expect(doc.body.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });
});

describe('health when Redis is unreachable (e2e)', () => {
  it('answers 503 and names the failing dependency', async () => {
    const api = await TestApi.start({ env: { REDIS_URL: 'redis://127.0.0.1:1/0' } });
    try {
      const res = await api.request('GET', '/health');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('degraded');
      expect(res.body.checks.database.status).toBe('up');
      expect(res.body.checks.redis.status).toBe('down');
    } finally {
      await api.stop();
    }
  });
});
