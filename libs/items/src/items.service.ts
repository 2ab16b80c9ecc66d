import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  CLOCK,
  DomainError,
  OVERDUE_STATES,
  addDays,
  decide,
  isOverdue,
  listScope,
  type ListScope,
  scopeOfPaths,
  shanghaiDate,
  type Actor,
  type Clock,
  type Domain,
  type ItemType,
  type RectificationState,
  type SourceType,
} from '#domain';
import { CalendarService } from '#calendar';
import {
  PG_FOREIGN_KEY_VIOLATION,
  PG_UNIQUE_VIOLATION,
  SqlParams,
  escapeLike,
  personRefSql,
  pgErrorCode,
  type PersonRef,
} from '#persistence';
import { ITEM_ENTITY, loadSnapshot } from './item-snapshot.js';
import { TransitionService, type AvailableAction } from './transition.service.js';

export interface CooperatingPartInput {
  unitId: string;
  part?: string | null;
  subDeadline?: string | null;
}

export interface StageNode {
  name: string;
  due: string;
}

export interface ItemFields {
  title: string;
  feedbackText?: string;
  domain: Domain;
  countyUnitId?: string | null;
  goal?: string;
  measures?: string;
  type: ItemType;
  leadUnitIds?: string[];
  cooperating?: CooperatingPartInput[];
  responsibleLeader?: string | null;
  responsiblePerson?: string | null;
  responsiblePhone?: string | null;
  stageNodes?: StageNode[];
  deadline?: string | null;
  /** Instead of a date: N working or calendar days from an event, computed on the work calendar. */
  deadlineRule?: { kind: 'working_days' | 'calendar_days'; from: string; days: number; event?: string };
}

/** How a deadline given as a rule was computed, kept with the item. */
export interface StoredDeadlineRule {
  rule: NonNullable<ItemFields['deadlineRule']>;
  explanation: string;
  holidays: { date: string; name: string }[];
  /** Computed across a year whose holiday schedule was not published yet (recomputed when it is). */
  provisional?: boolean;
  unpublishedYears?: number[];
}

export interface CreateItem extends ItemFields {
  batchId: string;
  code: string;
}

export type UpdateItem = Partial<ItemFields> & { version: number };

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

export interface ItemSummary {
  id: string;
  code: string;
  title: string;
  batchId: string;
  batchName: string;
  sourceType: SourceType;
  state: RectificationState;
  type: ItemType;
  domain: Domain;
  countyUnitId: string | null;
  countyName: string | null;
  leadUnits: string | null;
  currentDeadline: string | null;
  originalDeadline: string | null;
  deadlineVersion: number;
  overdue: boolean;
  version: number;
  updatedAt: Date;
}

/** Lists count matching items exactly up to this many; past it, `total` is this and `totalIsExact` false. */
export const COUNT_CAP = 1000;

