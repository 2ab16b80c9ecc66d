import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, shanghaiDate, type Actor, type Clock, type RectificationState } from '#domain';
import { ItemsService, type ItemFilterFields } from './items.service.js';

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

/**
 * "My work" (工作台): per role, counts of the items that need attention. Each count is the total
 * of the item list for the query given with it, computed by that same list, so the page's counts
 * and the list they open always agree. The tiles are counted side by side; the pool queues them.
 */
@Injectable()
export class DashboardService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ItemsService) private readonly items: ItemsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forActor(actor: Actor): Promise<Dashboard> {
    const tile = async (query: ItemFilterFields): Promise<DashboardTile> => {
      const page = await this.items.list(actor, { ...query, sort: 'deadline', page: 1, pageSize: 1 });
      return { count: page.total, countIsExact: page.totalIsExact, query };
    };
    const dashboard: Dashboard = {};
    const unit = actor.unitId;
    if (actor.roles.includes('unit_officer')) {
      const [overdue, dueSoon, returned, toAccept, partsOwed] = await Promise.all([
        tile({ overdue: true }),
        tile({ dueWithinWorkingDays: 5 }),
        tile({ returned: true }),
        tile({ state: ['assigned'], leadUnitId: unit }),
        tile({ cooperatingUnitId: unit, cooperatingPartOpen: true }),
      ]);
      dashboard.officer = { overdue, dueSoon, returned, toAccept, partsOwed };
    }
    if (actor.roles.includes('dispatcher')) {
      const overdueUnits = await this.dataSource.query<{ id: string; name: string }[]>(
        `SELECT o.id, o.name FROM item i JOIN item_unit iu ON iu.item_id = i.id AND iu.role = 'lead' JOIN org_unit o ON o.id = iu.unit_id
          WHERE i.dispatcher_scope @> ARRAY[$1::uuid] AND i.state IN ('assigned', 'in_progress') AND i.current_deadline < $2
          GROUP BY o.id, o.name ORDER BY count(*) DESC, o.name LIMIT ${UNITS_SHOWN}`,
        [unit, shanghaiDate(this.clock.now())],
      );
      const [overdueByUnit, dispatchedOpen, overdue, extensionRequests, inAcceptance] = await Promise.all([
        Promise.all(
          overdueUnits.map(async (u) => ({
            unitId: u.id,
            unitName: u.name,
            ...(await tile({ dispatcherUnitId: unit, overdue: true, leadUnitId: u.id })),
          })),
        ),
        tile({ dispatcherUnitId: unit, state: OPEN }),
        tile({ dispatcherUnitId: unit, overdue: true }),
        tile({ dispatcherUnitId: unit, extensionPending: true }),
        tile({ dispatcherUnitId: unit, state: ['in_acceptance'] }),
      ]);
      dashboard.dispatcher = { dispatchedOpen, overdue, overdueByUnit, extensionRequests, inAcceptance };
    }
    if (actor.roles.includes('verifier')) dashboard.verifier = { acceptanceQueue: await tile({ awaitingMyAcceptance: true }) };
    if (actor.roles.includes('auditor') || actor.roles.includes('admin')) {
      const [open, overdue, inAcceptance, signedOff] = await Promise.all([
        tile({ state: OPEN }),
        tile({ overdue: true }),
        tile({ state: ['in_acceptance', 'public_notice'] }),
        tile({ state: ['signed_off'] }),
      ]);
      dashboard.overview = { open, overdue, inAcceptance, signedOff };
    }
    return dashboard;
  }
}
