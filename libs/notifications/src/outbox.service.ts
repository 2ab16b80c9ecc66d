import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, type Actor, type Role } from '#domain';
import { readCommentEvent } from '#items';
import { JOBS, QUEUES } from '#queue';
import { CONTENT_TYPES, ReportsService } from '#statistics';
import { readChangeEvent, type ChangeEvent, type MilestoneRef } from '#workflow';
import { render, type MailData } from './templates.js';
import { ITEM_EVENT_AUDIENCES, itemMails, usersIn } from './item-mail.js';
import { complaintMails } from './complaint-mail.js';
import { MAILER, SendFailure, type MailAttachment, type Mailer } from './mailer.js';

/** An e-mail handed to the queue this long ago and not sent is handed over again (same job id). */
export const STALE_AFTER_SECONDS = 10;

/** Which users a milestone event is mailed to: the managing dispatchers, or the milestone's unit. */
const MILESTONE_AUDIENCE: Record<string, 'dispatchers' | 'responsible_officers'> = {
  'milestone.report_done': 'dispatchers',
  'milestone.verify': 'responsible_officers',
  'milestone.return': 'responsible_officers',
  'milestone.replan': 'responsible_officers',
  'milestone.urge': 'responsible_officers',
};

export interface EmailPayload {
  template: string;
  userId: string;
  to: string;
  data: MailData;
  /** A document made when the e-mail is sent (the same one each retry: it is computed as of a past date). */
  attachment?: { kind: 'bulletin'; month: string };
}

export interface OutboxRow {
  id: string;
  kind: string;
  dedupe_key: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'enqueued' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
}

