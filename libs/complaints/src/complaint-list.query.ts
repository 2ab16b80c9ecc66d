import type { DataSource } from 'typeorm';
import type { ListScope } from '#domain';
import { SqlParams, escapeLike, preparedQuery } from '#persistence';
import { complaintRowSql, type ComplaintFilter, type ComplaintRow } from './complaint-queries.service.js';

/** Lists count matching cases exactly up to this many; past it, `total` is this and `totalIsExact` false. */
export const COUNT_CAP = 1000;

/** The unit id of the complaint_reader row every case has for whole-database readers (admin, auditor); its `via` is 4. */
export const EVERY_CASE_READER = '00000000-0000-0000-0000-000000000000';

type ReaderScope = Extract<ListScope, { kind: 'units' | 'all' }>;

/**
 * What a scope condition is for: finding a unit's cases as a set (its scope arrays' GIN indexes),
 * or testing the few rows another condition found (a batch's): reading a county's 9,000 entries
 * from the scope index costs more than testing a hundred rows on their own.
 */
export type ScopeTest = 'set' | 'rows';

/** A unit's scope as a condition on case c. */
export function caseScopeWhere(scope: Extract<ListScope, { kind: 'units' }>, q: SqlParams, test: ScopeTest = 'set'): string {
  const unit = q.add(scope.unitId);
  // `= ANY` means the same as `@>` of one element, and no index answers it.
  const holds = (column: string) => (test === 'set' ? `c.${column} @> ARRAY[${unit}::uuid]` : `${unit}::uuid = ANY(c.${column})`);
  return scope.dispatched ? `(${holds('owner_scope')} OR ${holds('dispatcher_scope')})` : holds('owner_scope');
}

const CASE_TEXT = `(c.case_no || E'\\n' || c.content || E'\\n' || c.address)`;

/**
 * The condition of a text search on case c: the case number, the content or the address holds
 * the words. A two-character word (no trigram) is one of the case's stored character pairs
 * (complaint_case_text_pairs_idx; exact, since no pair of the word spans two fields), tested
 * first with strpos, which is cheaper per row than the array. Longer words: the three as one text
 * (complaint_case_text_trgm_idx) find the candidates; the three one by one decide, so words
 * spanning two of them match nothing. Words without upper or lower case (Chinese, digits) are
 * matched case-sensitively: the same cases, several times faster.
 */
export function textMatch(words: string, q: SqlParams): string {
  const cased = /[\p{Cased}\p{Changes_When_Casemapped}]/u.test(words);
  if ([...words].length === 2 && !words.includes('\n')) {
    const word = q.add(words);
    const found = cased ? `strpos(lower(${CASE_TEXT}), lower(${word})) > 0` : `strpos(${CASE_TEXT}, ${word}) > 0`;
    return `(${found} AND c.text_pairs COLLATE "C" @> ARRAY[lower(${word})])`;
  }
  const op = cased ? 'ILIKE' : 'LIKE';
  const like = q.add(`%${escapeLike(words)}%`);
  return `(${CASE_TEXT} ${op} ${like} AND (c.case_no ${op} ${like} OR c.content ${op} ${like} OR c.address ${op} ${like}))`;
}

/**
 * Whether a filter is answered from the case rows c alone rather than the scope's reader rows:
 * a batch or a text selects few cases through indexes the reader rows do not have, and joining
 * each candidate to its reader row costs more than testing the scope on the case row itself.
 */
export const listsCaseRows = (f: ComplaintFilter): boolean => Boolean(f.batchId || f.q);

/**
 * The conditions on the complaint_reader rows r a scope lists through, for a filter without a batch
 * or a text: the case's columns as the reader copies them (`verdict` is the latest one).
 */
