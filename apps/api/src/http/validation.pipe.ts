import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldIssue } from '#domain';
import { bodyShapeIssues } from './body-shape.js';

function flatten(errors: ValidationError[], prefix = ''): FieldIssue[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates and transforms DTOs; unknown fields are rejected, every problem is named by field.
 *
 * Query strings repeat (a page polls the same figures, a list is paged through with the same
 * filters), and turning one into its DTO is a pure function of the class and the text. So a query
 * that passed is remembered with its DTO, frozen and shared by the requests that send the same
 * query again; a query that failed is checked again each time. Bodies are always checked.
 */
export class RectifyValidationPipe extends ValidationPipe {
  private readonly queries = new Map<string, { metatype: unknown; dto: unknown }>();

  constructor(
    private readonly maxQueries = 2000,
    private readonly maxQueryLength = 1000,
  ) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => DomainError.validation('The request has invalid fields', flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const issues = bodyShapeIssues(value, metadata.metatype);
      if (issues.length > 0) throw DomainError.validation('The request has invalid fields', issues);
    }
    if (metadata.type !== 'query' || !metadata.metatype) return super.transform(value, metadata);
    const key = `${metadata.metatype.name}?${JSON.stringify(value)}`;
    if (key.length > this.maxQueryLength) return super.transform(value, metadata);
    const known = this.queries.get(key);
    // Two classes of one name share a key; the entry answers for its own class only.
    if (known?.metatype === metadata.metatype) return known.dto;
    const dto = deepFreeze<unknown>(await super.transform(value, metadata));
    // The oldest entry goes first when full (a Map iterates in insertion order).
    if (this.queries.size >= this.maxQueries) this.queries.delete(this.queries.keys().next().value!);
    this.queries.set(key, { metatype: metadata.metatype, dto });
    return dto;
  }
}
