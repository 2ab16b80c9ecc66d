import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DashboardService, SavedFiltersService, type Dashboard, type SavedFilterView } from '#items';
import { MessagesService, type MessagePage } from '#notifications';
import { Authenticated, CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { ApiAnswers } from '../http/api-answers.js';
import { RectifyValidationPipe } from '../http/validation.pipe.js';
import { ItemQueryDto } from '../items/item-query.dto.js';
import { DomainError } from '#domain';
import { CreateSavedFilterDto, DashboardDto, MessagePageDto, MessageQueryDto, SavedFilterDto, UnreadCountDto } from './me.dto.js';

const queryCheck = new RectifyValidationPipe();

/** The signed-in user's own things: messages, saved filters, "my work". */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly messages: MessagesService,
    private readonly savedFilters: SavedFiltersService,
    private readonly dashboard: DashboardService,
  ) {}

  @Get('messages')
  @Authenticated()
  @ApiOperation({ summary: 'Your messages: the notifications the system e-mailed you, newest first' })
  @ApiAnswers(MessagePageDto)
  listMessages(@CurrentActor() actor: SessionActor, @Query() query: MessageQueryDto): Promise<MessagePage> {
    return this.messages.list(actor.userId, query);
  }

  @Get('messages/unread-count')
  @Authenticated()
  @ApiOperation({ summary: 'How many of your messages are unread' })
  @ApiAnswers(UnreadCountDto)
  async unreadCount(@CurrentActor() actor: SessionActor): Promise<UnreadCountDto> {
    return { unread: await this.messages.unreadCount(actor.userId) };
  }

  @Post('messages/read-all')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark all your messages read' })
  @ApiAnswers(null)
  async readAll(@CurrentActor() actor: SessionActor): Promise<void> {
    await this.messages.markAllRead(actor.userId);
  }

  @Post('messages/:id/read')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one of your messages read' })
  @ApiAnswers(null, { 404: 'No such message of yours' })
  async read(@CurrentActor() actor: SessionActor, @Param('id') id: string): Promise<void> {
    await this.messages.markRead(actor.userId, id);
  }

  @Get('saved-filters')
  @RequirePermission('item.read')
  @ApiOperation({ summary: 'Your saved item-list filters' })
  @ApiAnswers([SavedFilterDto])
  listSavedFilters(@CurrentActor() actor: SessionActor): Promise<SavedFilterView[]> {
    return this.savedFilters.list(actor);
  }

  @Post('saved-filters')
  @RequirePermission('item.read')
  @ApiOperation({ summary: 'Save an item-list filter under a name' })
  @ApiAnswers(SavedFilterDto, { 409: 'You already have a filter of this name', 422: 'You have the most filters one may keep' }, 201)
  async createSavedFilter(@CurrentActor() actor: SessionActor, @Body() body: CreateSavedFilterDto): Promise<SavedFilterView> {
    await checkItemQuery(body.query);
    return this.savedFilters.create(actor, body.name, body.query);
  }

  @Delete('saved-filters/:id')
  @RequirePermission('item.read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one of your saved filters' })
  @ApiAnswers(null, { 404: 'No such filter of yours' })
  async deleteSavedFilter(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.savedFilters.remove(actor, id);
  }

  @Get('dashboard')
  @Authenticated()
  @ApiOperation({
    summary: 'My work (工作台): per role, the counts that need attention',
    description: 'Each count comes with the GET /api/items query whose total it is.',
  })
  @ApiAnswers(DashboardDto)
  getDashboard(@CurrentActor() actor: SessionActor): Promise<Dashboard> {
    return this.dashboard.forActor(actor);
  }
}

/** A saved filter must be a query the item list accepts: checked by the list's own DTO, fields named query.*. */
async function checkItemQuery(query: Record<string, unknown>): Promise<void> {
  if (JSON.stringify(query).length > 2000) {
    throw DomainError.validation('The filter is too long', [{ field: 'query', messages: ['must be at most 2000 characters as JSON'] }]);
  }
  const bad = Object.entries(query).filter(([, v]) => !['string', 'number', 'boolean'].includes(typeof v) && !isStringList(v));
  if (bad.length > 0) {
    throw DomainError.validation(
      'The filter has invalid fields',
      bad.map(([k]) => ({ field: `query.${k}`, messages: ['must be a string, number, boolean or list of strings'] })),
    );
  }
  const asQuery = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
  try {
    await queryCheck.transform(asQuery, { type: 'body', metatype: ItemQueryDto });
  } catch (e) {
    const fields = (e as DomainError).details?.fields as { field: string; messages: string[] }[] | undefined;
    if (!fields) throw e;
    throw DomainError.validation(
      'The filter has invalid fields',
      fields.map((f) => ({ ...f, field: `query.${f.field}` })),
    );
  }
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.length <= 20 && v.every((x) => typeof x === 'string');
