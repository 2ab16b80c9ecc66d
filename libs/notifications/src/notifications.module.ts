import { Module } from '@nestjs/common';
import { MAILER, SmtpMailer } from './mailer.js';
import { DigestService } from './digest.service.js';
import { MessagesService } from './messages.service.js';
import { OutboxService } from './outbox.service.js';
import { ReminderSweepService } from './reminder-sweep.service.js';
import { CalendarModule } from '#calendar';
import { StatisticsModule } from '#statistics';

@Module({
  imports: [CalendarModule, StatisticsModule],
  providers: [OutboxService, ReminderSweepService, DigestService, MessagesService, { provide: MAILER, useClass: SmtpMailer }],
  exports: [OutboxService, ReminderSweepService, DigestService, MessagesService],
})
export class NotificationsModule {}
