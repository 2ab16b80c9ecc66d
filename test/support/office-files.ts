import { createDeflateRaw, crc32 } from 'node:zlib';

/** Hostile and ordinary Office packages for tests, written entry by entry (large ones streamed). */
export interface ZipSource {
  name: string;
  /** The content, or a generator of it (so hundreds of MiB never sit in memory). */
  data: Buffer | (() => Iterable<Buffer>);
  /** Declare this uncompressed size instead of the real one (a lying header). */
  declaredSize?: number;
}

async function deflate(chunks: Iterable<Buffer>): Promise<{ packed: Buffer; size: number; crc: number }> {
  const z = createDeflateRaw({ level: 6 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    z.on('end', resolve);
    z.on('error', reject);
  });
  let size = 0;
  let crc = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    crc = crc32(chunk, crc);
    if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await done;
  return { packed: Buffer.concat(out), size, crc };
}

export async function buildZip(sources: ZipSource[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const s of sources) {
    const { packed, size, crc } = await deflate(typeof s.data === 'function' ? s.data() : [s.data]);
    const name = Buffer.from(s.name, 'utf8');
    const declared = s.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sources.length, 8);
  end.writeUInt16LE(sources.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

const MiB = 1024 * 1024;

/** 409 KB-ish: a workbook whose one sheet part is 400 MiB of zeros. */
export function zerosBomb(mib = 400, declaredSize?: number): Promise<Buffer> {
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'xl/workbook.xml', data: Buffer.from(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(RELS) },
    {
      name: 'xl/worksheets/sheet1.xml',
      declaredSize,
      data: function* () {
        const zeros = Buffer.alloc(MiB);
        for (let i = 0; i < mib; i++) yield zeros;
      },
    },
  ]);
}

/** About 1 MB: a workbook whose sheet is `rows` rows of valid XML of ~3 KB each (100,000 rows ≈ 300 MiB). */
export function sheetXmlBomb(rows = 100_000, declaredSize?: number): Promise<Buffer> {
  const filler = 'x'.repeat(3000);
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'xl/workbook.xml', data: Buffer.from(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(RELS) },
    {
      name: 'xl/worksheets/sheet1.xml',
      declaredSize,
      data: function* () {
        yield Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        );
        for (let r = 1; r <= rows; r += 1000) {
          let block = '';
          for (let i = r; i < Math.min(r + 1000, rows + 1); i++)
            block += `<row r="${i}"><c r="A${i}" t="inlineStr"><is><t>${filler}</t></is></c></row>`;
          yield Buffer.from(block);
        }
        yield Buffer.from('</sheetData></worksheet>');
      },
    },
  ]);
}

/** The package with one entry's declared uncompressed size rewritten (a lying header). */
export function withDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const target = Buffer.from(name, 'utf8');
  for (let at = 0; at + 46 < out.length; at++) {
    const sig = out.readUInt32LE(at);
    if (sig === 0x02014b50 && out.subarray(at + 46, at + 46 + target.length).equals(target)) out.writeUInt32LE(size, at + 24);
    if (sig === 0x04034b50 && out.subarray(at + 30, at + 30 + target.length).equals(target)) out.writeUInt32LE(size, at + 22);
  }
  return out;
}

/** The same package disguised as a Word document. */
export function docxBomb(mib = 400): Promise<Buffer> {
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    {
      name: 'word/document.xml',
      data: function* () {
        const zeros = Buffer.alloc(MiB);
        for (let i = 0; i < mib; i++) yield zeros;
      },
    },
  ]);
}

/** Samples the process's RSS while `work` runs; returns the peak growth in MiB. */
export async function peakRssGrowthMiB(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    await work().catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return (peak - before) / MiB;
}
