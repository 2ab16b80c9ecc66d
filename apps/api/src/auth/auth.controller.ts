import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, PERMISSIONS, grantFor } from '#domain';
import { UsersService } from '#org';
import { ApiAnswers } from '../http/api-answers.js';
import { AllowedBeforePasswordChange, Authenticated, CurrentActor, Public, type SessionActor } from './access.decorators.js';
import { ChangePasswordDto, LoginDto, LoginResponseDto, MeDto, RefreshDto, TokenPairDto } from './auth.dto.js';
import { AuthService, type ClientInfo, type SignedInUser, type TokenPair } from './auth.service.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie.js';
import { bearerToken } from './strategies.js';

const clientOf = (req: FastifyRequest): ClientInfo => ({ ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id });

const noRefreshToken = (): DomainError =>
  new DomainError('unauthenticated', 'AUTH_INVALID_REFRESH_TOKEN', 'No refresh token was sent (in the body or the rectify_refresh cookie)');

/**
 * Sign-in sessions. API clients get the refresh token in the answer; the web app asks for it in
 * an HttpOnly cookie scoped to /api/auth (refreshIn: 'cookie'), so no script in the page can read it.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(LocalAuthGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with e-mail and password' })
  @ApiBody({ type: LoginDto })
  @ApiAnswers(LoginResponseDto, { 401: 'Wrong e-mail or password (the same answer for an unknown account)', 429: 'Too many attempts' })
  async login(
    @Req() req: FastifyRequest & { user: SignedInUser },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Omit<TokenPair, 'refreshToken'> & { refreshToken?: string; user: SignedInUser }> {
    const pair = await this.auth.startSession(req.user.id, clientOf(req));
    void reply.header('cache-control', 'no-store');
    if ((req.body as LoginDto).refreshIn !== 'cookie') return { ...pair, user: req.user };
    const { refreshToken, ...rest } = pair;
    setRefreshCookie(req, reply, refreshToken, pair.refreshExpiresAt);
    return { ...rest, user: req.user };
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the refresh token for a new access token',
    description: 'With refreshToken in the body the new one comes back in the answer; with an empty body the cookie is read and rotated.',
  })
  @ApiAnswers(TokenPairDto, { 401: 'Invalid, expired, revoked or reused refresh token' })
  async refresh(
    @Body() body: RefreshDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Omit<TokenPair, 'refreshToken'> & { refreshToken?: string }> {
    void reply.header('cache-control', 'no-store');
    if (body.refreshToken !== undefined) return this.auth.refresh(body.refreshToken, clientOf(req));
    const cookie = readRefreshCookie(req);
    try {
      if (cookie === undefined) throw noRefreshToken();
      const { refreshToken, ...rest } = await this.auth.refresh(cookie, clientOf(req));
      setRefreshCookie(req, reply, refreshToken, rest.refreshExpiresAt);
      return rest;
    } catch (e) {
      if (cookie !== undefined) clearRefreshCookie(req, reply);
      throw e;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Sign out',
    description: 'Revokes the session of the bearer token, else of the rectify_refresh cookie, and clears the cookie',
  })
  @ApiAnswers(null, { 401: 'Neither a valid access token nor a refresh cookie was sent' })
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const bearer = bearerToken(req);
    const cookie = readRefreshCookie(req);
    const session =
      (bearer ? await this.auth.sessionOfAccessToken(bearer) : null) ?? (cookie ? await this.auth.sessionOfRefreshToken(cookie) : null);
    if (cookie !== undefined) clearRefreshCookie(req, reply);
    if (session) await this.auth.endSession(session);
    else if (cookie === undefined)
      throw new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Sign in first: a valid access token is required');
  }

  @Get('me')
  @Authenticated()
  @AllowedBeforePasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, unit, roles and permissions' })
  @ApiAnswers(MeDto)
  async me(@CurrentActor() actor: SessionActor): Promise<MeDto> {
    const permissions = PERMISSIONS.flatMap((p) => {
      const scope = grantFor(actor, p);
      return scope ? [`${p}:${scope}`] : [];
    });
    const me = await this.auth.me(actor);
    return { ...me, permissions, userId: actor.userId, unitId: actor.unitId, unitPath: actor.unitPath };
  }

  @Post('password')
  @Authenticated()
  @AllowedBeforePasswordChange()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your own password',
    description: 'Your other sessions end; 422 PASSWORD_POLICY or PASSWORD_CURRENT_WRONG with details.fields',
  })
  @ApiAnswers(null, { 422: 'The current password is wrong, or the new one breaks the password policy' })
  async changePassword(@CurrentActor() actor: SessionActor, @Body() body: ChangePasswordDto): Promise<void> {
    await this.users.changeOwnPassword(actor, body.currentPassword, body.newPassword);
  }
}
