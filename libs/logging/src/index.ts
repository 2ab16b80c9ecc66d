export * from './logger.js';
export * from './process-watchdog.js';
