import type { DataSource } from 'typeorm';
import { itemWhereSql } from '#items';
import { SqlParams } from '#persistence';
import { openTestDataSource } from './support/database.js';

/**
 * text_bigrams() (the keys of item_text_bigram_idx, the list's two-character search) as a set: every
 * lower-cased pair of neighbouring characters, once, whatever path the function takes.
 */
describe('text_bigrams()', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource();
  });
  afterAll(async () => {
    await ds.destroy();
  });

  const pairs = async (text: string | null): Promise<string[]> => {
    const [row] = await ds.query<{ pairs: string[] }[]>(`SELECT ARRAY(SELECT DISTINCT p FROM unnest(text_bigrams($1::text)) p) AS pairs`, [
      text,
    ]);
    return row.pairs.sort();
  };

  it('gives each pair of neighbouring characters once, lower-cased, for odd and even lengths', async () => {
    await expect(pairs('污水管网污水')).resolves.toEqual(['水管', '污水', '管网', '网污'].sort());
    await expect(pairs('AbCdE')).resolves.toEqual(['ab', 'bc', 'cd', 'de']);
    await expect(pairs('L0-01 扬尘')).resolves.toEqual([' 扬', '-0', '01', '0-', '1 ', 'l0', '扬尘'].sort());
    await expect(pairs('a\nb')).resolves.toEqual(['\nb', 'a\n'].sort());
  });

  it('gives none for a text shorter than two characters or null, and the one pair of two', async () => {
    await expect(pairs('')).resolves.toEqual([]);
    await expect(pairs('污')).resolves.toEqual([]);
    await expect(pairs(null)).resolves.toEqual([]);
    await expect(pairs('Xy')).resolves.toEqual(['xy']);
  });

  it('keeps the pairs next to its own separator character (chr(1)) in a text', async () => {
    await expect(pairs('a\u0001Bc')).resolves.toEqual(['\u0001b', 'a\u0001', 'bc'].sort());
  });

  it('answers the index search: the items whose text holds a two-character word', async () => {
    const [row] = await ds.query<{ found: boolean; missed: boolean }[]>(
      `SELECT text_bigrams('第3个反馈问题：工业园区污水管网') @> ARRAY['污水'] AS found,
              text_bigrams('第3个反馈问题：工业园区污水管网') @> ARRAY['水园'] AS missed`,
    );
    expect(row).toEqual({ found: true, missed: false });
  });
});

/** The list's text conditions are answered by the pair index (the collation the query names is the index's). */
describe('item text search through item_text_bigram_idx', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource();
  });
  afterAll(async () => {
    await ds.destroy();
  });

  const plan = async (word: string): Promise<string> => {
    const q = new SqlParams();
    const where = itemWhereSql({ kind: 'all' }, { q: word }, '2030-01-01', q, 'set');
    return ds.transaction(async (m) => {
      // A small test table would be read whole otherwise: the question is whether the index can serve.
      await m.query(`SET LOCAL enable_seqscan = off`);
      const rows = await m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN SELECT count(*) FROM item i ${where}`, q.values);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  };

  it('counts a two-character word and a longer one through the index; one character has no pair to look up', async () => {
    await expect(plan('扬尘')).resolves.toContain('item_text_bigram_idx');
    await expect(plan('露天焚烧')).resolves.toContain('item_text_bigram_idx');
    await expect(plan('尘')).resolves.not.toContain('item_text_bigram_idx');
  });
});
