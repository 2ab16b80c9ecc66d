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

/** Each unit in one role: lead over cooperating over implementing. */
function oneRole(lead: string[], cooperating: string[], implementing: string[]) {
  const co = cooperating.filter((id) => !lead.includes(id));
  return {
    leadUnitIds: lead,
    cooperatingUnitIds: co,
    implementingUnitIds: implementing.filter((id) => !lead.includes(id) && !co.includes(id)),
  };
}

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
  const roles = { lead: d.leadUnitIds, cooperating: d.cooperatingUnitIds, implementing: d.implementingUnitIds };
  roles[u.role] = union(roles[u.role], [unitId]);
  return { ...d, ...oneRole(roles.lead, roles.cooperating, roles.implementing), unmatched: d.unmatched.filter((x) => x !== u) };
}

export function editable(t: DraftTask): EditableDraft {
  return {
    key: `${t.no}-${t.span.start}`,
    no: t.no,
    label: t.label,
    title: t.title,
    text: t.text,
    ...oneRole(ids(t.lead), ids(t.cooperating), ids(t.implementing)),
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
  const stages = union(first.stages, second.stages).sort();
  const deadlines = [first.deadline, second.deadline].filter((d): d is string => d !== null).sort();
  return {
    ...first,
    title: `${first.title}；${second.title}`,
    text: `${first.text}\n${second.text}`,
    ...oneRole(
      union(first.leadUnitIds, second.leadUnitIds),
      union(first.cooperatingUnitIds, second.cooperatingUnitIds),
      union(first.implementingUnitIds, second.implementingUnitIds),
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
