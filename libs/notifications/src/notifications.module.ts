import { Module } from '@nestjs/common';
import { MAILER, SmtpMailer } from './mailer.js';
import { OutboxService } from './outbox.service.js';

@Module({
  providers: [OutboxService, { provide: MAILER, useClass: SmtpMailer }],
  exports: [OutboxService],
})
export class NotificationsModule {}
