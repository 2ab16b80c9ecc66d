import { Module } from '@nestjs/common';
import { AuditModule } from '#audit';
import { ItemsModule } from '#items';
import { OrgModule } from '#org';
import { DecompositionService } from './decomposition.service.js';
import { LedgerExportService } from './ledger-export.service.js';
import { LedgerImportService } from './ledger-import.service.js';

/** How work enters and leaves as files: ledger import and export, policy-document decomposition. */
@Module({
  imports: [AuditModule, OrgModule, ItemsModule],
  providers: [LedgerImportService, LedgerExportService, DecompositionService],
  exports: [LedgerImportService, LedgerExportService, DecompositionService],
})
export class IntakeModule {}
