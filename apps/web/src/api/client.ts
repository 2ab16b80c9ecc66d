import createClient from 'openapi-fetch';
import { authFetch } from '../auth/token';
import { ApiError } from './errors';
import type { paths } from './schema';
import type { Described, Undocumented } from './types';

/** The typed client: paths, parameters and bodies checked against the api's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', fetch: authFetch });

type Answer<D> = { data?: D; error?: unknown; response: Response };
type DataOf<D> = [D] extends [undefined] ? Undocumented : [D] extends [never] ? Undocumented : Described<D>;

/** The body of a 2xx answer, or an ApiError with the api's code and message. */
export async function unwrap<D>(call: Promise<Answer<D>>): Promise<DataOf<D>> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const e = (error ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(response.status, e.code ?? `HTTP_${response.status}`, e.message ?? response.statusText, e.details ?? null);
  }
  return data as DataOf<D>;
}
