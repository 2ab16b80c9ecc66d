import type { Domain, ItemType } from '#domain';

export interface CooperatingPartInput {
  unitId: string;
  part?: string | null;
  subDeadline?: string | null;
}

export interface StageNode {
  name: string;
  due: string;
}

export interface ItemFields {
  title: string;
  feedbackText?: string;
  domain: Domain;
  countyUnitId?: string | null;
  goal?: string;
  measures?: string;
  type: ItemType;
  leadUnitIds?: string[];
  cooperating?: CooperatingPartInput[];
  responsibleLeader?: string | null;
  responsiblePerson?: string | null;
  responsiblePhone?: string | null;
  stageNodes?: StageNode[];
  deadline?: string | null;
  /** Instead of a date: N working or calendar days from an event, computed on the work calendar. */
  deadlineRule?: { kind: 'working_days' | 'calendar_days'; from: string; days: number; event?: string };
}

/** How a deadline given as a rule was computed, kept with the item. */
export interface StoredDeadlineRule {
  rule: NonNullable<ItemFields['deadlineRule']>;
  explanation: string;
  holidays: { date: string; name: string }[];
  /** Computed across a year whose holiday schedule was not published yet (recomputed when it is). */
  provisional?: boolean;
  unpublishedYears?: number[];
}

export interface CreateItem extends ItemFields {
  batchId: string;
  code: string;
}

export type UpdateItem = Partial<ItemFields> & { version: number };
