import type { FieldIssue } from '#domain';

// Nest's OpenAPI metadata: the one declaration of each DTO field's type, array-ness and nullability.
const PROPERTIES = 'swagger/apiModelPropertiesArray';
const PROPERTY = 'swagger/apiModelProperties';

interface PropertyMeta {
  type?: unknown;
  isArray?: boolean;
  nullable?: boolean;
}

type Dto = abstract new (...args: never[]) => unknown;

function isDto(type: unknown): type is Dto {
  return typeof type === 'function' && !!type.prototype && Reflect.hasMetadata(PROPERTIES, type.prototype as object);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * What class-validator lets through a body although the DTO says otherwise, checked on the plain
 * JSON before class-transformer sees it: null in a field not declared nullable (an optional field
 * may be left out, not nulled), an array where one object is declared, and anything but an object
 * where a list of objects is declared (`deadlineRule: []`, `cooperating: [[[]]]`).
 */
export function bodyShapeIssues(value: unknown, type: unknown, path = ''): FieldIssue[] {
  if (!isDto(type) || !isPlainObject(value)) return [];
  const issues: FieldIssue[] = [];
  const keys = (Reflect.getMetadata(PROPERTIES, type.prototype as object) as string[]).map((k) => k.slice(1));
  for (const key of keys) {
    if (!Object.hasOwn(value, key)) continue;
    const v = value[key];
    const meta = (Reflect.getMetadata(PROPERTY, type.prototype as object, key) ?? {}) as PropertyMeta;
    const field = path ? `${path}.${key}` : key;
    if (v === null) {
      if (!meta.nullable) issues.push({ field, messages: [`${field} must not be null`] });
      continue;
    }
    const nested = isDto(meta.type) ? meta.type : undefined;
    if (meta.isArray && Array.isArray(v)) {
      v.forEach((el: unknown, i) => {
        const at = `${field}.${i}`;
        if (el === null) issues.push({ field: at, messages: [`${at} must not be null`] });
        else if (nested && !isPlainObject(el)) issues.push({ field: at, messages: [`${at} must be an object`] });
        else if (nested) issues.push(...bodyShapeIssues(el, nested, at));
      });
    } else if (nested && !meta.isArray) {
      if (!isPlainObject(v)) issues.push({ field, messages: [`${field} must be an object`] });
      else issues.push(...bodyShapeIssues(v, nested, field));
    }
  }
  return issues;
}
