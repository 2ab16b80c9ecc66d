import { Global, Module } from '@nestjs/common';
import { CalendarService } from './calendar.service.js';
import { HolidayNoticeService } from './holiday-notice.service.js';

@Global()
@Module({ providers: [CalendarService, HolidayNoticeService], exports: [CalendarService, HolidayNoticeService] })
export class CalendarModule {}
