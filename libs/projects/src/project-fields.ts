import {
  DomainError,
  addDays,
  dateOutOfRangeIssue,
  elapsedDays,
  isSupportedDate,
  parseAmount,
  type FieldIssue,
  type ProjectCategory,
  type ResourceScope,
  type ScheduleJudgement,
  type ScheduleStatus,
} from '#domain';
import type { InvestmentFigures } from './project-figures.js';

export const PROJECT_ENTITY = 'project';
export const MILESTONE_TEMPLATE_ENTITY = 'milestone_template';

export interface YearPlanInput {
  year: number;
  amount: string | number;
}

export interface MilestoneInput {
  name: string;
  plannedDate: string;
  responsibleUnitId?: string;
}

export interface ProjectFields {
  name: string;
  category: ProjectCategory;
  countyUnitId?: string | null;
  source?: string;
  description?: string;
  /** 万元 */
  plannedInvestment: string | number;
  /** 万元 completed before the first monthly report. */
  priorInvestment?: string | number;
  startYear: number;
  endYear: number;
  plannedStart?: string;
  plannedEnd?: string;
  responsibleUnitIds: string[];
  yearPlans?: YearPlanInput[];
}

export interface CreateProject extends ProjectFields {
  code: string;
  /** Milestones with planned dates; without them the template's milestones are spread over the period. */
  milestones?: MilestoneInput[];
}

export type UpdateProject = Partial<ProjectFields> & { version: number };

export interface ProjectFilter {
  category?: ProjectCategory[];
  countyUnitId?: string;
  unitId?: string;
  schedule?: ScheduleStatus[];
  year?: number;
  q?: string;
  page: number;
  pageSize: number;
}

export interface ProjectSummary {
  id: string;
  code: string;
  name: string;
  category: ProjectCategory;
  categoryLabel: string;
  countyUnitId: string | null;
  countyName: string | null;
  source: string;
  plannedInvestment: string;
  startYear: number;
  endYear: number;
  plannedStart: string;
  plannedEnd: string;
  responsibleUnits: { id: string; name: string }[];
  version: number;
  schedule: ScheduleJudgement;
  /** The latest report month (the month before today's) with its shares. */
  investment: InvestmentFigures;
}

export interface ProjectDetail extends ProjectSummary {
  description: string;
  priorInvestment: string;
  dispatcherUnitId: string;
  yearPlans: { year: number; amount: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface ProjectPage {
  data: ProjectSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** A project loaded for a permission check. */
export interface ProjectRef {
  id: string;
  version: number;
  scope: ResourceScope;
  dispatcherUnitId: string;
  responsibleUnitIds: string[];
  plannedStart: string;
  plannedEnd: string;
}

/** A project's fields checked and normalised: amounts as decimal strings, the period inside the years. */
export type CheckedFields = ProjectFields & { plannedStart: string; plannedEnd: string };

/** Checks and normalises the fields: amounts as decimal strings, the period inside the years. */
export function checkProjectFields(input: ProjectFields, creating: boolean): CheckedFields {
  const issues: FieldIssue[] = [];
  const amount = (field: string, value: unknown): string => {
    const parsed = parseAmount(value);
    if (!parsed.ok) issues.push({ field, messages: [`${field} ${parsed.problem}`] });
    return parsed.ok ? parsed.value : '0';
  };
  const plannedInvestment = amount('plannedInvestment', input.plannedInvestment);
  const priorInvestment = input.priorInvestment === undefined ? '0' : amount('priorInvestment', input.priorInvestment);
  const yearPlans = (input.yearPlans ?? []).map((y, i) => ({ year: y.year, amount: amount(`yearPlans.${i}.amount`, y.amount) }));
  if (!Number.isInteger(input.startYear) || !Number.isInteger(input.endYear) || input.endYear < input.startYear) {
    issues.push({ field: 'endYear', messages: ['endYear must be a year not before startYear'] });
  }
  const plannedStart = input.plannedStart ?? `${input.startYear}-01-01`;
  const plannedEnd = input.plannedEnd ?? `${input.endYear}-12-31`;
  if (!isSupportedDate(plannedStart) || plannedStart.slice(0, 4) !== String(input.startYear)) {
    issues.push({ field: 'plannedStart', messages: ['plannedStart must be a date in startYear'] });
  }
  if (!isSupportedDate(plannedEnd) || plannedEnd.slice(0, 4) !== String(input.endYear)) {
    issues.push({ field: 'plannedEnd', messages: ['plannedEnd must be a date in endYear'] });
  } else if (plannedEnd < plannedStart) {
    issues.push({ field: 'plannedEnd', messages: ['plannedEnd must not be before plannedStart'] });
  }
  const years = yearPlans.map((y) => y.year);
  if (new Set(years).size !== years.length) issues.push({ field: 'yearPlans', messages: ['each year may have one plan'] });
  const outside = years.filter((y) => y < input.startYear || y > input.endYear);
  if (outside.length) issues.push({ field: 'yearPlans', messages: [`years outside the construction period: ${outside.join(', ')}`] });
  const planned = yearPlans.reduce((sum, y) => sum + Math.round(Number(y.amount) * 100), 0);
  if (issues.length === 0 && planned > Math.round(Number(plannedInvestment) * 100)) {
    issues.push({ field: 'yearPlans', messages: ['the yearly plans add up to more than the planned total investment'] });
  }
  if (!input.responsibleUnitIds?.length) issues.push({ field: 'responsibleUnitIds', messages: ['at least one responsible unit'] });
  if (creating && !input.name?.trim()) issues.push({ field: 'name', messages: ['name must not be empty'] });
  if (issues.length) throw DomainError.validation('The project has invalid fields', issues);
  return { ...input, plannedInvestment, priorInvestment, yearPlans, plannedStart, plannedEnd };
}

/** The project's own columns, name to planned_end, in the order the INSERT and the UPDATE list them. */
export function columnValues(fields: CheckedFields): unknown[] {
  return [
    fields.name.trim(),
    fields.category,
    fields.countyUnitId ?? null,
    fields.source ?? '',
    fields.description ?? '',
    fields.plannedInvestment,
    fields.priorInvestment ?? '0',
    fields.startYear,
    fields.endYear,
    fields.plannedStart,
    fields.plannedEnd,
  ];
}

/** The date at a share of the period (0 = start, 1 = end), rounded to whole days. */
export function dateAtShare(start: string, end: string, share: number): string {
  const { total } = elapsedDays(start, end, end);
  return addDays(start, Math.round(share * (total - 1)));
}

export function checkMilestones(milestones: MilestoneInput[]): void {
  const issues: FieldIssue[] = [];
  const names = new Set<string>();
  for (const [i, ms] of milestones.entries()) {
    const name = ms.name?.trim();
    if (!name || name.length > 100) issues.push({ field: `milestones.${i}.name`, messages: ['name must be 1–100 characters'] });
    else if (names.has(name)) issues.push({ field: `milestones.${i}.name`, messages: [`${name} appears twice`] });
    else names.add(name);
    if (!isSupportedDate(ms.plannedDate ?? '')) issues.push(dateOutOfRangeIssue(`milestones.${i}.plannedDate`));
  }
  if (milestones.length > 30) issues.push({ field: 'milestones', messages: ['at most 30 milestones'] });
  if (issues.length) throw DomainError.validation('The milestones are not valid', issues);
}
