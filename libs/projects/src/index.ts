export * from './projects.service.js';
export * from './milestones.service.js';
export * from './milestone-workflow.js';
export * from './investment.service.js';
export * from './project-statistics.service.js';
export * from './project-transfer.service.js';
export * from './project-figures.js';
export * from './projects.module.js';
