import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { readFirstSheet } from './sheet.js';
import { XlsxTextWriter } from './xlsx-writer.js';

async function written(rows: (string | null)[][]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  const writer = new XlsxTextWriter(out, '整改台账', [
    { header: '编号', width: 14 },
    { header: '问题', width: 30 },
    { header: '整改时限', width: 12 },
  ]);
  await writer.start();
  for (const r of rows) await writer.row(r);
  await writer.end();
  await ended;
  return Buffer.concat(chunks);
}

describe('XlsxTextWriter', () => {
  it('writes text cells that read back unchanged, markup, line breaks and empty cells included', async () => {
    const buffer = await written([
      ['A-1', '污水 & 雨水 <混接> "溢流"\r\n第二行', '2026-06-30'],
      ['A-2', null, '长期坚持'],
      ['A-3', ' 前后的空白 ', '\n换行在前'],
    ]);
    const sheet = await readFirstSheet(buffer);
    expect(sheet.name).toBe('整改台账');
    expect(sheet.rows.map((r) => Array.from(r.cells, (c) => c?.text ?? null))).toEqual([
      ['编号', '问题', '整改时限'],
      ['A-1', '污水 & 雨水 <混接> "溢流"\r\n第二行', '2026-06-30'],
      ['A-2', null, '长期坚持'],
      ['A-3', ' 前后的空白 ', '\n换行在前'],
    ]);
  });

  it('is a workbook exceljs opens: the sheet, its rows, the bold frozen header and the column widths', async () => {
    const buffer = await written([['A-1', '控制字符\u0001被去掉', null]]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as never);
    const ws = wb.getWorksheet('整改台账')!;
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(2).value).toBe('控制字符被去掉');
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getColumn(2).width).toBe(30);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});