export interface ItemPage {
  data: ItemSummary[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
}

/** Closed (signed off, 阶段性完成, cancelled, merged) as a sort key; item_open_first_idx is on this very expression. */
const closedKey = (alias: string): string => `(${alias}.state IN ('signed_off', 'phase_completed', 'cancelled', 'merged'))`;

const SORT_SQL: Record<ItemSort, string> = {
  open: `${closedKey('i')}, i.current_deadline ASC NULLS LAST, i.id`,
  deadline: 'i.current_deadline ASC NULLS LAST, i.id',
  '-deadline': 'i.current_deadline DESC NULLS LAST, i.id DESC',
  createdAt: 'i.created_at, i.id',
  '-createdAt': 'i.created_at DESC, i.id DESC',
  updatedAt: 'i.updated_at, i.id',
  '-updatedAt': 'i.updated_at DESC, i.id DESC',
  code: 'i.code, i.id',
  '-code': 'i.code DESC, i.id DESC',
};

const EDITABLE_STATES: readonly RectificationState[] = ['draft', 'assigned'];

/**
 * "Recently changed first" reads the newest item history rows: at most RECENT_SCAN of them,
 * newest first, keeping those of items the caller may read (and, for a unit, that match its
 * filters), up to `matches`. Every write that sets item.updated_at appends a history row at that
 * same instant, so every matching item changed after the oldest kept row is among them: ordered
 * by updated_at, they are the exact top of the list. The walk is an index-only scan
 * (history_recent_idx) that stops as soon as enough rows matched, so a wide scope reads a few
 * hundred rows; a county's (7 % of the items) finds its page within the 2,000, and a scope too
 * narrow for that is small enough to be sorted in full. updated_at has no index of its own, so
 * that transitions stay HOT updates.
 */
const RECENT_SCAN = 2000;
const recentMatches = (need: number): number => Math.max(100, 4 * need);

/** The orders a page of item_reader rows can be chosen in (its index is by unit, then deadline). */
const READER_SORT_SQL: Partial<Record<ItemSort, string>> = {
  open: `${closedKey('r')}, r.current_deadline ASC NULLS LAST, r.item_id`,
  deadline: 'r.current_deadline ASC NULLS LAST, r.item_id',
  '-deadline': 'r.current_deadline DESC NULLS LAST, r.item_id DESC',
};
/** The recent history rows of readable items, `probe` being a condition on h (null: every item is readable and matches). */
const recentlyChangedSql = (probe: string | null, matches: number): string => `recent AS MATERIALIZED (
    SELECT h.id, h.at
      FROM (SELECT entity_id AS id, at FROM history WHERE entity_type = 'item' ORDER BY at DESC LIMIT ${RECENT_SCAN}) h
     ${probe ? `WHERE ${probe}` : ''} ORDER BY h.at DESC LIMIT ${matches})`;
// Strictly after the oldest kept row: the walk may have stopped inside a run of rows of that same
// instant, so an item changed exactly then may be missing (a page that needs one is sorted in full).
const RECENTLY_CHANGED_WHERE = `i.id IN (SELECT id FROM recent) AND i.updated_at > (SELECT min(at) FROM recent)`;

/** Rectification items: creation and editing while not yet accepted, reading, listing. */
@Injectable()
export class ItemsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(TransitionService) private readonly transitions: TransitionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CalendarService) private readonly calendar: CalendarService,
  ) {}

  /** A fixed date, or the date a rule gives on the work calendar (with how it was computed). */
  private async resolveDeadline(input: Partial<ItemFields>): Promise<{ deadline?: string | null; rule?: StoredDeadlineRule | null }> {
    if (input.deadlineRule && input.deadline !== undefined) {
      throw DomainError.validation('Give the deadline as a date or as a rule, not both', [
        { field: 'deadlineRule', messages: ['cannot be combined with deadline'] },
      ]);
    }
    if (input.deadlineRule) {
      const computed = await this.calendar.compute(input.deadlineRule);
      return {
        deadline: computed.deadline,
        rule: {
          rule: input.deadlineRule,
          explanation: computed.explanation,
          holidays: computed.holidays,
          provisional: computed.provisional,
          unpublishedYears: computed.unpublishedYears,
        },
      };
    }
    return input.deadline === undefined ? {} : { deadline: input.deadline, rule: null };
  }

  async create(actor: Actor, input: CreateItem): Promise<ItemDetail> {
    const id = randomUUID();
    const at = this.clock.now();
    const { deadline = null, rule = null } = await this.resolveDeadline(input);
    await this.dataSource.transaction(async (m) => {
      const [batch] = await m.query<{ dispatcher_unit_id: string; dispatcher_path: string }[]>(
        `SELECT b.dispatcher_unit_id, o.path AS dispatcher_path FROM batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id WHERE b.id = $1`,
        [input.batchId],
      );
      if (!batch) throw new DomainError('unprocessable', 'BATCH_NOT_FOUND', 'The batch does not exist', { batchId: input.batchId });
      // Items are created by dispatchers of the batch's dispatching unit (or a unit above it).
      if (!decide(actor, 'item.create', { ownerScope: scopeOfPaths([batch.dispatcher_path]) }).allowed) {
        throw DomainError.forbidden('Only dispatchers of the dispatching unit may add items to this batch', { batchId: input.batchId });
      }
      await this.guardWrite(() =>
        m.query(
          `INSERT INTO item (id, batch_id, code, title, feedback_text, domain, county_unit_id, goal, measures, type,
                             responsible_leader, responsible_person, responsible_phone, stage_nodes, dispatcher_unit_id,
                             original_deadline, current_deadline, deadline_version, created_by, created_at, updated_at, deadline_rule)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19, $19, $20)`,
          [
            id,
            input.batchId,
            input.code.trim(),
            input.title.trim(),
            input.feedbackText ?? '',
            input.domain,
            input.countyUnitId ?? null,
            input.goal ?? '',
            input.measures ?? '',
            input.type,
            input.responsibleLeader ?? null,
            input.responsiblePerson ?? null,
            input.responsiblePhone ?? null,
            JSON.stringify(input.stageNodes ?? []),
            batch.dispatcher_unit_id,
            deadline,
            deadline ? 1 : 0,
            actor.userId,
            at,
            rule ? JSON.stringify(rule) : null,
          ],
        ),
      );
      if (deadline) {
        await m.query(
          `INSERT INTO item_deadline (item_id, version, deadline, kind, decided_by, created_at) VALUES ($1, 1, $2, 'initial', $3, $4)`,
          [id, deadline, actor.userId, at],
        );
      }
      await this.writeUnits(m, id, input.leadUnitIds ?? [], input.cooperating ?? [], at);
      await this.history.append(m, {
        entityType: ITEM_ENTITY,
        entityId: id,
        action: 'create',
        actorId: actor.userId,
        toState: 'draft',
        data: {
          code: input.code,
          title: input.title,
          batchId: input.batchId,
          deadline,
          deadlineRule: rule?.explanation ?? null,
          leadUnitIds: input.leadUnitIds ?? [],
        },
        at,
      });
    });
    return this.get(actor, id);
  }

  /** Edits the ledger fields while the item is a draft or assigned; a stale version is a 409. */
  async update(actor: Actor, id: string, input: UpdateItem): Promise<ItemDetail> {
    const at = this.clock.now();
    const resolved = await this.resolveDeadline(input);
    await this.dataSource.transaction(async (m) => {
      const item = await this.transitions.readable(m, actor, id, true);
      const asDispatcher = { ...actor, roles: actor.roles.filter((r) => r === 'dispatcher') };
      if (!decide(asDispatcher, 'item.act', { ownerScope: [], dispatcherScope: item.scope.dispatcherScope }).allowed) {
        throw DomainError.forbidden('Only dispatchers of the dispatching unit may edit the item');
      }
      if (input.version !== item.version) {
        throw DomainError.conflict('VERSION_CONFLICT', `The item was changed by someone else (current version ${item.version})`, {
          currentVersion: item.version,
        });
      }
      if (!EDITABLE_STATES.includes(item.state)) {
        throw DomainError.conflict(
          'ITEM_NOT_EDITABLE',
          `The ledger fields can be edited only while the item is draft or assigned; it is ${item.state}`,
          {
            state: item.state,
          },
        );
      }
      const columns: Record<string, unknown> = {};
      const plain: [keyof ItemFields, string][] = [
        ['title', 'title'],
        ['feedbackText', 'feedback_text'],
        ['domain', 'domain'],
        ['countyUnitId', 'county_unit_id'],
        ['goal', 'goal'],
        ['measures', 'measures'],
        ['type', 'type'],
        ['responsibleLeader', 'responsible_leader'],
        ['responsiblePerson', 'responsible_person'],
        ['responsiblePhone', 'responsible_phone'],
      ];
      for (const [field, column] of plain) if (input[field] !== undefined) columns[column] = input[field];
      if (input.stageNodes !== undefined) columns.stage_nodes = JSON.stringify(input.stageNodes);
      const changes: Record<string, unknown> = Object.fromEntries(
        Object.entries(input).filter(([k, v]) => k !== 'version' && v !== undefined && k !== 'deadline' && k !== 'deadlineRule'),
      );
      // The history row records each changed field as { from, to }; fields given unchanged are left out.
      const given = plain.filter(([field]) => input[field] !== undefined);
      if (given.length > 0 || input.stageNodes !== undefined) {
        const [before] = await m.query<Record<string, unknown>[]>(
          `SELECT ${[...given.map(([, column]) => column), 'stage_nodes'].join(', ')} FROM item WHERE id = $1`,
          [id],
        );
        const fields: [string, unknown, unknown][] = given.map(([field, column]) => [field, before[column], input[field]]);
        if (input.stageNodes !== undefined) fields.push(['stageNodes', before.stage_nodes, input.stageNodes]);
        for (const [field, from, to] of fields) {
          if (JSON.stringify(from ?? null) === JSON.stringify(to ?? null)) delete changes[field];
          else changes[field] = { from: from ?? null, to: to ?? null };
        }
      }
      if (input.leadUnitIds !== undefined) changes.leadUnitIds = { from: item.leadUnitIds, to: input.leadUnitIds };
      const newDeadline = resolved.deadline;
      if (resolved.rule !== undefined) {
        columns.deadline_rule = resolved.rule ? JSON.stringify(resolved.rule) : null;
        if (resolved.rule) changes.deadlineRule = resolved.rule.explanation;
      }
      if (newDeadline !== undefined && newDeadline !== item.currentDeadline) {
        if (newDeadline === null)
          throw DomainError.validation('The deadline cannot be removed', [{ field: 'deadline', messages: ['must be a date'] }]);
        // Before assignment the deadline is still being written: it replaces the first version.
        // Once assigned, the original stays and the edit is a new version.
        const version = item.state === 'draft' ? 1 : item.deadlineVersion + 1;
        await m.query(
          `INSERT INTO item_deadline (item_id, version, deadline, kind, decided_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (item_id, version) DO UPDATE SET deadline = EXCLUDED.deadline, decided_by = EXCLUDED.decided_by, created_at = EXCLUDED.created_at`,
          [id, version, newDeadline, version === 1 ? 'initial' : 'edit', actor.userId, at],
        );
        columns.current_deadline = newDeadline;
        columns.deadline_version = version;
        if (version === 1) columns.original_deadline = newDeadline;
        changes.deadline = { from: item.currentDeadline, to: newDeadline, version };
      }
      columns.updated_at = at;
      const sets = Object.keys(columns).map((c, i) => `${c} = $${i + 3}`);
      const [, count] = await this.guardWrite(() =>
        m.query<[unknown, number]>(`UPDATE item SET ${[...sets, 'version = version + 1'].join(', ')} WHERE id = $1 AND version = $2`, [
          id,
          input.version,
          ...Object.values(columns),
        ]),
      );
      if (count === 0) throw DomainError.conflict('VERSION_CONFLICT', 'The item was changed by someone else', {});
      if (input.leadUnitIds !== undefined || input.cooperating !== undefined) {
        const current = await loadSnapshot(m, id);
        await this.writeUnits(
          m,
          id,
          input.leadUnitIds ?? current!.leadUnitIds,
          input.cooperating ??
            (await m.query<CooperatingPartInput[]>(
              `SELECT unit_id AS "unitId", part, to_char(sub_deadline, 'YYYY-MM-DD') AS "subDeadline" FROM item_unit WHERE item_id = $1 AND role = 'cooperating'`,
              [id],
            )),
          at,
        );
      } else if (input.countyUnitId !== undefined) {
        await m.query(`SELECT item_refresh_scope($1)`, [id]);
      }
      await this.history.append(m, {
        entityType: ITEM_ENTITY,
        entityId: id,
        action: 'update',
        actorId: actor.userId,
        fromState: item.state,
        toState: item.state,
        data: changes,
        at,
      });
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<ItemDetail> {
    const snapshot = await this.transitions.readable(this.dataSource.manager, actor, id);
    const [row] = await this.dataSource.query<DetailRow[]>(DETAIL_SQL, [id]);
    const today = shanghaiDate(this.clock.now());
    const actions = await this.transitions.actionsFor(actor, snapshot);
    return toDetail(row, snapshot.version, today, actions);
  }

  async list(actor: Actor, filter: ItemFilter): Promise<ItemPage> {
    const today = shanghaiDate(this.clock.now());
    const readable = await this.readable(actor, filter);
    if (readable === null) return { data: [], total: 0, totalIsExact: true, page: filter.page, pageSize: filter.pageSize };
    const { scope, f } = readable;
    // A unit's list is read from item_reader (an index in deadline order that holds every column
    // these filters test) unless it filters on something only the item row has.
    const readers = scope.kind === 'units' && !hasItemOnlyFilter(f) ? scope : null;
    const itemWhere = (q: SqlParams, tested: Tested = 'rows'): string => itemWhereSql(scope, f, today, q, tested);

    // Which recent history rows count for "recently changed first": a unit's through its reader
    // rows (its filters too, when they are reader columns), everyone else's through the item row
    // when there is a filter; the page itself still applies every condition.
    const recentProbe = (q: SqlParams): string | null => {
      if (scope.kind === 'units') {
        return `EXISTS (SELECT 1 FROM item_reader r ${readerWhereSql(scope, readers ? f : {}, today, q)} AND r.item_id = h.id)`;
      }
      const where = itemWhere(q);
      return where ? `EXISTS (SELECT 1 FROM item i ${andWhere(where, 'i.id = h.id')})` : null;
    };
    // Counting stops past COUNT_CAP: beyond that, "more than 1000" is what a list needs to say.
    const countSql = (q: SqlParams): string => {
      const from = readers ? `item_reader r ${readerWhereSql(readers, f, today, q)}` : `item i ${itemWhere(q, 'set')}`;
      return `SELECT count(*)::int AS total FROM (SELECT 1 FROM ${from} LIMIT ${COUNT_CAP + 1}) t`;
    };
    // The page is chosen on the item table (or its readers) alone; names are joined to those few rows
    // only. It is chosen from the filter as written ('all'), through the newest history rows
    // ('recent'), or from the matches found once ('matches'). With `counted`, the same statement
    // counts the matches and gives the total on every row (on one row of nulls when the page is
    // empty): one round trip per list instead of two.
    const pageSql = (q: SqlParams, from: 'all' | 'recent' | 'matches', counted: boolean): string => {
      const limit = `LIMIT ${q.add(filter.pageSize)} OFFSET ${q.add((filter.page - 1) * filter.pageSize)}`;
      const sort = SORT_SQL[filter.sort];
      const readerSort = READER_SORT_SQL[filter.sort];
      let ctes = '';
      let chosen: string;
      if (from === 'recent') {
        ctes = `${recentlyChangedSql(recentProbe(q), recentMatches(filter.page * filter.pageSize))},`;
        chosen = `FROM item i ${andWhere(itemWhere(q), RECENTLY_CHANGED_WHERE)} ORDER BY ${sort} ${limit}`;
      } else if (from === 'matches') {
        ctes = `matches AS MATERIALIZED (
          SELECT i.id, i.state, i.current_deadline, i.created_at, i.updated_at, i.code FROM item i ${itemWhere(q, 'set')} LIMIT ${COUNT_CAP + 1}),`;
        chosen = `FROM item i WHERE i.id IN (SELECT i.id FROM matches i ORDER BY ${sort} ${limit})`;
      } else if (readers && readerSort) {
        chosen = `FROM item i WHERE i.id IN (SELECT r.item_id FROM item_reader r ${readerWhereSql(readers, f, today, q)} ORDER BY ${readerSort} ${limit})`;
      } else {
        chosen = `FROM item i ${itemWhere(q)} ORDER BY ${sort} ${limit}`;
      }
      if (counted) {
        ctes += ` counted AS MATERIALIZED (${from === 'matches' ? 'SELECT count(*)::int AS total FROM matches' : countSql(q)}),`;
      }
      const rows = 'page i JOIN batch b ON b.id = i.batch_id LEFT JOIN org_unit c ON c.id = i.county_unit_id';
      return `
      WITH ${ctes} page AS MATERIALIZED (
        SELECT i.id, i.code, i.title, i.batch_id, i.state, i.type, i.domain, i.county_unit_id, i.current_deadline, i.original_deadline,
               i.deadline_version, i.version, i.updated_at, i.created_at
          ${chosen})
      SELECT i.id, i.code, i.title, i.batch_id, b.name AS batch_name, b.source_type, i.state, i.type, i.domain,
             i.county_unit_id, c.name AS county_name,
             (SELECT string_agg(u.name, '、' ORDER BY u.name)
                FROM (SELECT (SELECT o.name FROM org_unit o WHERE o.id = iu.unit_id) AS name FROM item_unit iu
                       WHERE iu.item_id = i.id AND iu.role = 'lead') u) AS lead_units,
             to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline, to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline,
             i.deadline_version, i.version, i.updated_at ${counted ? ', n.total' : ''}
        FROM ${counted ? `counted n LEFT JOIN (${rows}) ON true` : rows}
       ORDER BY ${sort}`;
    };
    const query = async (from: 'all' | 'recent' | 'matches', counted: boolean): Promise<PageRow[]> => {
      const q = new SqlParams();
      const sql = pageSql(q, from, counted);
      return this.dataSource.query<PageRow[]>(sql, q.values);
    };
    // "Recently changed first" is read through the history's time index for the first pages: a
    // full page from a window of recent changes is exactly the top of the whole order.
    const recentFirst = filter.sort === '-updatedAt' && filter.page * filter.pageSize <= RECENT_SCAN / 10;
    const page = async (): Promise<SummaryRow[]> => {
      if (recentFirst) {
        const recent = (await query('recent', false)).filter(onPage);
        if (recent.length === filter.pageSize) return recent;
      }
      return (await query('all', false)).filter(onPage);
    };
    const count = async (): Promise<number> => {
      const q = new SqlParams();
      const [{ total }] = await this.dataSource.query<{ total: number }[]>(countSql(q), q.values);
      return total;
    };
    let rows: SummaryRow[];
    let total: number;
    if (scope.kind === 'units' && !scope.dispatched && hasItemOnlyFilter(f)) {
      // A unit (a narrow scope: a county, a department) filtering on text, lead or cooperating unit
      // finds its matches once (each long row rechecked once, each bitmap built once) and takes
      // page and count from them. Past COUNT_CAP matches the page needs the whole order.
      const matches = await query('matches', true);
      total = matches[0].total!;
      rows = total > COUNT_CAP ? await page() : matches.filter(onPage);
    } else if (f.q !== undefined || recentFirst) {
      // A text search's count and a page read through the recent window take long enough that the
      // two are worth running side by side, on two connections.
      [rows, total] = await Promise.all([page(), count()]);
    } else {
      // Otherwise both are short: one statement, one round trip (measured: 5-15 % more lists per
      // second than two statements side by side).
      const counted = await query('all', true);
      total = counted[0].total!;
      rows = counted.filter(onPage);
    }
    return {
      data: rows.map((r) => toSummary(r, today)),
      total: Math.min(total, COUNT_CAP),
      totalIsExact: total <= COUNT_CAP,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  /**
   * The statement of the ledger (整改台账) rows for an export: the list's filters and order, every
   * ledger column of the item; null when nothing can match. The caller reads it with a cursor.
   */
  async ledgerQuery(actor: Actor, filter: ItemFilterFields & { sort: ItemSort }): Promise<{ sql: string; params: unknown[] } | null> {
    const today = shanghaiDate(this.clock.now());
    const readable = await this.readable(actor, filter);
    if (readable === null) return null;
    const q = new SqlParams();
    const where = itemWhereSql(readable.scope, readable.f, today, q);
    return {
      sql: `${LEDGER_SQL.replace('$OVERDUE', q.add(OVERDUE_STATES)).replace('$TODAY', q.add(today))} ${where} ORDER BY ${SORT_SQL[filter.sort]}`,
      params: q.values,
    };
  }

  /** The caller's read scope and the filter with its source type resolved to batch ids; null when nothing can match. */
  private async readable(actor: Actor, filter: ItemFilterFields): Promise<{ scope: ListScope; f: ResolvedFilter } | null> {
    const scope = listScope(actor, 'item.read');
    if (scope.kind === 'none') return null;
    const f: ResolvedFilter = { ...filter, countyUnitId: filter.countyUnitId ?? filter.countyId };
    if (filter.awaitingMyAcceptance) {
      // Acceptance is taken by verifiers, at a level whose unit is theirs or below it.
      if (!actor.roles.includes('verifier')) return null;
      f.acceptingPath = actor.unitPath;
    }
    if (filter.dueWithinWorkingDays !== undefined) {
      const today = shanghaiDate(this.clock.now());
      f.dueBy = (await this.calendar.compute({ kind: 'working_days', from: today, days: filter.dueWithinWorkingDays })).deadline;
    }
    if (!filter.sourceType) return { scope, f };
    // Resolved to batch ids first: a join would make the planner expect matches that may not exist.
    const [{ ids }] = await this.dataSource.query<{ ids: string[] }[]>(
      `SELECT coalesce(array_agg(id), '{}') AS ids FROM batch WHERE source_type = $1`,
      [filter.sourceType],
    );
    return ids.length === 0 ? null : { scope, f: { ...f, sourceBatchIds: ids } };
  }

  /** Replaces the lead and cooperating units and recomputes the item's scope sets. */
  private async writeUnits(
    m: EntityManager,
    itemId: string,
    leadUnitIds: string[],
    cooperating: CooperatingPartInput[],
    at: Date,
  ): Promise<void> {
    const lead = [...new Set(leadUnitIds)];
    const both = cooperating.filter((c) => lead.includes(c.unitId)).map((c) => c.unitId);
    if (both.length > 0) {
      throw DomainError.validation('A unit is either lead or cooperating, not both', [
        { field: 'cooperating', messages: [`also lead: ${both.join(', ')}`] },
      ]);
    }
    await m.query(`DELETE FROM item_unit WHERE item_id = $1 AND NOT (unit_id = ANY($2::uuid[]))`, [
      itemId,
      [...lead, ...cooperating.map((c) => c.unitId)],
    ]);
    for (const unitId of lead) {
      await this.guardWrite(() =>
        m.query(
          `INSERT INTO item_unit (item_id, unit_id, role, updated_at) VALUES ($1, $2, 'lead', $3)
           ON CONFLICT (item_id, unit_id) DO UPDATE SET role = 'lead', part = NULL, sub_deadline = NULL, updated_at = $3`,
          [itemId, unitId, at],
        ),
      );
    }
    for (const c of cooperating) {
      await this.guardWrite(() =>
        m.query(
          `INSERT INTO item_unit (item_id, unit_id, role, part, sub_deadline, updated_at) VALUES ($1, $2, 'cooperating', $3, $4, $5)
           ON CONFLICT (item_id, unit_id) DO UPDATE SET role = 'cooperating', part = EXCLUDED.part, sub_deadline = EXCLUDED.sub_deadline, updated_at = $5`,
          [itemId, c.unitId, c.part ?? null, c.subDeadline ?? null, at],
        ),
      );
    }
    await m.query(`SELECT item_refresh_scope($1)`, [itemId]);
  }

  private async guardWrite<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      const code = pgErrorCode(e);
      if (code === PG_UNIQUE_VIOLATION) throw DomainError.conflict('ITEM_CODE_TAKEN', 'Another item of this batch already has this code');
      if (code === PG_FOREIGN_KEY_VIOLATION) {
        throw new DomainError('unprocessable', 'REFERENCE_NOT_FOUND', 'A referenced unit or batch does not exist', {
          detail: (e as { driverError?: { detail?: string } }).driverError?.detail ?? null,
        });
      }
      throw e;
    }
  }
}

interface SummaryRow {
  id: string;
  code: string;
  title: string;
  batch_id: string;
  batch_name: string;
  source_type: SourceType;
  state: RectificationState;
  type: ItemType;
  domain: Domain;
  county_unit_id: string | null;
  county_name: string | null;
  lead_units: string | null;
  current_deadline: string | null;
  original_deadline: string | null;
  deadline_version: number;
  version: number;
  updated_at: Date;
}

/** A row of a list statement: with `counted`, the total (up to COUNT_CAP + 1) on every row, and a row of nulls for an empty page. */
type PageRow = Omit<SummaryRow, 'id'> & { id: string | null; total?: number };
const onPage = (r: PageRow): r is SummaryRow => r.id !== null;

function toSummary(r: SummaryRow, today: string): ItemSummary {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    batchId: r.batch_id,
    batchName: r.batch_name,
    sourceType: r.source_type,
    state: r.state,
    type: r.type,
    domain: r.domain,
    countyUnitId: r.county_unit_id,
    countyName: r.county_name,
    leadUnits: r.lead_units,
    currentDeadline: r.current_deadline,
    originalDeadline: r.original_deadline,
    deadlineVersion: r.deadline_version,
    overdue: isOverdue(r.state, r.current_deadline, today),
    version: r.version,
    updatedAt: r.updated_at,
  };
}

export interface ItemDetail extends Omit<ItemSummary, 'leadUnits'> {
  feedbackText: string;
  goal: string;
  measures: string;
  responsibleLeader: string | null;
  responsiblePerson: string | null;
  responsiblePhone: string | null;
  stageNodes: StageNode[];
  /** How the deadline was computed when it was given as a rule; null for a fixed date. */
  deadlineRule: StoredDeadlineRule | null;
  dispatcherUnitId: string;
  dispatcherUnitName: string;
  units: {
    unitId: string;
    unitName: string;
    role: 'lead' | 'cooperating';
    part: string | null;
    subDeadline: string | null;
    status: string;
    progress: string | null;
  }[];
  deadlines: {
    version: number;
    deadline: string;
    kind: string;
    reason: string | null;
    decidedBy: string | null;
    decider: PersonRef | null;
    createdAt: Date;
  }[];
  extensions: {
    id: string;
    status: string;
    fromDeadline: string;
    proposedDeadline: string;
    reason: string;
    requestedBy: string;
    requester: PersonRef | null;
    requestedAt: Date;
    decidedBy: string | null;
    decider: PersonRef | null;
    decidedAt: Date | null;
    decisionReason: string | null;
    /** Requested after the deadline had passed. */
    late: boolean;
  }[];
  acceptanceChain: { level: string; label: string; unitId: string | null; unitName: string | null }[];
  acceptanceLevel: number | null;
  submissionRound: number;
  acceptances: {
    submissionRound: number;
    level: string;
    unitName: string;
    result: string;
    opinion: string | null;
    signedBy: string;
    signer: PersonRef | null;
    signedAt: Date;
    /** A return: 'unit', 'recheck' or 'level', and the level it resumes at or was sent to. */
    returnTo: string | null;
    returnLevel: string | null;
  }[];
  /** The level a resubmission starts at, after a return to the unit. */
  resumeLevel: number | null;
  noticeStart: string | null;
  noticeEnd: string | null;
  firstSignedOffAt: Date | null;
  lastSignedOffAt: Date | null;
  reopenCount: number;
  mergedIntoId: string | null;
  evidenceCount: number;
  createdAt: Date;
  availableActions: AvailableAction[];
}

type DetailRow = SummaryRow & {
  feedback_text: string;
  goal: string;
  measures: string;
  responsible_leader: string | null;
  responsible_person: string | null;
  responsible_phone: string | null;
  stage_nodes: StageNode[];
  deadline_rule: StoredDeadlineRule | null;
  dispatcher_unit_id: string;
  dispatcher_unit_name: string;
  units: ItemDetail['units'];
  deadlines: ItemDetail['deadlines'];
  extensions: ItemDetail['extensions'];
  chain: ItemDetail['acceptanceChain'];
  acceptance_level: number | null;
  submission_round: number;
  acceptances: ItemDetail['acceptances'];
  resume_level: number | null;
  notice_start: string | null;
  notice_end: string | null;
  first_signed_off_at: Date | null;
  last_signed_off_at: Date | null;
  reopen_count: number;
  merged_into_id: string | null;
  evidence_count: number;
  created_at: Date;
};

const DETAIL_SQL = `
  SELECT i.*, b.name AS batch_name, b.source_type, c.name AS county_name, d.name AS dispatcher_unit_name,
         to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline, to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline,
         to_char(i.notice_start, 'YYYY-MM-DD') AS notice_start, to_char(i.notice_end, 'YYYY-MM-DD') AS notice_end,
         coalesce((SELECT json_agg(json_build_object('unitId', iu.unit_id, 'unitName', o.name, 'role', iu.role, 'part', iu.part,
                    'subDeadline', to_char(iu.sub_deadline, 'YYYY-MM-DD'), 'status', iu.status, 'progress', iu.progress)
                    ORDER BY iu.role DESC, o.name)
                     FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id WHERE iu.item_id = i.id), '[]') AS units,
         coalesce((SELECT json_agg(json_build_object('version', dl.version, 'deadline', to_char(dl.deadline, 'YYYY-MM-DD'), 'kind', dl.kind,
                    'reason', dl.reason, 'decidedBy', dl.decided_by, 'decider', ${personRefSql('dl.decided_by')},
                    'createdAt', dl.created_at) ORDER BY dl.version)
                     FROM item_deadline dl WHERE dl.item_id = i.id), '[]') AS deadlines,
         coalesce((SELECT json_agg(json_build_object('id', e.id, 'status', e.status, 'fromDeadline', to_char(e.from_deadline, 'YYYY-MM-DD'),
                    'proposedDeadline', to_char(e.proposed_deadline, 'YYYY-MM-DD'), 'reason', e.reason, 'requestedBy', e.requested_by,
                    'requester', ${personRefSql('e.requested_by')}, 'requestedAt', e.requested_at, 'decidedBy', e.decided_by,
                    'decider', ${personRefSql('e.decided_by')}, 'decidedAt', e.decided_at, 'decisionReason', e.decision_reason, 'late', e.late)
                    ORDER BY e.requested_at)
                     FROM item_extension e WHERE e.item_id = i.id), '[]') AS extensions,
         (SELECT json_agg(json_build_object('level', l.lvl->>'level', 'label', l.lvl->>'label', 'unitId', u.id, 'unitName', u.name) ORDER BY l.ord)
            FROM jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS l(lvl, ord)
            LEFT JOIN org_unit u ON u.id = (item_acceptance_units(i.id))[l.ord]) AS chain,
         coalesce((SELECT json_agg(json_build_object('submissionRound', a.submission_round, 'level', a.level, 'unitName', o.name,
                    'result', a.result, 'opinion', a.opinion, 'signedBy', a.signed_by, 'signer', ${personRefSql('a.signed_by')},
                    'signedAt', a.signed_at, 'returnTo', a.return_to, 'returnLevel', b.acceptance_chain -> a.return_level_index ->> 'level') ORDER BY a.id)
                     FROM item_acceptance a JOIN org_unit o ON o.id = a.unit_id WHERE a.item_id = i.id), '[]') AS acceptances,
         (SELECT count(*)::int FROM evidence e WHERE e.item_id = i.id) AS evidence_count
    FROM item i JOIN batch b ON b.id = i.batch_id
    JOIN org_unit d ON d.id = i.dispatcher_unit_id
    LEFT JOIN org_unit c ON c.id = i.county_unit_id
   WHERE i.id = $1`;

function toDetail(r: DetailRow, version: number, today: string, actions: AvailableAction[]): ItemDetail {
  const { leadUnits: _lead, ...summary } = toSummary(r, today);
  return {
    ...summary,
    version,
    feedbackText: r.feedback_text,
    goal: r.goal,
    measures: r.measures,
    responsibleLeader: r.responsible_leader,
    responsiblePerson: r.responsible_person,
    responsiblePhone: r.responsible_phone,
    stageNodes: r.stage_nodes,
    deadlineRule: r.deadline_rule,
    dispatcherUnitId: r.dispatcher_unit_id,
    dispatcherUnitName: r.dispatcher_unit_name,
    units: r.units,
    deadlines: r.deadlines,
    extensions: r.extensions,
    acceptanceChain: r.chain,
    acceptanceLevel: r.acceptance_level,
    submissionRound: r.submission_round,
    acceptances: r.acceptances,
    resumeLevel: r.resume_level,
    noticeStart: r.notice_start,
    noticeEnd: r.notice_end,
    firstSignedOffAt: r.first_signed_off_at,
    lastSignedOffAt: r.last_signed_off_at,
    reopenCount: r.reopen_count,
    mergedIntoId: r.merged_into_id,
    evidenceCount: r.evidence_count,
    createdAt: r.created_at,
    availableActions: actions,
  };
}

/**
 * The SQL condition (on item i) for the items the actor may read, or null when they may read
 * all. The one translation of the policy's list scope for every query over items.
 */
export function readScopeSql(actor: Actor, q: SqlParams): string | null {
  return itemScopeSql(listScope(actor, 'item.read'), q);
}

type UnitScope = Extract<ListScope, { kind: 'units' }>;
type ResolvedFilter = ItemFilterFields & { sourceBatchIds?: string[]; dueBy?: string; acceptingPath?: string };

/** The condition on item i for what a scope may read; null when it reads everything. */
function itemScopeSql(scope: ListScope, q: SqlParams): string | null {
  if (scope.kind === 'none') return 'false';
  if (scope.kind === 'all') return null;
  const u = q.add([scope.unitId]);
  const any = [`i.owner_scope @> ${u}::uuid[]`];
  if (scope.dispatched) any.push(`i.dispatcher_scope @> ${u}::uuid[]`);
  if (scope.accepting) any.push(`i.acceptance_scope @> ${u}::uuid[]`);
  return `(${any.join(' OR ')})`;
}

/** The same scope as rows of item_reader r (the bits of `via` are the three scope sets, in that order). */
function readerScopeSql(scope: UnitScope, q: SqlParams): string {
  const via = 1 | (scope.dispatched ? 2 : 0) | (scope.accepting ? 4 : 0);
  return `r.unit_id = ${q.add(scope.unitId)} AND (r.via & ${via}) <> 0`;
}

/** Whether a filter tests something only the item row has (text, lead or cooperating unit), not its reader rows. */
const hasItemOnlyFilter = (f: ResolvedFilter): boolean =>
  Boolean(f.q || f.leadUnitId || f.cooperatingUnitId || f.acceptingPath || f.returned || f.extensionPending || f.dispatcherUnitId);

/** What a condition is for: testing rows walked in an order (a page), or finding a set (a count, the matches). */
type Tested = 'rows' | 'set';

/**
 * The conditions of a filter on `a`: the item (i) or its reader rows (r), which carry the item's
 * state, domain, county_unit_id, batch_id and current_deadline under the same names. Filters on
 * anything else (text, lead or cooperating unit) are for the item only.
 */
function filterSql(f: ResolvedFilter, today: string, q: SqlParams, a: 'i' | 'r', tested: Tested = 'rows'): string[] {
  const where: string[] = [];
  // One state as an equality, so an index on (…, state, deadline) can deliver rows in order.
  if (f.state?.length === 1) where.push(`${a}.state = ${q.add(f.state[0])}`);
  else if (f.state?.length) where.push(`${a}.state = ANY(${q.add(f.state)}::text[])`);
  if (f.batchId) where.push(`${a}.batch_id = ${q.add(f.batchId)}`);
  if (f.sourceBatchIds) where.push(`${a}.batch_id = ANY(${q.add(f.sourceBatchIds)}::uuid[])`);
  if (f.countyUnitId) where.push(`${a}.county_unit_id = ${q.add(f.countyUnitId)}`);
  if (f.domain) where.push(`${a}.domain = ${q.add(f.domain)}`);
  if (f.overdue !== undefined) {
    const overdue = `(${a}.state = ANY(${q.add(OVERDUE_STATES)}::text[]) AND ${a}.current_deadline < ${q.add(today)})`;
    where.push(f.overdue ? overdue : `NOT ${overdue}`);
  }
  if (f.dueWithinDays !== undefined) {
    where.push(
      `(${a}.state = ANY(${q.add(OVERDUE_STATES)}::text[]) AND ${a}.current_deadline BETWEEN ${q.add(today)} AND ${q.add(addDays(today, f.dueWithinDays))})`,
    );
  }
  if (f.dueBy !== undefined) {
    where.push(
      `(${a}.state = ANY(${q.add(OVERDUE_STATES)}::text[]) AND ${a}.current_deadline BETWEEN ${q.add(today)} AND ${q.add(f.dueBy)})`,
    );
  }
  if (a === 'r' && hasItemOnlyFilter(f)) throw new Error('item_reader holds no lead units, cooperating units or text');
  if (f.leadUnitId) where.push(`i.lead_scope @> ${q.add([f.leadUnitId])}::uuid[]`);
  if (f.cooperatingUnitId) {
    const open = f.cooperatingPartOpen ? ` AND cu.status <> 'done' AND i.state = ANY(${q.add(OVERDUE_STATES)}::text[])` : '';
    where.push(
      `EXISTS (SELECT 1 FROM item_unit cu WHERE cu.item_id = i.id AND cu.role = 'cooperating' AND cu.unit_id = ${q.add(f.cooperatingUnitId)}${open})`,
    );
  }
  if (f.acceptingPath) {
    where.push(
      `(i.state = 'in_acceptance' AND EXISTS (SELECT 1 FROM org_unit lu WHERE lu.id = (item_acceptance_units(i.id))[i.acceptance_level + 1]
                                                 AND lu.path LIKE ${q.add(`${escapeLike(f.acceptingPath)}%`)}))`,
    );
  }
  if (f.returned) {
    where.push(
      `(i.state = 'in_progress' AND (SELECT a.result FROM item_acceptance a WHERE a.item_id = i.id ORDER BY a.id DESC LIMIT 1) = 'return')`,
    );
  }
  if (f.extensionPending) where.push(`EXISTS (SELECT 1 FROM item_extension x WHERE x.item_id = i.id AND x.status = 'pending')`);
  if (f.dispatcherUnitId) where.push(`i.dispatcher_scope @> ${q.add([f.dispatcherUnitId])}::uuid[]`);
  if (f.q) {
    const text = `(i.code || ' ' || i.title || ' ' || i.feedback_text)`;
    // Two-character words (common in Chinese: 污水, 扬尘) are found through the bigram index, which
    // answers them exactly (it holds every lower-cased pair). Where a set is found (a count, the
    // matches), that condition is all: its bitmap needs no recheck. Where rows are walked in an
    // order, each row is first tested with strpos (text_bigrams() costs some 80 µs a row). Not
    // with ILIKE: the planner would multiply its estimate by the bigram's as if independent, expect
    // fifty times too few matches, and sort every match (measured: 20 ms instead of 3 for 扬尘);
    // a function's default estimate (a third) keeps it near the truth.
    const bigram = [...f.q].length === 2;
    if (!bigram) where.push(`${text} ILIKE ${q.add(`%${escapeLike(f.q)}%`)}`);
    else {
      const word = q.add(f.q);
      if (tested === 'rows') where.push(`strpos(lower(${text}), lower(${word})) > 0`);
      where.push(`text_bigrams(${text}) @> ARRAY[lower(${word})]`);
    }
  }
  return where;
}

/** WHERE for the items a scope may read that match a filter. */
function itemWhereSql(scope: ListScope, f: ResolvedFilter, today: string, q: SqlParams, tested: Tested = 'rows'): string {
  const conditions = [itemScopeSql(scope, q), ...filterSql(f, today, q, 'i', tested)].filter((c): c is string => c !== null);
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** WHERE for the item_reader rows r of a unit's scope that match a filter (one without item-only filters). */
function readerWhereSql(scope: UnitScope, f: ResolvedFilter, today: string, q: SqlParams): string {
  return `WHERE ${[readerScopeSql(scope, q), ...filterSql(f, today, q, 'r')].join(' AND ')}`;
}
const andWhere = (where: string, condition: string): string => (where ? `${where} AND ${condition}` : `WHERE ${condition}`);

/** One ledger row, with the columns units exchange in their spreadsheets (domain.md). */
export interface LedgerRow {
  id: string;
  code: string;
  batch_name: string;
  source_type: SourceType;
  title: string;
  feedback_text: string;
  domain: Domain;
  county_name: string | null;
  goal: string;
  measures: string;
  lead_units: string | null;
  cooperating_units: string | null;
  responsible_leader: string | null;
  responsible_person: string | null;
  responsible_phone: string | null;
  original_deadline: string | null;
  current_deadline: string | null;
  deadline_version: number;
  type: ItemType;
  stage_nodes: StageNode[];
  progress: string | null;
  state: RectificationState;
  overdue: boolean;
  acceptance_levels: string | null;
  acceptance_units: string | null;
  acceptance_date: string | null;
  acceptance_result: string | null;
  notice_start: string | null;
  notice_end: string | null;
  signed_off_on: string | null;
  evidence: string | null;
}

const LEDGER_SQL = `
  SELECT i.id, i.code, b.name AS batch_name, b.source_type, i.title, i.feedback_text, i.domain, c.name AS county_name, i.goal, i.measures,
         (SELECT string_agg(o.name, '、' ORDER BY o.name) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
           WHERE iu.item_id = i.id AND iu.role = 'lead') AS lead_units,
         (SELECT string_agg(o.name || coalesce('（' || iu.part || '）', ''), '、' ORDER BY o.name) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
           WHERE iu.item_id = i.id AND iu.role = 'cooperating') AS cooperating_units,
         i.responsible_leader, i.responsible_person, i.responsible_phone,
         to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline, to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline,
         i.deadline_version, i.type, i.stage_nodes,
         (SELECT string_agg(to_char(pr.reported_on, 'YYYY-MM-DD') || ' ' || pr.text, E'\n' ORDER BY pr.reported_on, pr.created_at)
            FROM item_progress pr WHERE pr.item_id = i.id) AS progress,
         i.state, (i.state = ANY($OVERDUE::text[]) AND i.current_deadline < $TODAY::date) AS overdue,
         (SELECT string_agg(l.lvl->>'label', '→' ORDER BY l.ord) FROM jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS l(lvl, ord))
           AS acceptance_levels,
         (SELECT string_agg(coalesce(u.name, '—'), '→' ORDER BY a.ord)
            FROM unnest(item_acceptance_units_of(b.acceptance_chain, i.county_unit_id,
                          ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'))) WITH ORDINALITY AS a(unit_id, ord)
            LEFT JOIN org_unit u ON u.id = a.unit_id) AS acceptance_units,
         (SELECT to_char(max(a.signed_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM item_acceptance a WHERE a.item_id = i.id) AS acceptance_date,
         (SELECT coalesce((SELECT l.lvl->>'label' FROM jsonb_array_elements(b.acceptance_chain) AS l(lvl) WHERE l.lvl->>'level' = a.level LIMIT 1), a.level)
                 || CASE a.result WHEN 'pass' THEN ' 通过' ELSE ' 退回' END || coalesce('：' || a.opinion, '')
            FROM item_acceptance a WHERE a.item_id = i.id ORDER BY a.id DESC LIMIT 1) AS acceptance_result,
         to_char(i.notice_start, 'YYYY-MM-DD') AS notice_start, to_char(i.notice_end, 'YYYY-MM-DD') AS notice_end,
         to_char(i.last_signed_off_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS signed_off_on,
         (SELECT count(*) || ' 份：' || string_agg(e.filename, '、' ORDER BY e.uploaded_at) FROM evidence e WHERE e.item_id = i.id) AS evidence
    FROM item i JOIN batch b ON b.id = i.batch_id LEFT JOIN org_unit c ON c.id = i.county_unit_id`;
