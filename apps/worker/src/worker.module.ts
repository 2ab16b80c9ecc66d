import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '#audit';
import { ItemsModule } from '#items';
import { AppConfigModule, ClockModule, type AppConfig } from '#config';
import type { Clock } from '#domain';
import { PersistenceModule } from '#persistence';
import { QueueModule } from '#queue';
import { NotificationsModule } from '#notifications';
import { StatisticsModule } from '#statistics';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { EmailProcessor, NotificationsProcessor } from './notifications.processor.js';
import { Scheduler } from './scheduler.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        PersistenceModule,
        AuditModule,
        QueueModule,
        NotificationsModule,
        ItemsModule,
        StatisticsModule,
      ],
      providers: [MaintenanceProcessor, NotificationsProcessor, EmailProcessor, Scheduler],
    };
  }
}
