import { Module } from '@nestjs/common';
import { FilesModule } from '#files';
import { ItemsModule } from '#items';
import { WorkflowModule } from '#workflow';
import { ComplaintEvidenceService } from './complaint-evidence.service.js';
import { ComplaintDailyReportService } from './complaint-daily-report.service.js';
import { ComplaintExportService } from './complaint-export.service.js';
import { ComplaintFiguresService } from './complaint-figures.service.js';
import { ComplaintImportService } from './complaint-import.service.js';
import { ComplaintIntakeService } from './complaint-intake.service.js';
import { ComplaintQueriesService } from './complaint-queries.service.js';
import { ComplaintTransitionsService } from './complaint-transitions.service.js';
import { ComplaintWorkflow } from './complaint-workflow.js';

const SERVICES = [
  ComplaintIntakeService,
  ComplaintQueriesService,
  ComplaintImportService,
  ComplaintExportService,
  ComplaintFiguresService,
  ComplaintDailyReportService,
  ComplaintWorkflow,
  ComplaintTransitionsService,
  ComplaintEvidenceService,
];

@Module({ imports: [ItemsModule, WorkflowModule, FilesModule], providers: SERVICES, exports: SERVICES })
export class ComplaintsModule {}
