import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { loadConfig } from '#config';
import type { Clock } from '#domain';
import type { UserView } from '#org';
import { JOBS, QUEUES } from '#queue';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { TestApi } from './api.js';
import { separateDatabaseUrl } from './database.js';
import { SmtpSink, waitFor, type CapturedMail } from './smtp-sink.js';

/**
 * The API and a worker on a database of the file's own (the relay sweeps the whole outbox), on
 * one clock, with a real SMTP sink: the setting of the tests that follow actions to their e-mails.
 */
export class MailWorld {
  private constructor(
    readonly api: TestApi,
    readonly worker: INestApplicationContext,
    /** The notifications queue (the relay, sweeps, digests). */
    readonly queue: Queue,
    readonly sink: SmtpSink,
  ) {}

  /** `name` names the database and the queue prefix. */
  static async start(name: string, clock: Clock, sink = new SmtpSink()): Promise<MailWorld> {
    await sink.start();
    const env = {
      DATABASE_URL: separateDatabaseUrl(name),
      SMTP_URL: sink.url,
      QUEUE_PREFIX: `rectify-test-${name}-${randomUUID().slice(0, 8)}`,
      PUBLIC_URL: 'https://rectify.example.cn',
    };
    const api = await TestApi.start({ env, clock });
    const worker = await createWorker(loadConfig({ ...process.env, ...env }), clock);
    return new MailWorld(api, worker, worker.get<Queue>(getQueueToken(QUEUES.notifications)), sink);
  }

  /** Signs every user in; their access tokens under the same keys. */
  async tokens(users: Record<string, UserView>): Promise<Record<string, string>> {
    const tokens: Record<string, string> = {};
    for (const [key, user] of Object.entries(users)) tokens[key] = (await this.api.login(user.email)).accessToken;
    return tokens;
  }

  /** Adds a job to the notifications queue and waits until it completed; returns its result. */
  async run(name: string, data: Record<string, unknown> = {}): Promise<unknown> {
    const job = await this.queue.add(name, data);
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 30000, name);
    const state = await job.getState();
    if (state !== 'completed') throw new Error(`job ${name} ${state}: ${(await this.queue.getJob(job.id!))?.failedReason}`);
    return (await this.queue.getJob(job.id!))?.returnvalue;
  }

  /** Runs the outbox relay once. */
  async relay(): Promise<void> {
    await this.run(JOBS.notifications.relayOutbox);
  }

  /** Relays, then waits for `n` more e-mails to `email` than the `since` it had; returns those. */
  async mailsTo(email: string, since: number, n = 1): Promise<CapturedMail[]> {
    await this.relay();
    await waitFor(() => this.sink.to(email).length >= since + n, 15000, `${n} e-mail(s) to ${email}`);
    return this.sink.to(email).slice(since);
  }

  /** Relays and waits until every e-mail written so far has reached the sink, so counts start clean. */
  async settle(): Promise<void> {
    await this.relay();
    await waitFor(
      async () => {
        const [{ n }] = await this.api.ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'sent'`);
        return n === 0;
      },
      15000,
      'every e-mail sent',
    );
  }

  async stop(): Promise<void> {
    await this.worker.get<Queue>(getQueueToken(QUEUES.email)).obliterate({ force: true });
    await this.queue.obliterate({ force: true });
    await this.worker.close();
    await this.api.stop();
    await this.sink.stop();
  }
}
