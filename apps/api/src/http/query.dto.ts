import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { DATE_RANGE, isSupportedDate, isSupportedMonth } from '#domain';

/** Query strings carry text: "true"/"false" become booleans, "a,b" becomes a list. */
export const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);
export const toList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);

const RANGE = `between ${DATE_RANGE.from} and ${DATE_RANGE.to}`;
/** The supported range in the OpenAPI document, on every date field. */
const RANGE_EXTENSION: object = { 'x-date-range': { ...DATE_RANGE } };
const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function both(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** A real calendar date written YYYY-MM-DD (no 2025-02-30) inside the supported range (DATE_RANGE). */
export const IsDate = (): PropertyDecorator =>
  both(
    ValidateBy({
      name: 'isSupportedDate',
      validator: { validate: (v) => isSupportedDate(v), defaultMessage: (a) => `${a?.property} must be a real date (YYYY-MM-DD) ${RANGE}` },
    }),
    ApiProperty({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', ...RANGE_EXTENSION }),
  );

/** A month written YYYY-MM inside the supported range. */
export const IsMonth = (): PropertyDecorator =>
  both(
    ValidateBy({
      name: 'isSupportedMonth',
      validator: { validate: (v) => isSupportedMonth(v), defaultMessage: (a) => `${a?.property} must be a month (YYYY-MM) ${RANGE}` },
    }),
    ApiProperty({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', ...RANGE_EXTENSION }),
  );

/** A date (the end of that day) or an ISO 8601 instant with its offset, inside the supported range. */
export const IsDateOrInstant = (): PropertyDecorator =>
  both(
    ValidateBy({
      name: 'isSupportedDateOrInstant',
      validator: {
        validate: (v) => {
          if (typeof v !== 'string') return false;
          if (isSupportedDate(v)) return true;
          const m = INSTANT.exec(v);
          return !!m && isSupportedDate(m[1]) && !Number.isNaN(Date.parse(v));
        },
        defaultMessage: (a) =>
          `${a?.property} must be a date (YYYY-MM-DD) or an instant with its offset (2026-05-31T18:00:00+08:00), ${RANGE}`,
      },
    }),
    ApiProperty({ ...RANGE_EXTENSION }),
  );

/** Page and page size of every list endpoint; lists answer {data, total, page, pageSize}. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}
