import { DataSource } from 'typeorm';
import { SOURCE_TYPES, type Actor, type Domain, type SourceType } from '#domain';
import type { ItemFilter, ItemSort, ItemsService } from '#items';
import { DOMAINS_IN_SEED, type BenchUser, type BenchWorld } from './seed.js';

/**
 * Realistic list requests (filters varied per request) and the exact SQL the service runs
 * for each: ItemsService.list() is called with a data source that records its statements.
 */

export interface Variant {
  label: string;
  build: (ctx: { user: BenchUser; world: BenchWorld; rnd: () => number }) => Partial<ItemFilter>;
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const SEARCHES = ['渗滤液', '露天焚烧', '污水', '扬尘', '煤矸石', '水源地'];

export const VARIANTS: Variant[] = [
  {
    label: 'state=in_progress & countyUnitId',
    build: ({ user, world, rnd }) => ({
      state: ['in_progress'],
      countyUnitId: user.unit.kind === 'county' ? user.unit.id : pick(rnd, world.counties).id,
    }),
  },
  { label: 'overdue=true', build: () => ({ overdue: true }) },
  // Any of the nine source types; the seed has no batch of regional_survey, as real ledgers lack some.
  { label: 'sourceType', build: ({ rnd }) => ({ sourceType: pick<SourceType>(rnd, SOURCE_TYPES) }) },
  { label: 'q (text search)', build: ({ rnd }) => ({ q: pick(rnd, SEARCHES) }) },
  { label: 'dueWithinDays=30', build: () => ({ dueWithinDays: 30 }) },
  {
    label: 'domain & state=assigned,in_progress',
    build: ({ rnd }) => ({ domain: pick(rnd, DOMAINS_IN_SEED) as Domain, state: ['assigned', 'in_progress'] }),
  },
  { label: 'leadUnitId (department)', build: ({ world, rnd }) => ({ leadUnitId: pick(rnd, world.departments).id }) },
  { label: 'no filter, sort=-updatedAt', build: () => ({ sort: '-updatedAt' }) },
  {
    label: 'batchId & state, pages 2-5',
    build: ({ world, rnd }) => ({ batchId: pick(rnd, world.batches).id, state: ['in_progress'], page: 2 + Math.floor(rnd() * 4) }),
  },
  // The list as it first opens: in the default order, this is what every user sees first.
  { label: 'no filter', build: () => ({}) },
];

export interface ListRequest {
  variant: number;
  user: number;
  filter: ItemFilter;
  path: string;
  queries: { sql: string; params: unknown[] }[];
}

export function actorOf(user: BenchUser): Actor {
  return { userId: user.id, unitId: user.unit.id, unitPath: user.unit.path, roles: user.roles };
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The statements ItemsService.list() sends for this actor and filter, with their parameters:
 * the API's own service instance is called with its DataSource swapped for a recorder (in a
 * shallow copy, so the running API is untouched and the service keeps its clock and the rest).
 */
export async function listSql(service: ItemsService, actor: Actor, filter: ItemFilter): Promise<{ sql: string; params: unknown[] }[]> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const fields = service as unknown as Record<string, unknown>;
  const key = Object.keys(fields).find((k) => fields[k] instanceof DataSource);
  if (!key) throw new Error('ItemsService holds no DataSource field: the bench cannot capture its SQL any more');
  const real = fields[key] as DataSource;
  const recorder = {
    query: (sql: string, params: unknown[] = []): Promise<unknown[]> => {
      captured.push({ sql, params: [...params] });
      // Answered for real: what follows depends on the answers (source type → batches; the
      // recent-changes walk: the full sort or not; the total: past 1000 matches, the whole order).
      return real.query(sql, params);
    },
  };
  const copy = Object.assign(Object.create(service) as ItemsService, { [key]: recorder });
  await copy.list(actor, filter);
  if (captured.length === 0) throw new Error('ItemsService.list() sent no SQL through its DataSource');
  return captured;
}

export function queryString(filter: Partial<ItemFilter>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    q.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return q.toString();
}

/** The orders the list is measured in: `sort=deadline` as asked for, and the API's default (no sort parameter). */
export const ORDERS = ['sort=deadline', 'default order'] as const;
export type Order = (typeof ORDERS)[number];

/** The API's default sort (items.dto.ts), which the captured SQL needs spelt out. */
const DEFAULT_SORT: ItemSort = 'open';

/**
 * `count` requests per variant, round-robin over the variants, each for a user of `users`, in
 * `order` (a variant's own sort, such as -updatedAt, wins). The same seed gives the same filters in either order.
 */
export async function buildListRequests(
  service: ItemsService,
  world: BenchWorld,
  users: BenchUser[],
  count: number,
  seed: number,
  order: Order,
): Promise<ListRequest[]> {
  const rnd = mulberry32(seed);
  const out: ListRequest[] = [];
  for (let i = 0; i < count * VARIANTS.length; i += 1) {
    const variant = i % VARIANTS.length;
    const userIndex = Math.floor(rnd() * users.length);
    const user = users[userIndex];
    const built = VARIANTS[variant].build({ user, world, rnd });
    const asked: Partial<ItemFilter> = order === 'sort=deadline' ? { sort: 'deadline', ...built } : built;
    const filter: ItemFilter = { sort: DEFAULT_SORT, page: 1, pageSize: 20, ...asked };
    out.push({
      variant,
      user: userIndex,
      filter,
      path: `/api/items?${queryString({ page: 1, pageSize: 20, ...asked })}`,
      queries: await listSql(service, actorOf(user), filter),
    });
  }
  return out;
}
