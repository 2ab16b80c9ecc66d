import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService, type ChainTip, type HistoryEntry } from '#audit';
import {
  CLOCK,
  DomainError,
  actionRefused,
  actionsFrom,
  assertValidWorkflow,
  checkAction,
  checkAvailability,
  decide,
  shanghaiDate,
  singleTarget,
  type Clock,
} from '#domain';
import { SqlParams, preparedQuery } from '#persistence';
import type {
  ActionEffect,
  AvailableAction,
  Bind,
  EffectArgs,
  GuardContext,
  Subject,
  TransitionRequest,
  TransitionResult,
  WorkflowActor,
  WorkflowAdapter,
} from './adapter.js';
import type { SubjectRef } from './change-event.js';
import { isChainMoved, recordChange, writeAndRecord, type ChangeRecord } from './change-log.js';

/**
 * The one way any subject changes state. `perform` loads the subject (404 if not the actor's to
 * read), checks version (409), state (409), role and unit scope through the one policy (403),
 * input, reason and guards (422), then writes `UPDATE … SET state … WHERE id AND version` with the
 * action's columns, runs its effects, and appends the history row and its event. An action without
 * writes of its own is one statement. Controllers never set a state.
 */
@Injectable()
export class WorkflowRunner {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Stops the process at boot for a definition with unknown states or guards, unreachable states or dead ends. */
  static assertValid<
    K,
    S extends string,
    A extends string,
    T extends Subject<S>,
    I extends TransitionRequest<A>,
    C extends GuardContext,
    R extends SubjectRef,
  >(adapter: WorkflowAdapter<K, S, A, T, I, C, R>): void {
    assertValidWorkflow(adapter.definition, Object.keys(adapter.guards));
    for (const g of adapter.inputGuards)
      if (!adapter.guards[g]) throw new Error(`workflow ${adapter.definition.name}: unknown input guard ${g}`);
  }

  async perform<
    K,
    S extends string,
    A extends string,
    T extends Subject<S>,
    I extends TransitionRequest<A>,
    C extends GuardContext,
    R extends SubjectRef,
  >(adapter: WorkflowAdapter<K, S, A, T, I, C, R>, actor: WorkflowActor, key: K, input: I): Promise<TransitionResult<S, A>> {
    const noun = adapter.entity;
    const subject = await adapter.load(this.dataSource.manager, actor, key);
    const def = adapter.definition.actions[input.action];
    if (input.version !== subject.version) throw versionConflict(noun, subject.version);
    if (!def.from.includes(subject.state)) {
      const allowed = (await this.actionsFor(adapter, actor, subject)).filter((a) => a.enabled).map((a) => a.action);
      throw DomainError.conflict('ACTION_NOT_ALLOWED', `Cannot ${input.action} ${article(noun)} ${noun} that is ${subject.state}`, {
        state: subject.state,
        action: input.action,
        allowedActions: allowed,
      });
    }
    const actionActor = { ...actor, roles: actor.roles.filter((r) => def.roles.includes(r)) };
    if (actionActor.roles.length === 0) {
      throw DomainError.forbidden(`Only ${def.roles.join(' or ')} may ${input.action}`, { action: input.action, roles: def.roles });
    }
    const scope = await adapter.scope(this.dataSource.manager, def.actorScope, subject, actor, input);
    if (!scope || !decide(actionActor, def.permission, scope).allowed) {
      throw DomainError.forbidden(`Your unit may not ${input.action} this ${noun}`, { action: input.action, actorScope: def.actorScope });
    }
    adapter.validate?.(input);
    const at = this.clock.now();
    const today = shanghaiDate(at);
    const ctx = adapter.context(subject, today, input);
    const check = checkAction(adapter.definition, adapter.guards, input.action, subject.state, ctx, () =>
      adapter.resolveTo
        ? adapter.resolveTo(input.action, subject.state, ctx)
        : singleTarget(adapter.definition, input.action, subject.state),
    );
    if (!check.ok) throw actionRefused(check, input.action, noun, subject.state);
    const args: EffectArgs<S, T, I, C> = { actor, subject, input, to: check.to, at, today, ctx };
    const effect: ActionEffect<S, T, I, C> | null = adapter.effects[input.action];

    const q = new SqlParams();
    const [id, version, to, atParam] = [q.add(subject.id), q.add(subject.version), q.add(check.to), q.add(at)];
    const bind: Bind = Object.assign((value: unknown) => q.add(value), { at: atParam });
    const sets = [
      `state = ${to}`,
      'version = version + 1',
      `updated_at = ${atParam}`,
      ...(adapter.columns?.(args, bind) ?? []),
      ...(effect?.columns?.(args, bind) ?? []),
    ];
    const update = `UPDATE ${adapter.table} SET ${sets.join(', ')} WHERE id = ${id} AND version = ${version}`;
    const params = q.values;
    const change = (data: Record<string, unknown>): ChangeRecord<R> => ({
      entry: entry(adapter, subject, input, args, data),
      ref: adapter.ref(subject),
    });
    const result = (version: number, historySeq: number): TransitionResult<S, A> => ({
      id: subject.id,
      action: input.action,
      from: subject.state,
      to: check.to,
      version,
      historySeq,
    });

    // Without writes of its own, one statement: the UPDATE guarded by the version, and the history
    // row chained to the tip read with the subject, written only if the UPDATE was. If another
    // writer appended to the chain since (an evidence upload does, without a new version), the
    // sequence is taken and nothing is written: the locked way below follows.
    const write = effect?.write;
    if (!write) {
      try {
        const { rows, seq } = await writeAndRecord<{ version: number }, R>(
          this.dataSource.manager,
          { sql: `${update} RETURNING version`, params },
          subject.tip,
          change(effect?.data?.(args) ?? {}),
        );
        if (rows.length === 0) throw versionConflict(noun, await this.currentVersion(this.dataSource.manager, adapter.table, subject.id));
        return result(rows[0].version, seq);
      } catch (e) {
        if (!isChainMoved(e)) throw e;
      }
    }
    return this.dataSource.transaction(async (m) => {
      // The row lock this UPDATE takes makes us the subject's only writer; the chain tip comes with it.
      const updated = await preparedQuery<{ version: number; tip: ChainTip | null }>(
        m,
        `${update} RETURNING version, ${HistoryService.tipSql(`'${adapter.entity}'`, id)} AS tip`,
        params,
      );
      if (updated.length === 0) throw versionConflict(noun, await this.currentVersion(m, adapter.table, subject.id));
      const data = write ? await write(m, args) : (effect?.data?.(args) ?? {});
      return result(updated[0].version, await recordChange(m, updated[0].tip, change(data)));
    });
  }

