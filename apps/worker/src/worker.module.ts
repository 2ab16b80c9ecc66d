import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '#config';
import { PersistenceModule } from '#persistence';
import { QueueModule } from '#queue';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { Scheduler } from './scheduler.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AppConfigModule.forRoot(config), PersistenceModule, QueueModule],
      providers: [MaintenanceProcessor, Scheduler],
    };
  }
}
