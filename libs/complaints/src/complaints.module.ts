import { Module } from '@nestjs/common';
import { ComplaintDailyReportService } from './complaint-daily-report.service.js';
import { ComplaintExportService } from './complaint-export.service.js';
import { ComplaintFiguresService } from './complaint-figures.service.js';
import { ComplaintImportService } from './complaint-import.service.js';
import { ComplaintIntakeService } from './complaint-intake.service.js';
import { ComplaintQueriesService } from './complaint-queries.service.js';

const SERVICES = [
  ComplaintIntakeService,
  ComplaintQueriesService,
  ComplaintImportService,
  ComplaintExportService,
  ComplaintFiguresService,
  ComplaintDailyReportService,
];

@Module({ providers: SERVICES, exports: SERVICES })
export class ComplaintsModule {}
