import { DomainError } from '../errors/domain-error.js';
import type { NotFoundEntity } from '../errors/error-codes.js';
import { ancestorIds } from '../org/unit-path.js';
import type { Role } from './roles.js';

/**
 * The one place that decides who may do what to which unit's data.
 *
 * Deny by default: a permission a role does not list is refused. A grant carries a scope:
 *  - 'all'        every resource
 *  - 'subtree'    resources owned by the actor's unit or a unit below it
 *  - 'dispatched' like 'subtree', plus resources dispatched by a unit in the actor's subtree
 *  - 'accepting'  like 'subtree', plus resources whose acceptance body is in the actor's subtree
 *
 * Things outside what the actor may READ are reported as not found, so that ids of other
 * units' data leak nothing; things the actor can read but not change are forbidden.
 */
export const RESOURCES = ['org', 'user', 'item', 'project', 'complaint', 'audit', 'calendar', 'notifications'] as const;
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
  'project.read',
  'project.manage',
  'project.report',
  'complaint.read',
  'complaint.create',
  'complaint.act',
  'complaint.contact',
  'audit.read',
  'calendar.read',
  'calendar.manage',
  'notifications.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type GrantScope = 'all' | 'subtree' | 'dispatched' | 'accepting';

type Grants = Partial<Record<Permission, GrantScope>>;

const ADMIN: Grants = Object.fromEntries(PERMISSIONS.map((p) => [p, 'all']));

export const ROLE_GRANTS: Record<Role, Grants> = {
  admin: ADMIN,
  auditor: {
    'org.read': 'all',
    'user.read': 'all',
    'item.read': 'all',
    'item.spot_check': 'all',
    'project.read': 'all',
    'complaint.read': 'all',
    'audit.read': 'all',
    'calendar.read': 'all',
  },
  dispatcher: {
    'org.read': 'all',
    'user.read': 'subtree',
    'item.read': 'dispatched',
    'item.create': 'subtree',
    'item.act': 'dispatched',
    'project.read': 'dispatched',
    'project.manage': 'dispatched',
    'complaint.read': 'dispatched',
    'complaint.create': 'subtree',
    'complaint.act': 'dispatched',
    'complaint.contact': 'dispatched',
    'calendar.read': 'all',
  },
  unit_officer: {
    'org.read': 'all',
    'user.read': 'subtree',
    'item.read': 'subtree',
    'item.act': 'subtree',
    'project.read': 'subtree',
    'project.report': 'subtree',
    'complaint.read': 'subtree',
    'complaint.act': 'subtree',
    'calendar.read': 'all',
  },
  verifier: {
    'org.read': 'all',
    'user.read': 'subtree',
    'item.read': 'accepting',
    'item.verify': 'accepting',
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

/**
 * The system acting as a unit with no user behind it (the automatic sign-off of an ended notice):
 * the policy judges it by unit and roles like anyone, and its history rows name no actor.
 */
export interface SystemActor extends Omit<Actor, 'userId'> {
  readonly userId: null;
}

/**
 * Where a resource belongs, as scope sets: the ids of the owning units and of all their
 * ancestors. A unit's subtree holds the resource exactly when the set contains the unit's id.
 */
export interface ResourceScope {
  ownerScope: readonly string[];
  /** The dispatching unit and its ancestors (dispatched work). */
  dispatcherScope?: readonly string[];
  /** The acceptance bodies and their ancestors (work to be accepted). */
  acceptanceScope?: readonly string[];
}

/** The scope set of units given by their materialised paths. */
export function scopeOfPaths(paths: readonly string[]): string[] {
  return [...new Set(paths.flatMap(ancestorIds))];
}

export type Decision = { allowed: true } | { allowed: false; reason: 'forbidden' | 'not_found' };

const SCOPE_RANK: Record<GrantScope, number> = { subtree: 1, dispatched: 2, accepting: 2, all: 3 };

/** The widest scope any of the actor's roles grants for a permission, or null. */
export function grantFor(actor: Pick<Actor, 'roles'>, permission: Permission): GrantScope | null {
  let best: GrantScope | null = null;
  for (const scope of grantsFor(actor, permission)) if (!best || SCOPE_RANK[scope] > SCOPE_RANK[best]) best = scope;
  return best;
}

/** Every scope the actor's roles grant for a permission (roles add up). */
export function grantsFor(actor: Pick<Actor, 'roles'>, permission: Permission): GrantScope[] {
  return [...new Set(actor.roles.map((role) => ROLE_GRANTS[role]?.[permission]).filter((s): s is GrantScope => !!s))];
}

/** Whether some role of the actor holds the permission at all (route-level check). */
export function hasPermission(actor: Pick<Actor, 'roles'>, permission: Permission): boolean {
  return grantFor(actor, permission) !== null;
}

function covers(scope: GrantScope, actor: Actor | SystemActor, resource: ResourceScope): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'subtree':
      return resource.ownerScope.includes(actor.unitId);
    case 'dispatched':
      return resource.ownerScope.includes(actor.unitId) || !!resource.dispatcherScope?.includes(actor.unitId);
    case 'accepting':
      return resource.ownerScope.includes(actor.unitId) || !!resource.acceptanceScope?.includes(actor.unitId);
  }
}

function coversAny(actor: Actor | SystemActor, permission: Permission, resource: ResourceScope): boolean {
  return grantsFor(actor, permission).some((scope) => covers(scope, actor, resource));
}

function readPermissionOf(permission: Permission): Permission {
  const resource = permission.split('.')[0] as ResourceType;
  return `${resource}.read` as Permission;
}

export function decide(actor: Actor | SystemActor, permission: Permission, resource: ResourceScope): Decision {
  if (!coversAny(actor, readPermissionOf(permission), resource)) return { allowed: false, reason: 'not_found' };
  if (!coversAny(actor, permission, resource)) return { allowed: false, reason: 'forbidden' };
  return { allowed: true };
}

/** Throws the domain error that matches a refusal: not found outside read scope, else forbidden. */
export function assertAllowed(actor: Actor, permission: Permission, resource: ResourceScope, entity: NotFoundEntity, id?: string): void {
  const decision = decide(actor, permission, resource);
  if (decision.allowed) return;
  if (decision.reason === 'not_found') throw DomainError.notFound(entity, id);
  throw DomainError.forbidden(`Your roles do not allow ${permission} on this ${entity}`, { permission });
}

/**
 * How a list query must be narrowed for the actor; repositories translate this to SQL:
 * owned by the actor's subtree, or (when the flags say so) dispatched or accepted by it.
 */
export type ListScope =
  { kind: 'all' } | { kind: 'none' } | { kind: 'units'; unitId: string; unitPath: string; dispatched: boolean; accepting: boolean };

export function listScope(actor: Actor, permission: Permission): ListScope {
  const scopes = grantsFor(actor, permission);
  if (scopes.length === 0) return { kind: 'none' };
  if (scopes.includes('all')) return { kind: 'all' };
  return {
    kind: 'units',
    unitId: actor.unitId,
    unitPath: actor.unitPath,
    dispatched: scopes.includes('dispatched'),
    accepting: scopes.includes('accepting'),
  };
}
