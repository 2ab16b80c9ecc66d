/**
 * A small but well-formed one-page PDF (catalog, page tree, page, content stream, font, info,
 * cross-reference table with exact offsets), so every demo evidence file opens in a viewer.
 * The visible text is ASCII (the standard Helvetica font has no CJK glyphs); the Chinese title
 * goes into the document information dictionary as UTF-16.
 */
export function demoPdf(title: string, lines: string[]): Buffer {
  const ascii = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const text = lines.map((line, i) => `BT /F1 12 Tf 72 ${770 - i * 18} Td (${ascii(line)}) Tj ET`).join('\n');
  const utf16 = Buffer.from(`\ufeff${title}`, 'utf16le').swap16().toString('hex').toUpperCase();
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title <${utf16}> /Producer (Rectify demo data) >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
