import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { Deadline, DEFAULT_OFFICE_LIMITS, limitExceeded, unreadable, type OfficeLimits } from './limits.js';
import { openZip, readText, unpack, type ZipPackage } from './zip.js';

/** A cell with content: its text as shown, and its number or date when it is one. */
export interface Cell {
  text: string;
  number?: number;
  /** ISO date, for a number formatted as a date. */
  date?: string;
  formula?: boolean;
}

export interface SheetRow {
  /** 1-based, as the sheet numbers it. */
  row: number;
  /** By 0-based column; a column without content is undefined. */
  cells: (Cell | undefined)[];
}

export interface MergedRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
  merges: MergedRange[];
  /** References (A1) of cells holding a formula, the first 100. */
  formulaCells: string[];
}

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Parses an entry as XML as it unpacks, handing each element and text to the handlers. */
async function streamXml(
  zip: ZipPackage,
  name: string,
  on: { open?: (tag: SaxesTagPlain, name: string) => void; close?: (name: string) => void; text?: (text: string) => void },
): Promise<boolean> {
  const entry = zip.entries.get(name);
  if (!entry) return false;
  const parser = new SaxesParser({ xmlns: false, position: false });
  if (on.open) parser.on('opentag', (tag) => on.open!(tag, local(tag.name)));
  if (on.close) parser.on('closetag', (tag) => on.close!(local(tag.name)));
  if (on.text) parser.on('text', on.text);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of unpack(zip, entry)) parser.write(decoder.write(chunk));
    parser.write(decoder.end()).close();
  } catch (e) {
    if (e instanceof Error && e.name === 'DomainError') throw e;
    throw unreadable('OFFICE_DAMAGED', `Part ${name} is not well-formed XML`, { entry: name });
  }
  return true;
}

/** "BC12" → column 54 (0-based 54), row 12. */
export function parseRef(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(ref);
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col: col - 1, row: Number(m[2]) };
}

const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '');
  return /[yd]/i.test(bare) || /年|月|日/.test(code);
}

/** Which cell styles (by index) show a number as a date. */
async function dateStyles(zip: ZipPackage): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  await streamXml(zip, 'xl/styles.xml', {
    open: (tag, name) => {
      if (name === 'numFmt') custom.set(Number(tag.attributes.numFmtId), String(tag.attributes.formatCode ?? ''));
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(tag.attributes.numFmtId ?? 0);
        styles.push(BUILTIN_DATE_FORMATS.has(id) || (custom.has(id) && isDateFormat(custom.get(id)!)));
      }
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}

async function sharedStrings(zip: ZipPackage): Promise<string[]> {
  const strings: string[] = [];
  let current = '';
  let inText = false;
  let inPhonetic = false;
  await streamXml(zip, 'xl/sharedStrings.xml', {
    open: (_tag, name) => {
      if (name === 'si') current = '';
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && !inPhonetic) inText = true;
    },
    close: (name) => {
      if (name === 'si') strings.push(current);
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 't') inText = false;
    },
    text: (text) => {
      if (inText) current += text;
    },
  });
  return strings;
}

/** The first sheet's part name and title, through the workbook and its relationships. */
async function firstSheet(zip: ZipPackage): Promise<{ path: string; name: string; date1904: boolean }> {
  const workbook = await readText(zip, 'xl/workbook.xml');
  const rels = await readText(zip, 'xl/_rels/workbook.xml.rels');
  if (!zip.entries.has('[Content_Types].xml') || workbook === null || rels === null) {
    throw unreadable('NOT_A_WORKBOOK', 'The file is not an .xlsx workbook');
  }
  const sheet = /<(?:\w+:)?sheet\b[^>]*>/.exec(workbook)?.[0];
  const rid = sheet && /\br:id="([^"]+)"|\bid="([^"]+)"/.exec(sheet);
  if (!sheet || !rid) throw unreadable('WORKBOOK_HAS_NO_SHEET', 'The workbook has no sheet');
  const id = rid[1] ?? rid[2];
  const rel = [...rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => r.includes(`Id="${id}"`));
  const target = rel && /Target="([^"]+)"/.exec(rel)?.[1];
  if (!target) throw unreadable('WORKBOOK_HAS_NO_SHEET', 'The workbook has no sheet');
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const name = /\bname="([^"]*)"/.exec(sheet)?.[1] ?? '';
  return { path, name: decodeXml(name), date1904: /date1904="(1|true)"/.test(workbook) };
}

const decodeXml = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);

