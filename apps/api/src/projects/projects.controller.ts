import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiOperation,
  ApiNoContentResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HistoryService } from '#audit';
import { APP_CONFIG, type AppConfig } from '#config';
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
import { openUpload, readUpload } from '../http/upload.js';
import { HistoryRowDto } from '../org/org.dto.js';
import { InvestmentReportAnswerDto, MilestoneDto, ProjectDetailDto, ProjectPageDto } from './projects.answers.dto.js';
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
  @ApiOperation({ summary: 'Key projects (重点工程) with schedule status' })
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'Projects in your scope with schedule status and investment shares', type: ProjectPageDto })
  list(@CurrentActor() actor: SessionActor, @Query() q: ProjectQueryDto) {
    return this.projects.list(actor, q);
  }

  @Post()
  @ApiOperation({ summary: 'Create a key project' })
  @RequirePermission('project.manage')
  @ApiCreatedResponse({
    description: 'The new project with its milestones (from the template unless given)',
    schema: { type: 'object', additionalProperties: true },
  })
  create(@CurrentActor() actor: SessionActor, @Body() body: CreateProjectDto) {
    return this.projects.create(actor, body);
  }

  @Get('milestone-template')
  @ApiOperation({ summary: 'The milestone template new projects start from' })
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'The milestones new projects start with', schema: { type: 'object', additionalProperties: true } })
  template() {
    return this.projects.template();
  }

  @Put('milestone-template')
  @ApiOperation({ summary: 'Set the milestone template' })
  @RequirePermission('project.manage')
  @ApiOkResponse({
    description: 'Administrators only: the milestones new projects start with, and where they fall in the period',
    schema: { type: 'object', additionalProperties: true },
  })
  setTemplate(@CurrentActor() actor: SessionActor, @Body() body: TemplateDto) {
    return this.projects.setTemplate(actor, body.template);
  }

  @Get('statistics/summary')
  @ApiOperation({ summary: 'Key project figures' })
  @RequirePermission('project.read')
  @ApiOkResponse({
    description: 'Schedule status counts, milestones due and done, investment rates; each figure with its formula',
    schema: { type: 'object', additionalProperties: true },
  })
  summary(@CurrentActor() actor: SessionActor, @Query() q: ProjectStatsQueryDto) {
    return this.stats.summary(actor, q);
  }

  @Get('statistics/breakdown')
  @ApiOperation({ summary: 'Key project figures by a dimension' })
  @RequirePermission('project.read')
  @ApiOkResponse({
    description: 'The same figures by category, county or responsible unit',
    schema: { type: 'object', additionalProperties: true },
  })
  breakdown(@CurrentActor() actor: SessionActor, @Query() q: ProjectBreakdownQueryDto) {
    const { by, ...query } = q;
    return this.stats.breakdown(actor, by, query);
  }

  @Get('export')
  @ApiOperation({ summary: 'Export the project ledger (.xlsx)' })
  @RequirePermission('project.read')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({
    description: 'The project ledger; its first columns can be imported again',
    schema: { type: 'string', format: 'binary' },
  })
  async export(@CurrentActor() actor: SessionActor, @Query() q: ProjectExportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const { format, page: _page, pageSize: _size, ...filter } = q;
    sendFile(reply, await this.transfer.export(actor, filter, format));
  }

  @Post('import')
  @ApiOperation({ summary: 'Import projects from a ledger workbook (.xlsx)' })
  @RequirePermission('project.manage')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({
    description: 'All rows created, or 422 IMPORT_REJECTED listing every problem by row and column (nothing written)',
    schema: { type: 'object', additionalProperties: true },
  })
  async import(@CurrentActor() actor: SessionActor, @Req() req: FastifyRequest) {
    const { buffer } = await readUpload(req, this.config.http.uploadLimitBytes);
    return this.transfer.import(actor, buffer);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One key project' })
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'The project with its units, plans and schedule status', type: ProjectDetailDto })
  get(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.projects.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a key project' })
  @RequirePermission('project.manage')
  @ApiOkResponse({
    description: 'Edits the ledger fields; 409 with the current version when yours is stale',
    schema: { type: 'object', additionalProperties: true },
  })
  update(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProjectDto) {
    return this.projects.update(actor, id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a key project' })
  @RequirePermission('project.manage')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Deletes a project entered by mistake (nothing reported on it yet); the reason stays in the history',
  })
  async remove(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: DeleteProjectQueryDto,
  ): Promise<void> {
    await this.projects.remove(actor, id, q.version, q.reason);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The project's history" })
  @RequirePermission('project.read')
  @ApiOkResponse({ type: [HistoryRowDto] })
  async historyOf(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<HistoryRowDto[]> {
    await this.projects.get(actor, id);
    return this.history.list(PROJECT_ENTITY, id);
  }

  @Get(':id/schedule')
  @ApiOperation({ summary: 'Schedule status (序时进度) of the project' })
  @RequirePermission('project.read')
  @ApiOkResponse({
    description: '序时进度 as of a day: elapsed share, milestones due/verified, delayed milestones, status',
    schema: { type: 'object', additionalProperties: true },
  })
  schedule(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Query() q: ScheduleQueryDto) {
    return this.projects.schedule(actor, id, q.asOf);
  }

  @Get(':id/milestones')
  @ApiOperation({ summary: "The project's milestones" })
  @RequirePermission('project.read')
  @ApiOkResponse({ description: 'Milestones in plan order', type: [MilestoneDto] })
  milestoneList(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.milestones.list(actor, id);
  }

  @Post(':id/milestones')
  @ApiOperation({ summary: 'Add a milestone' })
  @RequirePermission('project.manage')
  @ApiCreatedResponse({ description: 'A custom milestone', schema: { type: 'object', additionalProperties: true } })
  addMilestone(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: MilestoneInputDto) {
    return this.milestones.add(actor, id, body);
  }

  @Get(':id/milestones/:milestoneId')
  @ApiOperation({ summary: 'One milestone with its plan versions' })
  @RequirePermission('project.read')
  @ApiOkResponse({
    description: 'The milestone with its planned-date versions and the actions open to you',
    schema: { type: 'object', additionalProperties: true },
  })
  milestone(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
  ) {
    return this.milestones.get(actor, id, milestoneId);
  }

  @Post(':id/milestones/:milestoneId/transitions')
  @ApiOperation({ summary: 'Take a workflow action on a milestone' })
  @RequirePermission('project.read')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'start, report_done, verify, return, replan, urge; 409 stale/wrong state, 422 naming what is missing',
    schema: { type: 'object', additionalProperties: true },
  })
  transition(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: MilestoneTransitionDto,
  ) {
    return this.milestones.transition(actor, id, milestoneId, body);
  }

  @Get(':id/milestones/:milestoneId/history')
  @ApiOperation({ summary: "The milestone's history" })
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
  @ApiOperation({ summary: 'Evidence files of a milestone' })
  @RequirePermission('project.read')
  @ApiOkResponse({
    description: 'Evidence files with size and SHA-256',
    schema: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  evidenceList(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
  ) {
    return this.milestones.evidence(actor, id, milestoneId);
  }

  @Post(':id/milestones/:milestoneId/evidence')
  @ApiOperation({ summary: 'Upload evidence for a milestone (multipart field file)' })
  @RequirePermission('project.read')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({
    description: 'Stored; PDF, images and Office documents only (checked by content), size-limited',
    schema: { type: 'object', additionalProperties: true },
  })
  async upload(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Req() req: FastifyRequest,
  ) {
    const file = await openUpload(req);
    return this.milestones.uploadEvidence(actor, id, milestoneId, {
      stream: file.stream,
      filename: file.filename,
      limitBytes: this.config.http.uploadLimitBytes,
    });
  }

  @Get(':id/milestones/:milestoneId/evidence/:evidenceId')
  @ApiOperation({ summary: 'Download a milestone evidence file' })
  @RequirePermission('project.read')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file itself', schema: { type: 'string', format: 'binary' } })
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
  @ApiOperation({ summary: 'Monthly investment reports' })
  @RequirePermission('project.read')
  @ApiOkResponse({
    description: 'Every monthly report and correction, oldest first (superseded versions marked)',
    type: [InvestmentReportAnswerDto],
  })
  reports(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.investment.list(actor, id);
  }

  @Post(':id/investment')
  @ApiOperation({ summary: 'Report (or correct) a month’s investment' })
  @RequirePermission('project.read')
  @ApiCreatedResponse({
    description: 'A month’s report; a month already reported is 409 unless correctsVersion (the latest) and a reason are given',
    schema: { type: 'object', additionalProperties: true },
  })
  report(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: InvestmentReportDto) {
    return this.investment.report(actor, id, body);
  }

  @Get(':id/investment/figures')
  @ApiOperation({ summary: 'Investment against the plan and 序时进度' })
  @RequirePermission('project.read')
  @ApiOkResponse({
    description: 'This month, year to date, since start, shares of the annual plan and total, 序时进度; as of a day',
    schema: { type: 'object', additionalProperties: true },
  })
  figures(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Query() q: InvestmentQueryDto) {
    return this.investment.figures(actor, id, q.month, q.asOf);
  }
}
