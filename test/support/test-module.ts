import { Global, Module, type DynamicModule, type InjectionToken, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AuditModule } from '#audit';
import { CalendarModule } from '#calendar';
import { AppConfigModule, ClockModule, loadConfig } from '#config';
import { systemClock, type Clock } from '#domain';
import { ItemsModule } from '#items';
import { OrgModule } from '#org';
import { StatisticsModule } from '#statistics';

export interface TestModuleOptions {
  /** The database the services use; the test opened it and closes it. */
  ds: DataSource;
  /** The clock services read "now" from. */
  clock?: Clock;
  /** Settings over the test environment (env.ts). */
  env?: Record<string, string>;
  /** Lib modules beyond org, audit, calendar, items and statistics (e.g. NotificationsModule). */
  imports?: (Type | DynamicModule)[];
  /** Providers replaced by a value (a mailer that sends nothing, …). */
  replace?: [InjectionToken, unknown][];
}

/** Hands the test's own DataSource to every module, where the app has TypeOrmModule. */
@Global()
@Module({})
class TestDataSourceModule {
  static forRoot(ds: DataSource): DynamicModule {
    return { module: TestDataSourceModule, providers: [{ provide: DataSource, useValue: ds }], exports: [DataSource] };
  }
}

/**
 * The one way a test gets services without HTTP: the real lib modules, wired by Nest as in the
 * app, on the test's database and clock. Close it with `close()` (it leaves the DataSource open).
 */
export async function buildTestModule(opts: TestModuleOptions): Promise<TestingModule> {
  let builder = Test.createTestingModule({
    imports: [
      TestDataSourceModule.forRoot(opts.ds),
      AppConfigModule.forRoot(loadConfig({ ...process.env, ...opts.env })),
      ClockModule.forRoot(opts.clock ?? systemClock),
      AuditModule,
      OrgModule,
      CalendarModule,
      ItemsModule,
      StatisticsModule,
      ...(opts.imports ?? []),
    ],
  });
  for (const [token, value] of opts.replace ?? []) builder = builder.overrideProvider(token).useValue(value);
  const module = await builder.compile();
  await module.init();
  return module;
}
