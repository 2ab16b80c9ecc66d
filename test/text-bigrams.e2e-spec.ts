import type { DataSource } from 'typeorm';
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