/**
 * The outbox pipeline. Changes write rows in their own transaction; here, committed item events
 * become one e-mail row per recipient (unique key per event and recipient), e-mail rows become
 * queue jobs (job id = row id), and the job sends and marks the row. A row recorded as sent is
 * never sent again, whatever runs twice.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(ReportsService) private readonly reports: ReportsService,
  ) {}

  /** Expands pending item events into e-mail rows; returns how many events were handled. */
  async expandEvents(limit = 200): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const events = await m.query<OutboxRow[]>(
        `SELECT id, kind, payload FROM outbox WHERE status = 'pending' AND (kind LIKE 'item.%' OR kind LIKE 'milestone.%' OR kind LIKE 'complaint.%') AND available_at <= now()
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const event of events) {
        if (ITEM_EVENT_AUDIENCES[event.kind]) await this.mailEvent(m, event);
        const milestoneAudience = MILESTONE_AUDIENCE[event.kind];
        if (milestoneAudience) await this.mailMilestoneEvent(m, event, milestoneAudience);
        for (const mail of await complaintMails(m, event.kind, event.payload, this.config.http.publicUrl)) {
          const data = { recipientName: mail.recipient.name, ...mail.data };
          await insertEmail(m, event, { template: mail.template, userId: mail.recipient.id, to: mail.recipient.email, data });
        }
        await m.query(`UPDATE outbox SET status = 'sent', sent_at = now() WHERE id = $1`, [event.id]);
      }
      return events.length;
    });
  }

  /**
   * Puts pending e-mail rows on the queue. The row turns "enqueued" in the same transaction, so a
   * Redis outage leaves it pending (relayed later) and a crash after adding leaves a job whose id
   * the queue already knows.
   */
  async enqueueEmails(queue: Queue, limit = 500): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query<{ id: string }[]>(
        `SELECT id FROM outbox WHERE status = 'pending' AND kind = 'email' AND available_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await queue.addBulk(
        rows.map((r) => ({ name: JOBS[QUEUES.email].sendEmail, data: { outboxId: r.id }, opts: { jobId: `outbox-${r.id}` } })),
      );
      await m.query(`UPDATE outbox SET status = 'enqueued', available_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /**
   * Puts back on the queue e-mail rows that were handed over a while ago and still are not sent:
   * their job may have vanished with Redis's data. The job id is the row's, so a job the queue still
   * has (waiting, retrying, running) is not added twice, and a row already sent is skipped on delivery.
   */
  async requeueStale(queue: Queue, olderThanSeconds = STALE_AFTER_SECONDS, limit = 500): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query<{ id: string }[]>(
        `SELECT id FROM outbox WHERE status = 'enqueued' AND kind = 'email' AND available_at < now() - make_interval(secs => $1)
          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [olderThanSeconds, limit],
      );
      if (rows.length === 0) return 0;
      await queue.addBulk(
        rows.map((r) => ({ name: JOBS[QUEUES.email].sendEmail, data: { outboxId: r.id }, opts: { jobId: `outbox-${r.id}` } })),
      );
      await m.query(`UPDATE outbox SET available_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /**
   * Sends one e-mail row. Already sent or failed rows are skipped. Returns 'sent'; throws
   * SendFailure (permanent ones already marked failed) for the queue to retry or give up.
   */
  async deliver(outboxId: string, finalAttempt: boolean): Promise<'sent' | 'skipped'> {
    const [row] = await this.dataSource.query<OutboxRow[]>(`SELECT id, kind, payload, status, attempts FROM outbox WHERE id = $1`, [
      outboxId,
    ]);
    if (!row || row.kind !== 'email' || row.status === 'sent' || row.status === 'failed') return 'skipped';
    const payload = row.payload as unknown as EmailPayload;
    const mail = render(payload.template, this.config.mail.locale, payload.data);
    try {
      const attachments = payload.attachment ? [await this.attachmentFor(payload)] : undefined;
      await this.mailer.send({ ...mail, to: payload.to, messageId: `<outbox-${row.id}@rectify>`, attachments });
    } catch (e) {
      const failure = e instanceof SendFailure ? e : new SendFailure((e as Error).message, false);
      const give = failure.permanent || finalAttempt;
      await this.dataSource.query(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1`,
        [row.id, failure.message.slice(0, 1000), give],
      );
      this.logger.warn(`e-mail ${row.id} to ${payload.to} failed${give ? ' for good' : ''}: ${failure.message}`);
      throw failure;
    }
    await this.dataSource.query(
      `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
      [row.id],
    );
    return 'sent';
  }

  /** The bulletin workbook in the recipient's own scope. */
  private async attachmentFor(payload: EmailPayload): Promise<MailAttachment> {
    const [user] = await this.dataSource.query<{ unit_id: string; path: string; roles: Role[] }[]>(
      `SELECT u.unit_id, o.path, u.roles FROM app_user u JOIN org_unit o ON o.id = u.unit_id WHERE u.id = $1`,
      [payload.userId],
    );
    if (!user) throw new SendFailure(`the recipient ${payload.userId} no longer exists`, true);
    const actor: Actor = { userId: payload.userId, unitId: user.unit_id, unitPath: user.path, roles: user.roles };
    const file = await this.reports.bulletin(actor, payload.attachment!.month);
    return { filename: file.filename, content: file.body, contentType: CONTENT_TYPES[file.format] };
  }

  async listFailed(limit = 200): Promise<(OutboxRow & { created_at: Date })[]> {
    return this.dataSource.query(
      `SELECT id, kind, dedupe_key, payload, status, attempts, last_error, created_at FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }

  /** Puts a failed e-mail back in line (an administrator fixed the address, or the server). */
  async retry(outboxId: string): Promise<void> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `UPDATE outbox SET status = 'pending', attempts = 0, available_at = now() WHERE id = $1 AND status = 'failed'`,
      [outboxId],
    );
    if (count === 0) throw DomainError.notFound('failed_email', outboxId);
  }

  private async mailEvent(m: EntityManager, event: OutboxRow): Promise<void> {
    const p = event.kind === 'item.comment' ? readCommentEvent(event.payload) : readChangeEvent(event.payload, event.kind, ['itemId']);
    if (!p) return;
    const link = `${this.config.http.publicUrl}/items/${p.itemId}`;
    for (const mail of await itemMails(m, event.kind, p, link)) {
      const payload: EmailPayload = {
        template: mail.template,
        userId: mail.recipient.id,
        to: mail.recipient.email,
        data: { recipientName: mail.recipient.name, ...mail.data },
      };
      await insertEmail(m, event, payload);
    }
  }

  private async mailMilestoneEvent(m: EntityManager, event: OutboxRow, audience: 'dispatchers' | 'responsible_officers'): Promise<void> {
    const p: ChangeEvent<MilestoneRef> | null = readChangeEvent(event.payload, event.kind, ['milestoneId', 'projectId']);
    if (!p) return;
    const [ms] = await m.query<
      {
        code: string;
        project: string;
        name: string;
        planned: string;
        unit_id: string;
        dispatcher_unit_id: string;
        actor_name: string | null;
      }[]
    >(
      `SELECT pr.code, pr.name AS project, ms.name, to_char(ms.planned_date, 'YYYY-MM-DD') AS planned, ms.responsible_unit_id AS unit_id,
              pr.dispatcher_unit_id, (SELECT u.name FROM app_user u WHERE u.id = $2) AS actor_name
         FROM milestone ms JOIN project pr ON pr.id = ms.project_id
        WHERE ms.id = $1`,
      [p.milestoneId, p.actorId],
    );
    if (!ms) return;
    const recipients =
      audience === 'dispatchers'
        ? await usersIn(m, [ms.dispatcher_unit_id], ['dispatcher'])
        : await usersIn(m, [ms.unit_id], ['unit_officer']);
    // Nobody is mailed about their own action (a dispatcher may also be an officer of the milestone's unit).
    for (const r of recipients.filter((u) => u.id !== p.actorId)) {
      const payload: EmailPayload = {
        template: event.kind,
        userId: r.id,
        to: r.email,
        data: {
          recipientName: r.name,
          itemCode: ms.code,
          itemTitle: `${ms.project} · ${ms.name}`,
          deadline: ms.planned,
          link: `${this.config.http.publicUrl}/projects/${p.projectId}`,
          actorName: ms.actor_name,
          reason: p.reason,
        },
      };
      await insertEmail(m, event, payload);
    }
  }
}

/** One e-mail row per event and recipient; expanding an event twice writes nothing new. */
function insertEmail(m: EntityManager, event: OutboxRow, payload: EmailPayload): Promise<unknown> {
  return m.query(`INSERT INTO outbox (kind, dedupe_key, payload) VALUES ('email', $1, $2) ON CONFLICT (dedupe_key) DO NOTHING`, [
    `email:${event.id}:${payload.userId}`,
    payload,
  ]);
}
