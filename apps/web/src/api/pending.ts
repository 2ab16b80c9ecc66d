/**
 * Calls to the endpoints webcontract.md adds (built on the "webapi" branch). Once that branch is merged
 * and `npm run web:api-types` regenerated, these move to the typed client (`api`) and this file goes.
 * Shapes follow the contract; the refresh-token fallback below only serves the api before the merge.
 */
import { authFetch } from '../auth/token';
import { ApiError, errorFrom } from './errors';

// Before the merge the api answers the refresh token in the body: kept in memory only, never stored.
let bodyRefreshToken: string | null = null;

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const res = await authFetch(new Request(url, { ...init, headers, credentials: 'same-origin' }));
  if (!res.ok) throw await errorFrom(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export interface SignedIn {
  accessToken: string;
  user: { id: string; name: string; email: string; unitId: string; roles: string[] };
}

export async function login(email: string, password: string): Promise<SignedIn> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ email, password, refreshIn: 'cookie' }),
  });
  if (!res.ok) throw await errorFrom(res);
  const body = (await res.json()) as SignedIn & { refreshToken?: string };
  bodyRefreshToken = body.refreshToken ?? null;
  return body;
}

/** A new access token from the refresh cookie, or null when there is no session. */
export async function refreshSession(): Promise<string | null> {
  const res = await fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(bodyRefreshToken ? { refreshToken: bodyRefreshToken } : {}),
  });
  if (!res.ok) return null;
  const body = (await res.json()) as { accessToken: string; refreshToken?: string };
  if (body.refreshToken) bodyRefreshToken = body.refreshToken;
  return body.accessToken;
}

export async function logout(): Promise<void> {
  bodyRefreshToken = null;
  await json<void>('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
}

export interface Me {
  id?: string;
  userId?: string;
  email?: string;
  name?: string;
  roles: string[];
  permissions: string[];
  unitId?: string;
  unit?: { id: string; name: string; code: string; kind: string };
  mustChangePassword?: boolean;
}

export const me = (): Promise<Me> => json<Me>('/api/auth/me');

export const changePassword = (currentPassword: string, newPassword: string): Promise<void> =>
  json('/api/auth/password', { method: 'POST', body: JSON.stringify({ currentPassword, newPassword }) });

export const resetPassword = (userId: string, temporaryPassword: string): Promise<void> =>
  json(`/api/users/${userId}/reset-password`, { method: 'POST', body: JSON.stringify({ temporaryPassword }) });

export interface Message {
  id: string;
  kind: string;
  subject: string;
  text: string;
  itemId: string | null;
  projectId: string | null;
  createdAt: string;
  readAt: string | null;
}

export const messages = (page: number, pageSize: number, unreadOnly: boolean) =>
  json<{ items: Message[]; total: number; unread: number }>(`/api/me/messages?page=${page}&pageSize=${pageSize}&unreadOnly=${unreadOnly}`);
export const unreadCount = () => json<{ unread: number }>('/api/me/messages/unread-count');
export const markRead = (id: string) => json<void>(`/api/me/messages/${id}/read`, { method: 'POST' });
export const markAllRead = () => json<void>('/api/me/messages/read-all', { method: 'POST' });

export interface SavedFilter {
  id: string;
  name: string;
  query: Record<string, string>;
  createdAt: string;
}

export const savedFilters = () => json<SavedFilter[]>('/api/me/saved-filters');
export const saveFilter = (name: string, query: Record<string, string>) =>
  json<SavedFilter>('/api/me/saved-filters', { method: 'POST', body: JSON.stringify({ name, query }) });
export const deleteFilter = (id: string) => json<void>(`/api/me/saved-filters/${id}`, { method: 'DELETE' });

export type BulkResult =
  { id: string; ok: true; version: number } | { id: string; ok: false; status: number; code: string; message: string };

export const bulkTransition = (action: 'assign' | 'urge', items: { id: string; version: number }[], comment?: string) =>
  json<{ results: BulkResult[] }>('/api/items/bulk-transitions', { method: 'POST', body: JSON.stringify({ action, items, comment }) });

/** Per role, the counts of "my work"; each entry names the item-list query that lists it. */
export type Dashboard = Record<string, unknown>;
export const dashboard = () => json<Dashboard>('/api/me/dashboard');

export { ApiError };
