import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HistoryService } from '#audit';
import { USER_ENTITY, UsersService, type Page, type UserView } from '#org';
import { Authenticated, CurrentActor, RequirePermission, type SessionActor } from '../auth/access.decorators.js';
import { ApiAnswers } from '../http/api-answers.js';
import {
  CreateUserDto,
  HistoryRowDto,
  PreferencesDto,
  ResetPasswordDto,
  UpdateUserDto,
  UserDto,
  UserPageDto,
  UserQueryDto,
} from './org.dto.js';

/** Users are visible within the caller's unit subtree (everyone for admins and auditors). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly history: HistoryService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Users in your scope' })
  @RequirePermission('user.read')
  @ApiOkResponse({ type: UserPageDto })
  list(@CurrentActor() actor: SessionActor, @Query() query: UserQueryDto): Promise<Page<UserView>> {
    return this.users.list(actor, query);
  }

  @Put('me/preferences')
  @ApiOperation({ summary: 'Set your mail preference (digest only)' })
  @Authenticated()
  @ApiOkResponse({ type: UserDto, description: 'Your mail preference: digestOnly = non-urgent mail only in the weekly digest' })
  preferences(@CurrentActor() actor: SessionActor, @Body() body: PreferencesDto): Promise<UserView> {
    return this.users.setDigestOnly(actor, body.digestOnly);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @RequirePermission('user.read')
  @ApiOkResponse({ type: UserDto })
  get(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.get(actor, id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The user's history" })
  @RequirePermission('user.manage')
  @ApiOkResponse({ type: [HistoryRowDto] })
  async historyOf(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string): Promise<HistoryRowDto[]> {
    await this.users.get(actor, id);
    return this.history.list(USER_ENTITY, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user' })
  @RequirePermission('user.manage')
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentActor() actor: SessionActor, @Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(actor, body);
  }

  @Post(':id/reset-password')
  @RequirePermission('user.manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a temporary password the user must change at the next sign-in (their sessions end)' })
  @ApiAnswers(null, { 422: 'The temporary password breaks the password policy' })
  async resetPassword(
    @CurrentActor() actor: SessionActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<void> {
    await this.users.resetPassword(actor, id, body.temporaryPassword);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a user (name, unit, roles, active, password)' })
  @RequirePermission('user.manage')
  @ApiOkResponse({ type: UserDto })
  update(@CurrentActor() actor: SessionActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto): Promise<UserView> {
    return this.users.update(actor, id, body);
  }
}
