import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { HistoryService } from '#audit';
import { DomainError } from '#domain';
import { ORG_UNIT_ENTITY, OrgUnitsService, type OrgUnitTreeNode, type OrgUnitView } from '#org';
import { CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import {
  CreateOrgUnitDto,
  HistoryRowDto,
  OrgUnitDto,
  OrgUnitQueryDto,
  OrgUnitTreeDto,
  ResolveUnitQueryDto,
  UpdateOrgUnitDto,
} from './org.dto.js';

/** The unit directory is readable by every signed-in user (units pick each other when assigning work). */
@ApiTags('org-units')
@ApiBearerAuth()
@Controller('org-units')
export class OrgUnitsController {
  constructor(
    private readonly units: OrgUnitsService,
    private readonly history: HistoryService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Org units in your scope' })
  @RequirePermission('org.read')
  @ApiOkResponse({ type: [OrgUnitDto] })
  list(@Query() query: OrgUnitQueryDto): Promise<OrgUnitView[]> {
    return this.units.list(query);
  }

  @Get('tree')
  @ApiOperation({ summary: 'The org unit tree' })
  @RequirePermission('org.read')
  @ApiOkResponse({ type: [OrgUnitTreeDto] })
  tree(): Promise<OrgUnitTreeNode[]> {
    return this.units.tree();
  }

  @Get('resolve')
  @ApiOperation({ summary: 'Find a unit by its name or an alias' })
  @RequirePermission('org.read')
  @ApiOkResponse({ type: OrgUnitDto, description: 'The unit with this name, code or alias' })
  async resolve(@Query() query: ResolveUnitQueryDto): Promise<OrgUnitView> {
    const unit = await this.units.resolve(query.name);
    if (!unit) throw new DomainError('not_found', 'ORG_UNIT_NOT_FOUND', `No unit is named ${query.name}`, { name: query.name });
    return unit;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One org unit with its aliases' })
  @RequirePermission('org.read')
  @ApiOkResponse({ type: OrgUnitDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<OrgUnitView> {
    return this.units.get(id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The unit's history" })
  @RequirePermission('org.manage')
  @ApiOkResponse({ type: [HistoryRowDto] })
  async historyOf(@Param('id', ParseUUIDPipe) id: string): Promise<HistoryRowDto[]> {
    await this.units.get(id);
    return this.history.list(ORG_UNIT_ENTITY, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create an org unit' })
  @RequirePermission('org.manage')
  @ApiCreatedResponse({ type: OrgUnitDto })
  create(@CurrentActor() actor: SessionActor, @Body() body: CreateOrgUnitDto): Promise<OrgUnitView> {
    return this.units.create(actor, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit or move an org unit' })
  @RequirePermission('org.manage')
  @ApiOkResponse({ type: OrgUnitDto })
  update(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOrgUnitDto,
  ): Promise<OrgUnitView> {
    return this.units.update(actor, id, body);
  }
}
