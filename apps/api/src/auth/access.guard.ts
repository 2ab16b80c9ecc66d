import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, hasPermission } from '#domain';
import { ACCESS_RULE, type AccessRule, type AuthenticatedRequest } from './access.decorators.js';

/**
 * Global guard: deny by default. Public routes pass; every other route needs a valid access
 * token (passport-jwt) and, if it names a permission, a role that grants it. A route that
 * declares no rule at all is refused, so a forgotten decorator fails closed.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (rule?.kind === 'public') return true;
    await super.canActivate(context);
    if (!rule) throw DomainError.forbidden('This route has no access rule and is closed');
    if (rule.kind === 'permission') {
      const { user } = context.switchToHttp().getRequest<AuthenticatedRequest>();
      if (!hasPermission(user, rule.permission)) {
        throw DomainError.forbidden(`Your roles do not grant ${rule.permission}`, { permission: rule.permission });
      }
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err as Error;
    if (!user) throw new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Sign in first: a valid access token is required');
    return user;
  }
}
