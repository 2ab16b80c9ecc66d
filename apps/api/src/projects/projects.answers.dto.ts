import { ApiProperty } from '@nestjs/swagger';
import { MILESTONE_ACTIONS, MILESTONE_STATES, SCHEDULE_STATUSES } from '#domain';

/** What the key-project endpoints answer (libs/projects: ProjectSummary, MilestoneView, InvestmentReportView). */

class UnitRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class MilestoneCountsDto {
  @ApiProperty() total: number;
  @ApiProperty() due: number;
  @ApiProperty() verified: number;
  @ApiProperty() dueVerified: number;
  @ApiProperty() delayed: number;
}

class DelayedMilestoneDto {
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date' }) plannedDate: string;
  @ApiProperty() daysLate: number;
}

export class ScheduleJudgementDto {
  @ApiProperty({ enum: SCHEDULE_STATUSES }) status: string;
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty() elapsedDays: number;
  @ApiProperty() totalDays: number;
  @ApiProperty({ description: 'Elapsed share of the construction period (序时进度, 0–1)' }) expectedShare: number;
  @ApiProperty({ description: 'Verified milestones / all milestones (0–1)' }) actualShare: number;
  @ApiProperty({ type: MilestoneCountsDto }) milestones: MilestoneCountsDto;
  @ApiProperty({ type: [DelayedMilestoneDto] }) delayed: DelayedMilestoneDto[];
}

export class InvestmentFiguresDto {
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiProperty() expectedShare: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Year to date / annual plan' }) annualShare: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Since start / total planned' }) totalShare: number | null;
  @ApiProperty({ enum: ['behind', 'on_schedule', 'ahead', 'no_plan'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: '万元' }) thisMonth: string | null;
  @ApiProperty() yearToDate: string;
  @ApiProperty() sinceStart: string;
  @ApiProperty({ nullable: true, type: String }) annualPlan: string | null;
  @ApiProperty() total: string;
  @ApiProperty({ type: [String] }) missingMonths: string[];
}

export class ProjectSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() category: string;
  @ApiProperty() categoryLabel: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) countyUnitId: string | null;
  @ApiProperty({ nullable: true, type: String }) countyName: string | null;
  @ApiProperty() source: string;
  @ApiProperty({ description: '万元' }) plannedInvestment: string;
  @ApiProperty() startYear: number;
  @ApiProperty() endYear: number;
  @ApiProperty({ format: 'date' }) plannedStart: string;
  @ApiProperty({ format: 'date' }) plannedEnd: string;
  @ApiProperty({ type: [UnitRefDto] }) responsibleUnits: UnitRefDto[];
  @ApiProperty() version: number;
  @ApiProperty({ type: ScheduleJudgementDto }) schedule: ScheduleJudgementDto;
  @ApiProperty({ type: InvestmentFiguresDto, description: 'The latest report month with its shares' }) investment: InvestmentFiguresDto;
}

class YearPlanAnswerDto {
  @ApiProperty() year: number;
  @ApiProperty({ description: '万元' }) amount: string;
}

export class ProjectDetailDto extends ProjectSummaryDto {
  @ApiProperty() description: string;
  @ApiProperty() priorInvestment: string;
  @ApiProperty({ format: 'uuid' }) dispatcherUnitId: string;
  @ApiProperty({ type: [YearPlanAnswerDto] }) yearPlans: YearPlanAnswerDto[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ProjectPageDto {
  @ApiProperty({ type: [ProjectSummaryDto] }) data: ProjectSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

class PlanVersionDto {
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date' }) plannedDate: string;
  @ApiProperty() kind: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() at: string;
}

class MilestoneActionDto {
  @ApiProperty({ enum: MILESTONE_ACTIONS }) action: string;
  @ApiProperty() label: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: [String] }) blockedBy: string[];
  @ApiProperty() requiresReason: boolean;
}

export class MilestoneDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty() seq: number;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) responsibleUnitId: string;
  @ApiProperty() responsibleUnitName: string;
  @ApiProperty({ enum: MILESTONE_STATES }) state: string;
  @ApiProperty() stateLabel: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date' }) plannedDate: string;
  @ApiProperty({ format: 'date' }) originalPlannedDate: string;
  @ApiProperty({ type: [PlanVersionDto] }) planVersions: PlanVersionDto[];
  @ApiProperty({ nullable: true, type: String, format: 'date' }) actualDate: string | null;
  @ApiProperty({ nullable: true, type: String }) reportedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) verifiedAt: string | null;
  @ApiProperty() evidenceCount: number;
  @ApiProperty({ description: 'Not verified and its planned date has passed' }) delayed: boolean;
  @ApiProperty({ type: [MilestoneActionDto] }) actions: MilestoneActionDto[];
}

export class InvestmentReportAnswerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: '万元' }) amount: string;
  @ApiProperty() note: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'uuid' }) reportedBy: string;
  @ApiProperty({ nullable: true, type: String }) reportedByName: string | null;
  @ApiProperty() reportedAt: string;
  @ApiProperty({ description: 'A later version corrected it' }) superseded: boolean;
}
