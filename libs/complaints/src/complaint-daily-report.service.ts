import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import {
  DomainError,
  VERDICT_LABELS,
  decide,
  scopeOfPaths,
  type Actor,
  type HandlingResults,
  type PollutionType,
  type Verdict,
} from '#domain';
import { dailyReportLine, type DailyReportLine } from './complaint-export.service.js';

export interface DailyReport {
  batchId: string;
  title: string;
  asOf: string;
  counts: { cases: number; closed: number; phaseClosed: number; open: number; merged: number };
  lines: DailyReportLine[];
  text: string;
}

/**
 * 每日办理情况: what the city sends the inspection team for a batch, one line per case with its
 * verdict and handling, and the batch's counts, as text and as .xlsx. The batch's dispatching
 * unit (and those above it), auditors and administrators read it; others get a 404.
 */
@Injectable()
export class ComplaintDailyReportService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async report(actor: Actor, batchId: string, asOf: string): Promise<DailyReport> {
    const [batch] = await this.dataSource.query<{ id: string; round: string; batch_no: number; path: string }[]>(
      `SELECT b.id, b.round, b.batch_no, o.path FROM complaint_batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id WHERE b.id = $1`,
      [batchId],
    );
    const scope = batch ? { ownerScope: [], dispatcherScope: scopeOfPaths([batch.path]) } : null;
    if (!batch || !scope || !decide(actor, 'complaint.read', scope).allowed) throw DomainError.notFound('complaint_batch', batchId);
    const rows = await this.dataSource.query<
      {
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
      }[]
    >(
      `SELECT c.case_no AS "caseNo", c.team_no AS "teamNo", co.name AS "countyName", lu.name AS "leadUnitName", c.state,
              v.verdict, v.handling_summary AS "handlingSummary", to_char(c.committed_date, 'YYYY-MM-DD') AS "committedDate",
              c.pollution_types AS "pollutionTypes",
              json_build_object('ordersIssued', coalesce(v.orders_issued, 0), 'finesWan', coalesce(v.fines_wan, 0)::float8,
                                'casesFiled', coalesce(v.cases_filed, 0), 'detained', coalesce(v.detained, 0),
                                'accountable', coalesce(v.accountable, 0), 'summoned', coalesce(v.summoned, 0)) AS handling
         FROM complaint_case c
         JOIN org_unit co ON co.id = c.county_unit_id
         LEFT JOIN org_unit lu ON lu.id = c.lead_unit_id
         LEFT JOIN LATERAL (SELECT * FROM complaint_verdict v WHERE v.case_id = c.id ORDER BY v.seq DESC LIMIT 1) v ON true
        WHERE c.batch_id = $1 ORDER BY c.case_no`,
      [batchId],
    );
    const lines = rows.map(dailyReportLine);
    const counts = {
      cases: rows.length,
      closed: rows.filter((r) => r.state === 'closed' || r.state === 'archived').length,
      phaseClosed: rows.filter((r) => r.state === 'phase_closed').length,
      merged: rows.filter((r) => r.state === 'merged').length,
      open: 0,
    };
    counts.open = counts.cases - counts.closed - counts.phaseClosed - counts.merged;
    const title = `${batch.round}第${batch.batch_no}批信访举报件办理情况（截至${asOf}）`;
    const text = [
      title,
      `本批共${counts.cases}件，已办结${counts.closed}件，阶段性办结${counts.phaseClosed}件，正在办理${counts.open}件${counts.merged ? `，重复件合并${counts.merged}件` : ''}。`,
      ...lines.map((l, i) => `${i + 1}. ${l.line}`),
    ].join('\n');
    return { batchId, title, asOf, counts, lines, text };
  }

  async xlsx(actor: Actor, batchId: string, asOf: string): Promise<{ filename: string; body: Buffer }> {
    const r = await this.report(actor, batchId, asOf);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Rectify 整改通';
    const ws = wb.addWorksheet('每日办理情况');
    ws.addRow([r.title]).font = { bold: true };
    ws.addRow([r.text.split('\n')[1]]);
    const head = ws.addRow(['序号', '督察组交办编号', '受理编号', '行政区域', '牵头单位', '调查核实结论', '办理情况']);
    head.font = { bold: true };
    r.lines.forEach((l, i) =>
      ws.addRow([i + 1, l.teamNo, l.caseNo, l.county, l.leadUnit, l.verdict ? VERDICT_LABELS[l.verdict] : '', l.line]),
    );
    ws.columns.forEach((c, i) => (c.width = [6, 16, 14, 10, 20, 12, 80][i]));
    return { filename: `每日办理情况-${asOf}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
  }
}
