import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  DomainError,
  WorkCalendar,
  computeDeadline,
  dateOfDay,
  dateOutOfRangeIssue,
  dayNumber,
  isSupportedDate,
  statutoryEntries,
  type Actor,
  type CalendarDayKind,
  type CalendarEntry,
  type ComputedDeadline,
  type DayInfo,
  type DeadlineRule,
  type PublishedYears,
  SHIPPED_YEARS,
} from '#domain';

export const CALENDAR_ENTITY = 'calendar_entry';

export interface CalendarDayView extends DayInfo {
  /** Where the rule for the day comes from. */
  source: 'default' | 'statutory' | 'admin';
  entryId: string | null;
  version: number | null;
}

interface EntryRow {
  id: string;
  day: string;
  kind: CalendarDayKind;
  name: string;
  version: number;
  updated_at: Date;
}

/**
 * The working-day calendar in force: the shipped statutory schedule with administrators'
 * entries on top. Reads are cached and refreshed when an entry changes (checked by the latest
 * change time, so several processes stay in step).
 */
@Injectable()
export class CalendarService {
  private cached: { stamp: string; calendar: WorkCalendar; admin: Map<string, EntryRow>; entered: Set<number> } | null = null;
  private readonly statutory = new Map(statutoryEntries().map((e) => [e.date, e]));

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
  ) {}

  /**
   * The working-day calendar. Inside a transaction, pass its manager: the check for changes then
   * runs on the transaction's own connection, not on a second one from the pool (a transaction
   * waiting for a second connection while holding its first can starve the pool).
   */
  async calendar(db: DataSource | EntityManager = this.dataSource): Promise<WorkCalendar> {
    return (await this.load(db)).calendar;
  }

  async days(from: string, to: string): Promise<CalendarDayView[]> {
    assertRange(from, to);
    const { calendar, admin } = await this.load(this.dataSource);
    const out: CalendarDayView[] = [];
    for (let day = dayNumber(from), last = dayNumber(to); day <= last; day++) {
      const d = dateOfDay(day);
      const entry = admin.get(d);
      out.push({
        ...calendar.info(d),
        source: entry ? 'admin' : this.statutory.has(d) ? 'statutory' : 'default',
        entryId: entry?.id ?? null,
        version: entry?.version ?? null,
      });
    }
    return out;
  }

  async compute(rule: DeadlineRule, db: DataSource | EntityManager = this.dataSource): Promise<ComputedDeadline> {
    const { calendar, entered } = await this.load(db);
    return computeDeadline(rule, calendar, publishedIn(entered));
  }

  /** The years whose schedule is known (shipped, or entered from a notice). */
  async publishedYears(db: DataSource | EntityManager = this.dataSource): Promise<PublishedYears> {
    return publishedIn((await this.load(db)).entered);
  }

  /** Sets a day's rule (a holiday or a make-up working day); `version` must match an existing entry's. */
  async upsert(actor: Actor, day: string, input: { kind: CalendarDayKind; name: string; version?: number }): Promise<CalendarDayView> {
    if (!isSupportedDate(day)) throw DomainError.validation('Invalid day', [dateOutOfRangeIssue('day')]);
    await this.dataSource.transaction(async (m) => {
      const [existing] = await m.query<EntryRow[]>(
        `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, kind, name, version FROM calendar_entry WHERE day = $1 FOR UPDATE`,
        [day],
      );
      if (existing && input.version !== existing.version) {
        throw DomainError.conflict(
          'VERSION_CONFLICT',
          `The entry for ${day} was changed by someone else (current version ${existing.version})`,
          {
            currentVersion: existing.version,
          },
        );
      }
      if (!existing && input.version !== undefined) {
        throw DomainError.conflict('VERSION_CONFLICT', `There is no entry for ${day} any more`, { currentVersion: null });
      }
      const [row] = await m.query<EntryRow[]>(
        `INSERT INTO calendar_entry (day, kind, name, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_by = EXCLUDED.updated_by,
                                         version = calendar_entry.version + 1, updated_at = now()
         RETURNING id, version`,
        [day, input.kind, input.name.trim(), actor.userId],
      );
      await this.history.append(m, {
        entityType: CALENDAR_ENTITY,
        entityId: row.id,
        action: existing ? 'update' : 'create',
        actorId: actor.userId,
        fromState: existing?.kind ?? null,
        toState: input.kind,
        data: {
          day,
          kind: input.kind,
          name: input.name.trim(),
          version: row.version,
          before: existing ? { kind: existing.kind, name: existing.name } : null,
        },
      });
    });
    this.cached = null;
    return (await this.days(day, day))[0];
  }

  /** Removes an administrator's entry: the shipped rule for the day applies again. */
  async remove(actor: Actor, day: string, version: number): Promise<CalendarDayView> {
    if (!isSupportedDate(day)) throw DomainError.validation('Invalid day', [dateOutOfRangeIssue('day')]);
    await this.dataSource.transaction(async (m) => {
      const [existing] = await m.query<EntryRow[]>(`SELECT id, kind, name, version FROM calendar_entry WHERE day = $1 FOR UPDATE`, [day]);
      if (!existing) throw DomainError.notFound('calendar_entry', day);
      if (existing.version !== version) {
        throw DomainError.conflict(
          'VERSION_CONFLICT',
          `The entry for ${day} was changed by someone else (current version ${existing.version})`,
          {
            currentVersion: existing.version,
          },
        );
      }
      await m.query(`DELETE FROM calendar_entry WHERE id = $1`, [existing.id]);
      await this.history.append(m, {
        entityType: CALENDAR_ENTITY,
        entityId: existing.id,
        action: 'delete',
        actorId: actor.userId,
        fromState: existing.kind,
        toState: null,
        data: { day, before: { kind: existing.kind, name: existing.name } },
      });
    });
    this.cached = null;
    return (await this.days(day, day))[0];
  }

  /** Forgets the cached calendar (after entries were written in a transaction of another service). */
  invalidate(): void {
    this.cached = null;
  }

  private async load(
    db: DataSource | EntityManager,
  ): Promise<{ calendar: WorkCalendar; admin: Map<string, EntryRow>; entered: Set<number> }> {
    const [{ stamp }] = await db.query<{ stamp: string }[]>(
      `SELECT coalesce(max(updated_at)::text, '') || ':' || count(*) || ':' ||
              (SELECT coalesce(max(confirmed_at)::text, '') || count(*) FROM calendar_year) AS stamp FROM calendar_entry`,
    );
    if (this.cached?.stamp === stamp) return this.cached;
    const rows = await db.query<EntryRow[]>(
      `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, kind, name, version, updated_at FROM calendar_entry ORDER BY day`,
    );
    const years = await db.query<{ year: number }[]>(`SELECT DISTINCT year FROM calendar_year`);
    const entries: CalendarEntry[] = rows.map((r) => ({ date: r.day, kind: r.kind, name: r.name }));
    this.cached = {
      stamp,
      calendar: WorkCalendar.statutory(entries),
      admin: new Map(rows.map((r) => [r.day, r])),
      entered: new Set(years.map((y) => y.year)),
    };
    return this.cached;
  }
}

function publishedIn(entered: Set<number>): PublishedYears {
  return (y) => SHIPPED_YEARS(y) || entered.has(y);
}

function assertRange(from: string, to: string): void {
  const fields = [!isSupportedDate(from) && dateOutOfRangeIssue('from'), !isSupportedDate(to) && dateOutOfRangeIssue('to')].filter(
    (f): f is { field: string; messages: string[] } => !!f,
  );
  if (fields.length) throw DomainError.validation('Invalid date range', fields);
  if (to < from) throw DomainError.validation('Invalid date range', [{ field: 'to', messages: ['must not be before from'] }]);
  if (dayNumber(to) - dayNumber(from) > 400) {
    throw DomainError.validation('Invalid date range', [{ field: 'to', messages: ['the range may cover at most 400 days'] }]);
  }
}
