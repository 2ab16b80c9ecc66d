import ExcelJS from 'exceljs';
import type { FigureValue } from '#domain';
import type { BreakdownResult, StatsResult } from './statistics.service.js';

/** A table to write: a header row and rows of plain values. */
export interface Table {
  name: string;
  columns: { header: string; width?: number; /** Excel number format of the column's cells */ numFmt?: string }[];
  rows: (string | number | null)[][];
  /** Number formats of single cells, by 0-based row (without the header) and column. */
  cellFormats?: { row: number; col: number; numFmt: string }[];
}

/** How a figure's value is written as a number in a workbook. */
export const FIGURE_FORMATS: Record<string, string> = {
  count: '0',
  rate: '0.00%',
  working_days: '0.0" 个工作日"',
  calendar_days: '0.0" 天"',
};

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The monthly bulletin: the workbook, or the document as circulated. */
export const BULLETIN_FORMATS = ['xlsx', 'docx'] as const;
export type BulletinFormat = (typeof BULLETIN_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat | BulletinFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/**
 * The figures as a table: each with its value, numerator, denominator and formula. In a workbook
 * (`numeric`) values are numbers with a number format (counts, rates as fractions shown as %),
 * so a spreadsheet can sum and chart them; in CSV they are written as displayed.
 */
export function figuresTable(result: StatsResult, name = '统计口径', numeric = false): Table {
  return {
    cellFormats: numeric
      ? result.figures.map((f, row) => ({ row, col: 1, numFmt: FIGURE_FORMATS[f.kind] ?? '0' })).filter((c) => c.numFmt)
      : undefined,
    name,
    columns: [
      { header: '指标', width: 30 },
      { header: '数值', width: 14 },
      { header: '分子', width: 10 },
      { header: '分母', width: 10 },
      { header: '计算口径', width: 90 },
    ],
    rows: [
      ...result.figures.map((f) => [
        f.label,
        numeric ? f.value : f.display,
        f.numerator?.value ?? null,
        f.denominator?.value ?? null,
        f.formula,
      ]),
      [],
      ['统计时点', result.asOf, null, null, `截至 ${result.statDate}（北京时间）当日结束；时限早于该日视为已到期`],
    ],
  };
}

const BREAKDOWN_FIGURES = [
  'total',
  'signedOff',
  'completed',
  'phaseCompleted',
  'overdueOpen',
  'signOffRate',
  'completionRate',
  'dueCompletionRate',
];

/** A breakdown as a table: one row per group with the main figures (rates as text, or as fractions for a styled sheet). */
export function breakdownTable(result: BreakdownResult, name: string, groupHeader: string, numericRates = false): Table {
  const headers = BREAKDOWN_FIGURES.map((k) => result.figures.find((f) => f.key === k)?.label ?? k);
  return {
    name,
    columns: [
      { header: groupHeader, width: 24 },
      ...headers.map((header, i) => ({
        header,
        width: 14,
        numFmt: numericRates ? (BREAKDOWN_FIGURES[i].endsWith('Rate') ? '0.00%' : '0') : undefined,
      })),
    ],
    rows: result.rows.map((r) => [
      r.label,
      ...BREAKDOWN_FIGURES.map((k) =>
        cell(
          r.figures.find((f) => f.key === k),
          numericRates,
        ),
      ),
    ]),
  };
}

function cell(f: FigureValue | undefined, numericRates: boolean): string | number | null {
  if (!f) return null;
  return f.denominator !== undefined && !numericRates ? f.display : f.value;
}

/** The 1-based sheet column of a figure in breakdownTable. */
export function breakdownColumn(key: string): number {
  return BREAKDOWN_FIGURES.indexOf(key) + 2;
}

/** Where the rate columns of breakdownTable are (1-based sheet columns), for number formats and data bars. */
export const BREAKDOWN_RATE_COLUMNS = BREAKDOWN_FIGURES.map((k, i) => (k.endsWith('Rate') ? i + 2 : 0)).filter((c) => c > 0);

/** RFC 4180 CSV with a byte-order mark (so spreadsheet programs read UTF-8); cells that could run as formulas are quoted as text. */
export function toCsv(table: Table): Buffer {
  const line = (values: (string | number | null)[]): string => values.map(csvCell).join(',');
  const text = [line(table.columns.map((c) => c.header)), ...table.rows.map(line)].join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes tables as the sheets of one workbook. */
export async function toXlsx(tables: Table[], build?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rectify 整改通';
  for (const table of tables) addSheet(wb, table);
  build?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function addSheet(wb: ExcelJS.Workbook, table: Table): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = table.columns.map((c) => ({ header: c.header, width: c.width ?? 14 }));
  ws.getRow(1).font = { bold: true };
  for (const row of table.rows) ws.addRow(row);
  table.columns.forEach((c, i) => {
    if (!c.numFmt) return;
    for (let r = 2; r <= table.rows.length + 1; r++) ws.getRow(r).getCell(i + 1).numFmt = c.numFmt;
  });
  for (const f of table.cellFormats ?? []) ws.getRow(f.row + 2).getCell(f.col + 1).numFmt = f.numFmt;
  ws.eachRow((row, n) => {
    if (n > 1) row.alignment = { vertical: 'top', wrapText: true };
  });
  return ws;
}

export function writeTable(table: Table, format: ExportFormat): Promise<Buffer> {
  return format === 'csv' ? Promise.resolve(toCsv(table)) : toXlsx([table]);
}
