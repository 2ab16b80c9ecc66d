import { Module } from '@nestjs/common';
import { ItemsModule } from '#items';
import { ReportsService } from './reports.service.js';
import { StatisticsService } from './statistics.service.js';

@Module({
  imports: [ItemsModule],
  providers: [StatisticsService, ReportsService],
  exports: [StatisticsService, ReportsService],
})
export class StatisticsModule {}
