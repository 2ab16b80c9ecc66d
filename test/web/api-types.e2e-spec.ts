import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TestApi } from '../support/api.js';

// The web app's typed client must match the api: a changed endpoint fails here (and in the web's
// type check) instead of in a user's browser.
describe('web: generated API types', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.stop());

  it('apps/web/src/api/schema.d.ts is what `npm run web:api-types` generates from the running api', async () => {
    // Asynchronous: the api answering the script runs in this process's event loop.
    const run = await promisify(execFile)(process.execPath, ['scripts/web-api-types.mjs', '--check'], {
      env: { ...process.env, API_URL: api.baseUrl },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
  });
});
