import type { Permission } from '../access/policy.js';
import { DomainError } from '../errors/domain-error.js';
import type { Role } from '../access/roles.js';

/**
 * A workflow definition is data: its states, and its actions with where they may start, where
 * they lead, who may take them and which guards must hold. Guards are named; each workflow
 * supplies the functions behind the names. Definitions are validated when the process starts.
 *
 * Whose data an action touches is named by `actorScope`; the application maps it to units:
 *  - 'dispatcher'  the unit that dispatched the item (and its ancestors' users)
 *  - 'lead'        the lead units
 *  - 'cooperating' the cooperating units (their own part only)
 *  - 'acceptance'  the acceptance body of the current level
 *  - 'any'         everyone allowed to read the item
 */
export type ActorScope = 'dispatcher' | 'lead' | 'cooperating' | 'acceptance' | 'any';

export interface ActionDefinition<S extends string> {
  label: string;
  from: readonly S[];
  /** The target state; 'same' keeps the state (logged actions such as urging). Several = resolved at run time. */
  to: S | 'same' | readonly S[];
  roles: readonly Role[];
  permission: Permission;
  actorScope: ActorScope;
  guards?: readonly string[];
  /** The actor must give a reason (returns, cancellations, extension requests…). */
  requiresReason?: boolean;
}

export interface StateDefinition {
  label: string;
  terminal?: boolean;
}

export interface WorkflowDefinition<S extends string = string, A extends string = string> {
  name: string;
  initial: S;
  states: Record<S, StateDefinition>;
  actions: Record<A, ActionDefinition<S>>;
}

/** A guard returns null when satisfied, or what is missing (one thing or several), in words the user can act on. */
export type Guard<C> = (ctx: C) => string | string[] | null;

export function targetsOf<S extends string>(action: ActionDefinition<S>): S[] {
  if (action.to === 'same') return [];
  return typeof action.to === 'string' ? [action.to] : [...action.to];
}

/** Problems in a definition: unknown states, unknown guards, unreachable states, dead ends. */
export function validateWorkflow<S extends string, A extends string>(
  def: WorkflowDefinition<S, A>,
  guardNames: readonly string[],
): string[] {
  const problems: string[] = [];
  const states = Object.keys(def.states) as S[];
  const known = new Set<string>(states);
  if (!known.has(def.initial)) problems.push(`initial state ${def.initial} is not defined`);
  const edges = new Map<S, Set<S>>(states.map((s) => [s, new Set<S>()]));
  for (const [name, action] of Object.entries(def.actions) as [A, ActionDefinition<S>][]) {
    if (action.from.length === 0) problems.push(`action ${name} has no source state`);
    if (action.roles.length === 0) problems.push(`action ${name} names no role`);
    for (const s of action.from) if (!known.has(s)) problems.push(`action ${name} starts from unknown state ${s}`);
    for (const t of targetsOf(action)) if (!known.has(t)) problems.push(`action ${name} leads to unknown state ${t}`);
    for (const g of action.guards ?? []) if (!guardNames.includes(g)) problems.push(`action ${name} uses unknown guard ${g}`);
    for (const s of action.from) {
      if (def.states[s]?.terminal) problems.push(`action ${name} leaves terminal state ${s}`);
      for (const t of targetsOf(action)) edges.get(s)?.add(t);
    }
  }
  const reached = new Set<S>([def.initial]);
  const queue: S[] = [def.initial];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const t of edges.get(s) ?? []) {
      if (!reached.has(t)) {
        reached.add(t);
        queue.push(t);
      }
    }
  }
  for (const s of states) {
    if (!reached.has(s)) problems.push(`state ${s} cannot be reached from ${def.initial}`);
    const leaves = [...(edges.get(s) ?? [])].some((t) => t !== s);
    if (!def.states[s].terminal && !leaves) problems.push(`state ${s} is a dead end: not terminal and no action leaves it`);
  }
  return problems;
}

