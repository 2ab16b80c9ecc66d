export * from './org-units.service.js';
export * from './users.service.js';
export * from './password-hasher.js';
export * from './password-policy.js';
export * from './org.module.js';
export * from './access-changes.js';
export * from './unit-directory.js';
