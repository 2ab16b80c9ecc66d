import type { Domain, RectificationState, SourceType } from '#domain';

/** 'open' (the default): open items first, overdue ones leading as the earliest deadlines, then closed ones, each by deadline. */
export const ITEM_SORTS = ['open', 'deadline', '-deadline', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'code', '-code'] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];

/** What narrows a list or an export (the page and the order are separate). */
export interface ItemFilterFields {
  state?: RectificationState[];
  batchId?: string;
  sourceType?: SourceType;
  leadUnitId?: string;
  cooperatingUnitId?: string;
  countyUnitId?: string;
  domain?: Domain;
  overdue?: boolean;
  dueWithinDays?: number;
  q?: string;
  /** Same as countyUnitId (the name the web app uses). */
  countyId?: string;
  /** Open items due from today to N working days ahead (on the work calendar). */
  dueWithinWorkingDays?: number;
  /** Items in acceptance whose current level the caller (a verifier) may pass or return. */
  awaitingMyAcceptance?: boolean;
  /** In progress after an acceptance level returned them (the latest acceptance record is a return). */
  returned?: boolean;
  /** With cooperatingUnitId: only items whose part of that unit is not done yet, while the item is open. */
  cooperatingPartOpen?: boolean;
  /** Items with an extension request waiting for a decision. */
  extensionPending?: boolean;
  /** Items dispatched by this unit or a unit below it. */
  dispatcherUnitId?: string;
}

export interface ItemFilter extends ItemFilterFields {
  sort: ItemSort;
  page: number;
  pageSize: number;
}
