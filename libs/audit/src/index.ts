export * from './history.service.js';
export * from './audit.module.js';
