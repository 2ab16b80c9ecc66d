export * from './templates.js';
export * from './mailer.js';
export * from './outbox.service.js';
export { itemMails, type ItemEvent, type ItemMail } from './item-mail.js';
export * from './notifications.module.js';
export * from './reminder-sweep.service.js';
export * from './digest.service.js';
export * from './messages.service.js';
