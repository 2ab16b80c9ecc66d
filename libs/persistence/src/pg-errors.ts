/** PostgreSQL error codes the application reacts to. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

export function pgErrorCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(e: unknown): string | undefined {
  const err = e as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = err?.driverError?.constraint ?? err?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/** Escapes LIKE/ILIKE wildcards, so user text matches literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * PostgreSQL cannot be reached or has no connection to give: no free pooled connection within the
 * wait (pg-pool's timeout), a refused or lost connection, the server shutting down or starting, or
 * out of connection slots. Worth a 503 and a retry, not a 500.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

export function isDatabaseUnavailable(e: unknown): boolean {
  const code = pgErrorCode(e);
  if (code !== undefined && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NET_CODES.has(code))) return true;
  const message = (e as { message?: unknown })?.message;
  return message === 'timeout exceeded when trying to connect' || message === 'Connection terminated due to connection timeout';
}

/** Whether a statement failed on a unique constraint (the named one, when given). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  return pgErrorCode(e) === PG_UNIQUE_VIOLATION && (constraint === undefined || pgConstraint(e) === constraint);
}
