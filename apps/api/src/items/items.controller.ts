import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import {
  CommentViewDto,
  EvidenceDto,
  ItemActionsDto,
  ItemDetailDto,
  ItemPageDto,
  ProgressDto,
  TransitionResultDto,
} from './item-views.dto.js';
import { ApiAnswers, ApiErrors } from '../http/api-answers.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HistoryService } from '#audit';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError } from '#domain';
import {
  BulkTransitionsService,
  EvidenceService,
  ITEM_ENTITY,
  ItemNotesService,
  ItemsService,
  TransitionService,
  type CommentView,
  type EvidenceView,
  type ItemDetail,
  type ItemPage,
  type ProgressView,
  type TransitionResult,
} from '#items';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { sendEvidence } from '../http/send-file.js';
import { openUpload } from '../http/upload.js';
import { HistoryRowDto } from '../org/org.dto.js';
import { toErrorResponse } from '../http/error-response.js';
import { ItemQueryDto } from './item-query.dto.js';
import { BulkTransitionDto, BulkTransitionResultDto, CommentDto, TransitionDto } from './item-transition.dto.js';
import { CreateItemDto, UpdateItemDto } from './items.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rectification items. Every state change goes through POST /items/:id/transitions. */
@ApiTags('items')
@ApiBearerAuth()
@Controller('items')
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly transitions: TransitionService,
    private readonly evidence: EvidenceService,
    private readonly notes: ItemNotesService,
    private readonly history: HistoryService,
    private readonly bulk: BulkTransitionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('bulk-transitions')
  @RequirePermission('item.read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assign or urge many items at once',
    description: 'Each item goes through the one transition function on its own; the answer says per item what was done or why not.',
  })
  @ApiAnswers(BulkTransitionResultDto)
  async bulkTransition(@CurrentActor() actor: SessionActor, @Body() body: BulkTransitionDto): Promise<BulkTransitionResultDto> {
    const outcomes = await this.bulk.run(actor, body.action, body.items, body.comment);
    return {
      results: outcomes.map((o) => {
        if (o.ok) return o;
        const { status, body: error } = toErrorResponse(o.error);
        return { id: o.id, ok: false, status, code: error.code, message: error.message };
      }),
    };
  }

  @Get()
  @ApiOperation({ summary: 'Rectification items in your scope, filtered, sorted and paged, with the total' })
  @RequirePermission('item.read')
  @ApiOkResponse({
    type: ItemPageDto,
    description: 'The items in your scope that match (counted exactly up to 1000)',
  })
  list(@CurrentActor() actor: SessionActor, @Query() query: ItemQueryDto): Promise<ItemPage> {
    return this.items.list(actor, query);
  }

  @Post()
  @ApiOperation({ summary: 'Create an item as a draft' })
  @RequirePermission('item.create')
  @ApiCreatedResponse({ type: ItemDetailDto, description: 'The new item, as a draft' })
  create(@CurrentActor() actor: SessionActor, @Body() body: CreateItemDto): Promise<ItemDetail> {
    return this.items.create(actor, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One item with units, deadlines, extensions, acceptances and the actions open to you' })
  @RequirePermission('item.read')
  @ApiOkResponse({
    type: ItemDetailDto,
    description: 'The item with its units, deadlines, extensions, acceptances and the actions open to you',
  })
  get(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<ItemDetail> {
    return this.items.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit the ledger fields while draft or assigned' })
  @RequirePermission('item.act')
  @ApiOkResponse({ type: ItemDetailDto, description: 'Ledger fields, editable while draft or assigned' })
  update(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateItemDto): Promise<ItemDetail> {
    return this.items.update(actor, id, body);
  }

  @Get(':id/actions')
  @ApiOperation({ summary: 'The actions you may take on the item now, and what blocks the others' })
  @RequirePermission('item.read')
  @ApiOkResponse({ type: ItemActionsDto, description: 'The actions you may take on the item now, and what blocks the others' })
  actions(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.transitions.available(actor, id);
  }

  @Post(':id/transitions')
  @ApiOperation({ summary: 'Take a workflow action on the item (the one way its state changes)' })
  @RequirePermission('item.read')
  @HttpCode(200)
  @ApiAnswers(TransitionResultDto, {
    409: 'A stale version (details.currentVersion) or an action not open in this state (details.allowedActions)',
    422: 'A guard condition is missing (details.missing)',
  })
  transition(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: TransitionDto,
  ): Promise<TransitionResult> {
    return this.transitions.transition(actor, id, body);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The item's history, each row naming who acted" })
  @RequirePermission('item.read')
  @ApiOkResponse({ type: [HistoryRowDto] })
  async historyOf(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<HistoryRowDto[]> {
    await this.items.get(actor, id);
    return this.history.list(ITEM_ENTITY, id);
  }

  @Get(':id/progress')
  @ApiOperation({ summary: 'Dated progress reports' })
  @RequirePermission('item.read')
  @ApiOkResponse({ type: [ProgressDto], description: 'Dated progress reports' })
  progress(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<ProgressView[]> {
    return this.notes.progress(actor, id);
  }

  @Get(':id/comments')
  @ApiOperation({ summary: 'Comments on the item' })
  @RequirePermission('item.read')
  @ApiOkResponse({ type: [CommentViewDto] })
  comments(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<CommentView[]> {
    return this.notes.comments(actor, id);
  }

  @Post(':id/comments')
  @ApiOperation({ summary: 'Add a comment' })
  @RequirePermission('item.read')
  @ApiCreatedResponse({ type: CommentViewDto })
  addComment(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CommentDto): Promise<CommentView> {
    return this.notes.addComment(actor, id, body.text);
  }

  @Get(':id/evidence')
  @ApiOperation({ summary: 'Evidence files (佐证材料) with size and SHA-256' })
  @RequirePermission('item.read')
  @ApiOkResponse({ type: [EvidenceDto], description: 'Evidence files with size and SHA-256' })
  evidenceList(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<EvidenceView[]> {
    return this.evidence.list(actor, id);
  }

  @Post(':id/evidence')
  @ApiOperation({ summary: 'Upload an evidence file (multipart field file)' })
  @RequirePermission('item.read')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        progressId: { type: 'string', format: 'uuid', description: 'Send before the file to attach it to a progress report' },
        file: { type: 'string', format: 'binary' },
      },
    },
  })
  @ApiCreatedResponse({
    type: EvidenceDto,
    description: 'Stored; PDF, images and Office documents only (checked by content), size-limited',
  })
  @ApiErrors({ 413: 'The file is larger than the upload limit', 415: 'Not a PDF, image or Office document (checked by content)' })
  async upload(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
  ): Promise<EvidenceView> {
    const file = await openUpload(req);
    // Fields sent before the file: progressId attaches the file to a progress report.
    const progressId = file.fields.progressId;
    if (progressId !== undefined && !UUID.test(progressId)) {
      file.stream.resume();
      throw DomainError.validation('progressId must be a UUID', [{ field: 'progressId', messages: ['must be a UUID'] }]);
    }
    return this.evidence.upload(actor, id, {
      stream: file.stream,
      filename: file.filename,
      limitBytes: this.config.http.uploadLimitBytes,
      progressId,
    });
  }

  @Get(':id/evidence/:evidenceId')
  @ApiOperation({ summary: 'Download an evidence file' })
  @RequirePermission('item.read')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file itself', schema: { type: 'string', format: 'binary' } })
  async download(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('evidenceId', ParseUUIDPipe) evidenceId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendEvidence(reply, await this.evidence.open(actor, id, evidenceId));
  }
}
