/** The API's own OpenAPI document, read as data: every operation, its parameters and its body. */

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: Method;
  path: string;
  /** `GET /api/items/{id}` */
  name: string;
  parameters: Parameter[];
  body?: { kind: 'json' | 'multipart'; schema: Schema };
  /** Needs no sign-in. */
  public: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
      .map(([method, op]): Operation => {
        const content = op.requestBody?.content ?? {};
        const json = content['application/json']?.schema;
        const multipart = content['multipart/form-data']?.schema;
        const m = method.toUpperCase() as Method;
        return {
          method: m,
          path,
          name: `${m} ${path}`,
          parameters: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
          body: multipart ? { kind: 'multipart', schema: multipart } : json ? { kind: 'json', schema: json } : undefined,
          public: !op.security?.length,
        };
      }),
  );
}

/** A schema with its `$ref` and single `allOf` followed. */
export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 10; i++) {
    if (s.$ref) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
    else if (s.allOf?.length === 1 && !s.type) s = { ...s.allOf[0], nullable: s.nullable };
    else break;
  }
  return s;
}

/** A path with its `{name}` parameters filled in, each value encoded (unpaired surrogates as raw bytes). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeComponent(values[name] ?? ''));
}

/** encodeURIComponent that also encodes an unpaired surrogate (as its three raw UTF-8-like bytes) instead of throwing. */
export function encodeComponent(value: string): string {
  return Array.from(value)
    .map((ch) => {
      const c = ch.charCodeAt(0);
      if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      }
      return encodeURIComponent(ch);
    })
    .join('');
}
