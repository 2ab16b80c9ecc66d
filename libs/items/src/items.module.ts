import { Module } from '@nestjs/common';
import { FilesModule } from '#files';
import { WorkflowModule } from '#workflow';
import { BatchEditService } from './batch-edit.service.js';
import { BatchesService } from './batches.service.js';
import { BulkTransitionsService } from './bulk-transitions.service.js';
import { DashboardService } from './dashboard.service.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { DeadlineRecomputeService } from './deadline-recompute.service.js';
import { ItemNotesService } from './item-notes.service.js';
import { ItemsService } from './items.service.js';
import { NoticeCloser } from './notice-closer.service.js';
import { SavedFiltersService } from './saved-filters.service.js';
import { TransitionService } from './transition.service.js';
import { ItemWorkflow } from './item-workflow.js';

@Module({
  imports: [WorkflowModule, FilesModule],
  providers: [
    ItemWorkflow,
    BatchesService,
    BatchEditService,
    ItemsService,
    TransitionService,
    EvidenceService,
    ItemNotesService,
    SavedFiltersService,
    DashboardService,
    BulkTransitionsService,
    DeadlineRecomputeService,
    NoticeCloser,
  ],
  exports: [
    BatchesService,
    BatchEditService,
    ItemsService,
    TransitionService,
    EvidenceService,
    ItemNotesService,
    SavedFiltersService,
    DashboardService,
    BulkTransitionsService,
    DeadlineRecomputeService,
    NoticeCloser,
    FilesModule,
  ],
})
export class ItemsModule {}
