import { HttpException, HttpStatus } from '@nestjs/common';
import { isDomainError, type DomainErrorKind } from '#domain';
import { isDatabaseUnavailable } from '#persistence';

/** The one JSON error shape every 4xx/5xx response has. */
export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown> | null;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** Fastify's own errors (body parsing, limits) carry a code; give each a clear message. */
const FASTIFY_ERRORS: Record<string, { code: string; message: string; status?: number }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The request body is empty but declared as JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the allowed limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This content type is not accepted; send application/json' },
  FST_REQ_FILE_TOO_LARGE: { code: 'FILE_TOO_LARGE', message: 'The file is larger than the allowed upload limit' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the file as multipart/form-data', status: 415 },
  FST_FILES_LIMIT: { code: 'TOO_MANY_FILES', message: 'Send one file per request' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: 'The Content-Length header does not match the body' },
};

/** What the multipart parser (busboy) throws, without a code, on a body cut off or without its boundary. */
const MULTIPART_PARSER_ERROR =
  /^(Unexpected end of multipart data|Multipart: Boundary not found|Boundary required|\w+ terminated early due to unexpected end of multipart data)$/;

/** Maps anything thrown to a status and the error shape; unknown errors become a bare 500. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (isDomainError(error)) {
    const status = STATUS_OF_KIND[error.kind];
    const retryAfter = error.details?.retryAfterSeconds;
    return {
      status,
      body: { code: error.code, message: error.message, details: error.details ?? null },
      headers: typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : undefined,
    };
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own errors (body parsing, limits); their code is on the cause.
    const fastifyCode = (error.cause as { code?: string } | undefined)?.code;
    const wrapped = fastifyCode ? FASTIFY_ERRORS[fastifyCode] : undefined;
    if (wrapped)
      return { status: wrapped.status ?? error.getStatus(), body: { code: wrapped.code, message: wrapped.message, details: null } };
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : error.message;
    return { status, body: { code: CODE_OF_STATUS[status] ?? `HTTP_${status}`, message, details: null } };
  }
  const fastifyError = error as { code?: string; statusCode?: number; message?: string };
  const known = fastifyError?.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) {
    return { status: known.status ?? fastifyError.statusCode ?? 400, body: { code: known.code, message: known.message, details: null } };
  }
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    return {
      status,
      body: { code: CODE_OF_STATUS[status] ?? `HTTP_${status}`, message: fastifyError.message ?? 'Bad request', details: null },
    };
  }
  if (error instanceof Error && MULTIPART_PARSER_ERROR.test(error.message)) {
    return {
      status: 400,
      body: { code: 'MALFORMED_MULTIPART', message: 'The multipart/form-data body is cut off or malformed', details: null },
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      body: { code: 'DATABASE_UNAVAILABLE', message: 'The database is busy or unreachable; try again shortly', details: null },
      headers: { 'retry-after': '1' },
    };
  }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'Internal server error', details: null } };
}
