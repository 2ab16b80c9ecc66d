import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max } from 'class-validator';
import { isDomainError } from '#domain';
import { RectifyValidationPipe } from './validation.pipe.js';

class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Max(100) page?: number;
  @IsOptional() @IsIn(['a', 'b']) kind?: string;
}

// Another class of the same name with other rules (two modules may each have a "PageQuery").
const Other = (() => {
  class PageQuery {
    @IsOptional() @IsIn(['x']) kind?: string;
  }
  return PageQuery;
})();

const query = (metatype: unknown) => ({ type: 'query' as const, metatype: metatype as never, data: undefined });
const body = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as never, data: undefined });

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a validation error');
}

describe('RectifyValidationPipe', () => {
  it('turns a query into its DTO once: the same query again gets the same frozen DTO', async () => {
    const pipe = new RectifyValidationPipe();
    const first = (await pipe.transform({ page: '3', kind: 'a' }, query(PageQuery))) as PageQuery;
    expect(first).toBeInstanceOf(PageQuery);
    expect(first.page).toBe(3);
    expect(Object.isFrozen(first)).toBe(true);
    expect(await pipe.transform({ page: '3', kind: 'a' }, query(PageQuery))).toBe(first);
    const other = (await pipe.transform({ page: '4', kind: 'a' }, query(PageQuery))) as PageQuery;
    expect(other.page).toBe(4);
  });

  it('checks a failing query every time, and never lets it through', async () => {
    const pipe = new RectifyValidationPipe();
    for (let i = 0; i < 2; i++) {
      const e = await failure(pipe.transform({ page: '1000' }, query(PageQuery)));
      expect(isDomainError(e) && e.code).toBe('VALIDATION_FAILED');
    }
    expect(isDomainError(await failure(pipe.transform({ page: '1', extra: '1' }, query(PageQuery))))).toBe(true);
  });

  it('answers for the class it validated: a same-named class with other rules is checked by its own', async () => {
    const pipe = new RectifyValidationPipe();
    expect(await pipe.transform({ kind: 'a' }, query(PageQuery))).toBeInstanceOf(PageQuery);
    expect(isDomainError(await failure(pipe.transform({ kind: 'a' }, query(Other))))).toBe(true);
    expect(await pipe.transform({ kind: 'x' }, query(Other))).toBeInstanceOf(Other);
  });

  it('keeps at most maxQueries, and none longer than maxQueryLength; bodies are never kept', async () => {
    const pipe = new RectifyValidationPipe(2, 40);
    const a = await pipe.transform({ page: '1' }, query(PageQuery));
    await pipe.transform({ page: '2' }, query(PageQuery));
    await pipe.transform({ page: '3' }, query(PageQuery));
    expect(await pipe.transform({ page: '1' }, query(PageQuery))).not.toBe(a);
    // 'PageQuery?{"page":"1","kind":"b"}' is 33 characters: kept.
    const short = { page: '1', kind: 'b' };
    const s1 = await pipe.transform(short, query(PageQuery));
    expect(await pipe.transform(short, query(PageQuery))).toBe(s1);
    // 49 characters: checked every time.
    const tooLong = { page: '0000000000000000000000000001' };
    const t1 = await pipe.transform(tooLong, query(PageQuery));
    expect((t1 as PageQuery).page).toBe(1);
    expect(await pipe.transform(tooLong, query(PageQuery))).not.toBe(t1);
    const b1 = await pipe.transform({ page: 5 }, body(PageQuery));
    expect(await pipe.transform({ page: 5 }, body(PageQuery))).not.toBe(b1);
  });
});
