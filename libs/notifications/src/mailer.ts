import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '#config';
import type { RenderedMail } from './templates.js';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail extends RenderedMail {
  to: string;
  /** A stable id: retries of the same message carry the same Message-ID. */
  messageId: string;
  attachments?: MailAttachment[];
}

/** Why a send failed: a permanent failure is not retried. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export const MAILER = Symbol('MAILER');

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * Sends through SMTP with nodemailer. 5xx answers (unknown mailbox, bad address) and malformed
 * addresses are permanent; 4xx answers and connection problems are transient and retried.
 */
@Injectable()
export class SmtpMailer implements Mailer, OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly logger = new Logger(SmtpMailer.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Pooled connections: one SMTP session serves many messages (a new session per message caps
    // throughput at the server's greeting delay). SMTP_URL may set pool options of its own.
    const url = new URL(config.mail.smtpUrl);
    if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
    if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', '8');
    this.transport = nodemailer.createTransport(url.toString(), { from: config.mail.from });
    // An idle pooled connection the server drops is reported here; the next send opens a new one.
    this.transport.on('error', (e: Error) => this.logger.warn(`SMTP connection: ${e.message}`));
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.config.mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        attachments: mail.attachments,
      });
    } catch (e) {
      const err = e as { responseCode?: number; code?: string; message?: string };
      const permanent = (err.responseCode !== undefined && err.responseCode >= 500) || err.code === 'EENVELOPE';
      throw new SendFailure(err.message ?? String(e), permanent);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
