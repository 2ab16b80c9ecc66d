import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CLOCK,
  POLLUTION_LABELS,
  addDays,
  complaintFiguresFrom,
  definitionsOf,
  shanghaiDate,
  valueOf,
  type Actor,
  type Clock,
  type ComplaintCounts,
  type Figure,
  type FigureDefinition,
  type FigureValue,
  type PollutionType,
} from '#domain';
import { SqlParams } from '#persistence';
import { ComplaintQueriesService, type ComplaintFilter } from './complaint-queries.service.js';

export const COMPLAINT_DIMENSIONS = ['batch', 'county', 'pollutionType', 'leadUnit'] as const;
export type ComplaintDimension = (typeof COMPLAINT_DIMENSIONS)[number];

const GROUP: Record<ComplaintDimension, { key: string; label: string; join: string }> = {
  batch: {
    key: `c.batch_id::text`,
    label: `(SELECT round || ' 第' || batch_no || '批' FROM complaint_batch WHERE id = c.batch_id)`,
    join: '',
  },
  county: { key: `c.county_unit_id::text`, label: `(SELECT name FROM org_unit WHERE id = c.county_unit_id)`, join: '' },
  pollutionType: { key: `pt`, label: `pt`, join: `CROSS JOIN LATERAL unnest(c.pollution_types) pt` },
  leadUnit: {
    key: `coalesce(c.lead_unit_id::text, '')`,
    label: `coalesce((SELECT name FROM org_unit WHERE id = c.lead_unit_id), '未转办')`,
    join: '',
  },
};

/**
 * The counts behind the complaint figures, as of an instant (exclusive): every state is read from
 * the dated columns the transitions set (transferred_at, phase_closed_at, closed_at…) and the
 * verdict in force then, so the figures of a past day stay as they were. Names match ComplaintCounts.
 */
function countsSql(asOf: string, cond: string, group?: ComplaintDimension): string {
  const g = group ? GROUP[group] : null;
  return `
    SELECT ${g ? `${g.key} AS key, min(${g.label}) AS label,` : ''}
      count(*)::int AS received,
      count(*) FILTER (WHERE c.merged_at < ${asOf})::int AS merged,
      count(*) FILTER (WHERE c.transferred_at < ${asOf} AND c.merged_at IS NULL)::int AS transferred,
      count(*) FILTER (WHERE c.closed_at < ${asOf})::int AS closed,
      count(*) FILTER (WHERE c.phase_closed_at < ${asOf} AND NOT coalesce(c.closed_at < ${asOf}, false))::int AS "phaseClosed",
      count(*) FILTER (WHERE c.followed_up_at < ${asOf})::int AS "followedUp",
      count(v.verdict)::int AS investigated,
      count(*) FILTER (WHERE v.verdict <> 'unfounded')::int AS substantiated,
      count(*) FILTER (WHERE fc.at < ${asOf} AND c.original_deadline IS NOT NULL)::int AS "closedWithDeadline",
      count(*) FILTER (WHERE fc.at < ${asOf} AND fc.day <= c.original_deadline)::int AS "closedOnTimeOriginal",
      count(*) FILTER (WHERE fc.at < ${asOf} AND fc.day <= ad.deadline)::int AS "closedOnTimeApproved",
      count(*) FILTER (WHERE c.key_case)::int AS "keyCases",
      coalesce(sum(v.orders_issued), 0)::int AS "ordersIssued",
      coalesce(sum(v.fines_wan), 0)::float8 AS "finesWan",
      coalesce(sum(v.cases_filed), 0)::int AS "casesFiled",
      coalesce(sum(v.detained), 0)::int AS detained,
      coalesce(sum(v.accountable), 0)::int AS accountable,
      coalesce(sum(v.summoned), 0)::int AS summoned
    FROM complaint_case c ${g?.join ?? ''}
    CROSS JOIN LATERAL (SELECT least(c.phase_closed_at, c.closed_at) AS at,
                               (least(c.phase_closed_at, c.closed_at) AT TIME ZONE 'Asia/Shanghai')::date AS day) fc
    LEFT JOIN LATERAL (SELECT * FROM complaint_verdict v WHERE v.case_id = c.id AND v.reported_at < ${asOf}
                        ORDER BY v.seq DESC LIMIT 1) v ON true
    LEFT JOIN LATERAL (SELECT d.deadline FROM complaint_deadline d WHERE d.case_id = c.id AND d.created_at <= fc.at
                        ORDER BY d.version DESC LIMIT 1) ad ON true
    WHERE c.created_at < ${asOf} ${cond ? `AND ${cond}` : ''}
    ${g ? 'GROUP BY 1 ORDER BY 3 DESC, 2' : ''}`;
}

