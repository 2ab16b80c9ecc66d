import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, shanghaiDate, type Actor, type Clock, type RectificationState } from '#domain';
import { SqlParams } from '#persistence';
import { COUNT_CAP, cappedCountSql } from './item-list.query.js';
import { ItemsService, type ItemFilterFields } from './items.service.js';
import { itemWhereSql } from './read-scope.query.js';

/** A count on "my work", and the item list query that lists exactly those items. */
export interface DashboardTile {
  count: number;
  /** False past the list's exact-count cap (the count is then the cap). */
  countIsExact: boolean;
  query: ItemFilterFields;
}

export interface Dashboard {
  /** unit_officer: my items by urgency, what I must act on, the cooperating parts my unit owes. */
  officer?: { overdue: DashboardTile; dueSoon: DashboardTile; returned: DashboardTile; toAccept: DashboardTile; partsOwed: DashboardTile };
  /** dispatcher: what my unit dispatched, overdue by lead unit, decisions waiting. */
  dispatcher?: {
    dispatchedOpen: DashboardTile;
    overdue: DashboardTile;
    overdueByUnit: (DashboardTile & { unitId: string; unitName: string })[];
    extensionRequests: DashboardTile;
    inAcceptance: DashboardTile;
  };
  /** verifier: the acceptance queue at my level. */
  verifier?: { acceptanceQueue: DashboardTile };
  /** auditor and admin: the whole picture (the closure figures come from the statistics). */
  overview?: { open: DashboardTile; overdue: DashboardTile; inAcceptance: DashboardTile; signedOff: DashboardTile };
}

const OPEN: RectificationState[] = ['assigned', 'in_progress', 'in_acceptance', 'public_notice'];
/** How many lead units "overdue by unit" lists, the most overdue first. */
const UNITS_SHOWN = 20;

const tileOf = (total: number, query: ItemFilterFields): DashboardTile => ({
  count: Math.min(total, COUNT_CAP),
  countIsExact: total <= COUNT_CAP,
  query,
});

/**
 * "My work" (工作台): per role, counts of the items that need attention. Each count is the item
 * list's own count (the same WHERE and cap) for the query given with it, so the page's counts and
 * the list they open always agree. All the tiles are counted in one statement (a unit's own
 * dispatched items on its item_reader rows), and "overdue by lead unit" in one grouped pass over
 * the overdue items, instead of a list request per tile.
 */
