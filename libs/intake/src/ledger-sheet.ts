import { DomainError, parseLedgerDate, type Domain, type ItemType } from '#domain';
import { serialToIso, type Cell, type Sheet, type SheetRow } from '#office';
import { FIELD_HEADER, domainFromLabel, fieldOfHeader, splitUnitNames, typeFromLabel, type ImportField } from './ledger-columns.js';

/** A ledger row as read, before unit names are resolved. */
export interface LedgerInputRow {
  row: number;
  code: string;
  title: string;
  feedbackText: string;
  domain: Domain;
  county: string | null;
  goal: string;
  measures: string;
  lead: string[];
  cooperating: { name: string; part: string | null }[];
  responsibleLeader: string | null;
  responsiblePerson: string | null;
  responsiblePhone: string | null;
  deadline: string | null;
  type: ItemType;
  stageNodes: { name: string; due: string }[];
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface LedgerSheet {
  headerRows: number[];
  /** The sheet's column (0-based) of each field found. */
  columns: Partial<Record<ImportField, number>>;
  rows: LedgerInputRow[];
  errors: RowError[];
}

const HEADER_SEARCH_ROWS = 10;

/** The field each column names, reading one header row, or two (a merged top row over its sub-headers). */
function headerFields(top: SheetRow, below: SheetRow | undefined, sheet: Sheet): Partial<Record<ImportField, number>> {
  const fields: Partial<Record<ImportField, number>> = {};
  const width = Math.max(top.cells.length, below?.cells.length ?? 0);
  for (let col = 0; col < width; col++) {
    let topText = top.cells[col]?.text ?? '';
    if (!topText) {
      // Inside a horizontal merge, the top-left cell's text heads every column of it.
      const merge = sheet.merges.find((m) => m.top === top.row && m.left < col && col <= m.right);
      if (merge) topText = top.cells[merge.left]?.text ?? '';
    }
    const field = (below && fieldOfHeader(below.cells[col]?.text ?? '')) || fieldOfHeader(topText);
    if (field && fields[field] === undefined) fields[field] = col;
  }
  return fields;
}

function findHeader(sheet: Sheet): { rows: number[]; columns: Partial<Record<ImportField, number>>; dataFrom: number } | null {
  let best: { rows: number[]; columns: Partial<Record<ImportField, number>>; dataFrom: number; score: number } | null = null;
  const candidates = sheet.rows.slice(0, HEADER_SEARCH_ROWS);
  candidates.forEach((row, i) => {
    const next = sheet.rows[i + 1]?.row === row.row + 1 ? sheet.rows[i + 1] : undefined;
    const one = headerFields(row, undefined, sheet);
    const two = next ? headerFields(row, next, sheet) : {};
    const oneScore = Object.keys(one).length;
    const twoScore = Object.keys(two).length;
    const pick =
      next && twoScore > oneScore
        ? { rows: [row.row, next.row], columns: two, dataFrom: i + 2, score: twoScore }
        : { rows: [row.row], columns: one, dataFrom: i + 1, score: oneScore };
    if (pick.score >= 3 && (!best || pick.score > best.score)) best = pick;
  });
  return best;
}

const text = (cell: Cell | undefined): string => cell?.text.trim() ?? '';

/** 2025-06-30 整改方案 lines, as the export writes 阶段节点. */
function stageNodes(value: string, year: number): { nodes: { name: string; due: string }[]; bad: boolean } {
  const nodes: { name: string; due: string }[] = [];
  let bad = false;
  for (const line of value
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^(\S+)\s+(.+)$/.exec(line);
    const date = m ? parseLedgerDate(m[1], year) : null;
    if (m && date?.kind === 'date') nodes.push({ due: date.date, name: m[2].trim() });
    else bad = true;
  }
  return { nodes, bad };
}

/**
 * Reads a ledger sheet: finds its header (one row or a merged two-row header, within the first
 * rows), then each row's fields, collecting every problem with row, column and value. Formulas
 * are refused (their cached values may be stale and are not what the sender typed).
 */
export function readLedgerSheet(sheet: Sheet, year: number): LedgerSheet {
  if (sheet.formulaCells.length > 0) {
    throw new DomainError('unprocessable', 'FORMULAS_NOT_ACCEPTED', 'The sheet contains formulas; paste them as values and import again', {
      cells: sheet.formulaCells,
    });
  }
  const header = findHeader(sheet);
  if (!header || header.columns.code === undefined || header.columns.lead === undefined) {
    throw new DomainError(
      'unprocessable',
      'LEDGER_HEADER_NOT_FOUND',
      `No ledger header found in the first ${HEADER_SEARCH_ROWS} rows: it needs at least 编号 (序号), 牵头单位 (责任单位) and 问题 or 反馈问题原文`,
      { found: header ? Object.keys(header.columns).map((f) => FIELD_HEADER[f as ImportField]) : [] },
    );
  }
  if (header.columns.title === undefined && header.columns.feedbackText === undefined) {
    throw new DomainError('unprocessable', 'LEDGER_HEADER_NOT_FOUND', 'The header has neither 问题 nor 反馈问题原文', {
      found: Object.keys(header.columns).map((f) => FIELD_HEADER[f as ImportField]),
    });
  }
  const cols = header.columns;
  const rows: LedgerInputRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const sheetRow of sheet.rows.slice(header.dataFrom)) {
    const cell = (f: ImportField): Cell | undefined => (cols[f] === undefined ? undefined : sheetRow.cells[cols[f]]);
    const get = (f: ImportField): string => text(cell(f));
    const fail = (f: ImportField, value: string, message: string): void => {
      errors.push({ row: sheetRow.row, column: FIELD_HEADER[f], value, message });
    };
    const code = get('code');
    const feedbackText = get('feedbackText');
    const title = get('title') || firstSentence(feedbackText);
    if (!code) fail('code', '', 'is empty');
    else if (seen.has(code)) fail('code', code, `also on row ${seen.get(code)}`);
    else if (code.length > 64) fail('code', code, 'is longer than 64 characters');
    if (code) seen.set(code, sheetRow.row);
    if (!title) fail(cols.title !== undefined ? 'title' : 'feedbackText', '', 'is empty');
    const domainText = get('domain');
    const domain = domainText ? domainFromLabel(domainText) : 'other';
    if (!domain) fail('domain', domainText, 'is not one of 大气、水、土壤、固废、生态、噪声、辐射、其他');
    const lead = splitUnitNames(get('lead'));
    if (lead.length === 0) fail('lead', '', 'is empty');
    const cooperating = splitUnitNames(get('cooperating')).map((c) => {
      const m = /^(.+?)[（(](.+)[)）]$/.exec(c);
      return m ? { name: m[1].trim(), part: m[2].trim() } : { name: c, part: null };
    });
    const typeText = get('type');
    let type = typeText ? typeFromLabel(typeText) : null;
    if (typeText && !type) fail('type', typeText, 'is not one of 立行立改、限期整改、长期坚持');
    const deadlineCell = cell('deadline');
    const deadlineText = text(deadlineCell);
    const serial = deadlineCell?.date ?? (deadlineCell?.number !== undefined ? serialToIso(deadlineCell.number) : null);
    const parsed = parseLedgerDate(deadlineText, year, serial && deadlineCell?.number && deadlineCell.number > 20000 ? serial : undefined);
    let deadline: string | null = null;
    if (parsed.kind === 'date') deadline = parsed.date;
    else if (parsed.kind === 'ongoing') type ??= 'ongoing';
    else if (parsed.kind === 'invalid')
      fail('deadline', deadlineText, 'is not a date (e.g. 2025-06-30, 2025/6/30, 2025年6月30日, 2025年6月底, 年底前, 长期坚持)');
    type ??= 'deadline';
    if (type === 'deadline' && parsed.kind === 'none') fail('deadline', '', 'is empty (限期整改 needs a date)');
    const stages = stageNodes(get('stageNodes'), year);
    if (stages.bad) fail('stageNodes', get('stageNodes'), 'each line must be a date and a name, e.g. 2025-06-30 完成排查');
    const optional = (f: ImportField): string | null => get(f) || null;
    rows.push({
      row: sheetRow.row,
      code,
      title: title.slice(0, 500),
      feedbackText,
      domain: domain ?? 'other',
      county: optional('county'),
      goal: get('goal'),
      measures: get('measures'),
      lead,
      cooperating,
      responsibleLeader: optional('responsibleLeader'),
      responsiblePerson: optional('responsiblePerson'),
      responsiblePhone: optional('responsiblePhone'),
      deadline,
      type,
      stageNodes: stages.nodes,
    });
  }
  if (rows.length === 0) {
    throw new DomainError('unprocessable', 'LEDGER_HAS_NO_ROWS', 'The sheet has a header but no rows under it', {
      headerRows: header.rows,
    });
  }
  return { headerRows: header.rows, columns: cols, rows, errors };
}

function firstSentence(text: string): string {
  const cut = text.search(/[。；;！!？?\n]/);
  return (cut < 0 ? text : text.slice(0, cut)).trim().slice(0, 100);
}
