import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, hasPermission } from '#domain';
import { ACCESS_RULE, PASSWORD_CHANGE_EXEMPT, type AccessRule, type AuthenticatedRequest } from './access.decorators.js';
import { AuthService } from './auth.service.js';
import { bearerToken } from './strategies.js';
import { VerifiedTokens } from './verified-tokens.js';

function signInFirst(): DomainError {
  return new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Sign in first: a valid access token is required');
}

/**
 * Global guard: deny by default. Public routes pass; every other route needs a valid access
 * token (passport-jwt) and, if it names a permission, a role that grants it. A route that
 * declares no rule at all is refused, so a forgotten decorator fails closed. A token that passport
 * has verified before (the very same string, not expired: VerifiedTokens) is not verified again;
 * its session is checked on every request either way.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly verified: VerifiedTokens,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (rule?.kind === 'public') return true;
    await this.authenticate(context);
    if (!rule) throw DomainError.forbidden('This route has no access rule and is closed');
    const { user } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (user.mustChangePassword && !this.reflector.get<boolean | undefined>(PASSWORD_CHANGE_EXEMPT, context.getHandler())) {
      throw new DomainError(
        'forbidden',
        'PASSWORD_CHANGE_REQUIRED',
        'Your password was reset: choose a new one first (POST /api/auth/password)',
      );
    }
    if (rule.kind === 'permission') {
      if (!hasPermission(user, rule.permission)) {
        throw DomainError.forbidden(`Your roles do not grant ${rule.permission}`, { permission: rule.permission });
      }
    }
    return true;
  }

  /** Sets request.user to the token's actor, or throws 401. */
  private async authenticate(context: ExecutionContext): Promise<void> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    const claims = token === null ? undefined : this.verified.get(token);
    if (claims === undefined) {
      await super.canActivate(context);
      return;
    }
    const actor = await this.auth.actorForToken(claims);
    if (!actor) throw signInFirst();
    request.user = actor;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err as Error;
    if (!user) throw signInFirst();
    return user;
  }
}
