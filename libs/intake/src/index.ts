export * from './ledger-columns.js';
export * from './ledger-sheet.js';
export * from './ledger-plan.js';
export * from './ledger-import.service.js';
export * from './ledger-export.service.js';
export * from './decomposition.service.js';
export * from './intake.module.js';
export { insertItems, type NewItem } from './insert-items.js';
