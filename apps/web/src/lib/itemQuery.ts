import type { QueryOf } from '../api/types';

/** The item list's query (GET /api/items) as the generated client types it. */
export type ItemQuery = QueryOf<'/api/items', 'get'>;

export const ITEM_STATES = [
  'draft',
  'assigned',
  'in_progress',
  'in_acceptance',
  'public_notice',
  'phase_completed',
  'signed_off',
  'cancelled',
  'merged',
];
export const ITEM_SORTS = ['open', 'deadline', '-deadline', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'code', '-code'] as const;
const TEXT_KEYS = ['batchId', 'sourceType', 'leadUnitId', 'cooperatingUnitId', 'countyUnitId', 'dispatcherUnitId', 'domain', 'q'] as const;
const FLAG_KEYS = ['overdue', 'returned', 'extensionPending', 'awaitingMyAcceptance', 'cooperatingPartOpen'] as const;
const DAY_KEYS = ['dueWithinDays', 'dueWithinWorkingDays'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PAGE_SIZES = [20, 50, 100];

/**
 * The filters in the page's address (so a filtered list can be bookmarked, shared and saved), read
 * back leniently: values the api would refuse are dropped rather than turned into an error page.
 */
export function queryFromParams(params: URLSearchParams): ItemQuery {
  const q: ItemQuery = {};
  const states = (params.get('state') ?? '').split(',').filter((s) => ITEM_STATES.includes(s));
  if (states.length) q.state = states;
  for (const key of TEXT_KEYS) {
    const v = params.get(key)?.trim();
    if (!v) continue;
    if (key.endsWith('Id') && !UUID.test(v)) continue;
    if (key === 'q' && v.length > 100) continue;
    (q as Record<string, string>)[key] = v;
  }
  for (const key of FLAG_KEYS) if (params.get(key) === 'true') q[key] = true;
  for (const key of DAY_KEYS) {
    const days = Number(params.get(key));
    if (params.has(key) && Number.isInteger(days) && days >= 0 && days <= 3650) q[key] = days;
  }
  const sort = params.get('sort');
  if (sort && (ITEM_SORTS as readonly string[]).includes(sort)) q.sort = sort as ItemQuery['sort'];
  const page = Number(params.get('page'));
  if (Number.isInteger(page) && page > 1 && page <= 100000) q.page = page;
  const size = Number(params.get('pageSize'));
  if (PAGE_SIZES.includes(size)) q.pageSize = size;
  return q;
}

/** The inverse: only what is set, in a stable order, so equal filters give equal addresses. */
export function paramsFromQuery(q: ItemQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.state?.length) p.set('state', q.state.join(','));
  for (const key of TEXT_KEYS) {
    const v = q[key];
    if (v) p.set(key, String(v));
  }
  for (const key of FLAG_KEYS) if (q[key]) p.set(key, 'true');
  for (const key of DAY_KEYS) if (q[key] !== undefined) p.set(key, String(q[key]));
  if (q.sort && q.sort !== 'open') p.set('sort', q.sort);
  if (q.page && q.page > 1) p.set('page', String(q.page));
  if (q.pageSize && q.pageSize !== 50) p.set('pageSize', String(q.pageSize));
  return p;
}

/** A changed filter starts again at page 1; paging or sorting keeps the filters. */
export function withFilter(q: ItemQuery, change: Partial<ItemQuery>): ItemQuery {
  const next: ItemQuery = { ...q, ...change, page: undefined };
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0)) delete (next as Record<string, unknown>)[k];
  }
  return next;
}

/** The filters without paging and order, as saved filters and exports carry them. */
export function filterPart(q: ItemQuery): Record<string, string> {
  const p = paramsFromQuery({ ...q, page: undefined, pageSize: undefined, sort: undefined });
  return Object.fromEntries(p.entries());
}

/** A query the api hands out (a dashboard tile's), read through the same lenient parser as the address. */
export function queryFromApi(query: Record<string, unknown>): ItemQuery {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) p.set(k, v.join(','));
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') p.set(k, String(v));
  }
  return queryFromParams(p);
}
