import path from 'node:path';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { EVIDENCE_STORAGE, LocalDiskStorage } from './evidence-storage.js';

/** Evidence storage for every subject that keeps files (items, milestones, later complaints). */
@Module({
  providers: [
    {
      provide: EVIDENCE_STORAGE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new LocalDiskStorage(path.resolve(config.storage.evidenceDir)),
    },
  ],
  exports: [EVIDENCE_STORAGE],
})
export class FilesModule {}
