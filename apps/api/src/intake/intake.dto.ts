import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DomainError } from '#domain';
import { ItemQueryDto } from '../items/item-query.dto.js';

const FORMATS = ['xlsx', 'csv'] as const;

export class LedgerExportQueryDto extends OmitType(ItemQueryDto, ['page', 'pageSize'] as const) {
  @ApiPropertyOptional({ enum: FORMATS, default: 'xlsx' }) @IsOptional() @IsIn(FORMATS) format: (typeof FORMATS)[number] = 'xlsx';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `{"name as written": "unit id"}`: the dispatcher's mapping of unmatched unit names. */
export function checkMapping(value: unknown): Record<string, string> {
  const bad = (): DomainError =>
    DomainError.validation('mapping must be an object of unit names to unit ids', [
      { field: 'mapping', messages: ['must map names to unit ids'] },
    ]);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad();
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 2000) throw bad();
  for (const [name, id] of entries) if (!name.trim() || name.length > 200 || typeof id !== 'string' || !UUID.test(id)) throw bad();
  return value as Record<string, string>;
}

export const PREVIEW_ID = /^[0-9a-f]{64}$/;
