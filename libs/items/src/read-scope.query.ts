import { OVERDUE_STATES, addDays, listScope, type Actor, type ListScope } from '#domain';
import { SqlParams, escapeLike } from '#persistence';
import type { ItemFilterFields } from './item-filter.js';

/**
 * The SQL condition (on item i) for the items the actor may read, or null when they may read
 * all. The one translation of the policy's list scope for every query over items.
 */
export function readScopeSql(actor: Actor, q: SqlParams): string | null {
  return itemScopeSql(listScope(actor, 'item.read'), q);
}

export type UnitScope = Extract<ListScope, { kind: 'units' }>;
export type ResolvedFilter = ItemFilterFields & {
  sourceBatchIds?: string[];
  dueBy?: string;
  acceptingPath?: string;
  /** On a unit's reader rows: only the items that unit (or a unit below it) dispatched (bit 2 of via). */
  dispatchedByReader?: boolean;
};

/** The condition on item i for what a scope may read; null when it reads everything. */
export function itemScopeSql(scope: ListScope, q: SqlParams): string | null {
  if (scope.kind === 'none') return 'false';
  if (scope.kind === 'all') return null;
  const u = q.add([scope.unitId]);
  const any = [`i.owner_scope @> ${u}::uuid[]`];
  if (scope.dispatched) any.push(`i.dispatcher_scope @> ${u}::uuid[]`);
  if (scope.accepting) any.push(`i.acceptance_scope @> ${u}::uuid[]`);
  return `(${any.join(' OR ')})`;
}

/** The same scope as rows of item_reader r (the bits of `via` are the three scope sets, in that order). */
function readerScopeSql(scope: UnitScope, q: SqlParams): string {
  const via = 1 | (scope.dispatched ? 2 : 0) | (scope.accepting ? 4 : 0);
  return `r.unit_id = ${q.add(scope.unitId)} AND (r.via & ${via}) <> 0`;
}

/** Whether a filter tests something only the item row has (text, lead or cooperating unit), not its reader rows. */
export const hasItemOnlyFilter = (f: ResolvedFilter): boolean =>
  Boolean(f.q || f.leadUnitId || f.cooperatingUnitId || f.acceptingPath || f.returned || f.extensionPending || f.dispatcherUnitId);

/**
 * The filter on a unit's item_reader rows, or null when it needs the item row (or the scope is not
 * a unit's). "Dispatched by my own unit" is a reader condition: the unit is in the item's
 * dispatcher_scope exactly when bit 2 of its reader row's via is set.
 */
export function readerFilter(scope: ListScope, f: ResolvedFilter): ResolvedFilter | null {
  if (scope.kind !== 'units') return null;
  const g = f.dispatcherUnitId === scope.unitId ? { ...f, dispatcherUnitId: undefined, dispatchedByReader: true } : f;
  return hasItemOnlyFilter(g) ? null : g;
}

/** What a condition is for: testing rows walked in an order (a page), or finding a set (a count, the matches). */
export type Tested = 'rows' | 'set';

/**
 * The conditions of a filter on `a`: the item (i) or its reader rows (r), which carry the item's
 * state, domain, county_unit_id, batch_id and current_deadline under the same names. Filters on
 * anything else (text, lead or cooperating unit) are for the item only.
 */
