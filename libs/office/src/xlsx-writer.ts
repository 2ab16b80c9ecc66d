import type { Writable } from 'node:stream';
import { ZipWriter } from './zip-writer.js';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const PARTS: [string, string][] = [
  [
    '[Content_Types].xml',
    `${XML}<Types xmlns="${PKG}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
      `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.worksheet+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/></Types>`,
  ],
  [
    '_rels/.rels',
    `${XML}<Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    `${XML}<Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  ],
  [
    'xl/styles.xml',
    // Style 1: text at the top, wrapped; style 2: the same in bold (the header).
    `${XML}<styleSheet xmlns="${MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
      `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
      `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
      `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3">` +
      `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
      `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
      `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
      `</cellXfs></styleSheet>`,
  ],
];

// Characters XML 1.0 cannot carry at all; a carriage return is kept as a reference, or a reader would fold it.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>\r]/;
// eslint-disable-next-line no-control-regex
const SPECIALS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>\r]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const escape = (s: string): string => (SPECIAL.test(s) ? s.replace(SPECIALS, (c) => ESCAPES[c] ?? '') : s);
/** Leading or trailing white space, which a reader keeps only when told to. */
const EDGE_SPACE = /^\s|\s$/;

/** Rows are handed to the zip in pieces of about this many characters. */
const FLUSH_CHARS = 256 * 1024;

function columnName(i: number): string {
  let n = i + 1;
  let name = '';
  while (n > 0) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/**
 * A one-sheet .xlsx of text cells written row by row straight to a stream (inline strings, a
 * frozen bold header, wrapped cells at the top): the rows become XML text in batches, with no
 * object per cell, for exports of a hundred thousand rows in bounded memory.
 */
export class XlsxTextWriter {
  private readonly zip: ZipWriter;
  /** `<c r="` and the column's letters, for each column. */
  private readonly cellStarts: string[];
  private rows = 0;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(
    out: Writable,
    private readonly sheetName: string,
    private readonly columns: { header: string; width: number }[],
  ) {
    this.zip = new ZipWriter(out);
    this.cellStarts = columns.map((_, i) => `<c r="${columnName(i)}`);
  }

  async start(): Promise<void> {
    for (const [name, text] of PARTS) await this.zip.file(name, text);
    await this.zip.file(
      'xl/workbook.xml',
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="${escape(this.sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    );
    await this.zip.begin('xl/worksheets/sheet1.xml');
    const cols = this.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
    await this.zip.write(
      `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0">` +
        `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>${cols}</cols><sheetData>`,
    );
    this.add(
      this.columns.map((c) => c.header),
      2,
    );
  }

  /** Adds a row (null: an empty cell); resolves once the stream may take more. */
  async row(values: (string | null)[]): Promise<void> {
    this.add(values, 1);
    if (this.pendingLength >= FLUSH_CHARS) await this.flush();
  }

  async end(): Promise<void> {
    this.pending.push('</sheetData></worksheet>');
    await this.flush();
    await this.zip.end();
    await this.zip.finish();
  }

  private add(values: (string | null)[], style: number): void {
    const r = String(++this.rows);
    const s = `" s="${style}"`;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      xml += this.cellStarts[i] + r + s;
      if (v === null) xml += '/>';
      else if (EDGE_SPACE.test(v)) xml += ` t="inlineStr"><is><t xml:space="preserve">${escape(v)}</t></is></c>`;
      else xml += ` t="inlineStr"><is><t>${escape(v)}</t></is></c>`;
    }
    xml += '</row>';
    this.pending.push(xml);
    this.pendingLength += xml.length;
  }

  private async flush(): Promise<void> {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    await this.zip.write(text);
  }
}
