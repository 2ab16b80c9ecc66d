import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import {
  CLOCK,
  DomainError,
  POLLUTION_LABELS,
  VERDICT_LABELS,
  complaintWorkflow,
  decide,
  handlingLine,
  shanghaiDate,
  type Actor,
  type Clock,
  type HandlingResults,
  type PollutionType,
  type Verdict,
} from '#domain';
import { SqlParams } from '#persistence';
import { ComplaintQueriesService, complaintRowSql, type ComplaintFilter, type ComplaintRow } from './complaint-queries.service.js';
import { CASE_HEADER } from './complaint-sheet.js';

type ExportRow = ComplaintRow & HandlingResults & { handlingSummary: string | null; contactName?: string; contactPhone?: string };

const FETCH = 500;

/** The export's columns; the first ones under the headers the import reads, so a list imports back. */
const COLUMNS: [string, number, (r: ExportRow) => string | number | null][] = [
  [CASE_HEADER.caseNo, 14, (r) => r.caseNo],
  [CASE_HEADER.teamNo, 14, (r) => r.teamNo],
  ['批次', 24, (r) => `${r.round} 第${r.batchNo}批`],
  [CASE_HEADER.receivedOn, 12, (r) => r.receivedOn],
  [CASE_HEADER.content, 50, (r) => r.content],
  [CASE_HEADER.county, 10, (r) => r.countyName],
  [CASE_HEADER.address, 24, (r) => r.address],
  [CASE_HEADER.pollutionTypes, 12, (r) => r.pollutionTypes.map((t) => POLLUTION_LABELS[t]).join('、')],
  [CASE_HEADER.keyCase, 8, (r) => (r.keyCase ? '是' : '')],
  ['牵头单位', 20, (r) => r.leadUnitName],
  ['原定办理时限', 12, (r) => r.originalDeadline],
  ['办理时限', 12, (r) => r.deadline],
  ['状态', 10, (r) => r.stateLabel],
  ['调查核实结论', 10, (r) => (r.verdict ? VERDICT_LABELS[r.verdict] : null)],
  ['处理情况', 40, (r) => [r.handlingSummary, handlingLine(r)].filter(Boolean).join('；') || null],
  ['罚款（万元）', 10, (r) => r.finesWan],
  ['问责人数', 8, (r) => r.accountable],
];
const CONTACT_COLUMNS: typeof COLUMNS = [
  [CASE_HEADER.contactName, 10, (r) => r.contactName ?? null],
  [CASE_HEADER.contactPhone, 14, (r) => r.contactPhone ?? null],
];

/**
 * Outputs of complaint cases: the export of any filtered list (.xlsx, read through a cursor and
 * written by exceljs's streaming writer, so memory stays bounded), without the complainant's
 * contact unless a dispatcher asks for it; and the daily report (每日办理情况) of a batch.
 */
@Injectable()
export class ComplaintExportService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ComplaintQueriesService) private readonly queries: ComplaintQueriesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  export(actor: Actor, filter: ComplaintFilter, includeContact = false): { filename: string; stream: Readable } {
    if (includeContact && !decide(actor, 'complaint.contact', { ownerScope: [], dispatcherScope: [actor.unitId] }).allowed) {
      throw DomainError.forbidden('Only dispatchers and administrators may export the complainants’ contacts', { field: 'includeContact' });
    }
    const q = new SqlParams();
    const w = this.queries.where(actor, filter, q);
    const today = q.add(shanghaiDate(this.clock.now()));
    const columns = includeContact ? [...COLUMNS, ...CONTACT_COLUMNS] : COLUMNS;
    const sql =
      w === null
        ? null
        : `SELECT r.*, v.handling_summary AS "handlingSummary", coalesce(v.orders_issued, 0) AS "ordersIssued",
                  coalesce(v.fines_wan, 0)::float8 AS "finesWan", coalesce(v.cases_filed, 0) AS "casesFiled", coalesce(v.detained, 0) AS detained,
                  coalesce(v.accountable, 0) AS accountable, coalesce(v.summoned, 0) AS summoned
                  ${includeContact ? `, ct.name AS "contactName", ct.phone AS "contactPhone"` : ''}
             FROM (${complaintRowSql(today)} ${w.length ? `WHERE ${w.join(' AND ')}` : ''}) r
             LEFT JOIN LATERAL (SELECT * FROM complaint_verdict v WHERE v.case_id = r.id ORDER BY v.seq DESC LIMIT 1) v ON true
             ${includeContact ? 'LEFT JOIN complaint_contact ct ON ct.case_id = r.id' : ''}
            ORDER BY r."receivedOn" DESC, r."caseNo" DESC`;
    const out = new PassThrough();
    void this.write(sql, q.values, columns, out).catch((e: unknown) => out.destroy(e as Error));
    return { filename: `信访举报件-${shanghaiDate(this.clock.now())}.xlsx`, stream: out };
  }

  private async write(sql: string | null, params: unknown[], columns: typeof COLUMNS, out: PassThrough): Promise<void> {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet('信访举报件', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    if (sql) {
      const runner = this.dataSource.createQueryRunner('slave');
      await runner.connect();
      try {
        await runner.query('BEGIN READ ONLY');
        await runner.query(`DECLARE cases NO SCROLL CURSOR FOR ${sql}`, params);
        for (;;) {
          const rows = (await runner.query(`FETCH ${FETCH} FROM cases`)) as ExportRow[];
          for (const r of rows)
            ws.addRow(columns.map(([, , get]) => get({ ...r, stateLabel: complaintWorkflow.states[r.state].label }))).commit();
          if (out.writableNeedDrain) await once(out, 'drain');
          if (rows.length < FETCH) break;
        }
        await runner.query('COMMIT');
      } catch (e) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        await runner.release();
      }
    }
    ws.commit();
    await wb.commit();
  }
}

export interface DailyReportLine {
  caseNo: string;
  teamNo: string | null;
  county: string;
  leadUnit: string | null;
  verdict: Verdict | null;
  line: string;
}

/** The report lines of a batch: per case, its verdict and handling in one line (每日办理情况). */
export function dailyReportLine(r: {
  caseNo: string;
  teamNo: string | null;
  countyName: string;
  leadUnitName: string | null;
  state: string;
  verdict: Verdict | null;
  handlingSummary: string | null;
  handling: HandlingResults;
  committedDate: string | null;
  pollutionTypes: PollutionType[];
}): DailyReportLine {
  const status =
    r.state === 'closed' || r.state === 'archived'
      ? '已办结'
      : r.state === 'phase_closed'
        ? `阶段性办结（承诺${r.committedDate ?? ''}前完成）`
        : r.state === 'merged'
          ? '重复件，已合并'
          : '正在办理';
  const verdict = r.verdict ? `经核查，反映情况${VERDICT_LABELS[r.verdict]}。` : '';
  const handling = [r.handlingSummary, handlingLine(r.handling)].filter(Boolean).join('；');
  return {
    caseNo: r.caseNo,
    teamNo: r.teamNo,
    county: r.countyName,
    leadUnit: r.leadUnitName,
    verdict: r.verdict,
    line: `${r.teamNo ?? r.caseNo}（${r.countyName}）：${verdict}${handling ? `${handling}。` : ''}${status}。`,
  };
}