export interface ComplaintSummary {
  asOf: string;
  scope: string;
  figures: Figure[];
}

/** Complaint figures in the style of the item statistics: counts in SQL, each figure with its formula, as of any day. */
@Injectable()
export class ComplaintFiguresService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ComplaintQueriesService) private readonly queries: ComplaintQueriesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async summary(actor: Actor, filter: ComplaintFilter & { asOf?: string }): Promise<ComplaintSummary> {
    const { q, cond, asOf, day } = this.prepare(actor, filter);
    if (cond === null) return { asOf: day, scope: 'none', figures: complaintFiguresFrom(ZERO) };
    const [counts] = await this.dataSource.query<ComplaintCounts[]>(countsSql(asOf, cond), q.values);
    return { asOf: day, scope: describe(filter), figures: complaintFiguresFrom(counts) };
  }

  async breakdown(
    actor: Actor,
    dimension: ComplaintDimension,
    filter: ComplaintFilter & { asOf?: string },
  ): Promise<{
    asOf: string;
    dimension: ComplaintDimension;
    definitions: FigureDefinition[];
    rows: { key: string; label: string; figures: FigureValue[] }[];
  }> {
    const { q, cond, asOf, day } = this.prepare(actor, filter);
    const definitions = definitionsOf(complaintFiguresFrom(ZERO));
    if (cond === null) return { asOf: day, dimension, definitions, rows: [] };
    const rows = await this.dataSource.query<(ComplaintCounts & { key: string; label: string })[]>(
      countsSql(asOf, cond, dimension),
      q.values,
    );
    return {
      asOf: day,
      dimension,
      definitions,
      rows: rows.map(({ key, label, ...counts }) => ({
        key,
        label: dimension === 'pollutionType' ? POLLUTION_LABELS[label as PollutionType] : label,
        figures: complaintFiguresFrom(counts).map(valueOf),
      })),
    };
  }

  /** The raw statement of the summary, for the benchmark's comparison. */
  rawSummarySql(): string {
    return countsSql('$1::timestamptz', '');
  }

  private prepare(actor: Actor, filter: ComplaintFilter & { asOf?: string }) {
    const day = filter.asOf ?? shanghaiDate(this.clock.now());
    const q = new SqlParams();
    const w = this.queries.where(actor, filter, q);
    // The end of the day in Shanghai, exclusive.
    const asOf = `${q.add(`${addDays(day, 1)}T00:00:00+08:00`)}::timestamptz`;
    return { q, cond: w === null ? null : w.join(' AND '), asOf, day };
  }
}

const ZERO: ComplaintCounts = {
  received: 0,
  merged: 0,
  transferred: 0,
  closed: 0,
  phaseClosed: 0,
  followedUp: 0,
  investigated: 0,
  substantiated: 0,
  closedWithDeadline: 0,
  closedOnTimeOriginal: 0,
  closedOnTimeApproved: 0,
  keyCases: 0,
  ordersIssued: 0,
  finesWan: 0,
  casesFiled: 0,
  detained: 0,
  accountable: 0,
  summoned: 0,
};

function describe(f: ComplaintFilter): string {
  const parts = Object.entries(f).filter(([k, v]) => k !== 'asOf' && v !== undefined);
  return parts.length ? parts.map(([k, v]) => `${k}=${String(v)}`).join(', ') : 'all cases you may read';
}
