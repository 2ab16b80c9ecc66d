import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from '#audit';
import { AppConfigModule, type AppConfig } from '#config';
import { OrgModule } from '#org';
import { PersistenceModule } from '#persistence';
import { RedisModule } from '#redis';
import { AuthModule } from './auth/auth.module.js';
import { HealthController } from './health/health.controller.js';
import { ErrorFilter } from './http/error.filter.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { OrgUnitsController } from './org/org-units.controller.js';
import { UsersController } from './org/users.controller.js';

@Module({})
export class AppModule {
  /** The HTTP application for a validated config; tests may mount extra controllers. */
  static forRoot(config: AppConfig, extraControllers: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(config), PersistenceModule, AuditModule, RedisModule, OrgModule, AuthModule],
      controllers: [HealthController, OrgUnitsController, UsersController, ...extraControllers],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
