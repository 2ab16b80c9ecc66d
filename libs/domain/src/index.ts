export * from './errors/domain-error.js';
export * from './access/roles.js';
export * from './access/policy.js';
export * from './org/unit-path.js';
export * from './audit/chain.js';
export * from './workflow/engine.js';
export * from './workflow/rectification.workflow.js';
