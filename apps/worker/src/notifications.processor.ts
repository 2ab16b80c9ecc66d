import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { CLOCK, shanghaiDate, type Clock } from '#domain';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { DigestService, OutboxService, ReminderSweepService, SendFailure } from '#notifications';
import { NoticeCloser } from '#items';
import { JOBS, QUEUES } from '#queue';

/** The daily reminder sweep, and the outbox relay: item events become e-mail rows, e-mail rows send jobs. */
@Processor(QUEUES.notifications)
export class NotificationsProcessor extends WorkerHost {
  static readonly handles: readonly string[] = [
    JOBS.notifications.relayOutbox,
    JOBS.notifications.sweepReminders,
    JOBS.notifications.weeklyDigest,
    JOBS.notifications.monthlyBulletin,
  ];

  constructor(
    private readonly outbox: OutboxService,
    private readonly reminders: ReminderSweepService,
    private readonly digests: DigestService,
    private readonly notices: NoticeCloser,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectQueue(QUEUES.email) private readonly emailQueue: Queue,
  ) {
    super();
  }

  async process(job: Job<{ day?: string }>): Promise<unknown> {
    switch (job.name) {
      case JOBS.notifications.relayOutbox:
        return this.relay();
      case JOBS.notifications.sweepReminders: {
        // Notices of batches that sign off by themselves first, so they are not reminded of.
        const signedOff = await this.notices.closeEnded(job.data.day ?? shanghaiDate(this.clock.now()));
        return { ...(await this.reminders.sweep(job.data.day)), noticesSignedOff: signedOff };
      }
      case JOBS.notifications.weeklyDigest:
        return this.digests.weekly(job.data.day);
      case JOBS.notifications.monthlyBulletin:
        return this.digests.monthly(job.data.day);
      default:
        throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.notifications}`);
    }
  }

  private async relay(): Promise<{ events: number; emails: number; requeued: number }> {
    let events = 0;
    for (let n = await this.outbox.expandEvents(); n > 0; n = await this.outbox.expandEvents()) events += n;
    let emails = 0;
    for (let n = await this.outbox.enqueueEmails(this.emailQueue); n > 0; n = await this.outbox.enqueueEmails(this.emailQueue)) emails += n;
    const requeued = await this.outbox.requeueStale(this.emailQueue);
    return { events, emails, requeued };
  }
}

/** Sends one e-mail per job; permanent failures are not retried, transient ones back off. */
@Processor(QUEUES.email, { concurrency: 8 })
export class EmailProcessor extends WorkerHost {
  static readonly handles: readonly string[] = [JOBS.email.sendEmail];

  constructor(private readonly outbox: OutboxService) {
    super();
  }

  async process(job: Job<{ outboxId: string }>): Promise<string> {
    if (job.name !== JOBS.email.sendEmail) throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.email}`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await this.outbox.deliver(job.data.outboxId, finalAttempt);
    } catch (e) {
      if (e instanceof SendFailure && e.permanent) throw new UnrecoverableError(e.message);
      throw e;
    }
  }
}
