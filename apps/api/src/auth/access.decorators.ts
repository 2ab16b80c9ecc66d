import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor, Permission } from '#domain';

export const ACCESS_RULE = 'rectify:access-rule';

/** Every route declares exactly one access rule; a route without one is refused (deny by default). */
export type AccessRule = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'permission'; permission: Permission };

/** Open to anyone, signed in or not. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in, active user. */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_RULE, { kind: 'authenticated' } satisfies AccessRule);

/** A signed-in user one of whose roles grants the permission (scope is checked by the service). */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_RULE, { kind: 'permission', permission } satisfies AccessRule);

export const PASSWORD_CHANGE_EXEMPT = 'rectify:password-change-exempt';

/** Open to a user who must change a password set by an administrator (everything else waits for the change). */
export const AllowedBeforePasswordChange = (): MethodDecorator => SetMetadata(PASSWORD_CHANGE_EXEMPT, true);

export interface AuthenticatedRequest {
  user: SessionActor;
}

/** The signed-in actor plus the sign-in session the access token belongs to. */
export interface SessionActor extends Actor {
  sessionId: string;
  /** The password was reset by an administrator and not yet changed. */
  mustChangePassword?: boolean;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionActor => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
});
