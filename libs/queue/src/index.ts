export * from './queues.js';
export * from './queue.module.js';
