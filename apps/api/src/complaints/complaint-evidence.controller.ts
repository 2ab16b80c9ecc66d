import { Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ComplaintEvidenceService, type ComplaintEvidenceView } from '#complaints';
import { APP_CONFIG, type AppConfig } from '#config';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { ApiErrors } from '../http/api-answers.js';
import { sendEvidence } from '../http/send-file.js';
import { openUpload } from '../http/upload.js';
import { PersonRefDto } from '../org/org.dto.js';

export class ComplaintEvidenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The verdict report it went in with; null until the next one' })
  verdictSeq: number | null;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedById: string;
  @ApiProperty({ nullable: true, type: PersonRefDto }) uploadedBy: PersonRefDto | null;
  @ApiProperty() uploadedAt: Date;
}

/** Evidence files of a complaint case: the same checks and storage as item evidence, the case's scope. */
@ApiTags('complaints')
@ApiBearerAuth()
@Controller('complaints/:id/evidence')
export class ComplaintEvidenceController {
  constructor(
    @Inject(ComplaintEvidenceService) private readonly evidence: ComplaintEvidenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'Evidence files of a case with size and SHA-256' })
  @ApiOkResponse({ type: [ComplaintEvidenceDto], description: 'Evidence files; another unit’s case is a 404' })
  list(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<ComplaintEvidenceView[]> {
    return this.evidence.list(actor, id);
  }

  @Post()
  @RequirePermission('complaint.act')
  @ApiOperation({ summary: 'Upload an evidence file for a case (multipart field file); it goes with the next verdict report' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: ComplaintEvidenceDto, description: 'Stored; PDF, images and Office documents only, size-limited' })
  @ApiErrors({
    409: 'The case is archived or merged',
    413: 'The file is larger than the upload limit',
    415: 'Not a PDF, image or Office document (checked by content)',
  })
  async upload(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
  ): Promise<ComplaintEvidenceView> {
    const file = await openUpload(req);
    return this.evidence.upload(actor, id, { stream: file.stream, filename: file.filename, limitBytes: this.config.http.uploadLimitBytes });
  }

  @Get(':evidenceId')
  @RequirePermission('complaint.read')
  @ApiOperation({ summary: 'Download a case’s evidence file' })
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

  @Delete(':evidenceId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('complaint.act')
  @ApiOperation({ summary: 'Withdraw a file not yet reported with a verdict (its unit or the dispatcher); kept in the history' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiErrors({ 409: 'EVIDENCE_ALREADY_REPORTED: the file went in with a verdict report' })
  async remove(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('evidenceId', ParseUUIDPipe) evidenceId: string,
  ): Promise<void> {
    await this.evidence.remove(actor, id, evidenceId);
  }
}
