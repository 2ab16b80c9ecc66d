import ExcelJS from 'exceljs';
import { docxBomb, peakRssGrowthMiB, sheetXmlBomb, withDeclaredSize, zerosBomb } from '../../../test/support/office-files.js';
import { checkOfficePackage } from './package-check.js';
import { DEFAULT_OFFICE_LIMITS } from './limits.js';
import { readFirstSheet } from './sheet.js';
import { readDocxText } from './docx.js';

async function workbook(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('台账'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const codeOf = async (p: Promise<unknown>): Promise<{ kind: string; code: string }> => {
  try {
    await p;
  } catch (e) {
    return { kind: (e as { kind: string }).kind, code: (e as { code: string }).code };
  }
  throw new Error('expected a refusal');
};

describe('readFirstSheet', () => {
  it('reads strings, numbers, dates, merged ranges and formulas of a real workbook', async () => {
    const buffer = await workbook((ws) => {
      ws.addRow(['编号', '整改时限', '数量']);
      ws.addRow(['A-1', new Date(Date.UTC(2025, 5, 30)), 3.5]);
      ws.addRow(['A-2', '2025年6月底', { formula: 'C2*2', result: 7 }]);
      ws.mergeCells('D1:D2');
    });
    const sheet = await readFirstSheet(buffer);
    expect(sheet.name).toBe('台账');
    expect(sheet.rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(sheet.rows[1].cells[1]).toEqual({ text: '2025-06-30', number: 45838, date: '2025-06-30' });
    expect(sheet.rows[1].cells[2]).toEqual({ text: '3.5', number: 3.5 });
    expect(sheet.rows[2].cells[1]).toEqual({ text: '2025年6月底' });
    expect(sheet.rows[2].cells[2]).toMatchObject({ text: '7', formula: true });
    expect(sheet.formulaCells).toEqual(['C3']);
    expect(sheet.merges).toEqual([{ top: 1, left: 3, bottom: 2, right: 3 }]);
  });

  it('refuses a renamed binary and a plain ZIP as not a workbook', async () => {
    await expect(codeOf(readFirstSheet(Buffer.from('%PDF-1.4 not a workbook at all')))).resolves.toEqual({
      kind: 'unprocessable',
      code: 'NOT_AN_OFFICE_FILE',
    });
    const docx = await docxBomb(1);
    await expect(codeOf(readFirstSheet(docx))).resolves.toEqual({ kind: 'unprocessable', code: 'NOT_A_WORKBOOK' });
  });

  it('refuses a 400 MiB zip bomb by its directory, with memory flat', async () => {
    const bomb = await zerosBomb(400);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    let result: unknown;
    const growth = await peakRssGrowthMiB(async () => (result = await codeOf(readFirstSheet(bomb))));
    expect(result).toEqual({ kind: 'too_large', code: 'OFFICE_ENTRY_TOO_LARGE' });
    expect(growth).toBeLessThan(50);
  });

  let xmlBomb: Buffer;
  beforeAll(async () => {
    xmlBomb = await sheetXmlBomb(100_000);
  });

  it('refuses ~300 MiB of valid sheet XML packed into about 1 MB', async () => {
    const bomb = xmlBomb;
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    let result: unknown;
    const growth = await peakRssGrowthMiB(async () => (result = await codeOf(readFirstSheet(bomb))));
    expect(result).toEqual({ kind: 'too_large', code: 'OFFICE_ENTRY_TOO_LARGE' });
    expect(growth).toBeLessThan(50);
  });

  it('stops a package whose sizes lie at the declared size, with memory flat', async () => {
    const bomb = withDeclaredSize(xmlBomb, 'xl/worksheets/sheet1.xml', 1_000_000);
    let result: unknown;
    const growth = await peakRssGrowthMiB(async () => (result = await codeOf(readFirstSheet(bomb))));
    expect(result).toEqual({ kind: 'too_large', code: 'OFFICE_SIZE_MISMATCH' });
    expect(growth).toBeLessThan(50);
  });

  it('counts rows as they stream and stops at the row limit', async () => {
    const sheet = await sheetXmlBomb(3_000);
    const limits = { ...DEFAULT_OFFICE_LIMITS, maxRatio: 10_000 };
    await expect(codeOf(readFirstSheet(sheet, { ...limits, maxRows: 2_000 }))).resolves.toEqual({
      kind: 'too_large',
      code: 'SHEET_TOO_MANY_ROWS',
    });
    await expect(codeOf(readFirstSheet(sheet, { ...limits, maxCells: 100 }))).resolves.toEqual({
      kind: 'too_large',
      code: 'SHEET_TOO_MANY_CELLS',
    });
  });

  it('refuses a file above the size limit before reading it', async () => {
    await expect(codeOf(readFirstSheet(Buffer.alloc(11 * 1024 * 1024)))).resolves.toEqual({ kind: 'too_large', code: 'FILE_TOO_LARGE' });
  });
});

describe('checkOfficePackage and readDocxText', () => {
  it('refuses a zip bomb disguised as .docx before mammoth sees it', async () => {
    const bomb = await docxBomb(400);
    await expect(codeOf(checkOfficePackage(bomb))).resolves.toEqual({ kind: 'too_large', code: 'OFFICE_ENTRY_TOO_LARGE' });
    await expect(codeOf(readDocxText(bomb))).resolves.toEqual({ kind: 'too_large', code: 'OFFICE_ENTRY_TOO_LARGE' });
  });

  it('accepts a real workbook', async () => {
    await expect(checkOfficePackage(await workbook((ws) => ws.addRow(['a'])))).resolves.toBeUndefined();
  });
});
