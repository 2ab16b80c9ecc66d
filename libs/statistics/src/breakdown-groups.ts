import { DOMAIN_LABELS, SOURCE_LABELS } from '#domain';
import type { Breakdown } from './stat-scope.js';

/** How a breakdown groups stretches (t) and names and orders its groups (g). */
export const GROUPS: Record<Breakdown, { key: string; join: string; label: string; labelJoin: string; order: string }> = {
  leadUnit: {
    key: 'lu.id::text',
    join: 'CROSS JOIN LATERAL unnest(t.lead_unit_ids) AS lu(id)',
    label: 'o.name',
    labelJoin: 'LEFT JOIN org_unit o ON o.id::text = g.key',
    order: 'o.path NULLS LAST, g.key',
  },
  county: {
    key: 't.county_unit_id::text',
    join: '',
    label: 'o.name',
    labelJoin: 'LEFT JOIN org_unit o ON o.id::text = g.key',
    order: 'o.sort_order NULLS LAST, o.name NULLS LAST',
  },
  domain: { key: 't.domain', join: '', label: 'dl.label', labelJoin: labelsJoin('dl', DOMAIN_LABELS), order: 'dl.ord' },
  sourceType: {
    key: 'b.source_type',
    join: 'JOIN batch b ON b.id = t.batch_id',
    label: 'sl.label',
    labelJoin: labelsJoin('sl', SOURCE_LABELS),
    order: 'sl.ord',
  },
  batch: {
    key: 't.batch_id::text',
    join: '',
    label: 'b.name',
    labelJoin: 'JOIN batch b ON b.id::text = g.key',
    order: 'b.issued_on NULLS LAST, b.code',
  },
  deadlineMonth: {
    key: `to_char(t.current_deadline, 'YYYY-MM')`,
    join: '',
    label: 'g.key',
    labelJoin: '',
    order: 'g.key NULLS LAST',
  },
};

export const GROUP_NOTES: Record<Breakdown, string> = {
  leadUnit: '按牵头单位分组；有多个牵头单位的事项在每个牵头单位下各计一次，各组之和可能大于合计。',
  county: '按行政区分组；未填行政区的事项单列。',
  domain: '按领域分组。',
  sourceType: '按来源分组。',
  batch: '按轮次/批次分组。',
  deadlineMonth: '按现行整改时限所在月份分组；无时限的事项单列。',
};

/** A stretch's group in a breakdown, as the roll-up cells key it (a county's absence is ''). */
export function groupOfStretch(by: Breakdown | null): string {
  if (by === null) return `''`;
  return by === 'county' ? `coalesce(t.county_unit_id::text, '')` : GROUPS[by].key;
}

/** A VALUES list of fixed labels (from the domain's tables, not user input) to join names on. */
function labelsJoin(alias: string, labels: Record<string, string>): string {
  const rows = Object.entries(labels).map(([k, v], i) => `('${k}', '${v}', ${i})`);
  return `LEFT JOIN (VALUES ${rows.join(', ')}) AS ${alias}(key, label, ord) ON ${alias}.key = g.key`;
}
