import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '#domain';
import { textIssues } from './input-guard.js';

export interface Upload {
  buffer: Buffer;
  filename: string;
  /** Text fields sent before the file. */
  fields: Record<string, string>;
}

/** A file being received (field `file`): its stream, to be read or drained, and the text fields sent before it. */
export interface UploadStream {
  stream: Readable;
  filename: string;
  fields: Record<string, string>;
  /** Reads it into memory; beyond the limit given to openUpload, a 413. */
  toBuffer(): Promise<Buffer>;
}

/** The multipart form's file (field `file`), not yet read: the parsing every upload route shares. */
export async function openUpload(req: FastifyRequest, limitBytes?: number): Promise<UploadStream> {
  if (!req.isMultipart()) {
    throw new DomainError('unsupported_media', 'MULTIPART_REQUIRED', 'Send the file as multipart/form-data in a field named file');
  }
  const file = await req.file(limitBytes === undefined ? undefined : { limits: { fileSize: limitBytes } });
  if (!file || file.fieldname !== 'file') throw DomainError.validation('No file was sent', [{ field: 'file', messages: ['is required'] }]);
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(file.fields)) {
    if (field && !Array.isArray(field) && field.type === 'field') fields[name] = String(field.value);
  }
  const toBuffer = () =>
    file.toBuffer().catch((e: Error & { code?: string }) => {
      if (e.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new DomainError('too_large', 'FILE_TOO_LARGE', `The file is larger than the limit of ${limitBytes} bytes`, { limitBytes });
      }
      throw e;
    });
  return { stream: file.file, filename: file.filename, fields, toBuffer };
}

/** One file (field `file`) read into memory within a limit, with the text fields sent before it. */
export async function readUpload(req: FastifyRequest, limitBytes: number): Promise<Upload> {
  const upload = await openUpload(req, limitBytes);
  return { buffer: await upload.toBuffer(), filename: upload.filename, fields: upload.fields };
}

/** A JSON text field of a multipart form, or a 400 naming it. */
export function jsonField<T>(fields: Record<string, string>, name: string, fallback: T): T {
  const raw = fields[name];
  if (raw === undefined || raw === '') return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw DomainError.validation(`${name} is not valid JSON`, [{ field: name, messages: ['must be JSON'] }]);
  }
  // Escapes inside the JSON (\u0000, \ud800) become the characters the edge refuses in plain text.
  const issues = textIssues(value, name);
  if (issues.length > 0) throw DomainError.validation('The request has text that cannot be stored', issues);
  return value as T;
}
