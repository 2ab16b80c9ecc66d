export * from './limits.js';
export * from './zip.js';
export * from './sheet.js';
export * from './docx.js';
export * from './package-check.js';
export * from './xlsx-writer.js';
