import { errorFrom } from '../api/errors';
import { refreshSession } from '../api/auth';

/** The access token lives in this module's memory only (never in storage); the refresh token is an httpOnly cookie. */
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const signedOutListeners = new Set<() => void>();

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function hasAccessToken(): boolean {
  return accessToken !== null;
}

export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** One refresh at a time: parallel 401s wait for the same one. */
export function refresh(): Promise<boolean> {
  refreshing ??= refreshSession()
    .then((token) => {
      accessToken = token;
      return token !== null;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** fetch with the bearer token; a 401 refreshes once and retries, a failed refresh signs out. */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const res = await fetch(withToken(input));
  if (res.status !== 401 || input.url.includes('/api/auth/')) return res;
  if (await refresh()) return fetch(withToken(retry));
  accessToken = null;
  for (const l of signedOutListeners) l();
  return res;
}

function withToken(req: Request): Request {
  if (accessToken) req.headers.set('authorization', `Bearer ${accessToken}`);
  return req;
}

/** A download (xlsx, evidence) through the same session: the file as a Blob with its name. */
export async function download(url: string): Promise<{ blob: Blob; name: string }> {
  const res = await authFetch(new Request(url));
  if (!res.ok) throw await errorFrom(res);
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : (plain?.[1] ?? url.split('/').pop() ?? 'download');
  return { blob: await res.blob(), name };
}

export function saveBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * A multipart upload with progress (fetch cannot report upload progress): XHR with the bearer token,
 * refreshing once on 401.
 */
export async function uploadWithProgress(url: string, form: FormData, onProgress: (percent: number) => void): Promise<unknown> {
  const send = () =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      if (accessToken) xhr.setRequestHeader('authorization', `Bearer ${accessToken}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
      xhr.onerror = () => reject(new TypeError('network'));
      xhr.send(form);
    });
  let res = await send();
  if (res.status === 401 && (await refresh())) res = await send();
  if (res.status >= 200 && res.status < 300) return res.body ? JSON.parse(res.body) : undefined;
  throw await errorFrom(new Response(res.body, { status: res.status }));
}
