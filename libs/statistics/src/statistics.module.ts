import { Module } from '@nestjs/common';
import { ItemsModule } from '#items';
import { ReportsService } from './reports.service.js';
import { StatisticsSnapshots } from './snapshots.js';
import { StatisticsService } from './statistics.service.js';

@Module({
  imports: [ItemsModule],
  providers: [StatisticsService, StatisticsSnapshots, ReportsService],
  exports: [StatisticsService, StatisticsSnapshots, ReportsService],
})
export class StatisticsModule {}
