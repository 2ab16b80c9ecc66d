import type { QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

/** GET /api/me/dashboard as one query, shared by the page and the prefetch at sign-in. */
export const dashboardQuery = {
  queryKey: ['me', 'dashboard'] as const,
  queryFn: () => unwrap(api.GET('/api/me/dashboard')),
};

/**
 * Opening the app at 工作台: its counts are asked for as soon as the session is known, side by side
 * with the user and the page's JavaScript, instead of after both (one round trip less on a slow PC).
 */
export function prefetchLanding(queryClient: QueryClient, pathname: string): void {
  if (pathname === '/') void queryClient.prefetchQuery(dashboardQuery);
}