export function assertValidWorkflow<S extends string, A extends string>(
  def: WorkflowDefinition<S, A>,
  guardNames: readonly string[],
): void {
  const problems = validateWorkflow(def, guardNames);
  if (problems.length > 0) throw new Error(`workflow ${def.name} is invalid:\n  - ${problems.join('\n  - ')}`);
}

export function actionsFrom<S extends string, A extends string>(def: WorkflowDefinition<S, A>, state: S): A[] {
  return (Object.keys(def.actions) as A[]).filter((a) => def.actions[a].from.includes(state));
}

/** The outcome of checking one action against a definition (roles and unit scope are the policy's). */
export type ActionCheck<S extends string> =
  | { ok: true; to: S }
  | { ok: false; problem: 'wrong_state' }
  | { ok: false; problem: 'reason_required' }
  | { ok: false; problem: 'guard'; missing: string[] };

/**
 * Pure decision for one action: the state it starts from, the reason it requires and its guards.
 * `resolveTo` names the target of an action with several (the default takes the single one, or
 * keeps the state for 'same').
 */
export function checkAction<S extends string, A extends string, C extends { input: { reason?: string } }>(
  def: WorkflowDefinition<S, A>,
  guards: Record<string, Guard<C>>,
  action: A,
  state: S,
  ctx: C,
  resolveTo: () => S = () => singleTarget(def, action, state),
): ActionCheck<S> {
  const a = def.actions[action];
  if (!a.from.includes(state)) return { ok: false, problem: 'wrong_state' };
  if (a.requiresReason && !ctx.input.reason?.trim()) return { ok: false, problem: 'reason_required' };
  const missing = (a.guards ?? []).flatMap((g) => guards[g](ctx) ?? []);
  if (missing.length > 0) return { ok: false, problem: 'guard', missing };
  return { ok: true, to: resolveTo() };
}

/** Whether an action is open on a subject as it stands, before the user gives any input. */
export interface Availability {
  enabled: boolean;
  /** What blocks it (the guards that judge the subject), empty when enabled. */
  blockedBy: string[];
}

/**
 * The action's state and the guards that judge the subject; the reason and the guards named in
 * `inputGuards` (they judge what the user types) are left to the action itself.
 */
export function checkAvailability<S extends string, A extends string, C>(
  def: WorkflowDefinition<S, A>,
  guards: Record<string, Guard<C>>,
  inputGuards: readonly string[],
  action: A,
  state: S,
  ctx: C,
): Availability {
  const a = def.actions[action];
  if (!a.from.includes(state)) return { enabled: false, blockedBy: [] };
  const blockedBy = (a.guards ?? []).filter((g) => !inputGuards.includes(g)).flatMap((g) => guards[g](ctx) ?? []);
  return { enabled: blockedBy.length === 0, blockedBy };
}

export function singleTarget<S extends string, A extends string>(def: WorkflowDefinition<S, A>, action: A, state: S): S {
  const to = def.actions[action].to;
  if (to === 'same') return state;
  if (typeof to !== 'string') throw new Error(`action ${action} has several targets and no resolution`);
  return to;
}

/** The error for a refused check: 409 for a wrong state, 422 naming the missing reason or guard conditions. */
export function actionRefused(
  check: Exclude<ActionCheck<string>, { ok: true }>,
  action: string,
  subject: string,
  state: string,
): DomainError {
  if (check.problem === 'reason_required') {
    return new DomainError('unprocessable', 'REASON_REQUIRED', `A reason is required to ${action}`, { missing: ['reason'] });
  }
  if (check.problem === 'guard') {
    return new DomainError('unprocessable', 'GUARD_FAILED', `Cannot ${action} yet: ${check.missing.join('; ')}`, {
      missing: check.missing,
    });
  }
  return DomainError.conflict('ACTION_NOT_ALLOWED', `Cannot ${action} this ${subject}: it is ${state}`, { state });
}
