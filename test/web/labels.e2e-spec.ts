import { readFileSync } from 'node:fs';
import {
  DEADLINE_KINDS,
  DOMAINS,
  ITEM_TYPES,
  PART_STATUSES,
  RECTIFICATION_ACTIONS,
  RECTIFICATION_STATES,
  ROLES,
  SOURCE_TYPES,
} from '#domain';
import { TEMPLATES } from '#notifications';
import { LABELS, type LabelKind } from '../../apps/web/src/i18n/messages.js';

// Every code the api can hand the screens has a Chinese and an English label, so no raw code
// (`in_progress`, `extension`…) reaches a page.
const CODE_SETS: [LabelKind, readonly string[]][] = [
  ['state', RECTIFICATION_STATES],
  ['action', RECTIFICATION_ACTIONS],
  ['itemEvent', ['create', 'update', 'add_evidence', 'recompute_deadline']],
  ['deadlineKind', DEADLINE_KINDS],
  ['partStatus', PART_STATUSES],
  ['role', ROLES],
  ['source', SOURCE_TYPES],
  ['domain', DOMAINS],
  ['itemType', ITEM_TYPES],
  ['mailTemplate', Object.keys(TEMPLATES)],
];

describe('web: labels of the api codes', () => {
  it.each(CODE_SETS)('%s: every code has a Chinese and an English label, and the map has no stale code', (kind, codes) => {
    const map = LABELS[kind] as Record<string, readonly [string, string]>;
    expect(Object.keys(map).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const [zh, en] = map[code];
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(en).toMatch(/^[A-Z]/);
    }
  });

  it('the deadline kinds are the ones the item_deadline table allows', () => {
    const schema = readFileSync('migrations/schema.sql', 'utf8');
    const check = /item_deadline_kind_check CHECK \(\(kind = ANY \(ARRAY\[([^\]]+)\]/.exec(schema);
    const allowed = [...(check?.[1] ?? '').matchAll(/'(\w+)'::text/g)].map((m) => m[1]);
    expect(allowed.sort()).toEqual(['calendar', 'edit', 'extension', 'initial', 'reset']);
    expect([...DEADLINE_KINDS].sort()).toEqual(allowed);
  });
});
