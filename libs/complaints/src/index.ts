export * from './complaint-intake.service.js';
export * from './complaint-queries.service.js';
export * from './complaint-import.service.js';
export * from './complaint-export.service.js';
export * from './complaint-figures.service.js';
export * from './complaint-daily-report.service.js';
export * from './complaint-sheet.js';
export * from './complaints.module.js';
