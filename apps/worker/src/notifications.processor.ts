import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { OutboxService, SendFailure } from '#notifications';
import { JOBS, QUEUES } from '#queue';

/** Relays the outbox: item events become e-mail rows, e-mail rows become send jobs. */
@Processor(QUEUES.notifications)
export class NotificationsProcessor extends WorkerHost {
  static readonly handles: readonly string[] = [JOBS.notifications.relayOutbox];

  constructor(
    private readonly outbox: OutboxService,
    @InjectQueue(QUEUES.email) private readonly emailQueue: Queue,
  ) {
    super();
  }

  async process(job: Job): Promise<{ events: number; emails: number }> {
    if (job.name !== JOBS.notifications.relayOutbox)
      throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.notifications}`);
    let events = 0;
    for (let n = await this.outbox.expandEvents(); n > 0; n = await this.outbox.expandEvents()) events += n;
    let emails = 0;
    for (let n = await this.outbox.enqueueEmails(this.emailQueue); n > 0; n = await this.outbox.enqueueEmails(this.emailQueue)) emails += n;
    return { events, emails };
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
