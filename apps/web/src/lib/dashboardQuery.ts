import type { QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Me } from '../api/auth';
import { can } from '../auth/can';
import type { ItemQuery } from './itemQuery';

/** GET /api/me/dashboard as one query, shared by the page and the prefetch at sign-in. */
export const dashboardQuery = {
  queryKey: ['me', 'dashboard'] as const,
  queryFn: () => unwrap(api.GET('/api/me/dashboard')),
};

/** GET /api/statistics/summary (now, no filters): 工作台's closure figures. */
export const summaryQuery = {
  queryKey: ['statistics', 'summary', {}] as const,
  queryFn: () => unwrap(api.GET('/api/statistics/summary', {})),
};

/** The first ten items of 工作台's first tile (asked for as soon as the tile is known, while the table's code loads). */
export const urgentQuery = (query: ItemQuery) => ({
  queryKey: ['items', { ...query, pageSize: 10 }] as const,
  queryFn: () => unwrap(api.GET('/api/items', { params: { query: { ...query, pageSize: 10 } } })),
});

/** Whether 工作台 shows the closure figures to this user (dispatchers, auditors, administrators who may read items). */
export function seesClosureFigures(me: Me): boolean {
  return (me.roles.includes('auditor') || me.roles.includes('dispatcher') || me.roles.includes('admin')) && can(me, 'item.read');
}

/**
 * Opening the app at 工作台: its counts are asked for as soon as the session is known, side by side
 * with the user and the page's JavaScript, and the closure figures as soon as the user is known,
 * instead of each after the page has rendered (round trips less on a slow PC).
 */
export function prefetchLanding(queryClient: QueryClient, pathname: string, me?: Me): void {
  if (pathname !== '/') return;
  if (!me) void queryClient.prefetchQuery(dashboardQuery);
  else if (seesClosureFigures(me)) void queryClient.prefetchQuery(summaryQuery);
}
