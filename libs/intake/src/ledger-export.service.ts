import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, DOMAIN_LABELS, SOURCE_LABELS, rectificationWorkflow, shanghaiDate, type Actor, type Clock } from '#domain';
import { ItemsService, type ItemFilterFields, type ItemSort, type LedgerRow } from '#items';
import { XlsxTextWriter } from '#office';
import { FIELD_HEADER, TYPE_LABELS } from './ledger-columns.js';

export type LedgerFormat = 'xlsx' | 'csv';

/** The ledger's columns in the order units exchange them; the importable ones under the headers an import reads. */
const COLUMNS: [string, number, (r: LedgerRow) => string | null][] = [
  [FIELD_HEADER.code, 14, (r) => r.code],
  ['轮次/批次', 24, (r) => r.batch_name],
  ['来源', 16, (r) => SOURCE_LABELS[r.source_type]],
  [FIELD_HEADER.title, 30, (r) => r.title],
  [FIELD_HEADER.feedbackText, 50, (r) => r.feedback_text],
  [FIELD_HEADER.domain, 8, (r) => DOMAIN_LABELS[r.domain]],
  [FIELD_HEADER.county, 12, (r) => r.county_name],
  [FIELD_HEADER.goal, 30, (r) => r.goal],
  [FIELD_HEADER.measures, 40, (r) => r.measures],
  [FIELD_HEADER.lead, 20, (r) => r.lead_units],
  [FIELD_HEADER.cooperating, 24, (r) => r.cooperating_units],
  [FIELD_HEADER.responsibleLeader, 12, (r) => r.responsible_leader],
  [FIELD_HEADER.responsiblePerson, 12, (r) => r.responsible_person],
  [FIELD_HEADER.responsiblePhone, 14, (r) => r.responsible_phone],
  ['原定整改时限', 12, (r) => r.original_deadline],
  [FIELD_HEADER.deadline, 12, (r) => r.current_deadline],
  [FIELD_HEADER.type, 10, (r) => TYPE_LABELS[r.type]],
  [FIELD_HEADER.stageNodes, 30, (r) => r.stage_nodes.map((n) => `${n.due} ${n.name}`).join('\n') || null],
  ['整改进展', 50, (r) => r.progress],
  ['状态', 10, (r) => rectificationWorkflow.states[r.state].label],
  ['序时状态', 10, (r) => scheduleLabel(r)],
  ['验收层级', 20, (r) => r.acceptance_levels],
  ['验收单位', 30, (r) => r.acceptance_units],
  ['验收日期', 12, (r) => r.acceptance_date],
  ['验收结论', 24, (r) => r.acceptance_result],
  ['公示起止', 24, (r) => (r.notice_start ? `${r.notice_start} 至 ${r.notice_end}` : null)],
  ['销号日期', 12, (r) => r.signed_off_on],
  ['佐证材料', 30, (r) => r.evidence],
];

export const LEDGER_HEADERS = COLUMNS.map(([h]) => h);

function scheduleLabel(r: LedgerRow): string {
  if (['signed_off', 'phase_completed', 'in_acceptance', 'public_notice'].includes(r.state)) return '已完成';
  if (['cancelled', 'merged', 'draft'].includes(r.state)) return '—';
  return r.overdue ? '逾期' : '正常推进';
}

const FETCH = 1000;

function csvCell(value: string | null): string {
  if (value === null) return '';
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The ledger export (整改台账): the items a list's filters select, in its order, written as they
 * are read from a cursor (1,000 rows at a time) as XML text straight into the zipped stream, so
 * memory stays bounded however many rows. The importable columns read back unchanged.
 */
@Injectable()
export class LedgerExportService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ItemsService) private readonly items: ItemsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async export(
    actor: Actor,
    filter: ItemFilterFields & { sort: ItemSort },
    format: LedgerFormat,
  ): Promise<{ filename: string; stream: Readable }> {
    const query = await this.items.ledgerQuery(actor, filter);
    const out = new PassThrough();
    const filename = `整改台账-${shanghaiDate(this.clock.now())}.${format}`;
    void this.write(query, format, out).catch((e: unknown) => out.destroy(e as Error));
    return { filename, stream: out };
  }

  private async write(query: { sql: string; params: unknown[] } | null, format: LedgerFormat, out: PassThrough): Promise<void> {
    const sink = format === 'xlsx' ? new XlsxSink(out) : new CsvSink(out);
    await sink.header(COLUMNS.map(([h, w]) => ({ header: h, width: w })));
    if (query) {
      const runner = this.dataSource.createQueryRunner('slave');
      await runner.connect();
      try {
        await runner.query('BEGIN READ ONLY');
        // JIT compiling costs seconds and gains nothing here; nested loops: see ledgerSql. Every row
        // is read, so the plan is chosen for all of them, not for the first tenth (a cursor's default).
        await runner.query('SET LOCAL jit = off');
        await runner.query('SET LOCAL enable_nestloop = off');
        await runner.query('SET LOCAL cursor_tuple_fraction = 1');
        await runner.query(`DECLARE ledger NO SCROLL CURSOR FOR ${query.sql}`, query.params);
        const fetchRows = (): Promise<LedgerRow[]> => runner.query(`FETCH ${FETCH} FROM ledger`) as Promise<LedgerRow[]>;
        let pending: Promise<LedgerRow[]> | null = fetchRows();
        while (pending) {
          const rows: LedgerRow[] = await pending;
          // The database reads the next rows while these are written; a failure is met on the next turn.
          pending = rows.length < FETCH ? null : fetchRows();
          pending?.catch(() => undefined);
          // Each row waits, when it must, for the response to take what was written before.
          for (const r of rows) await sink.row(COLUMNS.map(([, , get]) => get(r)));
        }
        await runner.query('COMMIT');
      } catch (e) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        await runner.release();
      }
    }
    await sink.end();
  }
}

interface Sink {
  header(columns: { header: string; width: number }[]): Promise<void>;
  row(values: (string | null)[]): Promise<void>;
  end(): Promise<void>;
}

class XlsxSink implements Sink {
  private writer: XlsxTextWriter | null = null;
  constructor(private readonly out: PassThrough) {}
  async header(columns: { header: string; width: number }[]): Promise<void> {
    this.writer = new XlsxTextWriter(this.out, '整改台账', columns);
    await this.writer.start();
  }
  async row(values: (string | null)[]): Promise<void> {
    await this.writer!.row(values);
  }
  async end(): Promise<void> {
    await this.writer!.end();
  }
}

class CsvSink implements Sink {
  constructor(private readonly out: PassThrough) {
    out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  }
  async header(columns: { header: string; width: number }[]): Promise<void> {
    await this.write(columns.map((c) => csvCell(c.header)).join(',') + '\r\n');
  }
  async row(values: (string | null)[]): Promise<void> {
    await this.write(values.map(csvCell).join(',') + '\r\n');
  }
  private async write(line: string): Promise<void> {
    if (!this.out.write(line)) await once(this.out, 'drain');
  }
  async end(): Promise<void> {
    this.out.end();
    await Promise.resolve();
  }
}