function filterSql(f: ResolvedFilter, today: string, q: SqlParams, a: 'i' | 'r', tested: Tested = 'rows'): string[] {
  const where: string[] = [];
  // One state as an equality, so an index on (…, state, deadline) can deliver rows in order.
  if (f.state?.length === 1) where.push(`${a}.state = ${q.add(f.state[0])}`);
  else if (f.state?.length) where.push(`${a}.state = ANY(${q.add(f.state)}::text[])`);
  if (f.batchId) where.push(`${a}.batch_id = ${q.add(f.batchId)}`);
  if (f.sourceBatchIds) where.push(`${a}.batch_id = ANY(${q.add(f.sourceBatchIds)}::uuid[])`);
  if (f.countyUnitId) where.push(`${a}.county_unit_id = ${q.add(f.countyUnitId)}`);
  if (f.domain) where.push(`${a}.domain = ${q.add(f.domain)}`);
  if (f.overdue !== undefined) {
    const overdue = `(${a}.state = ANY(${q.add(OVERDUE_STATES)}::text[]) AND ${a}.current_deadline < ${q.add(today)})`;
    where.push(f.overdue ? overdue : `NOT ${overdue}`);
  }
  if (f.dueWithinDays !== undefined) {
    where.push(
      `(${a}.state = ANY(${q.add(OVERDUE_STATES)}::text[]) AND ${a}.current_deadline BETWEEN ${q.add(today)} AND ${q.add(addDays(today, f.dueWithinDays))})`,
    );
  }
  if (f.dueBy !== undefined) {
    where.push(
      `(${a}.state = ANY(${q.add(OVERDUE_STATES)}::text[]) AND ${a}.current_deadline BETWEEN ${q.add(today)} AND ${q.add(f.dueBy)})`,
    );
  }
  if (a === 'r' && hasItemOnlyFilter(f)) throw new Error('item_reader holds no lead units, cooperating units or text');
  if (f.dispatchedByReader) {
    if (a !== 'r') throw new Error('dispatchedByReader is a condition on reader rows');
    where.push('(r.via & 2) <> 0');
  }
  if (f.leadUnitId) where.push(`i.lead_scope @> ${q.add([f.leadUnitId])}::uuid[]`);
  if (f.cooperatingUnitId) {
    const open = f.cooperatingPartOpen ? ` AND cu.status <> 'done' AND i.state = ANY(${q.add(OVERDUE_STATES)}::text[])` : '';
    where.push(
      `EXISTS (SELECT 1 FROM item_unit cu WHERE cu.item_id = i.id AND cu.role = 'cooperating' AND cu.unit_id = ${q.add(f.cooperatingUnitId)}${open})`,
    );
  }
  if (f.acceptingPath) {
    where.push(
      `(i.state = 'in_acceptance' AND EXISTS (SELECT 1 FROM org_unit lu WHERE lu.id = (item_acceptance_units(i.id))[i.acceptance_level + 1]
                                                 AND lu.path LIKE ${q.add(`${escapeLike(f.acceptingPath)}%`)}))`,
    );
  }
  if (f.returned) {
    where.push(
      `(i.state = 'in_progress' AND (SELECT a.result FROM item_acceptance a WHERE a.item_id = i.id ORDER BY a.id DESC LIMIT 1) = 'return')`,
    );
  }
  if (f.extensionPending) where.push(`EXISTS (SELECT 1 FROM item_extension x WHERE x.item_id = i.id AND x.status = 'pending')`);
  if (f.dispatcherUnitId) where.push(`i.dispatcher_scope @> ${q.add([f.dispatcherUnitId])}::uuid[]`);
  if (f.q) {
    const text = `(i.code || ' ' || i.title || ' ' || i.feedback_text)`;
    // One index serves text search (item_text_bigram_idx: every lower-cased character pair of the
    // text). A two-character word (common in Chinese: 污水, 扬尘) is one pair, answered exactly; a
    // longer word's items hold all its pairs, and strpos keeps those that hold the word itself.
    // Where a set is found (a count, the matches), the pairs find it. Where rows are walked in an
    // order, strpos tests each row first (text_bigrams() costs some 10 µs a row), and a longer word
    // is tested by strpos alone: the planner multiplies its pairs' frequencies as if independent,
    // expects a hundredth of the matches and would sort thousands of them instead of walking to
    // the first twenty (measured: 21 ms instead of 1.5 for 露天焚烧). For the same reason strpos,
    // not ILIKE, goes with a pair: a function's default estimate (a third) keeps it near the truth.
    const length = [...f.q].length;
    const word = q.add(f.q);
    if (tested === 'rows' || length !== 2) where.push(`strpos(lower(${text}), lower(${word})) > 0`);
    if (length === 2 || (length > 2 && tested === 'set')) where.push(`text_bigrams(${text}) COLLATE "C" @> text_bigrams(${word})`);
  }
  return where;
}

/** WHERE for the items a scope may read that match a filter. */
export function itemWhereSql(scope: ListScope, f: ResolvedFilter, today: string, q: SqlParams, tested: Tested = 'rows'): string {
  const conditions = [itemScopeSql(scope, q), ...filterSql(f, today, q, 'i', tested)].filter((c): c is string => c !== null);
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** WHERE for the item_reader rows r of a unit's scope that match a filter (one without item-only filters). */
export function readerWhereSql(scope: UnitScope, f: ResolvedFilter, today: string, q: SqlParams): string {
  return `WHERE ${[readerScopeSql(scope, q), ...filterSql(f, today, q, 'r')].join(' AND ')}`;
}
export const andWhere = (where: string, condition: string): string => (where ? `${where} AND ${condition}` : `WHERE ${condition}`);