  /** The actions open to the actor on a subject already loaded: enabled, or blocked with why. No input is assumed. */
  async actionsFor<
    K,
    S extends string,
    A extends string,
    T extends Subject<S>,
    I extends TransitionRequest<A>,
    C extends GuardContext,
    R extends SubjectRef,
  >(
    adapter: WorkflowAdapter<K, S, A, T, I, C, R>,
    actor: WorkflowActor,
    subject: T,
    m: EntityManager = this.dataSource.manager,
  ): Promise<AvailableAction<A>[]> {
    const ctx = adapter.context(subject, shanghaiDate(this.clock.now()), {});
    const result: AvailableAction<A>[] = [];
    for (const action of actionsFrom(adapter.definition, subject.state)) {
      const def = adapter.definition.actions[action];
      const actionActor = { ...actor, roles: actor.roles.filter((r) => def.roles.includes(r)) };
      if (actionActor.roles.length === 0) continue;
      const scope = await adapter.scope(m, def.actorScope, subject, actor, null);
      if (!scope || !decide(actionActor, def.permission, scope).allowed) continue;
      const open = checkAvailability(adapter.definition, adapter.guards, adapter.inputGuards, action, subject.state, ctx);
      result.push({ action, label: def.label, ...open, requiresReason: !!def.requiresReason });
    }
    return result;
  }

  private async currentVersion(m: EntityManager, table: string, id: string): Promise<number> {
    const [current] = await m.query<{ version: number }[]>(`SELECT version FROM ${table} WHERE id = $1`, [id]);
    return current.version;
  }
}

function entry<
  K,
  S extends string,
  A extends string,
  T extends Subject<S>,
  I extends TransitionRequest<A>,
  C extends GuardContext,
  R extends SubjectRef,
>(
  adapter: WorkflowAdapter<K, S, A, T, I, C, R>,
  subject: T,
  input: I,
  args: EffectArgs<S, T, I, C>,
  data: Record<string, unknown>,
): HistoryEntry {
  return {
    entityType: adapter.entity,
    entityId: subject.id,
    action: input.action,
    actorId: args.actor.userId,
    fromState: subject.state,
    toState: args.to,
    reason: input.reason?.trim() || null,
    data: { ...adapter.data?.(subject), ...data },
    at: args.at,
  };
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}

function versionConflict(noun: string, currentVersion: number): DomainError {
  return DomainError.conflict('VERSION_CONFLICT', `The ${noun} was changed by someone else (current version ${currentVersion})`, {
    currentVersion,
  });
}
