/*
 * The OpenAPI document leaves the project responses free-form (`additionalProperties: true`), so the
 * generated types say nothing about them. These name the fields the pages read, as the api sends them
 * (libs/projects: ProjectSummary, MilestoneView, InvestmentReportView).
 */

export interface ProjectSummary {
  id: string;
  code: string;
  name: string;
  categoryLabel: string;
  countyName: string | null;
  source: string;
  plannedInvestment: string;
  startYear: number;
  endYear: number;
  plannedStart: string;
  plannedEnd: string;
  responsibleUnits: { id: string; name: string }[];
  version: number;
  schedule?: { status: string; expectedShare: number; actualShare: number };
  investment?: { month: string; expectedShare: number; annualShare: number | null; totalShare: number | null; status: string };
}

export interface ProjectPage {
  data: ProjectSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Milestone {
  id: string;
  seq: number;
  name: string;
  state: string;
  stateLabel?: string;
  plannedDate: string;
  originalPlannedDate: string;
  actualDate: string | null;
  delayed: boolean;
}

export interface InvestmentReport {
  id: string;
  month: string;
  version: number;
  amount: string;
  note: string;
  reason: string | null;
  reportedBy: string;
  reportedByName: string | null;
  reportedAt: string;
  superseded: boolean;
}
