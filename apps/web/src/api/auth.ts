import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { ApiError } from './errors';

/** Sign-in, refresh and sign-out go without the bearer token (and must not trigger a refresh themselves). */
const plain = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export type Me = components['schemas']['MeDto'];
export type SignedIn = components['schemas']['LoginResponseDto'];

function fail(response: Response, error: unknown): never {
  const e = (error ?? {}) as { code?: string; message?: string; details?: unknown };
  throw new ApiError(response.status, e.code ?? `HTTP_${response.status}`, e.message ?? response.statusText, e.details ?? null);
}

/** Signs in; the refresh token goes into the httpOnly cookie, never into the page. */
export async function login(email: string, password: string): Promise<SignedIn> {
  const { data, error, response } = await plain.POST('/api/auth/login', { body: { email, password, refreshIn: 'cookie' } });
  if (!data) fail(response, error);
  return data;
}

/** A new access token from the refresh cookie, or null when there is no session. */
export async function refreshSession(): Promise<string | null> {
  const { data } = await plain.POST('/api/auth/refresh', { body: {} });
  return data?.accessToken ?? null;
}

/** Ends the session the refresh cookie holds (the api clears the cookie). */
export async function logout(): Promise<void> {
  await plain.POST('/api/auth/logout', {}).catch(() => undefined);
}
