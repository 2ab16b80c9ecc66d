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
  unmatched: string[];
  stages: string[];
  deadline: string | null;
  type: DraftTask['type'];
  span: { start: number; end: number };
}

const ids = (list: DraftTask['lead']) => list.flatMap((u) => (u.unitId ? [u.unitId] : []));
const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

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
    unmatched: [...t.lead, ...t.cooperating, ...t.implementing].filter((u) => !u.unitId).map((u) => u.name),
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
    unmatched: union(first.unmatched, second.unmatched),
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
