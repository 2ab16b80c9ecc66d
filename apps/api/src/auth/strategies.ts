import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { APP_CONFIG, type AppConfig } from '#config';
import type { SessionActor } from './access.decorators.js';
import { AuthService, type AccessTokenPayload, type SignedInUser } from './auth.service.js';
import { VerifiedTokens } from './verified-tokens.js';

@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(req: FastifyRequest, email: string, password: string): Promise<SignedInUser> {
    return this.auth.validateCredentials(email, password, { ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id });
  }
}

/** The access token of a request: `Authorization: Bearer <token>`. */
export const bearerToken: (req: unknown) => string | null = ExtractJwt.fromAuthHeaderAsBearerToken();

@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    private readonly verified: VerifiedTokens,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({
      jwtFromRequest: bearerToken,
      // A KeyObject: given a string, jsonwebtoken first tries it as a public key on every request.
      // (passport-jwt's types say string | Buffer; jsonwebtoken 9 takes a KeyObject.)
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /** Called with a verified token's claims; returning null makes passport answer 401. */
  validate(req: FastifyRequest, payload: AccessTokenPayload & { exp?: number }): Promise<SessionActor | null> {
    this.verified.remember(bearerToken(req)!, payload);
    return this.auth.actorForToken(payload);
  }
}
