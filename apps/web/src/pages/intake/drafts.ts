import type { DraftTask } from './intakeApi';

/** A task as the dispatcher edits it: units as ids, the rest as the document gave it. */
export interface EditableDraft {
  key: string;
  no: number;
  label: string;
  title: string;
  text: string;
  leadUnitIds: string[];
  cooperatingUnitIds: string[];
  implementingUnitIds: string[];
  /** Names of the document that match no unit, in the role the document gave them, with the closest units. */
  unmatched: UnmatchedName[];
  stages: string[];
  deadline: string | null;
  type: DraftTask['type'];
  span: { start: number; end: number };
}

export type Role = 'lead' | 'cooperating' | 'implementing';
export interface UnmatchedName {
  name: string;
  role: Role;
  suggestions: { id: string; name: string }[];
}

const ids = (list: DraftTask['lead']) => list.flatMap((u) => (u.unitId ? [u.unitId] : []));
const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
const ROLE_IDS = { lead: 'leadUnitIds', cooperating: 'cooperatingUnitIds', implementing: 'implementingUnitIds' } as const;

function unmatchedOf(t: DraftTask): UnmatchedName[] {
  const out: UnmatchedName[] = [];
  for (const role of ['lead', 'cooperating', 'implementing'] as const) {
    for (const u of t[role]) {
      if (u.unitId || out.some((x) => x.name === u.name)) continue;
      out.push({ name: u.name, role, suggestions: u.suggestions.map((x) => ({ id: x.id, name: x.name })) });
    }
  }
  return out;
}

/**
 * An unmatched name mapped to a unit: the unit joins the role the document gave the name unless it
 * holds a higher one already (lead, cooperating, implementing), and the name is no longer unmatched.
 */
export function take(d: EditableDraft, name: string, unitId: string): EditableDraft {
  const u = d.unmatched.find((x) => x.name === name);
  if (!u) return d;
  const next: EditableDraft = { ...d, unmatched: d.unmatched.filter((x) => x !== u) };
  const key = ROLE_IDS[u.role];
  if (!next[key].includes(unitId)) next[key] = [...next[key], unitId];
  // A unit holds one role: lead over cooperating over implementing.
  if (u.role === 'lead') {
    next.cooperatingUnitIds = next.cooperatingUnitIds.filter((id) => id !== unitId);
    next.implementingUnitIds = next.implementingUnitIds.filter((id) => id !== unitId);
  } else if (next.leadUnitIds.includes(unitId) || (u.role === 'implementing' && next.cooperatingUnitIds.includes(unitId))) {
    next[key] = next[key].filter((id) => id !== unitId);
  } else if (u.role === 'cooperating') {
    next.implementingUnitIds = next.implementingUnitIds.filter((id) => id !== unitId);
  }
  return next;
}

export function editable(t: DraftTask): EditableDraft {
  const lead = ids(t.lead);
  const cooperating = ids(t.cooperating).filter((id) => !lead.includes(id));
  return {
    key: `${t.no}-${t.span.start}`,
    no: t.no,
    label: t.label,
    title: t.title,
    text: t.text,
    leadUnitIds: lead,
    cooperatingUnitIds: cooperating,
    implementingUnitIds: ids(t.implementing).filter((id) => !lead.includes(id) && !cooperating.includes(id)),
    unmatched: unmatchedOf(t),
    stages: t.stages,
    deadline: t.deadline,
    type: t.type,
    span: { start: t.span.start, end: t.span.end },
  };
}

/** Two tasks become the first one: both texts, every unit, every stage, the later deadline. */
export function merge(a: EditableDraft, b: EditableDraft): EditableDraft {
  const [first, second] = a.span.start <= b.span.start ? [a, b] : [b, a];
  const lead = union(first.leadUnitIds, second.leadUnitIds);
  const cooperating = union(first.cooperatingUnitIds, second.cooperatingUnitIds).filter((id) => !lead.includes(id));
  const stages = union(first.stages, second.stages).sort();
  const deadlines = [first.deadline, second.deadline].filter((d): d is string => d !== null).sort();
  return {
    ...first,
    title: `${first.title}；${second.title}`,
    text: `${first.text}\n${second.text}`,
    leadUnitIds: lead,
    cooperatingUnitIds: cooperating,
    implementingUnitIds: union(first.implementingUnitIds, second.implementingUnitIds).filter(
      (id) => !lead.includes(id) && !cooperating.includes(id),
    ),
    unmatched: [...first.unmatched, ...second.unmatched.filter((u) => !first.unmatched.some((x) => x.name === u.name))],
    stages,
    deadline: deadlines.at(-1) ?? null,
    type: first.type === 'deadline' || second.type === 'deadline' ? 'deadline' : first.type,
    span: { start: Math.min(first.span.start, second.span.start), end: Math.max(first.span.end, second.span.end) },
  };
}

/** What POST /api/batches/:id/decomposition takes for one draft. */
export function reviewed(d: EditableDraft) {
  return {
    no: d.no,
    label: d.label,
    title: d.title,
    text: d.text,
    leadUnitIds: d.leadUnitIds,
    cooperatingUnitIds: d.cooperatingUnitIds,
    implementingUnitIds: d.implementingUnitIds,
    stages: d.stages,
    deadline: d.type === 'deadline' ? d.deadline : null,
    type: d.type,
    span: d.span,
  };
}
