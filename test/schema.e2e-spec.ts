import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { openTestDataSource, separateDatabaseUrl } from './support/database.js';

const SCHEMA_FILE = path.resolve('migrations/schema.sql');

/**
 * pg_dump's schema of a database without what changes from one dump to the next: comments, the
 * session settings and the \restrict key.
 */
function normaliseSchemaDump(dump: string): string {
  const lines = dump
    .split('\n')
    .filter((l) => !l.startsWith('--') && !l.startsWith('SET ') && !l.startsWith('\\restrict') && !l.startsWith('\\unrestrict'))
    .filter((l) => l !== "SELECT pg_catalog.set_config('search_path', '', false);");
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/**
 * migrations/schema.sql is what the migrations produce, so a reviewer reads every table, function
 * and trigger as it is now in one file. After a new migration: UPDATE_SCHEMA_SQL=1 npm test -- test/schema.e2e-spec.ts
 */
describe('migrations/schema.sql', () => {
  it('is the schema of a freshly migrated database', async () => {
    const url = separateDatabaseUrl('schema');
    const ds = await openTestDataSource(url);
    await ds.destroy();
    const { stdout } = await promisify(execFile)('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', url], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const actual = normaliseSchemaDump(stdout);
    expect(actual).toContain('CREATE TRIGGER');
    if (process.env.UPDATE_SCHEMA_SQL === '1') writeFileSync(SCHEMA_FILE, actual);
    expect(actual).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});
