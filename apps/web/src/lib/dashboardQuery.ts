import type { QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Me } from '../api/auth';
import type { components } from '../api/schema';
import { can } from '../auth/can';
import { queryFromApi, type ItemQuery } from './itemQuery';

/** GET /api/me/dashboard as one query, shared by the page and the prefetch at sign-in. */
export const dashboardQuery = {
  queryKey: ['me', 'dashboard'] as const,
  queryFn: () => unwrap(api.GET('/api/me/dashboard')),
};

type Dashboard = components['schemas']['DashboardDto'];
type TileAnswer = components['schemas']['DashboardTileDto'];

export interface Tile {
  key: string;
  title: string;
  tile: TileAnswer;
  danger?: boolean;
}

/** The tiles of GET /api/me/dashboard, per role the user has (a tile two roles share shows once). */
export function tilesOf(d: Dashboard, en: boolean): Tile[] {
  const tiles: Tile[] = [];
  const add = (key: string, zh: string, enTitle: string, tile: TileAnswer | undefined, danger = false) => {
    if (tile && !tiles.some((x) => x.key === key)) tiles.push({ key, title: en ? enTitle : zh, tile, danger });
  };
  add('overdue', '已逾期', 'Overdue', d.officer?.overdue, true);
  add('due5', '5个工作日内到期', 'Due within 5 working days', d.officer?.dueSoon);
  add('returned', '被退回待整改', 'Returned to me', d.officer?.returned, true);
  add('toAccept', '待签收', 'Waiting for me to accept', d.officer?.toAccept);
  add('partsOwed', '配合任务未完成', 'Cooperating parts I owe', d.officer?.partsOwed);
  add('open', '已交办未完成', 'Dispatched, open', d.dispatcher?.dispatchedOpen);
  add('dispatchedOverdue', '交办事项已逾期', 'Dispatched, overdue', d.dispatcher?.overdue, true);
  add('extensions', '延期申请待审批', 'Extension requests', d.dispatcher?.extensionRequests);
  add('acceptance', '验收中', 'In acceptance', d.dispatcher?.inAcceptance);
  add('queue', '待我验收', 'Waiting for my acceptance', d.verifier?.acceptanceQueue);
  add('allOpen', '未完成', 'Open', d.overview?.open);
  add('allOverdue', '已逾期', 'Overdue', d.overview?.overdue, true);
  add('inAcceptance', '验收及公示中', 'In acceptance or notice', d.overview?.inAcceptance);
  add('signedOff', '已销号', 'Signed off', d.overview?.signedOff);
  return tiles;
}

/** GET /api/statistics/summary (now, no filters): 工作台's closure figures. */
export const summaryQuery = {
  queryKey: ['statistics', 'summary', {}] as const,
  queryFn: () => unwrap(api.GET('/api/statistics/summary', {})),
};

/** The first ten items of 工作台's first tile (asked for at a reload as soon as the counts come). */
export const urgentQuery = (query: ItemQuery) => ({
  queryKey: ['items', { ...query, pageSize: 10 }] as const,
  queryFn: () => unwrap(api.GET('/api/items', { params: { query: { ...query, pageSize: 10 } } })),
});

/** Whether 工作台 shows the closure figures to this user (dispatchers, auditors, administrators who may read items). */
export function seesClosureFigures(me: Me): boolean {
  return (me.roles.includes('auditor') || me.roles.includes('dispatcher') || me.roles.includes('admin')) && can(me, 'item.read');
}

/**
 * Opening the app at 工作台: its counts are asked for as soon as the session is known, side by side with the
 * user and the page's JavaScript, the rows of its first tile as soon as the counts come, the closure figures as
 * soon as the user is known, instead of each after the page has rendered (round trips less on a slow PC).
 * Resolves once all are in or failed (the page asks again and shows what failed).
 */
export async function prefetchLanding(queryClient: QueryClient, pathname: string, me: Promise<Me>): Promise<void> {
  if (pathname !== '/') return;
  const rows = queryClient.fetchQuery(dashboardQuery).then((dashboard) => {
    const first = tilesOf(dashboard, false)[0];
    return first ? queryClient.prefetchQuery(urgentQuery(queryFromApi(first.tile.query))) : undefined;
  });
  const figures = me.then((user) => (seesClosureFigures(user) ? queryClient.prefetchQuery(summaryQuery) : undefined));
  await Promise.allSettled([rows, figures]);
}
