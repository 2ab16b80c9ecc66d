import { Module } from '@nestjs/common';
import { MAILER, SmtpMailer } from './mailer.js';
import { OutboxService } from './outbox.service.js';
import { ReminderSweepService } from './reminder-sweep.service.js';
import { CalendarModule } from '#calendar';

@Module({
  imports: [CalendarModule],
  providers: [OutboxService, ReminderSweepService, { provide: MAILER, useClass: SmtpMailer }],
  exports: [OutboxService, ReminderSweepService],
})
export class NotificationsModule {}
