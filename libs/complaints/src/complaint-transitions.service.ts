import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CLOCK, DomainError, decide, type Actor, type Clock, type ComplaintAction, type Domain } from '#domain';
import { ItemsService } from '#items';
import { WorkflowRunner, type AvailableAction, type TransitionResult } from '#workflow';
import { COMPLAINT_ENTITY } from './complaint-intake.service.js';
import { ComplaintWorkflow, type ComplaintTransitionInput } from './complaint-workflow.js';

export interface SpawnItemInput {
  version: number;
  itemBatchId: string;
  code: string;
  title: string;
  domain: Domain;
  /** The case's closure waits for the item's (the dispatcher's choice). */
  awaitItem?: boolean;
}

/** Moves complaint cases through the one workflow runner, and decides duplicate proposals. */
@Injectable()
export class ComplaintTransitionsService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WorkflowRunner) private readonly runner: WorkflowRunner,
    @Inject(ComplaintWorkflow) private readonly workflow: ComplaintWorkflow,
    @Inject(ItemsService) private readonly items: ItemsService,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    WorkflowRunner.assertValid(this.workflow);
  }

  perform(actor: Actor, id: string, input: ComplaintTransitionInput): Promise<TransitionResult<string, ComplaintAction>> {
    return this.runner.perform(this.workflow, actor, id, input);
  }

  async actions(actor: Actor, id: string): Promise<AvailableAction<ComplaintAction>[]> {
    const subject = await this.workflow.load(this.dataSource.manager, actor, id);
    return this.runner.actionsFor(this.workflow, actor, subject);
  }

  /**
   * 转为整改事项: a draft rectification item in the dispatcher's item batch, led by the case's lead
   * unit, linked to the case by the spawn_item action (checked before the item is made).
   */
  async spawnItem(
    actor: Actor,
    id: string,
    input: SpawnItemInput,
  ): Promise<TransitionResult<string, ComplaintAction> & { itemId: string }> {
    const open = (await this.actions(actor, id)).find((a) => a.action === 'spawn_item');
    if (!open?.enabled) {
      throw new DomainError('unprocessable', 'GUARD_FAILED', `Cannot spawn_item: ${open?.blockedBy.join('; ') || 'not open to you now'}`, {
        missing: open?.blockedBy ?? [],
      });
    }
    const [c] = await this.dataSource.query<{ content: string; county_unit_id: string; lead_unit_id: string | null; case_no: string }[]>(
      `SELECT content, county_unit_id, lead_unit_id, case_no FROM complaint_case WHERE id = $1`,
      [id],
    );
    const item = await this.items.create(actor, {
      batchId: input.itemBatchId,
      code: input.code,
      title: input.title,
      feedbackText: `信访举报件 ${c.case_no}：${c.content}`,
      domain: input.domain,
      countyUnitId: c.county_unit_id,
      type: 'deadline',
      leadUnitIds: c.lead_unit_id ? [c.lead_unit_id] : [],
    });
    const result = await this.perform(actor, id, {
      action: 'spawn_item',
      version: input.version,
      itemId: item.id,
      awaitItem: input.awaitItem,
    });
    return { ...result, itemId: item.id };
  }

  /** A dispatcher rejects a duplicate proposal (the case stays on its own); confirming one is the merge action. */
  async rejectDuplicate(actor: Actor, id: string, otherId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const subject = await this.workflow.load(m, actor, id, true);
      if (!decide(actor, 'complaint.act', { ownerScope: [], dispatcherScope: subject.row.dispatcher_scope }).allowed) {
        throw DomainError.forbidden('Only dispatchers of the receiving unit decide duplicate proposals');
      }
      const [[p]] = await m.query<[{ status: string }[], number]>(
        `UPDATE complaint_duplicate SET status = 'rejected', decided_by = $3, decided_at = $4
          WHERE case_id = $1 AND other_id = $2 AND status = 'proposed' RETURNING status`,
        [id, otherId, actor.userId, this.clock.now()],
      );
      if (!p) throw DomainError.notFound('duplicate_proposal', otherId);
      await this.history.appendAfter(m, subject.tip, {
        entityType: COMPLAINT_ENTITY,
        entityId: id,
        action: 'reject_duplicate',
        actorId: actor.userId,
        data: { otherId },
        at: this.clock.now(),
      });
    });
  }
}
