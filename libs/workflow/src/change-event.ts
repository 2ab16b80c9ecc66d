/**
 * What a recorded change emits: written to the outbox with the history row, in the same statement,
 * and read back by the notifications as this type. `R` names the subject (`{ itemId }`,
 * `{ milestoneId, projectId }`); the rest is the same for every workflow.
 */
export type ChangeEvent<R extends SubjectRef = SubjectRef> = R & {
  /** `<entity>.<action>`: item.submit, milestone.verify… */
  kind: string;
  action: string;
  from: string | null;
  to: string | null;
  actorId: string | null;
  reason: string | null;
  /** The history row that records the change (its chain sequence). */
  historySeq: number;
  details: ChangeDetails;
};

export type SubjectRef = Record<string, string>;
export type ItemRef = { itemId: string };
export type MilestoneRef = { milestoneId: string; projectId: string };

/** What a change did beyond its states, as far as anyone downstream reads it (levels are indexes into the chain). */
export interface ChangeDetails {
  levelIndex?: number;
  nextLevelIndex?: number;
  resumeLevelIndex?: number;
  returnTo?: 'unit' | 'recheck' | 'level';
  resumed?: boolean;
  late?: boolean;
  deadlineVersion?: number;
  /** The lead unit the change gave the subject, the one it took it from, and the cooperating units it named. */
  leadUnitId?: string;
  formerLeadUnitId?: string;
  cooperatingUnitIds?: string[];
  /** A complaint case closed for now: the day its lead unit committed to. An item merged: the item it went into. */
  committedDate?: string;
  mergedIntoCode?: string;
}

const DETAIL_NUMBERS = ['levelIndex', 'nextLevelIndex', 'resumeLevelIndex', 'deadlineVersion'] as const;
const DETAIL_FLAGS = ['resumed', 'late'] as const;
const DETAIL_TEXTS = ['committedDate', 'mergedIntoCode'] as const;
const RETURN_TARGETS = ['unit', 'recheck', 'level'] as const;

const isChange = (v: unknown): v is { from: string; to: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { from?: unknown }).from === 'string' &&
  typeof (v as { to?: unknown }).to === 'string';

/** The details an event carries, picked from what its history row records. */
export function changeDetails(data: Record<string, unknown>): ChangeDetails {
  const details: ChangeDetails = {};
  for (const key of DETAIL_NUMBERS) if (typeof data[key] === 'number') details[key] = data[key];
  for (const key of DETAIL_FLAGS) if (typeof data[key] === 'boolean') details[key] = data[key];
  for (const key of DETAIL_TEXTS) if (typeof data[key] === 'string') details[key] = data[key];
  const returnTo = RETURN_TARGETS.find((t) => t === data.returnTo);
  if (returnTo) details.returnTo = returnTo;
  // A history row records a new lead as { from, to }; the event, once written, as the two ids.
  const lead = data.leadUnitId;
  if (typeof lead === 'string') details.leadUnitId = lead;
  else if (isChange(lead)) [details.formerLeadUnitId, details.leadUnitId] = [lead.from, lead.to];
  if (typeof data.formerLeadUnitId === 'string') details.formerLeadUnitId = data.formerLeadUnitId;
  if (Array.isArray(data.cooperatingUnitIds) && data.cooperatingUnitIds.every((u) => typeof u === 'string'))
    details.cooperatingUnitIds = data.cooperatingUnitIds;
  return details;
}

/**
 * An outbox payload read back as the event it was written as, with the subject's fields named by
 * `refKeys`; null when it is not one (an older row, another kind of message).
 */
export function readChangeEvent<K extends string>(
  payload: unknown,
  kind: string,
  refKeys: readonly K[],
): ChangeEvent<Record<K, string>> | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const ref = {} as Record<K, string>;
  for (const key of refKeys) {
    const value = p[key];
    if (typeof value !== 'string') return null;
    ref[key] = value;
  }
  if (typeof p.historySeq !== 'number' || typeof p.action !== 'string') return null;
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const details = typeof p.details === 'object' && p.details !== null ? changeDetails(p.details as Record<string, unknown>) : {};
  return {
    ...ref,
    kind,
    action: p.action,
    from: text(p.from),
    to: text(p.to),
    actorId: text(p.actorId),
    reason: text(p.reason),
    historySeq: p.historySeq,
    details,
  };
}
