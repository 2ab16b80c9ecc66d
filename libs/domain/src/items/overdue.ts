import type { RectificationState } from '../workflow/rectification.workflow.js';

/**
 * States in which an item can be overdue: work the units still owe. Items awaiting acceptance
 * or in public notice count as completed (完成), so they are not overdue.
 */
export const OVERDUE_STATES: readonly RectificationState[] = ['assigned', 'in_progress'];

export function isOverdue(state: RectificationState, deadline: string | null, today: string): boolean {
  return OVERDUE_STATES.includes(state) && deadline !== null && deadline < today;
}
