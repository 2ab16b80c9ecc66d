import { Module } from '@nestjs/common';
import { FilesModule } from '#files';
import { OrgModule } from '#org';
import { WorkflowModule } from '#workflow';
import { MilestoneWorkflow } from './milestone-workflow.js';
import { InvestmentService } from './investment.service.js';
import { MilestonesService } from './milestones.service.js';
import { ProjectStatisticsService } from './project-statistics.service.js';
import { ProjectTransferService } from './project-transfer.service.js';
import { ProjectsService } from './projects.service.js';

@Module({
  imports: [FilesModule, OrgModule, WorkflowModule],
  providers: [MilestoneWorkflow, ProjectsService, MilestonesService, InvestmentService, ProjectStatisticsService, ProjectTransferService],
  exports: [ProjectsService, MilestonesService, InvestmentService, ProjectStatisticsService, ProjectTransferService],
})
export class ProjectsModule {}
