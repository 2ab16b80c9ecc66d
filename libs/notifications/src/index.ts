export * from './templates.js';
export * from './mailer.js';
export * from './outbox.service.js';
export * from './notifications.module.js';
export * from './reminder-sweep.service.js';
export * from './digest.service.js';
export * from './messages.service.js';
