export * from './calendar.service.js';
export * from './calendar.module.js';
