import type { DataSource } from 'typeorm';
import type { ListScope } from '#domain';
import { SqlParams, escapeLike } from '#persistence';
import { complaintRowSql, type ComplaintFilter, type ComplaintRow } from './complaint-queries.service.js';

/** Lists count matching cases exactly up to this many; past it, `total` is this and `totalIsExact` false. */
export const COUNT_CAP = 1000;

/** The unit id of the complaint_reader row every case has for whole-database readers (admin, auditor); its `via` is 4. */
export const EVERY_CASE_READER = '00000000-0000-0000-0000-000000000000';

type ReaderScope = Extract<ListScope, { kind: 'units' | 'all' }>;

/** A unit's scope as a condition on case c (its scope arrays, GIN-indexed). */
export function caseScopeWhere(scope: Extract<ListScope, { kind: 'units' }>, q: SqlParams): string {
  const unit = q.add(scope.unitId);
  return scope.dispatched
    ? `(c.owner_scope @> ARRAY[${unit}::uuid] OR c.dispatcher_scope @> ARRAY[${unit}::uuid])`
    : `c.owner_scope @> ARRAY[${unit}::uuid]`;
}

/**
 * The condition of a text search on case c: the case number, the content or the address holds
 * the words. The three as one text (complaint_case_text_trgm_idx) find the candidates; the three
 * one by one decide, so words spanning two of them match nothing. Words without upper or lower
 * case (Chinese, digits) are matched with LIKE: the same cases as ILIKE, several times faster.
 */
export function textMatch(words: string, q: SqlParams): string {
  const op = /[\p{Cased}\p{Changes_When_Casemapped}]/u.test(words) ? 'ILIKE' : 'LIKE';
  const like = q.add(`%${escapeLike(words)}%`);
  return `((c.case_no || E'\\n' || c.content || E'\\n' || c.address) ${op} ${like}
           AND (c.case_no ${op} ${like} OR c.content ${op} ${like} OR c.address ${op} ${like}))`;
}

/** Whether the filter tests columns only the case row c has (joined to the reader rows r). */
const testsCaseRow = (f: ComplaintFilter): boolean => Boolean(f.batchId || f.q);

/**
 * The conditions on the complaint_reader rows r a scope lists through, for a filter: the case's
 * columns as the reader copies them (`verdict` is the latest one), and the batch and the text on
 * the case row c.
 */
export function readerWhere(scope: ReaderScope, f: ComplaintFilter, q: SqlParams): string[] {
  const w =
    scope.kind === 'all'
      ? [`r.unit_id = '${EVERY_CASE_READER}'::uuid`]
      : [`r.unit_id = ${q.add(scope.unitId)}::uuid`, `(r.via & ${scope.dispatched ? 3 : 1}) <> 0`];
  if (f.batchId) w.push(`c.batch_id = ${q.add(f.batchId)}::uuid`);
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
  if (f.q) w.push(textMatch(f.q, q));
  // The same scope on the case row: a unit's text search may then test only its own cases
  // (a term of two Chinese characters has no trigram to look up).
  if (scope.kind === 'units' && testsCaseRow(f)) w.push(caseScopeWhere(scope, q));
  return w;
}

export interface PageQuery {
  filter: ComplaintFilter;
  /** readerWhere's conditions, and their parameters. */
  where: string[];
  params: unknown[];
  today: string;
  page: number;
  pageSize: number;
}

/**
 * One page of the list, newest received first, and how many match (up to COUNT_CAP + 1), in one
 * statement (the total on every row, on one row of nulls when the page is empty): a round trip per
 * list instead of two. The page is chosen on the scope's reader rows (an index in list order
 * holding every filter column but the batch and the text) and the count is an index-only scan of
 * them; only the page's cases are read in full, and, for a batch or a text, the cases those
 * conditions select.
 */
export async function queryComplaintPage(ds: DataSource, p: PageQuery): Promise<{ rows: ComplaintRow[]; total: number }> {
  const from = testsCaseRow(p.filter) ? 'complaint_reader r JOIN complaint_case c ON c.id = r.case_id' : 'complaint_reader r';
  const cond = `WHERE ${p.where.join(' AND ')}`;
  const q = new SqlParams();
  q.values.push(...p.params);
  const today = q.add(p.today);
  const limit = `LIMIT ${q.add(p.pageSize)} OFFSET ${q.add((p.page - 1) * p.pageSize)}`;
  const rows = await ds.query<(ComplaintRow & { total: number })[]>(
    `WITH counted AS MATERIALIZED (SELECT count(*)::int AS total FROM (SELECT 1 FROM ${from} ${cond} LIMIT ${COUNT_CAP + 1}) s)
     SELECT n.total, p.*
       FROM counted n
       LEFT JOIN (${complaintRowSql(today)} WHERE c.id IN (SELECT r.case_id FROM ${from} ${cond}
                                                            ORDER BY r.received_on DESC, r.case_no DESC, r.case_id DESC ${limit})) p ON true
      ORDER BY p."receivedOn" DESC, p."caseNo" DESC, p.id DESC`,
    q.values,
  );
  return { rows: rows.filter((r) => r.id !== null).map(({ total: _total, ...row }) => row), total: rows[0].total };
}
