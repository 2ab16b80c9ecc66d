import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { BatchEditService, BatchesService, type BatchView } from '#items';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { BatchDto } from './item-views.dto.js';
import { CreateBatchDto, UpdateBatchDto } from './batch.dto.js';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesService,
    private readonly edits: BatchEditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Batches (督察批次) in your scope' })
  @RequirePermission('item.read')
  @ApiOkResponse({ type: [BatchDto], description: 'Every batch with its acceptance chain and item count' })
  list(@CurrentActor() actor: SessionActor): Promise<BatchView[]> {
    return this.batches.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One batch with its acceptance chain' })
  @RequirePermission('item.read')
  @ApiOkResponse({ type: BatchDto, description: 'One batch' })
  get(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<BatchView> {
    return this.batches.get(actor, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a batch with its source type and acceptance chain' })
  @RequirePermission('item.create')
  @ApiCreatedResponse({ type: BatchDto, description: 'The batch; the acceptance chain defaults by source type' })
  create(@CurrentActor() actor: SessionActor, @Body() body: CreateBatchDto): Promise<BatchView> {
    return this.batches.create(actor, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a batch (name, issuer, dates, notice settings) while none of its items has been signed off' })
  @RequirePermission('item.create')
  @ApiOkResponse({ type: BatchDto, description: 'The batch as edited; 409 BATCH_HAS_SIGNED_OFF_ITEMS once an item was signed off' })
  update(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateBatchDto): Promise<BatchView> {
    return this.edits.update(actor, id, body);
  }
}
