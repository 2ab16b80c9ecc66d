import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CASE_IMPORT_LIMITS,
  ComplaintDailyReportService,
  ComplaintExportService,
  ComplaintFiguresService,
  ComplaintImportService,
  ComplaintIntakeService,
  ComplaintQueriesService,
  ComplaintTransitionsService,
} from '#complaints';
import { CLOCK, DomainError, shanghaiDate, type Clock } from '#domain';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { readUpload } from '../http/upload.js';
import { PREVIEW_ID } from '../intake/intake.dto.js';
import {
  ComplaintBreakdownQueryDto,
  ComplaintExportQueryDto,
  ComplaintFiguresQueryDto,
  ComplaintListQueryDto,
  DailyReportQueryDto,
} from './complaint-query.dto.js';
import { ComplaintTransitionDto, SpawnItemDto } from './complaint-transition.dto.js';
import { CreateComplaintBatchDto, CreateComplaintCaseDto } from './complaints.dto.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const OBJECT = { type: 'object', additionalProperties: true } as const;
const FILE_FORM = (fields: Record<string, object>) => ({
  schema: { type: 'object', required: ['file'], properties: { ...fields, file: { type: 'string', format: 'binary' } } },
});

function download(reply: FastifyReply, filename: string): FastifyReply {
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('x-content-type-options', 'nosniff');
}

