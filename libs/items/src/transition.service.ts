import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, RectificationAction, RectificationState } from '#domain';
import {
  WorkflowRunner,
  type AvailableAction as RunnerAvailableAction,
  type TransitionResult as RunnerTransitionResult,
  type WorkflowActor,
} from '#workflow';
import type { ItemSnapshot } from './item-snapshot.js';
import { ItemWorkflow, type TransitionInput } from './item-workflow.js';

export type { TransitionInput } from './item-workflow.js';
export type AvailableAction = RunnerAvailableAction<RectificationAction>;
export type TransitionResult = RunnerTransitionResult<RectificationState, RectificationAction>;

/** Items' side of the workflow runner: the one way an item changes state. */
@Injectable()
export class TransitionService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WorkflowRunner) private readonly runner: WorkflowRunner,
    @Inject(ItemWorkflow) private readonly items: ItemWorkflow,
  ) {}

  onModuleInit(): void {
    WorkflowRunner.assertValid(this.items);
  }

  async available(actor: Actor, itemId: string): Promise<{ state: RectificationState; version: number; actions: AvailableAction[] }> {
    const item = await this.readable(this.dataSource.manager, actor, itemId);
    return { state: item.state, version: item.version, actions: await this.actionsFor(actor, item) };
  }

  /** `actor` is a user, or the system acting as a unit (an automatic sign-off). */
  transition(actor: WorkflowActor, itemId: string, input: TransitionInput): Promise<TransitionResult> {
    return this.runner.perform(this.items, actor, itemId, input);
  }

  /** Loads the item if the actor may read it; otherwise it does not exist for them (404). */
  readable(m: EntityManager, actor: Actor, itemId: string, lock = false): Promise<ItemSnapshot> {
    return this.items.load(m, actor, itemId, lock);
  }

  /** The actions open to the actor on an item already loaded (enabled or blocked, with why). */
  actionsFor(actor: Actor, item: ItemSnapshot): Promise<AvailableAction[]> {
    return this.runner.actionsFor(this.items, actor, item);
  }
}
