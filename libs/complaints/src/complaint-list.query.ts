import type { DataSource } from 'typeorm';
import type { ListScope } from '#domain';
import { SqlParams } from '#persistence';
import { complaintRowSql, type ComplaintFilter, type ComplaintRow } from './complaint-queries.service.js';

/** Lists count matching cases exactly up to this many; past it, `total` is this and `totalIsExact` false. */
export const COUNT_CAP = 1000;

type UnitScope = Extract<ListScope, { kind: 'units' }>;

/** Whether a unit's list can be read from complaint_reader: every filter is one of its columns. */
export const readerAnswers = (f: ComplaintFilter): boolean => !f.batchId && !f.q && !f.duplicateProposals;

/**
 * The conditions on a unit's complaint_reader rows r for a filter (the same conditions the case
 * row is tested with, on the reader's copies of its columns; `verdict` is the latest one).
 */
export function readerWhere(scope: UnitScope, f: ComplaintFilter, q: SqlParams): string[] {
  const w = [`r.unit_id = ${q.add(scope.unitId)}::uuid`, `(r.via & ${scope.dispatched ? 3 : 1}) <> 0`];
  if (f.countyUnitId) w.push(`r.county_unit_id = ${q.add(f.countyUnitId)}::uuid`);
  if (f.leadUnitId) w.push(`r.lead_unit_id = ${q.add(f.leadUnitId)}::uuid`);
  if (f.state?.length === 1) w.push(`r.state = ${q.add(f.state[0])}`);
  else if (f.state?.length) w.push(`r.state = ANY(${q.add(f.state)}::text[])`);
  if (f.pollutionType) w.push(`r.pollution_types @> ARRAY[${q.add(f.pollutionType)}::text]`);
  if (f.keyCase !== undefined) w.push(`r.key_case = ${q.add(f.keyCase)}`);
  if (f.verdict) w.push(`r.verdict = ${q.add(f.verdict)}`);
  if (f.receivedFrom) w.push(`r.received_on >= ${q.add(f.receivedFrom)}::date`);
  if (f.receivedTo) w.push(`r.received_on <= ${q.add(f.receivedTo)}::date`);
  return w;
}

export interface PageQuery {
  /** Whether `where` is on complaint_reader r (a unit's list) or on complaint_case c. */
  reader: boolean;
  where: string[];
  params: unknown[];
  today: string;
  page: number;
  pageSize: number;
}

/**
 * One page of the list, newest received first, and how many match (up to COUNT_CAP + 1). A unit's
 * page is chosen on its reader rows (an index in list order holding every filter column) and its
 * count is an index-only scan of them; only the page's cases are read in full.
 */
export async function queryComplaintPage(ds: DataSource, p: PageQuery): Promise<{ rows: ComplaintRow[]; total: number }> {
  const cond = p.where.length ? `WHERE ${p.where.join(' AND ')}` : '';
  const q = new SqlParams();
  q.values.push(...p.params);
  const today = q.add(p.today);
  const limit = `LIMIT ${q.add(p.pageSize)} OFFSET ${q.add((p.page - 1) * p.pageSize)}`;
  const order = 'c.received_on DESC, c.case_no DESC, c.id DESC';
  const pageSql = p.reader
    ? `${complaintRowSql(today)} WHERE c.id IN (SELECT r.case_id FROM complaint_reader r ${cond}
                                                  ORDER BY r.received_on DESC, r.case_no DESC, r.case_id DESC ${limit}) ORDER BY ${order}`
    : `${complaintRowSql(today)} ${cond} ORDER BY ${order} ${limit}`;
  const countSql = `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${p.reader ? 'complaint_reader r' : 'complaint_case c'} ${cond}
                     LIMIT ${COUNT_CAP + 1}) s`;
  const [rows, [count]] = await Promise.all([ds.query<ComplaintRow[]>(pageSql, q.values), ds.query<{ n: number }[]>(countSql, p.params)]);
  return { rows, total: count.n };
}
