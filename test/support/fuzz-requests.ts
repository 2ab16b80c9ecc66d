import fc from 'fast-check';
import { fillPath, encodeComponent, resolve, type Method, type OpenApiDocument, type Operation, type Schema } from './openapi.js';

/** One request as sent: a URL, headers and a body (JSON text, raw bytes or a form). */
export interface FuzzRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer | FormData;
  /** What was meant, for the failure report. */
  note: string;
}

const deep = (n: number): unknown => Array.from({ length: n }).reduce<unknown>((inner) => ({ a: inner }), 1);

/** The input classes that broke the API before (issue 21), as values a field or a parameter may get. */
export const HOSTILE_VALUES: unknown[] = [
  'a\u0000b',
  '\u0000',
  'x\ud800y',
  '\udc00',
  '\u202e.exe',
  '',
  '   ',
  'x'.repeat(20_000),
  null,
  [],
  {},
  [[[]]],
  0,
  -1,
  1e308,
  -0.5,
  true,
  '9999-12-31',
  '2025-02-30',
  '+010000-01-01',
  'not-a-date',
  'NaN',
  '../../etc/passwd',
  "'; DROP TABLE item; --",
  { $gt: '' },
  deep(40),
];

/** Whole bodies that are not what a JSON route expects. */
const HOSTILE_JSON_BODIES: { note: string; body: string | Buffer; type: string }[] = [
  { note: 'array nested 100,000 deep', body: '['.repeat(100_000) + ']'.repeat(100_000), type: 'application/json' },
  { note: 'object nested 5,000 deep', body: '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), type: 'application/json' },
  { note: 'truncated JSON', body: '{"a":', type: 'application/json' },
  { note: 'JSON string', body: '"text"', type: 'application/json' },
  { note: 'JSON number', body: '123', type: 'application/json' },
  { note: 'JSON null', body: 'null', type: 'application/json' },
  { note: 'JSON array', body: '[]', type: 'application/json' },
  { note: 'empty JSON body', body: '', type: 'application/json' },
  { note: 'lone surrogate escape', body: '{"name":"x\\ud800y","code":"\\udc00"}', type: 'application/json' },
  { note: 'NUL escape in a key', body: '{"na\\u0000me":"x"}', type: 'application/json' },
  {
    note: 'invalid UTF-8',
    body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0xff, 0x22, 0x7d]),
    type: 'application/json',
  },
  { note: 'prototype keys', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', type: 'application/json' },
  { note: 'text/plain', body: 'hello', type: 'text/plain' },
  { note: 'form-urlencoded', body: 'a=1&b=%00', type: 'application/x-www-form-urlencoded' },
];

const HOSTILE_FILE_NAMES = ['a\u0000b.xlsx', '\u202egnp.exe', `${'x'.repeat(10_000)}.pdf`, '../../evil.docx', '', 'x\ud800.txt'];
const FILE_BODIES = [
  Buffer.alloc(0),
  Buffer.from('not an office file'),
  Buffer.from('PK\u0003\u0004truncated zip'),
  Buffer.from('%PDF-1.4\n%%EOF'),
];

/** Context the values draw on: real ids (so some requests reach the data), and the document. */
export interface FuzzContext {
  doc: OpenApiDocument;
  ids: string[];
}

function stringFor(ctx: FuzzContext, s: Schema): fc.Arbitrary<string> {
  switch (s.format) {
    case 'uuid':
      return fc.oneof(fc.constantFrom(...ctx.ids), fc.uuid());
    case 'date':
      return fc
        .date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress();
    default:
      return fc.string({ maxLength: s.maxLength ?? 40, unit: 'grapheme' });
  }
}

/** A value the schema allows, or (one time in four) one of the hostile classes. */
export function valueFor(ctx: FuzzContext, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(ctx.doc, schema);
  const hostile = fc.constantFrom(...HOSTILE_VALUES);
  let valid: fc.Arbitrary<unknown>;
  if (s.enum?.length) valid = fc.constantFrom(...s.enum);
  else if (s.oneOf?.length || s.anyOf?.length) valid = fc.oneof(...(s.oneOf ?? s.anyOf ?? []).map((x) => valueFor(ctx, x, depth + 1)));
  else if (s.type === 'string') valid = stringFor(ctx, s);
  else if (s.type === 'integer') valid = fc.integer({ min: s.minimum ?? -10, max: s.maximum ?? 10_000 });
  else if (s.type === 'number') valid = fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
  else if (s.type === 'boolean') valid = fc.boolean();
  else if (s.type === 'array') valid = depth > 4 ? fc.constant([]) : fc.array(valueFor(ctx, s.items, depth + 1), { maxLength: 3 });
  else if (s.properties && depth <= 4) valid = objectFor(ctx, s, depth);
  else valid = fc.anything({ maxDepth: 2 });
  return fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostile, weight: 1 });
}

