export * from './statistics.service.js';
export * from './stat-scope.js';
export * from './snapshots.js';
export { endOfDay, monthEnd } from './stretches.js';
export * from './reports.service.js';
export * from './report-figures.js';
export * from './statistics.module.js';
export * from './workbook.js';
export * from './bulletin-docx.js';
