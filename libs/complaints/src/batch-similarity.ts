import type { EntityManager } from 'typeorm';
import { DUPLICATE_SIMILARITY, DUPLICATE_WINDOW_DAYS } from '#domain';
import type { DuplicateProposal } from './complaint-intake.service.js';

/** A case of an import, in file order, as findSimilar would see it once the earlier rows were in. */
export interface BatchCase {
  id: string;
  caseNo: string;
  countyId: string;
  receivedOn: string;
  content: string;
}

/** Each row's proposals in file order, and the same as rows of complaint_duplicate (similarity unrounded). */
export interface BatchSimilarity {
  proposals: DuplicateProposal[][];
  pairs: { caseId: string; otherId: string; similarity: number }[];
}

interface Entry {
  id: string;
  caseNo: string;
  day: number;
  trigrams: number[];
}

/** The cases of one county: their receipt days, a counter each, and trigram → cases. */
interface County {
  entries: Entry[];
  days: Float64Array;
  shared: Int32Array;
  index: Map<number, number[]>;
}

/** A real as PostgreSQL prints it (the shortest decimal that reads back as the same float4), as findSimilar reads it. */
function printed(x: number): number {
  for (let p = 1; p < 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return d;
  }
  return Number(x.toPrecision(9));
}

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The existing cases an import's rows are compared with: not merged, in their counties, within the window of their dates. */
const COMPARED_WHERE = `county_unit_id = ANY($1::uuid[]) AND received_on BETWEEN $2::date - $4::int AND $3::date + $4::int AND state <> 'merged'`;

function comparedParams(rows: BatchCase[]): unknown[] {
  const dates = rows.map((r) => r.receivedOn).sort();
  return [[...new Set(rows.map((r) => r.countyId))], dates[0], dates[dates.length - 1], DUPLICATE_WINDOW_DAYS];
}

/** A digest of the existing cases similarInBatch compares these rows with (of what it reads of them). */
export async function comparedCasesDigest(m: EntityManager, rows: BatchCase[]): Promise<string> {
  if (rows.length === 0) return '';
  const [{ digest }] = await m.query<{ digest: string | null }[]>(
    `SELECT md5(string_agg(concat_ws('/', id, case_no, county_unit_id, received_on, md5(content)), ',' ORDER BY id)) AS digest
       FROM complaint_case WHERE ${COMPARED_WHERE}`,
    comparedParams(rows),
  );
  return digest ?? '';
}

/**
 * The duplicate proposals of a whole import in three statements, the same ones findSimilar makes
 * row by row (the file's earlier rows included): the trigram sets come from pg_trgm (show_trgm),
 * the shared trigrams are counted here through an inverted index per county, and similarity is
 * pg_trgm's own float4 formula, count / (n1 + n2 − count). The order among equal similarities
 * (by case number, in the database's collation) is left to PostgreSQL.
 */
export async function similarInBatch(m: EntityManager, rows: BatchCase[]): Promise<BatchSimilarity> {
  const result: BatchSimilarity = { proposals: rows.map(() => []), pairs: [] };
  if (rows.length === 0) return result;
  const threshold = Math.fround(DUPLICATE_SIMILARITY);
  const [fresh, existing] = await Promise.all([
    m.query<{ t: string }[]>(
      `SELECT array_to_string(show_trgm(u.t), chr(1)) AS t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY u.n`,
      [rows.map((r) => r.content)],
    ),
    m.query<{ id: string; case_no: string; county: string; d: string; t: string }[]>(
      `SELECT id, case_no, county_unit_id AS county, to_char(received_on, 'YYYY-MM-DD') AS d,
              array_to_string(show_trgm(content), chr(1)) AS t
         FROM complaint_case WHERE ${COMPARED_WHERE}`,
      comparedParams(rows),
    ),
  ]);
  const codes = new Map<string, number>();
  // Trigrams are letters, digits and spaces or a hex code, so chr(1) separates them.
  const code = (t: string): number[] =>
    (t === '' ? [] : t.split('\u0001')).map((g) => {
      let c = codes.get(g);
      if (c === undefined) codes.set(g, (c = codes.size));
      return c;
    });
  const room = new Map<string, number>();
  for (const r of [...existing.map((e) => e.county), ...rows.map((r) => r.countyId)]) room.set(r, (room.get(r) ?? 0) + 1);
  const counties = new Map<string, County>();
  const add = (county: string, e: Entry): void => {
    let c = counties.get(county);
    if (!c) {
      const n = room.get(county)!;
      counties.set(county, (c = { entries: [], days: new Float64Array(n), shared: new Int32Array(n), index: new Map() }));
    }
    const at = c.entries.push(e) - 1;
    c.days[at] = e.day;
    for (const t of e.trigrams) {
      const list = c.index.get(t);
      if (list) list.push(at);
      else c.index.set(t, [at]);
    }
  };
  for (const e of existing) add(e.county, { id: e.id, caseNo: e.case_no, day: day(e.d), trigrams: code(e.t) });

  const kept: { ord: number; id: string; case_no: string; sim: number }[] = [];
  rows.forEach((r, ord) => {
    const mine: Entry = { id: r.id, caseNo: r.caseNo, day: day(r.receivedOn), trigrams: code(fresh[ord].t) };
    const county = counties.get(r.countyId);
    if (county && mine.trigrams.length > 0) {
      const { entries, days, shared } = county;
      const touched: number[] = [];
      for (const t of mine.trigrams) {
        for (const at of county.index.get(t) ?? []) {
          if (Math.abs(days[at] - mine.day) > DUPLICATE_WINDOW_DAYS) continue;
          if (shared[at]++ === 0) touched.push(at);
        }
      }
      const hits: { e: Entry; sim: number }[] = [];
      for (const at of touched) {
        const n = shared[at];
        shared[at] = 0;
        const e = entries[at];
        const sim = Math.fround(n / (mine.trigrams.length + e.trigrams.length - n));
        if (sim >= threshold && sim >= 0.3) hits.push({ e, sim });
      }
      // Everything that can still be among the first ten once equal similarities are ordered by case number.
      hits.sort((a, b) => b.sim - a.sim);
      const floor = hits.length > 10 ? hits[9].sim : 0;
      for (const h of hits) if (h.sim >= floor) kept.push({ ord, id: h.e.id, case_no: h.e.caseNo, sim: h.sim });
    }
    add(r.countyId, mine);
  });
  if (kept.length === 0) return result;
  // Equal similarities in the order of their case numbers, as the database collates them.
  const [{ order }] = await m.query<{ order: string[] }[]>(`SELECT array_agg(x ORDER BY x) AS order FROM unnest($1::text[]) AS x`, [
    [...new Set(kept.map((k) => k.case_no))],
  ]);
  const rank = new Map(order.map((c, i) => [c, i]));
  kept.sort((a, b) => a.ord - b.ord || b.sim - a.sim || rank.get(a.case_no)! - rank.get(b.case_no)!);
  let taken = 0;
  kept.forEach((h, i) => {
    taken = i > 0 && kept[i - 1].ord === h.ord ? taken + 1 : 1;
    if (taken > 10) return;
    result.proposals[h.ord].push({ otherId: h.id, otherCaseNo: h.case_no, similarity: Math.round(printed(h.sim) * 1000) / 1000 });
    result.pairs.push({ caseId: rows[h.ord].id, otherId: h.id, similarity: h.sim });
  });
  return result;
}
