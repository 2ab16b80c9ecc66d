export * from './statistics.service.js';
export * from './reports.service.js';
export * from './statistics.module.js';
export * from './workbook.js';