/** Complaint cases (信访举报件): batches, intake one by one or from .xlsx, lists, detail, export, figures, daily report. */
@ApiTags('complaints')
@ApiBearerAuth()
@Controller()
export class ComplaintsController {
  constructor(
    @Inject(ComplaintIntakeService) private readonly intake: ComplaintIntakeService,
    @Inject(ComplaintQueriesService) private readonly queries: ComplaintQueriesService,
    @Inject(ComplaintImportService) private readonly imports: ComplaintImportService,
    @Inject(ComplaintExportService) private readonly exports: ComplaintExportService,
    @Inject(ComplaintFiguresService) private readonly figures: ComplaintFiguresService,
    @Inject(ComplaintDailyReportService) private readonly daily: ComplaintDailyReportService,
    @Inject(ComplaintTransitionsService) private readonly transitions: ComplaintTransitionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('complaint-batches')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'Complaint batches (第N批) of the units whose cases you may read' })
  @ApiOkResponse({
    description: '[{id, round, batchNo, receivedOn, issuer, deadlineDays, deadlineKind, cases}]',
    schema: { type: 'array', items: OBJECT },
  })
  listBatches(@CurrentActor() actor: SessionActor) {
    return this.intake.listBatches(actor);
  }

  @Post('complaint-batches')
  @RequirePermission('complaint.create')
  @ApiOperation({ summary: 'Receive a batch of complaint cases (第N批) with its deadline rule' })
  @ApiCreatedResponse({ description: 'The batch; 409 BATCH_EXISTS for a round and number already received', schema: OBJECT })
  createBatch(@CurrentActor() actor: SessionActor, @Body() body: CreateComplaintBatchDto) {
    return this.intake.createBatch(actor, body);
  }

  @Post('complaint-batches/:id/cases')
  @RequirePermission('complaint.create')
  @ApiOperation({ summary: 'Receive one complaint case into a batch; answers the duplicate proposals it raised' })
  @ApiCreatedResponse({
    description: '{id, duplicates[{otherId, otherCaseNo, similarity}]}; 409 CASE_NO_TAKEN naming caseNo',
    schema: OBJECT,
  })
  createCase(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) batchId: string, @Body() body: CreateComplaintCaseDto) {
    return this.intake.createCase(actor, batchId, body);
  }

  @Post('complaint-batches/:id/import-preview')
  @HttpCode(200)
  @RequirePermission('complaint.create')
  @ApiOperation({ summary: 'Preview the import of a batch’s case list (.xlsx): row errors and duplicate proposals; writes nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_FORM({}))
  @ApiOkResponse({
    description:
      '{previewId, columns, summary, confirmable, rows[{row, caseNo, outcome, duplicates}], errors[{row, column, value, message}]}',
    schema: OBJECT,
  })
  async importPreview(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) batchId: string, @Req() req: FastifyRequest) {
    const upload = await readUpload(req, CASE_IMPORT_LIMITS.maxFileBytes);
    return this.imports.preview(actor, batchId, upload.buffer);
  }

  @Post('complaint-batches/:id/import')
  @RequirePermission('complaint.create')
  @ApiOperation({ summary: 'Confirm a previewed case list import: the same file and previewId, all or nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_FORM({ previewId: { type: 'string' } }))
  @ApiCreatedResponse({
    description: 'The import as previewed; 409 PREVIEW_OUTDATED for another file, 422 IMPORT_HAS_ERRORS',
    schema: OBJECT,
  })
  async importConfirm(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) batchId: string, @Req() req: FastifyRequest) {
    const upload = await readUpload(req, CASE_IMPORT_LIMITS.maxFileBytes);
    const previewId = upload.fields.previewId ?? '';
    if (!PREVIEW_ID.test(previewId)) {
      throw DomainError.validation('previewId is required (from the preview)', [
        { field: 'previewId', messages: ['must be the previewId of a preview'] },
      ]);
    }
    return this.imports.confirm(actor, batchId, upload.buffer, previewId);
  }

  @Get('complaint-batches/:id/daily-report')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'The batch’s daily report (每日办理情况): one line per case, as JSON with its text or as .xlsx' })
  @ApiProduces('application/json', XLSX)
  @ApiOkResponse({ description: '{title, asOf, counts, lines[{caseNo, verdict, line}], text}, or the .xlsx', schema: OBJECT })
  async dailyReport(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) batchId: string,
    @Query() q: DailyReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const asOf = q.asOf ?? shanghaiDate(this.clock.now());
    if (q.format !== 'xlsx') return this.daily.report(actor, batchId, asOf);
    const file = await this.daily.xlsx(actor, batchId, asOf);
    download(reply, file.filename);
    return file.body;
  }

  @Get('complaints')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'Complaint cases you may read, filtered, newest first' })
  @ApiOkResponse({
    description: '{data, total, totalIsExact, page, pageSize}: the complainant’s contact is never in a list',
    schema: OBJECT,
  })
  list(@CurrentActor() actor: SessionActor, @Query() q: ComplaintListQueryDto) {
    return this.queries.list(actor, q);
  }

  @Get('complaints/export')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'The filtered case list as .xlsx, streamed; contacts only when a dispatcher asks' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'The cases as .xlsx', schema: { type: 'string', format: 'binary' } })
  async export(@CurrentActor() actor: SessionActor, @Query() q: ComplaintExportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const { includeContact, ...filter } = q;
    const file = this.exports.export(actor, filter, includeContact === true);
    await download(reply, file.filename).send(file.stream);
  }

  @Get('complaints/statistics/summary')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'Complaint figures (办结率, 回访率, 属实率, on-time rates, fines…) as of a day, each with its formula' })
  @ApiOkResponse({
    description: '{asOf, scope, figures[{key, label, kind, value, display, numerator, denominator, formula}]}',
    schema: OBJECT,
  })
  summary(@CurrentActor() actor: SessionActor, @Query() q: ComplaintFiguresQueryDto) {
    return this.figures.summary(actor, q);
  }

  @Get('complaints/statistics/breakdown')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'Complaint figures by batch, county, pollution type or lead unit' })
  @ApiOkResponse({ description: '{asOf, dimension, definitions, rows[{key, label, figures}]}', schema: OBJECT })
  breakdown(@CurrentActor() actor: SessionActor, @Query() q: ComplaintBreakdownQueryDto) {
    const { dimension, ...filter } = q;
    return this.figures.breakdown(actor, dimension, filter);
  }

  @Get('complaints/:id')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'A complaint case with units, deadlines, verdicts, visits, duplicates and history' })
  @ApiOkResponse({ description: 'The case; contact only for dispatchers and administrators; another unit’s case is a 404', schema: OBJECT })
  get(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.get(actor, id);
  }

  @Get('complaints/:id/actions')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'The actions you may take on a case now, and what blocks the others' })
  @ApiOkResponse({ description: '[{action, label, enabled, blockedBy, requiresReason}]', schema: { type: 'array', items: OBJECT } })
  actions(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.transitions.actions(actor, id);
  }

  @Post('complaints/:id/transitions')
  @HttpCode(200)
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'Take a workflow action on a case (transfer, report_verdict, return, close, phase_close, publish, follow_up…)' })
  @ApiOkResponse({
    description: '{id, action, from, to, version, historySeq}; 409 for a stale version or an action not open, 422 naming what is missing',
    schema: OBJECT,
  })
  transition(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ComplaintTransitionDto) {
    return this.transitions.perform(actor, id, body);
  }

  @Post('complaints/:id/spawn-item')
  @RequirePermission('complaint.act')
  @ApiOperation({ summary: 'Turn a substantiated case into a rectification item (draft) linked back to it' })
  @ApiCreatedResponse({ description: '{itemId, version, historySeq…}', schema: OBJECT })
  spawnItem(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: SpawnItemDto) {
    return this.transitions.spawnItem(actor, id, body);
  }

  @Post('complaints/:id/duplicates/:otherId/reject')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('complaint.act')
  @ApiOperation({ summary: 'Reject a duplicate proposal (to confirm one, take the merge action)' })
  @ApiNoContentResponse({ description: 'Rejected, in the case’s history' })
  async rejectDuplicate(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('otherId', ParseUUIDPipe) otherId: string,
  ): Promise<void> {
    await this.transitions.rejectDuplicate(actor, id, otherId);
  }
}
