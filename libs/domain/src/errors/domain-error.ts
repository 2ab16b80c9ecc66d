/**
 * Errors raised by domain and application code. They carry a stable machine-readable
 * code and a kind; the HTTP layer maps the kind to a status in exactly one place.
 * Nothing here knows about HTTP.
 */
import type { ErrorCode, NotFoundEntity } from './error-codes.js';

export type DomainErrorKind =
  | 'validation' // input is malformed (400)
  | 'unauthenticated' // no or bad credentials (401)
  | 'forbidden' // in scope but the role may not do this (403)
  | 'not_found' // absent, or outside the caller's scope (404)
  | 'conflict' // state or version conflict (409)
  | 'unprocessable' // well-formed but a business rule is not met (422)
  | 'too_large' // an upload beyond the limit (413)
  | 'unsupported_media' // a body in a format the route does not take (415)
  | 'rate_limited' // too many attempts (429)
  | 'unavailable'; // a dependency is down (503)

export interface FieldIssue {
  field: string;
  messages: string[];
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(entity: NotFoundEntity, id?: string): DomainError {
    const code = `${entity.toUpperCase()}_NOT_FOUND` as `${Uppercase<NotFoundEntity>}_NOT_FOUND`;
    return new DomainError('not_found', code, `${entity} not found`, id ? { id } : undefined);
  }

  static validation(message: string, fields: FieldIssue[]): DomainError {
    return new DomainError('validation', 'VALIDATION_FAILED', message, { fields });
  }

  static forbidden(message = 'You are not allowed to do this', details?: Record<string, unknown>): DomainError {
    return new DomainError('forbidden', 'FORBIDDEN', message, details);
  }

  static conflict(code: ErrorCode, message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('conflict', code, message, details);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