export function readerWhere(scope: ReaderScope, f: ComplaintFilter, q: SqlParams): string[] {
  const w =
    scope.kind === 'all'
      ? [`r.unit_id = '${EVERY_CASE_READER}'::uuid`]
      : [`r.unit_id = ${q.add(scope.unitId)}::uuid`, `(r.via & ${scope.dispatched ? 3 : 1}) <> 0`];
  if (f.countyUnitId) w.push(`r.county_unit_id = ${q.add(f.countyUnitId)}::uuid`);
  if (f.leadUnitId) w.push(`r.lead_unit_id = ${q.add(f.leadUnitId)}::uuid`);
  if (f.state?.length === 1) w.push(`r.state = ${q.add(f.state[0])}`);
  else if (f.state?.length) w.push(`r.state = ANY(${q.add(f.state)}::text[])`);
  if (f.pollutionType) w.push(`r.pollution_types @> ARRAY[${q.add(f.pollutionType)}::text]`);
  if (f.keyCase !== undefined) w.push(`r.key_case = ${q.add(f.keyCase)}`);
  if (f.verdict) w.push(`r.verdict = ${q.add(f.verdict)}`);
  if (f.duplicateProposals) w.push(`EXISTS (SELECT 1 FROM complaint_duplicate p WHERE p.case_id = r.case_id AND p.status = 'proposed')`);
  if (f.receivedFrom) w.push(`r.received_on >= ${q.add(f.receivedFrom)}::date`);
  if (f.receivedTo) w.push(`r.received_on <= ${q.add(f.receivedTo)}::date`);
  return w;
}

export interface PageQuery {
  /** Where the page is chosen: the scope's reader rows r (readerWhere) or the case rows c. */
  source: 'reader' | 'case';
  /** The conditions on that source, and their parameters. */
  where: string[];
  params: unknown[];
  today: string;
  page: number;
  pageSize: number;
}

/** Each source's table, its case id, and the list order (its keys as received_on, case_no, id). */
const SOURCES = {
  reader: {
    from: 'complaint_reader r',
    id: 'r.case_id',
    keys: 'r.case_id AS id, r.received_on, r.case_no',
    order: 'r.received_on DESC, r.case_no DESC, r.case_id DESC',
  },
  case: {
    from: 'complaint_case c',
    id: 'c.id',
    keys: 'c.id, c.received_on, c.case_no',
    order: 'c.received_on DESC, c.case_no DESC, c.id DESC',
  },
} as const;

/**
 * One page of the list, newest received first, and how many match (up to COUNT_CAP + 1). The count
 * comes first and decides how the page is found: past the cap, matches are common and a walk of
 * the source in list order meets the page's rows soon; within it, they may be rare enough that such
 * a walk would read the whole source, so the matches are found as a set (by their indexes) and
 * sorted. On reader rows both are index-only; only the page's cases are read in full.
 */
export async function queryComplaintPage(ds: DataSource, p: PageQuery): Promise<{ rows: ComplaintRow[]; total: number }> {
  const { from, id, keys, order } = SOURCES[p.source];
  const cond = p.where.length ? `WHERE ${p.where.join(' AND ')}` : '';
  // Reader rows are read through the same indexes whatever the values, so their statements are
  // prepared (planned once per connection). On case rows the best plan depends on the values (a
  // dispatcher's scope holds every case; a word may be rare or common): planned on every call.
  const run = <T>(sql: string, values: unknown[]): Promise<T[]> =>
    p.source === 'reader' ? preparedQuery<T>(ds.manager, sql, values) : ds.query<T[]>(sql, values);
  const [{ total }] = await run<{ total: number }>(
    `SELECT count(*)::int AS total FROM (SELECT 1 FROM ${from} ${cond} LIMIT ${COUNT_CAP + 1}) s`,
    p.params,
  );
  if (total <= (p.page - 1) * p.pageSize) return { rows: [], total };
  const q = new SqlParams();
  q.values.push(...p.params);
  const today = q.add(p.today);
  const limit = `LIMIT ${q.add(p.pageSize)} OFFSET ${q.add((p.page - 1) * p.pageSize)}`;
  // OFFSET 0 keeps the ORDER BY and LIMIT out of the matches' plan.
  const chosen =
    total > COUNT_CAP
      ? `SELECT ${id} FROM ${from} ${cond} ORDER BY ${order} ${limit}`
      : `SELECT m.id FROM (SELECT ${keys} FROM ${from} ${cond} OFFSET 0) m
          ORDER BY m.received_on DESC, m.case_no DESC, m.id DESC ${limit}`;
  const rows = await run<ComplaintRow>(
    `${complaintRowSql(today)} WHERE c.id IN (${chosen}) ORDER BY c.received_on DESC, c.case_no DESC, c.id DESC`,
    q.values,
  );
  return { rows, total };
}
