import { Module } from '@nestjs/common';
import { FilesModule } from '#files';
import { WorkflowModule } from '#workflow';
import { BatchesService } from './batches.service.js';
import { BulkTransitionsService } from './bulk-transitions.service.js';
import { DashboardService } from './dashboard.service.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { DeadlineRecomputeService } from './deadline-recompute.service.js';
import { ItemNotesService } from './item-notes.service.js';
import { ItemsService } from './items.service.js';
import { SavedFiltersService } from './saved-filters.service.js';
import { TransitionService } from './transition.service.js';
import { ItemWorkflow } from './item-workflow.js';

@Module({
  imports: [WorkflowModule, FilesModule],
  providers: [
    ItemWorkflow,
    BatchesService,
    ItemsService,
    TransitionService,
    EvidenceService,
    ItemNotesService,
    SavedFiltersService,
    DashboardService,
    BulkTransitionsService,
    DeadlineRecomputeService,
  ],
  exports: [
    BatchesService,
    ItemsService,
    TransitionService,
    EvidenceService,
    ItemNotesService,
    SavedFiltersService,
    DashboardService,
    BulkTransitionsService,
    DeadlineRecomputeService,
    FilesModule,
  ],
})
export class ItemsModule {}