@Injectable()
export class DashboardService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ItemsService) private readonly items: ItemsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forActor(actor: Actor): Promise<Dashboard> {
    const unit = actor.unitId;
    const queries: Record<string, ItemFilterFields> = {};
    const officer = actor.roles.includes('unit_officer');
    const dispatcher = actor.roles.includes('dispatcher');
    const verifier = actor.roles.includes('verifier');
    const overview = actor.roles.includes('auditor') || actor.roles.includes('admin');
    if (officer) {
      Object.assign(queries, {
        'officer.overdue': { overdue: true },
        'officer.dueSoon': { dueWithinWorkingDays: 5 },
        'officer.returned': { returned: true },
        'officer.toAccept': { state: ['assigned'], leadUnitId: unit },
        'officer.partsOwed': { cooperatingUnitId: unit, cooperatingPartOpen: true },
      });
    }
    if (dispatcher) {
      Object.assign(queries, {
        'dispatcher.dispatchedOpen': { dispatcherUnitId: unit, state: OPEN },
        'dispatcher.overdue': { dispatcherUnitId: unit, overdue: true },
        'dispatcher.extensionRequests': { dispatcherUnitId: unit, extensionPending: true },
        'dispatcher.inAcceptance': { dispatcherUnitId: unit, state: ['in_acceptance'] },
      });
    }
    if (verifier) queries['verifier.acceptanceQueue'] = { awaitingMyAcceptance: true };
    if (overview) {
      Object.assign(queries, {
        'overview.open': { state: OPEN },
        'overview.overdue': { overdue: true },
        'overview.inAcceptance': { state: ['in_acceptance', 'public_notice'] },
        'overview.signedOff': { state: ['signed_off'] },
      });
    }
    const [counts, overdueByUnit] = await Promise.all([
      this.counts(actor, queries),
      dispatcher ? this.overdueByLeadUnit(actor, { dispatcherUnitId: unit, overdue: true }) : Promise.resolve([]),
    ]);
    const section = <K extends string>(prefix: string, keys: readonly K[]): Record<K, DashboardTile> =>
      Object.fromEntries(keys.map((k) => [k, counts[`${prefix}.${k}`]])) as Record<K, DashboardTile>;
    const dashboard: Dashboard = {};
    if (officer) dashboard.officer = section('officer', ['overdue', 'dueSoon', 'returned', 'toAccept', 'partsOwed'] as const);
    if (dispatcher) {
      const d = section('dispatcher', ['dispatchedOpen', 'overdue', 'extensionRequests', 'inAcceptance'] as const);
      dashboard.dispatcher = {
        dispatchedOpen: d.dispatchedOpen,
        overdue: d.overdue,
        overdueByUnit,
        extensionRequests: d.extensionRequests,
        inAcceptance: d.inAcceptance,
      };
    }
    if (verifier) dashboard.verifier = section('verifier', ['acceptanceQueue'] as const);
    if (overview) dashboard.overview = section('overview', ['open', 'overdue', 'inAcceptance', 'signedOff'] as const);
    return dashboard;
  }

  /** Every query's list count, in one statement (each a capped scalar subquery, as the list counts). */
  private async counts(actor: Actor, queries: Record<string, ItemFilterFields>): Promise<Record<string, DashboardTile>> {
    const today = shanghaiDate(this.clock.now());
    const q = new SqlParams();
    const columns: string[] = [];
    const keys = Object.keys(queries);
    for (const [n, key] of keys.entries()) {
      const readable = await this.items.readable(actor, queries[key]);
      columns.push(`${readable ? `(${cappedCountSql(readable.scope, readable.f, today, q)})` : '0'} AS c${n}`);
    }
    if (keys.length === 0) return {};
    const [row] = await this.dataSource.query<Record<string, number>[]>(`SELECT ${columns.join(', ')}`, q.values);
    return Object.fromEntries(keys.map((key, n) => [key, tileOf(row[`c${n}`], queries[key])]));
  }

  /**
   * The lead units with the most items matching `query`, each with the list's count for `query`
   * plus that lead unit (which takes in the units below it: the list tests lead_scope), from one
   * grouped pass over the matching items' lead_scope. Only units that lead items are listed (not
   * their parents as such), the most items first.
   */
  private async overdueByLeadUnit(
    actor: Actor,
    query: ItemFilterFields,
  ): Promise<(DashboardTile & { unitId: string; unitName: string })[]> {
    const readable = await this.items.readable(actor, query);
    if (!readable) return [];
    const q = new SqlParams();
    const where = itemWhereSql(readable.scope, readable.f, shanghaiDate(this.clock.now()), q, 'set');
    const rows = await this.dataSource.query<{ id: string; name: string; total: number }[]>(
      `WITH under AS (SELECT s.unit_id, count(*)::int AS total FROM item i CROSS JOIN unnest(i.lead_scope) s(unit_id) ${where}
                       GROUP BY s.unit_id)
       SELECT o.id, o.name, under.total FROM under JOIN org_unit o ON o.id = under.unit_id
        WHERE EXISTS (SELECT 1 FROM item_unit iu WHERE iu.unit_id = under.unit_id AND iu.role = 'lead')
        ORDER BY under.total DESC, o.name LIMIT ${UNITS_SHOWN}`,
      q.values,
    );
    return rows.map((r) => ({ unitId: r.id, unitName: r.name, ...tileOf(r.total, { ...query, leadUnitId: r.id }) }));
  }
}
