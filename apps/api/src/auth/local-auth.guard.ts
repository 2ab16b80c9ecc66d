import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '#domain';

/** Runs the local (e-mail + password) strategy; a body without both fields is a 400, not a 401. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext): Promise<boolean> {
    const body = context.switchToHttp().getRequest<FastifyRequest>().body as Record<string, unknown> | undefined;
    const fields = [];
    for (const field of ['email', 'password']) {
      const value = body?.[field];
      if (typeof value !== 'string' || value.length === 0) fields.push({ field, messages: [`${field} must be a non-empty string`] });
      else if (value.length > 320) fields.push({ field, messages: [`${field} is too long`] });
    }
    const refreshIn = body?.refreshIn;
    if (refreshIn !== undefined && refreshIn !== 'body' && refreshIn !== 'cookie') {
      fields.push({ field: 'refreshIn', messages: ["refreshIn must be 'body' or 'cookie'"] });
    }
    if (fields.length > 0) throw DomainError.validation('E-mail and password are required', fields);
    return super.canActivate(context) as Promise<boolean>;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err as Error;
    if (!user) throw new DomainError('unauthenticated', 'AUTH_INVALID_CREDENTIALS', 'Wrong e-mail address or password');
    return user;
  }
}
