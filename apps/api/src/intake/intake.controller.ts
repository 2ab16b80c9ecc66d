import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#domain';
import {
  DOCUMENT_LIMIT_BYTES,
  DecompositionService,
  LEDGER_IMPORT_LIMITS,
  LedgerExportService,
  LedgerImportService,
  type DecompositionResult,
  type LedgerImportResult,
  type LedgerPreview,
  type ReviewedDraft,
} from '#intake';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { jsonField, readUpload } from '../http/upload.js';
import {
  DecompositionCreatedDto,
  DecompositionResultDto,
  LedgerImportResultDto,
  LedgerPreviewDto,
  MappedUnitDto,
} from './intake.answers.dto.js';
import { LedgerExportQueryDto, PREVIEW_ID, checkMapping } from './intake.dto.js';

const CONTENT_TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv; charset=utf-8' };
const FILE_FORM = (fields: Record<string, object>) => ({
  schema: { type: 'object', required: ['file'], properties: { ...fields, file: { type: 'string', format: 'binary' } } },
});

/** Ledgers in and out, and policy documents split into draft items. Fields go before the file in the form. */
@ApiTags('intake')
@ApiBearerAuth()
@Controller()
export class IntakeController {
  constructor(
    @Inject(LedgerImportService) private readonly imports: LedgerImportService,
    @Inject(LedgerExportService) private readonly exports: LedgerExportService,
    @Inject(DecompositionService) private readonly decompositions: DecompositionService,
  ) {}

  @Post('batches/:id/ledger-import/preview')
  @HttpCode(200)
  @RequirePermission('item.create')
  @ApiOperation({ summary: 'Preview a ledger import (.xlsx): creations, field changes, row problems, unmatched units; writes nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_FORM({ mapping: { type: 'string', description: 'JSON {name: unitId}' }, saveAliases: { type: 'boolean' } }))
  @ApiExtraModels(MappedUnitDto)
  @ApiOkResponse({ type: LedgerPreviewDto })
  async preview(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) batchId: string,
    @Req() req: FastifyRequest,
  ): Promise<LedgerPreview> {
    const upload = await readUpload(req, LEDGER_IMPORT_LIMITS.maxFileBytes);
    return this.imports.preview(actor, {
      batchId,
      file: upload.buffer,
      mapping: checkMapping(jsonField(upload.fields, 'mapping', {})),
      saveAliases: upload.fields.saveAliases === 'true',
    });
  }

  @Post('batches/:id/ledger-import')
  @RequirePermission('item.create')
  @ApiOperation({ summary: 'Confirm a previewed ledger import: the same file, mapping and previewId, all or nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_FORM({ previewId: { type: 'string' }, mapping: { type: 'string' }, saveAliases: { type: 'boolean' } }))
  @ApiCreatedResponse({ type: LedgerImportResultDto, description: '409 PREVIEW_OUTDATED when anything differs from the preview' })
  async confirm(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) batchId: string,
    @Req() req: FastifyRequest,
  ): Promise<LedgerImportResult> {
    const upload = await readUpload(req, LEDGER_IMPORT_LIMITS.maxFileBytes);
    const previewId = upload.fields.previewId ?? '';
    if (!PREVIEW_ID.test(previewId)) {
      throw DomainError.validation('previewId is required (from the preview)', [
        { field: 'previewId', messages: ['must be the previewId of a preview'] },
      ]);
    }
    return this.imports.confirm(actor, {
      batchId,
      file: upload.buffer,
      previewId,
      mapping: checkMapping(jsonField(upload.fields, 'mapping', {})),
      saveAliases: upload.fields.saveAliases === 'true',
    });
  }

  @Get('items/export')
  @RequirePermission('item.read')
  @ApiOperation({ summary: 'The ledger (整改台账) of the items matching the list filters, streamed; its columns import back' })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The ledger as .xlsx or .csv', schema: { type: 'string', format: 'binary' } })
  async exportLedger(@CurrentActor() actor: SessionActor, @Query() q: LedgerExportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const { format, sort, ...filter } = q;
    const file = await this.exports.export(actor, { ...filter, sort }, format);
    await reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .send(file.stream);
  }

  @Post('decompositions')
  @HttpCode(200)
  @RequirePermission('item.create')
  @ApiOperation({ summary: 'Split a policy document (.txt or .docx) into its numbered tasks with units, dates and type; writes nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_FORM({}))
  @ApiOkResponse({ type: DecompositionResultDto })
  async decompose(@Req() req: FastifyRequest): Promise<DecompositionResult> {
    const upload = await readUpload(req, DOCUMENT_LIMIT_BYTES);
    return this.decompositions.decompose(upload);
  }

  @Post('batches/:id/decomposition')
  @RequirePermission('item.create')
  @ApiOperation({ summary: 'Create reviewed drafts as items of the batch in one step; the document is kept as its source' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(
    FILE_FORM({ drafts: { type: 'string', description: 'JSON [{no, title, leadUnitIds, cooperatingUnitIds, deadline, type, span}]' } }),
  )
  @ApiCreatedResponse({ type: DecompositionCreatedDto })
  async createFromDocument(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) batchId: string,
    @Req() req: FastifyRequest,
  ): Promise<{ sourceDocumentId: string; itemIds: string[] }> {
    const upload = await readUpload(req, DOCUMENT_LIMIT_BYTES);
    const drafts = jsonField<ReviewedDraft[]>(upload.fields, 'drafts', []);
    if (!Array.isArray(drafts))
      throw DomainError.validation('drafts must be a list', [{ field: 'drafts', messages: ['must be a JSON array'] }]);
    return this.decompositions.createItems(actor, batchId, upload, drafts);
  }
}
