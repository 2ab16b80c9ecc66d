import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import {
  CLOCK,
  DomainError,
  SHIPPED_YEARS,
  parseHolidayNotice,
  shanghaiDate,
  type Actor,
  type Clock,
  type NoticeDay,
  type ParsedNotice,
} from '#domain';
import { CALENDAR_ENTITY, CalendarService } from './calendar.service.js';

export const CALENDAR_YEAR_ENTITY = 'calendar_year';

export interface CalendarStatus {
  /** Years whose schedule is known (shipped or entered), ascending. */
  publishedYears: number[];
  nextYear: number;
  nextYearPublished: boolean;
  /** From November on, while next year's schedule is missing: what to do about it. */
  warning: string | null;
}

export interface NoticePreview extends ParsedNotice {
  /** Each parsed day against the rule in force now (what confirming would change). */
  changes: { date: string; kind: 'off' | 'work'; name: string; now: string }[];
  /** The version confirming would create (1 for a year not entered yet). */
  nextVersion: number;
}

/**
 * Next year's holidays from the State Council's notice: an administrator pastes the text, checks
 * the parsed days, and confirms; the days become calendar entries (versioned, in the history) and
 * the notice a new version of the year. Until then the year counts as unpublished and deadlines
 * computed across it are provisional.
 */
@Injectable()
export class HolidayNoticeService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CalendarService) private readonly calendars: CalendarService,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async status(): Promise<CalendarStatus> {
    const today = shanghaiDate(this.clock.now());
    const year = Number(today.slice(0, 4));
    const published = await this.calendars.publishedYears();
    const entered = await this.dataSource.query<{ year: number }[]>(`SELECT DISTINCT year FROM calendar_year ORDER BY year`);
    const years = new Set<number>(entered.map((e) => e.year));
    for (let y = 2019; y <= year + 1; y++) if (SHIPPED_YEARS(y)) years.add(y);
    const nextYearPublished = published(year + 1);
    const warning =
      !nextYearPublished && today.slice(5) >= '11-01'
        ? `${year + 1}年节假日安排尚未录入：跨入${year + 1}年的整改时限和提醒暂按周一至周五为工作日计算，并标为临时时限。` +
          `国务院办公厅《关于${year + 1}年部分节假日安排的通知》发布后，请在工作日历中粘贴通知全文，核对后确认录入；临时时限将随之重新计算并通知相关单位。`
        : null;
    return { publishedYears: [...years].sort(), nextYear: year + 1, nextYearPublished, warning };
  }

  async preview(text: string, year?: number): Promise<NoticePreview> {
    const parsed = parseHolidayNotice(text, year);
    const calendar = await this.calendars.calendar();
    const changes = parsed.days.map((d) => {
      const info = Number.isInteger(parsed.year) ? calendar.info(d.date) : null;
      const now = !info
        ? ''
        : info.reason === 'holiday'
          ? `放假（${info.name}）`
          : info.reason === 'makeup_workday'
            ? `调休上班（${info.name}）`
            : info.working
              ? '工作日'
              : '周末';
      return { ...d, now };
    });
    const [{ v }] = await this.dataSource.query<{ v: number }[]>(
      `SELECT coalesce(max(version), 0) + 1 AS v FROM calendar_year WHERE year = $1`,
      [Number.isInteger(parsed.year) ? parsed.year : 0],
    );
    return { ...parsed, changes, nextVersion: v };
  }

  /**
   * Stores a year's schedule from the notice: refused (422, with the problems) unless it parses
   * cleanly. Days of the year's previous version that the new one drops are removed.
   */
  async confirm(actor: Actor, text: string, year?: number): Promise<{ year: number; version: number; days: NoticeDay[] }> {
    const parsed = parseHolidayNotice(text, year);
    if (parsed.problems.length) {
      throw new DomainError(
        'unprocessable',
        'HOLIDAY_NOTICE_UNCLEAR',
        `The notice could not be read cleanly: ${parsed.problems.join('; ')}`,
        {
          problems: parsed.problems,
        },
      );
    }
    const at = this.clock.now();
    const result = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('calendar_year'), $1)`, [parsed.year]);
      const [prev] = await m.query<{ version: number; days: NoticeDay[] }[]>(
        `SELECT version, days FROM calendar_year WHERE year = $1 ORDER BY version DESC LIMIT 1`,
        [parsed.year],
      );
      const version = (prev?.version ?? 0) + 1;
      const keep = new Set(parsed.days.map((d) => d.date));
      for (const d of prev?.days ?? []) if (!keep.has(d.date)) await this.removeEntry(m, actor, d.date, at);
      for (const d of parsed.days) await this.writeEntry(m, actor, d, at);
      await m.query(
        `INSERT INTO calendar_year (year, version, notice_text, days, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [parsed.year, version, text, JSON.stringify(parsed.days), actor.userId, at],
      );
      await this.history.append(m, {
        entityType: CALENDAR_YEAR_ENTITY,
        entityId: yearEntityId(parsed.year),
        action: 'confirm_notice',
        actorId: actor.userId,
        data: { year: parsed.year, version, days: parsed.days.length, sections: parsed.sections.map((s) => s.name) },
        at,
      });
      return { year: parsed.year, version, days: parsed.days };
    });
    this.calendars.invalidate();
    return result;
  }

  private async writeEntry(m: EntityManager, actor: Actor, d: NoticeDay, at: Date): Promise<void> {
    const [existing] = await m.query<{ id: string; kind: string; name: string }[]>(
      `SELECT id, kind, name FROM calendar_entry WHERE day = $1 FOR UPDATE`,
      [d.date],
    );
    if (existing && existing.kind === d.kind && existing.name === d.name) return;
    const [row] = await m.query<{ id: string; version: number }[]>(
      `INSERT INTO calendar_entry (day, kind, name, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_by = EXCLUDED.updated_by,
                                       version = calendar_entry.version + 1, updated_at = now()
       RETURNING id, version`,
      [d.date, d.kind, d.name, actor.userId],
    );
    await this.history.append(m, {
      entityType: CALENDAR_ENTITY,
      entityId: row.id,
      action: existing ? 'update' : 'create',
      actorId: actor.userId,
      fromState: existing?.kind ?? null,
      toState: d.kind,
      data: {
        day: d.date,
        kind: d.kind,
        name: d.name,
        version: row.version,
        before: existing ? { kind: existing.kind, name: existing.name } : null,
        source: 'notice',
      },
      at,
    });
  }

  private async removeEntry(m: EntityManager, actor: Actor, day: string, at: Date): Promise<void> {
    const [existing] = await m.query<{ id: string; kind: string; name: string }[]>(
      `DELETE FROM calendar_entry WHERE day = $1 RETURNING id, kind, name`,
      [day],
    );
    if (!existing) return;
    await this.history.append(m, {
      entityType: CALENDAR_ENTITY,
      entityId: existing.id,
      action: 'delete',
      actorId: actor.userId,
      fromState: existing.kind,
      toState: null,
      data: { day, before: { kind: existing.kind, name: existing.name }, source: 'notice' },
      at,
    });
  }
}

/** A stable id for a year's history chain. */
function yearEntityId(year: number): string {
  return `00000000-0000-4000-8000-${String(year).padStart(12, '0')}`;
}
