import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest, RawServerDefault } from 'fastify';
import { DomainError, type FieldIssue } from '#domain';

/** Deepest JSON nesting a body may have; the API's deepest DTO needs 4. */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text (PostgreSQL refuses NUL, and JSON a lone surrogate), or null. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/**
 * The nesting depth of a JSON text, counted on its characters before it is parsed (strings and
 * their escapes skipped); stops counting past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Every string (and object key) in a parsed value that cannot be stored as text, by path. */
export function textIssues(root: unknown, rootName: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: [unknown, string][] = [[root, rootName]];
  while (stack.length > 0 && issues.length < 20) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) issues.push({ field: path, messages: [problem] });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${path}.${i}`]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const problem = textProblem(k);
        if (problem) issues.push({ field: path, messages: [`a field name ${problem}`] });
        else stack.push([v, path ? `${path}.${k}` : k]);
      }
    }
  }
  return issues;
}

function requestTextIssues(req: FastifyRequest): FieldIssue[] {
  const strip = (issues: FieldIssue[]) => issues.map((i) => ({ ...i, field: i.field.replace(/^(body|query|params)\.?/, '') || i.field }));
  return [...strip(textIssues(req.query, 'query')), ...strip(textIssues(req.params, 'params')), ...strip(textIssues(req.body, 'body'))];
}

/**
 * The edge every request passes before Nest sees it: JSON bodies nested deeper than
 * MAX_JSON_DEPTH are refused before they are parsed, and no string of the query, the path or the
 * body may carry NUL or an unpaired surrogate (text PostgreSQL and JSON cannot hold), and a
 * multipart body must declare its boundary. Uploaded
 * file names are normalised where the file is accepted (`acceptUpload`).
 */
export function installInputGuard(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (req, body, done) => {
    const text = body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(
        new DomainError('validation', 'JSON_TOO_DEEP', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`, {
          maxDepth: MAX_JSON_DEPTH,
        }),
        undefined,
      );
      return;
    }
    void parseJson(req, text, done);
  });
  fastify.addHook('preValidation', (req, _reply, done) => {
    const type = req.headers['content-type'] ?? '';
    if (/^multipart\/form-data/i.test(type) && !/;\s*boundary=[^;\s]+/i.test(type)) {
      done(new DomainError('validation', 'MULTIPART_BOUNDARY_MISSING', 'A multipart/form-data body must declare its boundary'));
      return;
    }
    const issues = requestTextIssues(req);
    if (issues.length > 0) done(DomainError.validation('The request has text that cannot be stored', issues));
    else {
      if (req.isMultipart()) guardMultipartFields(req);
      done();
    }
  });
}

/**
 * Multipart text fields are parsed by the route (`req.file()`), after the hook above: the route's
 * `req.file()` is wrapped so the fields sent before the file get the same text check, and a bad one
 * is a 400 naming it (the file's stream drained, nothing kept).
 */
function guardMultipartFields(req: FastifyRequest): void {
  const readFile = req.file.bind(req);
  req.file = async (...args: Parameters<typeof readFile>) => {
    const file = await readFile(...args);
    if (!file) return file;
    const issues: FieldIssue[] = [];
    for (const [name, part] of Object.entries(file.fields)) {
      for (const p of Array.isArray(part) ? part : [part]) {
        const problem = p && p.type === 'field' ? textProblem(String(p.value)) : null;
        if (problem) issues.push({ field: name, messages: [problem] });
      }
    }
    if (issues.length > 0) {
      file.file.resume();
      throw DomainError.validation('The request has text that cannot be stored', issues);
    }
    return file;
  };
}
