import type { Domain, ItemType, RectificationState } from '#domain';
import type { UnitDirectory, UnitSuggestion } from '#org';
import { FIELD_HEADER, TYPE_LABELS } from './ledger-columns.js';
import type { LedgerInputRow, RowError } from './ledger-sheet.js';

/** An item of the batch as the ledger fields compare it. */
export interface ExistingItem {
  id: string;
  code: string;
  version: number;
  state: RectificationState;
  title: string;
  feedbackText: string;
  domain: Domain;
  countyUnitId: string | null;
  goal: string;
  measures: string;
  type: ItemType;
  responsibleLeader: string | null;
  responsiblePerson: string | null;
  responsiblePhone: string | null;
  stageNodes: { name: string; due: string }[];
  deadline: string | null;
  lead: string[];
  cooperating: { unitId: string; part: string | null }[];
}

/** A row resolved: unit ids for its names. */
export interface ResolvedRow extends LedgerInputRow {
  countyUnitId: string | null;
  leadUnitIds: string[];
  cooperatingParts: { unitId: string; part: string | null }[];
}

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export interface PlannedRow {
  row: number;
  code: string;
  action: 'create' | 'update' | 'unchanged';
  itemId: string | null;
  /** The item's version the changes were computed against. */
  version: number | null;
  changes: FieldChange[];
  /** Differences the import leaves alone because the workflow owns them now. */
  kept: (FieldChange & { reason: string })[];
}

export interface UnmatchedUnit {
  name: string;
  rows: number[];
  columns: string[];
  suggestions: UnitSuggestion[];
}

/** Only draft and assigned items take every ledger field; later, what the workflow owns stays. */
const OPEN_STATES: readonly RectificationState[] = ['draft', 'assigned'];
const CLOSED_STATES: readonly RectificationState[] = ['signed_off', 'cancelled', 'merged', 'phase_completed'];

/** Resolves every unit name (the dispatcher's mapping first, then names and aliases); collects those that match none. */
export function resolveRows(
  rows: LedgerInputRow[],
  directory: UnitDirectory,
  mapping: Record<string, { id: string; name: string }>,
): { resolved: ResolvedRow[]; unmatched: UnmatchedUnit[] } {
  const unmatched = new Map<string, UnmatchedUnit>();
  // A ledger names the same few units on every row: each name is resolved once.
  const ids = new Map<string, string | null>();
  const lookup = (name: string, row: number, column: string): string | null => {
    let id = ids.get(name);
    if (id === undefined) {
      id = (mapping[name] ?? directory.resolve(name))?.id ?? null;
      ids.set(name, id);
    }
    if (id) return id;
    const u = unmatched.get(name) ?? { name, rows: [], columns: [], suggestions: directory.suggest(name) };
    if (!u.rows.includes(row)) u.rows.push(row);
    if (!u.columns.includes(column)) u.columns.push(column);
    unmatched.set(name, u);
    return null;
  };
  const resolved = rows.map((r) => ({
    ...r,
    countyUnitId: r.county ? lookup(r.county, r.row, FIELD_HEADER.county) : null,
    leadUnitIds: r.lead.map((n) => lookup(n, r.row, FIELD_HEADER.lead)).filter((id): id is string => id !== null),
    cooperatingParts: r.cooperating
      .map((c) => ({ unitId: lookup(c.name, r.row, FIELD_HEADER.cooperating), part: c.part }))
      .filter((c): c is { unitId: string; part: string | null } => c.unitId !== null),
  }));
  return { resolved, unmatched: [...unmatched.values()] };
}

export function checkUnits(rows: ResolvedRow[], errors: RowError[]): void {
  for (const r of rows) {
    const both = r.cooperatingParts.filter((c) => r.leadUnitIds.includes(c.unitId));
    if (both.length)
      errors.push({
        row: r.row,
        column: FIELD_HEADER.cooperating,
        value: r.cooperating.map((c) => c.name).join('、'),
        message: 'a unit is either lead or cooperating, not both',
      });
  }
}

/** Field by field: what a re-import changes on an existing item, and what it leaves to the workflow. */
export function planRow(r: ResolvedRow, item: ExistingItem | undefined, unitName: (id: string | null) => string): PlannedRow {
  if (!item) return { row: r.row, code: r.code, action: 'create', itemId: null, version: null, changes: [], kept: [] };
  const changes: FieldChange[] = [];
  const kept: PlannedRow['kept'] = [];
  const open = OPEN_STATES.includes(item.state);
  const closed = CLOSED_STATES.includes(item.state);
  const names = (ids: string[]): string => ids.map(unitName).sort().join('、');
  const parts = (ps: { unitId: string; part: string | null }[]): string =>
    ps
      .map((p) => unitName(p.unitId) + (p.part ? `（${p.part}）` : ''))
      .sort()
      .join('、');
  const nodes = (ns: { name: string; due: string }[]): string => ns.map((n) => `${n.due} ${n.name}`).join('\n');
  const compare = (
    field: keyof typeof FIELD_HEADER,
    from: string,
    to: string,
    owned: 'never' | 'after_assignment' | 'after_draft',
  ): void => {
    if (from === to) return;
    const change = { field: FIELD_HEADER[field], from, to };
    if (closed) kept.push({ ...change, reason: `the item is ${item.state}` });
    else if (owned === 'after_draft' && item.state !== 'draft')
      kept.push({ ...change, reason: 'changed through an extension once assigned' });
    else if (owned === 'after_assignment' && !open)
      kept.push({ ...change, reason: `the workflow owns it while the item is ${item.state}` });
    else changes.push(change);
  };
  compare('title', item.title, r.title, 'never');
  compare('feedbackText', item.feedbackText, r.feedbackText, 'never');
  compare('goal', item.goal, r.goal, 'never');
  compare('measures', item.measures, r.measures, 'never');
  compare('responsibleLeader', item.responsibleLeader ?? '', r.responsibleLeader ?? '', 'never');
  compare('responsiblePerson', item.responsiblePerson ?? '', r.responsiblePerson ?? '', 'never');
  compare('responsiblePhone', item.responsiblePhone ?? '', r.responsiblePhone ?? '', 'never');
  compare('domain', item.domain, r.domain, 'after_assignment');
  compare('county', unitName(item.countyUnitId), unitName(r.countyUnitId), 'after_assignment');
  compare('lead', names(item.lead), names(r.leadUnitIds), 'after_assignment');
  compare('cooperating', parts(item.cooperating), parts(r.cooperatingParts), 'after_assignment');
  compare('type', TYPE_LABELS[item.type], TYPE_LABELS[r.type], 'after_assignment');
  compare('stageNodes', nodes(item.stageNodes), nodes(r.stageNodes), 'after_assignment');
  compare('deadline', item.deadline ?? '', r.deadline ?? '', 'after_draft');
  return {
    row: r.row,
    code: r.code,
    action: changes.length ? 'update' : 'unchanged',
    itemId: item.id,
    version: item.version,
    changes,
    kept,
  };
}
