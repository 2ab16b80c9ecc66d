import type { DataSource } from 'typeorm';
import type { ListScope } from '#domain';
import { SqlParams } from '#persistence';
import type { ItemFilter, ItemSort } from './item-filter.js';
import { onPage, type PageRow, type SummaryRow, type ItemSummary } from './item-views.js';
import {
  andWhere,
  itemWhereSql,
  readerFilter,
  readerWhereSql,
  type ResolvedFilter,
  type Tested,
  type UnitScope,
} from './read-scope.query.js';

/** Lists count matching items exactly up to this many; past it, `total` is this and `totalIsExact` false. */
export const COUNT_CAP = 1000;

export interface ItemPage {
  data: ItemSummary[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
}

/** Closed (signed off, 阶段性完成, cancelled, merged) as a sort key; item_open_first_idx is on this very expression. */
const closedKey = (alias: string): string => `(${alias}.state IN ('signed_off', 'phase_completed', 'cancelled', 'merged'))`;

export const SORT_SQL: Record<ItemSort, string> = {
  open: `${closedKey('i')}, i.current_deadline ASC NULLS LAST, i.id`,
  deadline: 'i.current_deadline ASC NULLS LAST, i.id',
  '-deadline': 'i.current_deadline DESC NULLS LAST, i.id DESC',
  createdAt: 'i.created_at, i.id',
  '-createdAt': 'i.created_at DESC, i.id DESC',
  updatedAt: 'i.updated_at, i.id',
  '-updatedAt': 'i.updated_at DESC, i.id DESC',
  code: 'i.code, i.id',
  '-code': 'i.code DESC, i.id DESC',
};

/**
 * "Recently changed first" reads the newest item history rows: at most RECENT_SCAN of them,
 * newest first, keeping those of items the caller may read (and, for a unit, that match its
 * filters), up to `matches`. Every write that sets item.updated_at appends a history row at that
 * same instant, so every matching item changed after the oldest kept row is among them: ordered
 * by updated_at, they are the exact top of the list. The walk is an index-only scan
 * (history_recent_idx) that stops as soon as enough rows matched, so a wide scope reads a few
 * hundred rows; a county's (7 % of the items) finds its page within the 2,000, and a scope too
 * narrow for that is small enough to be sorted in full. updated_at has no index of its own, so
 * that transitions stay HOT updates.
 */
const RECENT_SCAN = 2000;
const recentMatches = (need: number): number => Math.max(100, 4 * need);

/** The orders a page of item_reader rows can be chosen in (its index is by unit, then deadline). */
const READER_SORT_SQL: Partial<Record<ItemSort, string>> = {
  open: `${closedKey('r')}, r.current_deadline ASC NULLS LAST, r.item_id`,
  deadline: 'r.current_deadline ASC NULLS LAST, r.item_id',
  '-deadline': 'r.current_deadline DESC NULLS LAST, r.item_id DESC',
};
/** The recent history rows of readable items, `probe` being a condition on h (null: every item is readable and matches). */
const recentlyChangedSql = (probe: string | null, matches: number): string => `recent AS MATERIALIZED (
    SELECT h.id, h.at
      FROM (SELECT entity_id AS id, at FROM history WHERE entity_type = 'item' ORDER BY at DESC LIMIT ${RECENT_SCAN}) h
     ${probe ? `WHERE ${probe}` : ''} ORDER BY h.at DESC LIMIT ${matches})`;
// Strictly after the oldest kept row: the walk may have stopped inside a run of rows of that same
// instant, so an item changed exactly then may be missing (a page that needs one is sorted in full).
const RECENTLY_CHANGED_WHERE = `i.id IN (SELECT id FROM recent) AND i.updated_at > (SELECT min(at) FROM recent)`;

/**
 * How many items a scope may read that match a filter, up to COUNT_CAP + 1 (past COUNT_CAP, "more
 * than 1000" is what a list needs to say): the list's own count, also used by "my work"'s tiles.
 * A unit's is an index-only scan of its item_reader rows unless the filter needs the item row.
 */
export function cappedCountSql(scope: ListScope, f: ResolvedFilter, today: string, q: SqlParams): string {
  const rf = readerFilter(scope, f);
  const from = rf
    ? `item_reader r ${readerWhereSql(scope as UnitScope, rf, today, q)}`
    : `item i ${itemWhereSql(scope, f, today, q, 'set')}`;
  return `SELECT count(*)::int AS total FROM (SELECT 1 FROM ${from} LIMIT ${COUNT_CAP + 1}) t`;
}

/**
 * One page of the items a scope may read that match a filter, and how many match (up to
 * COUNT_CAP + 1): the list's three strategies, chosen by scope and filter.
 */
export async function queryItemPage(
  ds: DataSource,
  scope: ListScope,
  f: ResolvedFilter,
  filter: ItemFilter,
  today: string,
): Promise<{ rows: SummaryRow[]; total: number }> {
  // A unit's list is read from item_reader (an index in deadline order that holds every column
  // these filters test) unless it filters on something only the item row has.
  const rf = readerFilter(scope, f);
  const readers = rf ? (scope as UnitScope) : null;
  const itemWhere = (q: SqlParams, tested: Tested = 'rows'): string => itemWhereSql(scope, f, today, q, tested);

  // Which recent history rows count for "recently changed first": a unit's through its reader
  // rows (its filters too, when they are reader columns), everyone else's through the item row
  // when there is a filter; the page itself still applies every condition.
  const recentProbe = (q: SqlParams): string | null => {
    if (scope.kind === 'units') {
      return `EXISTS (SELECT 1 FROM item_reader r ${readerWhereSql(scope, rf ?? {}, today, q)} AND r.item_id = h.id)`;
    }
    const where = itemWhere(q);
    return where ? `EXISTS (SELECT 1 FROM item i ${andWhere(where, 'i.id = h.id')})` : null;
  };
  const countSql = (q: SqlParams): string => cappedCountSql(scope, f, today, q);
  // The page is chosen on the item table (or its readers) alone; names are joined to those few rows
  // only. It is chosen from the filter as written ('all'), through the newest history rows
  // ('recent'), or from the matches found once ('matches'). With `counted`, the same statement
  // counts the matches and gives the total on every row (on one row of nulls when the page is
  // empty): one round trip per list instead of two.
  const pageSql = (q: SqlParams, from: 'all' | 'recent' | 'matches', counted: boolean): string => {
    const limit = `LIMIT ${q.add(filter.pageSize)} OFFSET ${q.add((filter.page - 1) * filter.pageSize)}`;
    const sort = SORT_SQL[filter.sort];
    const readerSort = READER_SORT_SQL[filter.sort];
    let ctes = '';
    let chosen: string;
    if (from === 'recent') {
      ctes = `${recentlyChangedSql(recentProbe(q), recentMatches(filter.page * filter.pageSize))},`;
      chosen = `FROM item i ${andWhere(itemWhere(q), RECENTLY_CHANGED_WHERE)} ORDER BY ${sort} ${limit}`;
    } else if (from === 'matches') {
      ctes = `matches AS MATERIALIZED (
        SELECT i.id, i.state, i.current_deadline, i.created_at, i.updated_at, i.code FROM item i ${itemWhere(q, 'set')} LIMIT ${COUNT_CAP + 1}),`;
      chosen = `FROM item i WHERE i.id IN (SELECT i.id FROM matches i ORDER BY ${sort} ${limit})`;
    } else if (readers && readerSort) {
      chosen = `FROM item i WHERE i.id IN (SELECT r.item_id FROM item_reader r ${readerWhereSql(readers, rf!, today, q)} ORDER BY ${readerSort} ${limit})`;
    } else {
      chosen = `FROM item i ${itemWhere(q)} ORDER BY ${sort} ${limit}`;
    }
    if (counted) {
      ctes += ` counted AS MATERIALIZED (${from === 'matches' ? 'SELECT count(*)::int AS total FROM matches' : countSql(q)}),`;
    }
    const rows = 'page i JOIN batch b ON b.id = i.batch_id LEFT JOIN org_unit c ON c.id = i.county_unit_id';
    return `
    WITH ${ctes} page AS MATERIALIZED (
      SELECT i.id, i.code, i.title, i.batch_id, i.state, i.type, i.domain, i.county_unit_id, i.current_deadline, i.original_deadline,
             i.deadline_version, i.version, i.updated_at, i.created_at
        ${chosen})
    SELECT i.id, i.code, i.title, i.batch_id, b.name AS batch_name, b.source_type, i.state, i.type, i.domain,
           i.county_unit_id, c.name AS county_name,
           (SELECT string_agg(u.name, '、' ORDER BY u.name)
              FROM (SELECT (SELECT o.name FROM org_unit o WHERE o.id = iu.unit_id) AS name FROM item_unit iu
                     WHERE iu.item_id = i.id AND iu.role = 'lead') u) AS lead_units,
           to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline, to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline,
           i.deadline_version, i.version, i.updated_at ${counted ? ', n.total' : ''}
      FROM ${counted ? `counted n LEFT JOIN (${rows}) ON true` : rows}
     ORDER BY ${sort}`;
  };
  const query = async (from: 'all' | 'recent' | 'matches', counted: boolean): Promise<PageRow[]> => {
    const q = new SqlParams();
    const sql = pageSql(q, from, counted);
    return ds.query<PageRow[]>(sql, q.values);
  };
  // "Recently changed first" is read through the history's time index for the first pages: a
  // full page from a window of recent changes is exactly the top of the whole order.
  const recentFirst = filter.sort === '-updatedAt' && filter.page * filter.pageSize <= RECENT_SCAN / 10;
  const page = async (): Promise<SummaryRow[]> => {
    if (recentFirst) {
      const recent = (await query('recent', false)).filter(onPage);
      if (recent.length === filter.pageSize) return recent;
    }
    return (await query('all', false)).filter(onPage);
  };
  const count = async (): Promise<number> => {
    const q = new SqlParams();
    const [{ total }] = await ds.query<{ total: number }[]>(countSql(q), q.values);
    return total;
  };
  let rows: SummaryRow[];
  let total: number;
  if (f.q !== undefined || (scope.kind === 'units' && !scope.dispatched && !rf)) {
    // A text search, and a unit (a narrow scope: a county, a department) filtering on lead or
    // cooperating unit, find the matches once through their indexes (each long row rechecked
    // once, each bitmap built once) and take page and count from them. Past COUNT_CAP matches the
    // page is the top of the whole order: found by walking it, where matches are frequent.
    const matches = await query('matches', true);
    total = matches[0].total!;
    rows = total > COUNT_CAP ? await page() : matches.filter(onPage);
  } else if (recentFirst) {
    // A page read through the recent window takes long enough that it and the count are worth
    // running side by side, on two connections.
    [rows, total] = await Promise.all([page(), count()]);
  } else {
    // Otherwise both are short: one statement, one round trip (measured: 5-15 % more lists per
    // second than two statements side by side).
    const counted = await query('all', true);
    total = counted[0].total!;
    rows = counted.filter(onPage);
  }
  return { rows, total };
}
