import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HistoryService } from '#audit';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError } from '#domain';
import {
  InvestmentService,
  MILESTONE_ENTITY,
  MilestonesService,
  PROJECT_ENTITY,
  ProjectStatisticsService,
  ProjectTransferService,
  ProjectsService,
} from '#projects';
import { CONTENT_TYPES } from '#statistics';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { sendEvidence, sendFile } from '../http/send-file.js';
import { HistoryRowDto } from '../org/org.dto.js';
import {
  CreateProjectDto,
  DeleteProjectQueryDto,
  InvestmentQueryDto,
  InvestmentReportDto,
  MilestoneInputDto,
  MilestoneTransitionDto,
  ProjectBreakdownQueryDto,
  ProjectExportQueryDto,
  ProjectQueryDto,
  ProjectStatsQueryDto,
  ScheduleQueryDto,
  TemplateDto,
  UpdateProjectDto,
} from './projects.dto.js';

/** Key projects (重点工程项目): ledger, milestones with their workflow, monthly investment, statistics. */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly milestones: MilestonesService,
    private readonly investment: InvestmentService,
    private readonly stats: ProjectStatisticsService,
    private readonly transfer: ProjectTransferService,
    private readonly history: HistoryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequirePermission('project.read')
  @ApiOkResponse({ description: '{data, total, page, pageSize}: projects in your scope with schedule status and investment shares' })
  list(@CurrentActor() actor: SessionActor, @Query() q: ProjectQueryDto) {
    return this.projects.list(actor, q);
  }

  @Post()
  @RequirePermission('project.manage')
  @ApiCreatedResponse({ description: 'The new project with its milestones (from the template unless given)' })
  create(@CurrentActor() actor: SessionActor, @Body() body: CreateProjectDto) {
    return this.projects.create(actor, body);
  }

  @Get('milestone-template')
  @RequirePermission('project.read')
  template() {
    return this.projects.template();
  }

  @Put('milestone-template')
  @RequirePermission('project.manage')
  @ApiOkResponse({ description: 'Administrators only: the milestones new projects start with, and where they fall in the period' })
  setTemplate(@CurrentActor() actor: SessionActor, @Body() body: TemplateDto) {
    return this.projects.setTemplate(actor, body.template);
  }

  @Get('statistics/summary')
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'Schedule status counts, milestones due and done, investment rates; each figure with its formula' })
  summary(@CurrentActor() actor: SessionActor, @Query() q: ProjectStatsQueryDto) {
    return this.stats.summary(actor, q);
  }

  @Get('statistics/breakdown')
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'The same figures by category, county or responsible unit' })
  breakdown(@CurrentActor() actor: SessionActor, @Query() q: ProjectBreakdownQueryDto) {
    const { by, ...query } = q;
    return this.stats.breakdown(actor, by, query);
  }

  @Get('export')
  @RequirePermission('project.read')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The project ledger; its first columns can be imported again' })
  async export(@CurrentActor() actor: SessionActor, @Query() q: ProjectExportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const { format, page: _page, pageSize: _size, ...filter } = q;
    sendFile(reply, await this.transfer.export(actor, filter, format));
  }

  @Post('import')
  @RequirePermission('project.manage')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ description: 'All rows created, or 422 IMPORT_REJECTED listing every problem by row and column (nothing written)' })
  async import(@CurrentActor() actor: SessionActor, @Req() req: FastifyRequest) {
    if (!req.isMultipart()) {
      throw new DomainError('unsupported_media', 'MULTIPART_REQUIRED', 'Send the .xlsx file as multipart/form-data in a field named file');
    }
    const file = await req.file({ limits: { fileSize: this.config.http.uploadLimitBytes } });
    if (!file || file.fieldname !== 'file')
      throw DomainError.validation('No file was sent', [{ field: 'file', messages: ['is required'] }]);
    const buffer = await file.toBuffer().catch((e: Error & { code?: string }) => {
      if (e.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new DomainError(
          'too_large',
          'FILE_TOO_LARGE',
          `The file is larger than the limit of ${this.config.http.uploadLimitBytes} bytes`,
        );
      }
      throw e;
    });
    return this.transfer.import(actor, buffer);
  }

  @Get(':id')
  @RequirePermission('project.read')
  get(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.projects.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('project.manage')
  @ApiOkResponse({ description: 'Edits the ledger fields; 409 with the current version when yours is stale' })
  update(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProjectDto) {
    return this.projects.update(actor, id, body);
  }

  @Delete(':id')
  @RequirePermission('project.manage')
  @HttpCode(204)
  @ApiOkResponse({ description: 'Deletes a project entered by mistake (nothing reported on it yet); the reason stays in the history' })
  async remove(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: DeleteProjectQueryDto,
  ): Promise<void> {
    await this.projects.remove(actor, id, q.version, q.reason);
  }

  @Get(':id/history')
  @RequirePermission('project.read')
  @ApiOkResponse({ type: [HistoryRowDto] })
  async historyOf(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<HistoryRowDto[]> {
    await this.projects.get(actor, id);
    return this.history.list(PROJECT_ENTITY, id);
  }

  @Get(':id/schedule')
  @RequirePermission('project.read')
  @ApiOkResponse({ description: '序时进度 as of a day: elapsed share, milestones due/verified, delayed milestones, status' })
  schedule(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Query() q: ScheduleQueryDto) {
    return this.projects.schedule(actor, id, q.asOf);
  }

  @Get(':id/milestones')
  @RequirePermission('project.read')
  milestoneList(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.milestones.list(actor, id);
  }

  @Post(':id/milestones')
  @RequirePermission('project.manage')
  @ApiCreatedResponse({ description: 'A custom milestone' })
  addMilestone(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: MilestoneInputDto) {
    return this.milestones.add(actor, id, body);
  }

  @Get(':id/milestones/:milestoneId')
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'The milestone with its planned-date versions and the actions open to you' })
  milestone(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
  ) {
    return this.milestones.get(actor, id, milestoneId);
  }

  @Post(':id/milestones/:milestoneId/transitions')
  @RequirePermission('project.read')
  @HttpCode(200)
  @ApiOkResponse({ description: 'start, report_done, verify, return, replan, urge; 409 stale/wrong state, 422 naming what is missing' })
  transition(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: MilestoneTransitionDto,
  ) {
    return this.milestones.transition(actor, id, milestoneId, body);
  }

  @Get(':id/milestones/:milestoneId/history')
  @RequirePermission('project.read')
  @ApiOkResponse({ type: [HistoryRowDto] })
  async milestoneHistory(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
  ): Promise<HistoryRowDto[]> {
    await this.milestones.get(actor, id, milestoneId);
    return this.history.list(MILESTONE_ENTITY, milestoneId);
  }

  @Get(':id/milestones/:milestoneId/evidence')
  @RequirePermission('project.read')
  evidenceList(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
  ) {
    return this.milestones.evidence(actor, id, milestoneId);
  }

  @Post(':id/milestones/:milestoneId/evidence')
  @RequirePermission('project.read')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ description: 'Stored; PDF, images and Office documents only (checked by content), size-limited' })
  async upload(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Req() req: FastifyRequest,
  ) {
    if (!req.isMultipart()) {
      throw new DomainError('unsupported_media', 'MULTIPART_REQUIRED', 'Send the file as multipart/form-data in a field named file');
    }
    const file = await req.file();
    if (!file || file.fieldname !== 'file')
      throw DomainError.validation('No file was sent', [{ field: 'file', messages: ['is required'] }]);
    return this.milestones.uploadEvidence(actor, id, milestoneId, {
      stream: file.file,
      filename: file.filename,
      limitBytes: this.config.http.uploadLimitBytes,
    });
  }

  @Get(':id/milestones/:milestoneId/evidence/:evidenceId')
  @RequirePermission('project.read')
  async download(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Param('evidenceId', ParseUUIDPipe) evidenceId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendEvidence(reply, await this.milestones.openEvidence(actor, id, milestoneId, evidenceId));
  }

  @Get(':id/investment')
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'Every monthly report and correction, oldest first (superseded versions marked)' })
  reports(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.investment.list(actor, id);
  }

  @Post(':id/investment')
  @RequirePermission('project.read')
  @ApiCreatedResponse({
    description: 'A month’s report; a month already reported is 409 unless correctsVersion (the latest) and a reason are given',
  })
  report(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: InvestmentReportDto) {
    return this.investment.report(actor, id, body);
  }

  @Get(':id/investment/figures')
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'This month, year to date, since start, shares of the annual plan and total, 序时进度; as of a day' })
  figures(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Query() q: InvestmentQueryDto) {
    return this.investment.figures(actor, id, q.month, q.asOf);
  }
}
