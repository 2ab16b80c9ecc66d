/** Where a deadline version (item_deadline.kind) came from; the table's CHECK constraint lists the same. */
export const DEADLINE_KINDS = [
  'initial', // set when the item is created or imported
  'edit', // changed by a ledger edit before any extension
  'extension', // an approved extension request
  'reset', // re-set by the dispatcher (reset_deadline)
  'calendar', // recomputed after the work calendar changed
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
