import { DomainError } from '../errors/domain-error.js';
import { isWithin } from '../org/unit-path.js';
import type { Role } from './roles.js';

/**
 * The one place that decides who may do what to which unit's data.
 *
 * Deny by default: a permission a role does not list is refused. A grant carries a scope:
 *  - 'all'        every resource
 *  - 'subtree'    resources owned by the actor's unit or a unit below it
 *  - 'dispatched' like 'subtree', plus resources dispatched by a unit in the actor's subtree
 *
 * Things outside what the actor may READ are reported as not found, so that ids of other
 * units' data leak nothing; things the actor can read but not change are forbidden.
 */
export const RESOURCES = ['org', 'user', 'item', 'audit', 'calendar'] as const;
export type ResourceType = (typeof RESOURCES)[number];

export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'user.read',
  'user.manage',
  'item.read',
  'item.create',
  'item.act',
  'item.verify',
  'item.spot_check',
  'audit.read',
  'calendar.read',
  'calendar.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type GrantScope = 'all' | 'subtree' | 'dispatched';

type Grants = Partial<Record<Permission, GrantScope>>;

const ADMIN: Grants = Object.fromEntries(PERMISSIONS.map((p) => [p, 'all']));

export const ROLE_GRANTS: Record<Role, Grants> = {
  admin: ADMIN,
  auditor: {
    'org.read': 'all',
    'user.read': 'all',
    'item.read': 'all',
    'item.spot_check': 'all',
    'audit.read': 'all',
    'calendar.read': 'all',
  },
  dispatcher: {
    'org.read': 'all',
    'user.read': 'subtree',
    'item.read': 'dispatched',
    'item.create': 'subtree',
    'item.act': 'dispatched',
    'calendar.read': 'all',
  },
  unit_officer: {
    'org.read': 'all',
    'user.read': 'subtree',
    'item.read': 'subtree',
    'item.act': 'subtree',
    'calendar.read': 'all',
  },
  verifier: {
    'org.read': 'all',
    'user.read': 'subtree',
    'item.read': 'subtree',
    'item.verify': 'subtree',
    'calendar.read': 'all',
  },
};

export interface Actor {
  userId: string;
  unitId: string;
  /** Materialised path of the actor's unit, e.g. "/city/dept/". */
  unitPath: string;
  roles: readonly Role[];
}

/** Where a resource belongs: the units that own it and, for dispatched work, the dispatching unit. */
export interface ResourceScope {
  ownerUnitPaths: readonly string[];
  dispatcherUnitPath?: string | null;
}

export type Decision = { allowed: true } | { allowed: false; reason: 'forbidden' | 'not_found' };

const SCOPE_RANK: Record<GrantScope, number> = { subtree: 1, dispatched: 2, all: 3 };

/** The widest scope any of the actor's roles grants for a permission, or null. */
export function grantFor(actor: Pick<Actor, 'roles'>, permission: Permission): GrantScope | null {
  let best: GrantScope | null = null;
  for (const role of actor.roles) {
    const scope = ROLE_GRANTS[role]?.[permission];
    if (scope && (!best || SCOPE_RANK[scope] > SCOPE_RANK[best])) best = scope;
  }
  return best;
}

/** Whether some role of the actor holds the permission at all (route-level check). */
export function hasPermission(actor: Pick<Actor, 'roles'>, permission: Permission): boolean {
  return grantFor(actor, permission) !== null;
}

function covers(scope: GrantScope, actor: Actor, resource: ResourceScope): boolean {
  if (scope === 'all') return true;
  const owned = resource.ownerUnitPaths.some((p) => isWithin(p, actor.unitPath));
  if (owned) return true;
  return scope === 'dispatched' && !!resource.dispatcherUnitPath && isWithin(resource.dispatcherUnitPath, actor.unitPath);
}

function readPermissionOf(permission: Permission): Permission {
  const resource = permission.split('.')[0] as ResourceType;
  return `${resource}.read` as Permission;
}

export function decide(actor: Actor, permission: Permission, resource: ResourceScope): Decision {
  const readScope = grantFor(actor, readPermissionOf(permission));
  if (!readScope || !covers(readScope, actor, resource)) return { allowed: false, reason: 'not_found' };
  const scope = grantFor(actor, permission);
  if (!scope || !covers(scope, actor, resource)) return { allowed: false, reason: 'forbidden' };
  return { allowed: true };
}

/** Throws the domain error that matches a refusal: not found outside read scope, else forbidden. */
export function assertAllowed(actor: Actor, permission: Permission, resource: ResourceScope, entity: string, id?: string): void {
  const decision = decide(actor, permission, resource);
  if (decision.allowed) return;
  if (decision.reason === 'not_found') throw DomainError.notFound(entity, id);
  throw DomainError.forbidden(`Your roles do not allow ${permission} on this ${entity}`, { permission });
}

/** How a list query must be narrowed for the actor; repositories translate this to SQL. */
export type ListScope = { kind: 'all' } | { kind: 'none' } | { kind: 'units'; unitPath: string; includeDispatched: boolean };

export function listScope(actor: Actor, permission: Permission): ListScope {
  const scope = grantFor(actor, permission);
  if (!scope) return { kind: 'none' };
  if (scope === 'all') return { kind: 'all' };
  return { kind: 'units', unitPath: actor.unitPath, includeDispatched: scope === 'dispatched' };
}
