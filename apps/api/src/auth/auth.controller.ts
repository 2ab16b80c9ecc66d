import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { PERMISSIONS, grantFor } from '#domain';
import { Authenticated, CurrentActor, Public, type SessionActor } from './access.decorators.js';
import { LoginDto, LoginResponseDto, MeDto, RefreshDto, TokenPairDto } from './auth.dto.js';
import { AuthService, type ClientInfo, type SignedInUser, type TokenPair } from './auth.service.js';
import { LocalAuthGuard } from './local-auth.guard.js';

const clientOf = (req: FastifyRequest): ClientInfo => ({ ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id });

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @UseGuards(LocalAuthGuard)
  @HttpCode(200)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password (the same answer for an unknown account)' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts; Retry-After says when to try again' })
  async login(@Req() req: FastifyRequest & { user: SignedInUser }): Promise<TokenPair & { user: SignedInUser }> {
    const pair = await this.auth.startSession(req.user.id, clientOf(req));
    return { ...pair, user: req.user };
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Invalid, expired, revoked or reused refresh token' })
  refresh(@Body() body: RefreshDto, @Req() req: FastifyRequest): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken, clientOf(req));
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The session is revoked: its refresh and access tokens stop working' })
  async logout(@CurrentActor() actor: SessionActor): Promise<void> {
    await this.auth.endSession(actor.sessionId);
  }

  @Get('me')
  @Authenticated()
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: SessionActor): MeDto {
    const permissions = PERMISSIONS.flatMap((p) => {
      const scope = grantFor(actor, p);
      return scope ? [`${p}:${scope}`] : [];
    });
    return { userId: actor.userId, unitId: actor.unitId, unitPath: actor.unitPath, roles: [...actor.roles], permissions };
  }
}
