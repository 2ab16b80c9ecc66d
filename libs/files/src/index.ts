export * from './accept-upload.js';
export * from './evidence-storage.js';
export * from './file-type.js';
export * from './files.module.js';
