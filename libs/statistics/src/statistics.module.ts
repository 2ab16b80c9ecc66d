import { Module } from '@nestjs/common';
import { ItemsModule } from '#items';
import { ReportFiguresService } from './report-figures.js';
import { ReportsService } from './reports.service.js';
import { StatisticsSnapshots } from './snapshots.js';
import { StatisticsService } from './statistics.service.js';

@Module({
  imports: [ItemsModule],
  providers: [StatisticsService, StatisticsSnapshots, ReportsService, ReportFiguresService],
  exports: [StatisticsService, StatisticsSnapshots, ReportsService, ReportFiguresService],
})
export class StatisticsModule {}
