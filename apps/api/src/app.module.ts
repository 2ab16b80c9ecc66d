import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from '#audit';
import { AppConfigModule, ClockModule, type AppConfig } from '#config';
import type { Clock } from '#domain';
import { OrgModule } from '#org';
import { PersistenceModule } from '#persistence';
import { RedisModule } from '#redis';
import { CalendarModule } from '#calendar';
import { ItemsModule } from '#items';
import { NotificationsModule } from '#notifications';
import { StatisticsModule } from '#statistics';
import { ProjectsModule } from '#projects';
import { IntakeModule } from '#intake';
import { IntakeController } from './intake/intake.controller.js';
import { ComplaintsModule } from '#complaints';
import { ComplaintEvidenceController } from './complaints/complaint-evidence.controller.js';
import { ComplaintsController } from './complaints/complaints.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { CalendarController } from './calendar/calendar.controller.js';
import { HealthController } from './health/health.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ApiIndexController } from './http/api-index.controller.js';
import { MeController } from './me/me.controller.js';
import { ErrorFilter } from './http/error.filter.js';
import { AuditController } from './items/audit.controller.js';
import { BatchesController } from './items/batches.controller.js';
import { ItemsController } from './items/items.controller.js';
import { RectifyValidationPipe } from './http/validation.pipe.js';
import { OrgUnitsController } from './org/org-units.controller.js';
import { ProjectsController } from './projects/projects.controller.js';
import { OutboxController } from './notifications/outbox.controller.js';
import { ReminderPolicyController } from './notifications/reminder-policy.controller.js';
import { StatisticsController } from './statistics/statistics.controller.js';
import { UsersController } from './org/users.controller.js';

export interface ApiOptions {
  /** Controllers mounted only by tests. */
  extraControllers?: Type[];
  /** The clock services read "now" from (the system clock unless a test controls it). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  /** The HTTP application for a validated config. */
  static forRoot(config: AppConfig, options: ApiOptions = {}): DynamicModule {
    const extraControllers = options.extraControllers ?? [];
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        PersistenceModule,
        AuditModule,
        RedisModule,
        OrgModule,
        AuthModule,
        ItemsModule,
        CalendarModule,
        NotificationsModule,
        StatisticsModule,
        ProjectsModule,
        MetricsModule,
        IntakeModule,
        ComplaintsModule,
      ],
      controllers: [
        HealthController,
        ApiIndexController,
        MeController,
        OrgUnitsController,
        UsersController,
        BatchesController,
        ItemsController,
        AuditController,
        CalendarController,
        OutboxController,
        ReminderPolicyController,
        StatisticsController,
        ProjectsController,
        IntakeController,
        ComplaintsController,
        ComplaintEvidenceController,
        ...extraControllers,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: () => new RectifyValidationPipe() },
      ],
    };
  }
}
