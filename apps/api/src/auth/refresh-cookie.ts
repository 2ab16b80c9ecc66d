import type { FastifyReply, FastifyRequest } from 'fastify';

/** The web app's refresh token: HttpOnly (no script reads it), sent only to the auth routes, never cross-site. */
export const REFRESH_COOKIE = 'rectify_refresh';
const COOKIE_PATH = '/api/auth';

/** The refresh cookie of a request, if it sent one. */
export function readRefreshCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value.length > 0 ? value : undefined;
    }
  }
  return undefined;
}

/** Refresh tokens are `<uuid>.<base64url>`: nothing in them needs encoding in a cookie. */
const attributes = (req: FastifyRequest): string =>
  `Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict${req.protocol === 'https' ? '; Secure' : ''}`;

export function setRefreshCookie(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.round((expiresAt.getTime() - Date.now()) / 1000));
  void reply.header('set-cookie', `${REFRESH_COOKIE}=${token}; ${attributes(req)}; Max-Age=${maxAge}; Expires=${expiresAt.toUTCString()}`);
}

export function clearRefreshCookie(req: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', `${REFRESH_COOKIE}=; ${attributes(req)}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
}
