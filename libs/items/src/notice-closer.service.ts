import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type SystemActor } from '#domain';
import { TransitionService } from './transition.service.js';

export const AUTO_SIGN_OFF_REASON = '公示期满无异议，按批次设置自动销号';

/**
 * Public notices (公示) whose period ended with no objection upheld, in batches set to sign off by
 * themselves (notice_end_action = 'sign_off'): each item is closed (close_notice) through the
 * workflow, as its dispatching unit, with no user (the history row has no actor). Batches set to
 * remind are left to the daily reminder instead.
 */
@Injectable()
export class NoticeCloser {
  private readonly logger = new Logger(NoticeCloser.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TransitionService) private readonly transitions: TransitionService,
  ) {}

  /** Closes the notices that ended before `day`; returns the codes signed off. */
  async closeEnded(day: string): Promise<string[]> {
    const due = await this.dataSource.query<{ id: string; code: string; version: number; unit_id: string; unit_path: string }[]>(
      `SELECT i.id, i.code, i.version, o.id AS unit_id, o.path AS unit_path
         FROM item i JOIN batch b ON b.id = i.batch_id JOIN org_unit o ON o.id = i.dispatcher_unit_id
        WHERE i.state = 'public_notice' AND i.notice_end < $1::date AND b.notice_end_action = 'sign_off'
        ORDER BY i.notice_end, i.code`,
      [day],
    );
    const closed: string[] = [];
    for (const item of due) {
      const actor: SystemActor = { userId: null, unitId: item.unit_id, unitPath: item.unit_path, roles: ['dispatcher'] };
      try {
        await this.transitions.transition(actor, item.id, { action: 'close_notice', version: item.version, reason: AUTO_SIGN_OFF_REASON });
        closed.push(item.code);
      } catch (e) {
        // Someone acted on it meanwhile (or an objection is being handled): the next sweep looks again.
        if (!(e instanceof DomainError)) throw e;
        this.logger.warn(`notice of ${item.code} not closed: ${e.message}`);
      }
    }
    return closed;
  }
}
