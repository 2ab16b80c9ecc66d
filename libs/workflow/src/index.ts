export * from './adapter.js';
export * from './change-event.js';
export * from './change-log.js';
export * from './runner.js';
export * from './workflow.module.js';
