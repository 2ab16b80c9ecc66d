import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '#config';
import { PersistenceModule } from '#persistence';
import { QueueModule } from '#queue';
import { NotificationsModule } from '#notifications';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { EmailProcessor, NotificationsProcessor } from './notifications.processor.js';
import { Scheduler } from './scheduler.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AppConfigModule.forRoot(config), PersistenceModule, QueueModule, NotificationsModule],
      providers: [MaintenanceProcessor, NotificationsProcessor, EmailProcessor, Scheduler],
    };
  }
}
