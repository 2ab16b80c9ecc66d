import type { EntityManager } from 'typeorm';
import type { ChainTip } from '#audit';
import type { Actor, ActorScope, Guard, ResourceScope, SystemActor, WorkflowDefinition } from '#domain';
import type { SubjectRef } from './change-event.js';

/** What the runner needs of any subject it moves: loaded with the chain tip of its history. */
export interface Subject<S extends string> {
  id: string;
  state: S;
  version: number;
  /** The newest row of the subject's history chain when it was read (null: none yet). */
  tip: ChainTip | null;
}

/** What every guard context carries: the user's input, with the reason some actions require. */
export interface GuardContext {
  input: { reason?: string };
}

/** A request to take an action: the version the client read (a stale one is a 409) and the user's input. */
export interface TransitionRequest<A extends string> {
  action: A;
  version: number;
  reason?: string;
}

export interface TransitionResult<S extends string, A extends string> {
  id: string;
  action: A;
  from: S;
  to: S;
  version: number;
  historySeq: number;
}

export interface AvailableAction<A extends string> {
  action: A;
  label: string;
  enabled: boolean;
  /** Why it cannot be taken now (the guards that judge the subject), empty when enabled. */
  blockedBy: string[];
  requiresReason: boolean;
}

/** Who takes an action: a signed-in user, or the system acting as a unit (then the history row names no actor). */
export type WorkflowActor = Actor | SystemActor;

/** What an effect sees: the same instant `at` as the history row, and `today` in Asia/Shanghai. */
export interface EffectArgs<S extends string, T, I, C> {
  actor: WorkflowActor;
  subject: T;
  input: I;
  to: S;
  at: Date;
  today: string;
  ctx: C;
}

/** Numbers a parameter of the versioned UPDATE and returns its placeholder; `at` is the change's instant. */
export interface Bind {
  (value: unknown): string;
  readonly at: string;
}

/**
 * What an action does beyond moving the state. An action without `write` is one statement: the
 * versioned UPDATE, the history row and the event together.
 */
export interface ActionEffect<S extends string, T, I, C> {
  /** Assignments added to the versioned UPDATE (`column = $n`). */
  columns?: (args: EffectArgs<S, T, I, C>, bind: Bind) => string[];
  /** What the history row records, for an action without `write`. */
  data?: (args: EffectArgs<S, T, I, C>) => Record<string, unknown>;
  /** Writes after the versioned UPDATE in its transaction; returns what the history row records. */
  write?: (m: EntityManager, args: EffectArgs<S, T, I, C>) => Promise<Record<string, unknown>>;
}

/** One entry per action of the workflow (null: it writes nothing but the state). */
export type EffectsTable<S extends string, A extends string, T, I, C> = { readonly [K in A]: ActionEffect<S, T, I, C> | null };

/**
 * One workflow as the runner sees it: its definition and guards (from the domain), how to load a
 * subject by key `K`, which units an `actorScope` stands for, and the table of effects.
 */
export interface WorkflowAdapter<
  K,
  S extends string,
  A extends string,
  T extends Subject<S>,
  I extends TransitionRequest<A>,
  C extends GuardContext,
  R extends SubjectRef,
> {
  /** The history entity type and the prefix of event kinds: 'item', 'milestone'. */
  readonly entity: string;
  /** The table holding the subject's id, state, version and updated_at. */
  readonly table: string;
  readonly definition: WorkflowDefinition<S, A>;
  readonly guards: Record<string, Guard<C>>;
  /** The guards that judge the user's input, left out of `actionsFor`. */
  readonly inputGuards: readonly string[];
  readonly effects: EffectsTable<S, A, T, I, C>;
  /** The subject if the actor may read it; otherwise a 404 (never a 403 for someone else's). */
  load(m: EntityManager, actor: WorkflowActor, key: K, lock?: boolean): Promise<T>;
  /** How events name the subject. */
  ref(subject: T): R;
  /**
   * The units an action's `actorScope` stands for on this subject, for the policy. Null: the actor
   * has no part in it (the action is not listed). With `input` (the action is being taken) it may
   * throw a 403 naming what is missing instead.
   */
  scope(m: EntityManager, actorScope: ActorScope, subject: T, actor: WorkflowActor, input: I | null): Promise<ResourceScope | null>;
  /** What the guards see; `input` is empty when asking which actions are open. */
  context(subject: T, today: string, input: Partial<I>): C;
  /** The target of an action with several (default: the definition's single one). */
  resolveTo?(action: A, state: S, ctx: C): S;
  /** Checks the input's shape (400/422) once role and scope are settled. */
  validate?(input: I): void;
  /** Assignments of the versioned UPDATE for every action (besides state, version, updated_at). */
  columns?(args: EffectArgs<S, T, I, C>, bind: Bind): string[];
  /** What every history row of this workflow records (e.g. the milestone's project). */
  data?(subject: T): Record<string, unknown>;
}
