import { TestApi } from './support/api.js';

interface Operation {
  summary?: string;
  operationId?: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const ERROR_SCHEMA = '#/components/schemas/ErrorBodyDto';

/** The OpenAPI document the web's typed client is generated from: every operation fully described. */
describe('OpenAPI document (e2e)', () => {
  let api: TestApi;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    api = await TestApi.start();
    const res = await api.request('GET', '/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => {
    await api.stop();
  });

  const operations = (): [string, Operation][] =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
    );

  it('has many operations, each with a summary and a unique operationId', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(80);
    expect(ops.filter(([, op]) => !op.summary?.trim()).map(([name]) => name)).toEqual([]);
    expect(ops.filter(([, op]) => !op.operationId).map(([name]) => name)).toEqual([]);
    const ids = ops.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every operation a success answer with its schema (or 204 without a body)', () => {
    const missing = operations().filter(([, op]) => {
      const success = Object.entries(op.responses).filter(([code]) => code.startsWith('2'));
      if (success.length === 0) return true;
      return !success.every(([code, r]) => code === '204' || Object.values(r.content ?? {}).some((c) => c.schema !== undefined));
    });
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('gives every operation its 4xx answers in the {code, message, details} shape', () => {
    expect(doc.components.schemas.ErrorBodyDto).toMatchObject({ required: ['code', 'message', 'details'] });
    const missing = operations().filter(([, op]) => {
      const errors = Object.entries(op.responses).filter(([code]) => code.startsWith('4'));
      return errors.length === 0 || !errors.every(([, r]) => JSON.stringify(r.content ?? {}).includes(ERROR_SCHEMA));
    });
    expect(missing.map(([name]) => name)).toEqual([]);
    const items = doc.paths['/api/items/{id}'].get.responses;
    expect(Object.keys(items)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
  });

  it('lists the new endpoints the web app uses', () => {
    for (const path of [
      '/api',
      '/api/auth/password',
      '/api/users/{id}/reset-password',
      '/api/me/messages',
      '/api/me/messages/unread-count',
      '/api/me/messages/{id}/read',
      '/api/me/messages/read-all',
      '/api/me/saved-filters',
      '/api/me/saved-filters/{id}',
      '/api/me/dashboard',
      '/api/items/bulk-transitions',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
