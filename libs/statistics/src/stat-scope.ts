import type { Domain, SourceType } from '#domain';

/** Which items a figure counts. Every filter narrows; the caller's own scope always applies. */
export interface StatScope {
  batchId?: string;
  sourceType?: SourceType;
  /** Batches of these inspection rounds (batch.round: 第一轮 = 1, with its 回头看), whatever their source type. */
  rounds?: number[];
  /** Led by this unit or a unit below it. */
  unitId?: string;
  countyUnitId?: string;
  domain?: Domain;
  /** Current (approved) deadline within [deadlineFrom, deadlineTo]. */
  deadlineFrom?: string;
  deadlineTo?: string;
}

export const BREAKDOWNS = ['leadUnit', 'county', 'domain', 'sourceType', 'batch', 'deadlineMonth'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const TREND_INTERVALS = ['week', 'month'] as const;
export type TrendInterval = (typeof TREND_INTERVALS)[number];

/** The instant figures are taken at: now, the end of a day (Asia/Shanghai), or an exact instant. */
export type AsOf = { kind: 'now' } | { kind: 'date'; date: string } | { kind: 'instant'; at: Date };

export interface Instant {
  /** Null for "now": the open stretches. Otherwise the exclusive end: stretches in force just before it. */
  end: Date | null;
  asOf: Date;
  statDate: string;
}
