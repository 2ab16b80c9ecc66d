export * from './entities/index.js';
export * from './data-source.js';
export * from './pg-errors.js';
export * from './persistence.module.js';
export * from './sql-params.js';
export * from './prepared-query.js';
export * from './person-ref.js';
