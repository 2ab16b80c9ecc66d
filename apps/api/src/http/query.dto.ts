import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Query strings carry text: "true"/"false" become booleans, "a,b" becomes a list. */
export const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);
export const toList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date written YYYY-MM-DD that exists (no 2025-02-30). */
export const IsDate = (): PropertyDecorator => {
  const strict = IsISO8601({ strict: true }, { message: '$property must be a real date (YYYY-MM-DD)' });
  const shape = Matches(DATE, { message: '$property must be a date (YYYY-MM-DD)' });
  return (target, key) => {
    strict(target, key);
    shape(target, key);
  };
};

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
