import { Module } from '@nestjs/common';
import { ReportFiguresService } from './report-figures.js';
import { ReportsService } from './reports.service.js';
import { StatisticsSnapshots } from './snapshots.js';
import { StatisticsService } from './statistics.service.js';

@Module({
  providers: [StatisticsService, StatisticsSnapshots, ReportsService, ReportFiguresService],
  exports: [StatisticsService, StatisticsSnapshots, ReportsService, ReportFiguresService],
})
export class StatisticsModule {}
