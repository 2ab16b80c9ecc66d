import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { dataSourceOptions } from './data-source.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions({ url: config.database.url, poolSize: config.database.poolSize, poolWaitMs: config.database.poolWaitMs }),
        // Fail fast at boot instead of retrying for minutes.
        retryAttempts: 2,
        retryDelay: 500,
      }),
    }),
  ],
})
export class PersistenceModule {}