function objectFor(ctx: FuzzContext, s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueFor(ctx, v, depth + 1)]));
  const required = (s.required ?? []).filter((k) => k in props);
  return fc.record(model, { requiredKeys: required });
}

function queryString(values: [string, unknown][]): string {
  const parts = values.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Path and query parameters drawn from their schemas (optional ones sometimes left out). */
function urlFor(ctx: FuzzContext, op: Operation): fc.Arbitrary<string> {
  const path = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.record(Object.fromEntries(path.map((p) => [p.name, valueFor(ctx, p.schema).map(String)])));
  const queryArb = fc.tuple(
    ...query.map((p) =>
      p.required
        ? valueFor(ctx, p.schema).map((v) => [[p.name, v]])
        : fc.option(valueFor(ctx, p.schema)).map((v) => (v === null ? [] : [[p.name, v]])),
    ),
  );
  return fc
    .tuple(pathArb, queryArb)
    .map(([pv, qv]) => `${fillPath(op.path, pv as Record<string, string>)}${queryString(qv.flat() as [string, unknown][])}`);
}

function formFor(ctx: FuzzContext, schema: Schema): fc.Arbitrary<{ form: FormData; note: string }> {
  const props = Object.entries(resolve(ctx.doc, schema).properties ?? {}).filter(([, p]) => p.format !== 'binary');
  const fields = fc.tuple(...props.map(([k, p]) => fc.option(valueFor(ctx, p)).map((v): [string, unknown] => [k, v])));
  return fc
    .tuple(fields, fc.constantFrom(...HOSTILE_FILE_NAMES, 'ledger.xlsx', 'plan.txt'), fc.constantFrom(...FILE_BODIES))
    .map(([fs, name, bytes]) => {
      const form = new FormData();
      for (const [k, v] of fs) if (v !== null) form.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
      form.append('file', new Blob([bytes]), name);
      return { form, note: `form ${JSON.stringify(fs).slice(0, 200)} file ${JSON.stringify(name.slice(0, 40))} (${bytes.length} bytes)` };
    });
}

/** Requests drawn from the operation's schema: parameters and body as documented, laced with hostile values. */
export function schemaRequests(ctx: FuzzContext, op: Operation): fc.Arbitrary<FuzzRequest> {
  const url = urlFor(ctx, op);
  if (op.body?.kind === 'multipart') {
    return fc
      .tuple(url, formFor(ctx, op.body.schema))
      .map(([u, f]) => ({ method: op.method, url: u, headers: {}, body: f.form, note: f.note }));
  }
  if (op.body?.kind === 'json') {
    return fc.tuple(url, valueFor(ctx, op.body.schema)).map(([u, b]) => {
      const body = JSON.stringify(b) ?? 'null';
      return { method: op.method, url: u, headers: { 'content-type': 'application/json' }, body, note: `body ${body.slice(0, 200)}` };
    });
  }
  return url.map((u) => ({ method: op.method, url: u, headers: {}, note: 'no body' }));
}

/** The fixed hostile classes for one operation: malformed bodies, broken multipart, hostile path values. */
export function hostileRequests(ctx: FuzzContext, op: Operation): FuzzRequest[] {
  const [url] = fc.sample(urlFor(ctx, op), { numRuns: 1, seed: 21 });
  const requests: FuzzRequest[] = [];
  if (op.body?.kind === 'json' || (op.method !== 'GET' && op.method !== 'DELETE' && !op.body)) {
    for (const b of HOSTILE_JSON_BODIES)
      requests.push({ method: op.method, url, headers: { 'content-type': b.type }, body: b.body, note: b.note });
  }
  if (op.body?.kind === 'multipart') {
    requests.push({
      method: op.method,
      url,
      headers: { 'content-type': 'multipart/form-data' },
      body: 'x',
      note: 'multipart without boundary',
    });
    requests.push({
      method: op.method,
      url,
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nunterminated',
      note: 'multipart cut off',
    });
    requests.push({
      method: op.method,
      url,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      note: 'JSON where a form is expected',
    });
    const two = new FormData();
    two.append('file', new Blob([Buffer.from('a')]), 'a.txt');
    two.append('file', new Blob([Buffer.from('b')]), 'b.txt');
    requests.push({ method: op.method, url, headers: {}, body: two, note: 'two files' });
  }
  for (const value of ['a\u0000b', 'x\ud800y', 'x'.repeat(5000), '..%2f..']) {
    const params = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, value]));
    const q = op.parameters.filter((p) => p.in === 'query').map((p): [string, unknown] => [p.name, value]);
    requests.push({
      method: op.method,
      url: `${fillPath(op.path, params)}${queryString(q)}`,
      headers: {},
      note: `every parameter = ${JSON.stringify(value.slice(0, 20))}`,
    });
  }
  return requests;
}
