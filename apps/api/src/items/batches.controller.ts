import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BatchesService, type BatchView } from '#items';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { CreateBatchDto } from './items.dto.js';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Get()
  @RequirePermission('item.read')
  @ApiOkResponse({ description: 'Every batch with its acceptance chain and item count' })
  list(@CurrentActor() actor: SessionActor): Promise<BatchView[]> {
    return this.batches.list(actor);
  }

  @Get(':id')
  @RequirePermission('item.read')
  @ApiOkResponse({ description: 'One batch' })
  get(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<BatchView> {
    return this.batches.get(actor, id);
  }

  @Post()
  @RequirePermission('item.create')
  @ApiCreatedResponse({ description: 'The batch; the acceptance chain defaults by source type' })
  create(@CurrentActor() actor: SessionActor, @Body() body: CreateBatchDto): Promise<BatchView> {
    return this.batches.create(actor, body);
  }
}
