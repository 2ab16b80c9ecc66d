import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '#config';
import type { RenderedMail } from './templates.js';

export interface OutgoingMail extends RenderedMail {
  to: string;
  /** A stable id: retries of the same message carry the same Message-ID. */
  messageId: string;
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

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = nodemailer.createTransport(config.mail.smtpUrl, { from: config.mail.from });
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
