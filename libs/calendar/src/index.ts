export * from './calendar.service.js';
export * from './calendar.module.js';
export * from './holiday-notice.service.js';