/** An Excel serial day number as an ISO date (1900 or 1904 date system). */
export function serialToIso(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const days = Math.floor(serial) + (date1904 ? 1462 : 0);
  return new Date(Date.UTC(1899, 11, 30) + days * 86_400_000).toISOString().slice(0, 10);
}

function numberText(n: number): string {
  return String(Number(n.toFixed(6)));
}

/**
 * Reads the first sheet of an .xlsx workbook within limits: the package is checked before it is
 * unpacked (openZip), the sheet's XML is parsed as it unpacks, and rows, cells and columns with
 * content are counted and capped as they come, so memory stays bounded whatever the file claims.
 */
export async function readFirstSheet(buffer: Buffer, limits: OfficeLimits = DEFAULT_OFFICE_LIMITS): Promise<Sheet> {
  const deadline = new Deadline(limits.timeoutMs);
  const zip = openZip(buffer, limits, deadline);
  const sheet = await firstSheet(zip);
  const strings = await sharedStrings(zip);
  const dates = await dateStyles(zip);

  const rows: SheetRow[] = [];
  const merges: MergedRange[] = [];
  const formulaCells: string[] = [];
  let cellCount = 0;
  let rowNo = 0;
  let cells: (Cell | undefined)[] = [];
  let col = -1;
  let type = 'n';
  let style = 0;
  let value = '';
  let inline = '';
  let formula = false;
  let textOf: 'v' | 't' | 'f' | null = null;
  let ref = '';

  const finishCell = (): void => {
    let cell: Cell | undefined;
    if (type === 's') {
      const text = strings[Number(value)] ?? '';
      cell = { text };
    } else if (type === 'inlineStr') cell = { text: inline };
    else if (type === 'str' || type === 'e') cell = { text: value };
    else if (type === 'b') cell = { text: value === '1' ? 'TRUE' : 'FALSE' };
    else if (value !== '') {
      const n = Number(value);
      const date = dates[style] ? serialToIso(n, sheet.date1904) : null;
      cell = date ? { text: date, number: n, date } : { text: Number.isFinite(n) ? numberText(n) : value, number: n };
    }
    if (formula) {
      if (formulaCells.length < 100) formulaCells.push(ref);
      cell = { ...(cell ?? { text: '' }), formula: true };
    }
    if (!cell || (cell.text.trim() === '' && !cell.formula)) return;
    if (col >= limits.maxColumns) {
      throw limitExceeded('SHEET_TOO_MANY_COLUMNS', `The sheet has content beyond column ${limits.maxColumns}`, {
        limit: limits.maxColumns,
        cell: ref,
      });
    }
    if (++cellCount > limits.maxCells) {
      throw limitExceeded('SHEET_TOO_MANY_CELLS', `The sheet has more than ${limits.maxCells} cells with content`, {
        limit: limits.maxCells,
      });
    }
    cells[col] = cell;
  };

  const found = await streamXml(zip, sheet.path, {
    open: (tag, name) => {
      const a = tag.attributes;
      switch (name) {
        case 'row':
          rowNo = a.r ? Number(a.r) : rowNo + 1;
          cells = [];
          col = -1;
          break;
        case 'c': {
          const at = a.r ? parseRef(String(a.r)) : null;
          col = at ? at.col : col + 1;
          ref = String(a.r ?? '');
          type = String(a.t ?? 'n');
          style = Number(a.s ?? 0);
          value = '';
          inline = '';
          formula = false;
          break;
        }
        case 'v':
          textOf = 'v';
          break;
        case 't':
          textOf = 't';
          break;
        case 'f':
          formula = true;
          textOf = 'f';
          break;
        case 'mergeCell': {
          const [from, to] = String(a.ref ?? '').split(':');
          const tl = parseRef(from ?? '');
          const br = parseRef(to ?? from ?? '');
          if (tl && br && merges.length < 10_000) merges.push({ top: tl.row, left: tl.col, bottom: br.row, right: br.col });
          break;
        }
      }
    },
    text: (text) => {
      if (textOf === 'v') value += text;
      else if (textOf === 't') inline += text;
    },
    close: (name) => {
      if (name === 'v' || name === 't' || name === 'f') textOf = null;
      else if (name === 'c') finishCell();
      else if (name === 'row' && cells.length > 0) {
        if (rows.length >= limits.maxRows) {
          throw limitExceeded('SHEET_TOO_MANY_ROWS', `The sheet has more than ${limits.maxRows} rows with content`, {
            limit: limits.maxRows,
          });
        }
        rows.push({ row: rowNo, cells });
        deadline.check();
      }
    },
  });
  if (!found) throw unreadable('WORKBOOK_HAS_NO_SHEET', 'The workbook has no sheet');
  return { name: sheet.name, rows, merges, formulaCells };
}
