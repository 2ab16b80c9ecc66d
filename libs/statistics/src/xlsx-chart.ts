import JSZip from 'jszip';

/**
 * Bar charts in an .xlsx written by exceljs (which writes no charts): the chart, the drawing that
 * places it, the relationships and the content types, added to the package afterwards. Each chart
 * plots one column of a sheet against its first column, with the values cached so that viewers
 * that do not recalculate still draw it.
 */
export interface BarChart {
  /** The worksheet's name, as in the workbook. */
  sheet: string;
  title: string;
  /** 1-based column of the values; categories are column 1. Rows 2..(rows + 1). */
  valueColumn: number;
  categories: string[];
  values: (number | null)[];
  /** Number format of the axis and labels, e.g. '0%'. */
  numberFormat: string;
  /** Where the chart's top-left corner goes (0-based column and row). */
  at: { col: number; row: number };
}

const NS = {
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  pkgRel: 'http://schemas.openxmlformats.org/package/2006/relationships',
  chart: 'http://schemas.openxmlformats.org/drawingml/2006/chart',
  drawing: 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing',
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
};
const REL_TYPE = {
  drawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing',
  chart: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart',
};

export async function addBarCharts(xlsx: Buffer, charts: BarChart[]): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const sheetPaths = await sheetPathsByName(zip);
  let n = 0;
  for (const chart of charts) {
    n += 1;
    const sheetPath = sheetPaths.get(chart.sheet);
    if (!sheetPath) throw new Error(`no sheet named ${chart.sheet}`);
    zip.file(`xl/charts/chart${n}.xml`, chartXml(chart));
    zip.file(`xl/drawings/drawing${n}.xml`, drawingXml(chart));
    zip.file(`xl/drawings/_rels/drawing${n}.xml.rels`, relsXml([{ id: 'rId1', type: REL_TYPE.chart, target: `../charts/chart${n}.xml` }]));
    const relsPath = sheetPath.replace(/^xl\/worksheets\//, 'xl/worksheets/_rels/') + '.rels';
    const existing = zip.file(relsPath) ? await zip.file(relsPath)!.async('string') : null;
    const relId = `rIdChart${n}`;
    const rel = `<Relationship Id="${relId}" Type="${REL_TYPE.drawing}" Target="../drawings/drawing${n}.xml"/>`;
    zip.file(relsPath, existing ? existing.replace('</Relationships>', `${rel}</Relationships>`) : relsXml([], rel));
    const sheetXml = await zip.file(sheetPath)!.async('string');
    zip.file(sheetPath, withDrawing(sheetXml, relId));
    const types = await zip.file('[Content_Types].xml')!.async('string');
    zip.file(
      '[Content_Types].xml',
      types.replace(
        '</Types>',
        `<Override PartName="/xl/charts/chart${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>` +
          `<Override PartName="/xl/drawings/drawing${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>`,
      ),
    );
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Worksheet part paths by sheet name, through the workbook's relationships. */
async function sheetPathsByName(zip: JSZip): Promise<Map<string, string>> {
  const workbook = await zip.file('xl/workbook.xml')!.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /Id="([^"]+)"/.exec(m[0])?.[1];
    const target = /Target="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?(xl\/)?/, 'xl/'));
  }
  const out = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    const id = /r:id="([^"]+)"/.exec(m[0])?.[1];
    if (name && id && targets.has(id)) out.set(unescapeXml(name), targets.get(id)!);
  }
  return out;
}

/** CT_Worksheet's children that come after <drawing>, in the schema's order. */
const AFTER_DRAWING = new Set([
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
]);

/** Inserts <drawing> among the worksheet's own children (depth 1), before the first that must follow it. */
function withDrawing(sheetXml: string, relId: string): string {
  const element = `<drawing xmlns:r="${NS.rel}" r:id="${relId}"/>`;
  let depth = 0;
  for (const m of sheetXml.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g)) {
    if (m[0].startsWith('<?') || m[0].startsWith('<!')) continue;
    const [, closing, name, selfClosing] = m;
    if (closing) {
      depth -= 1;
      if (depth === 0) return sheetXml.slice(0, m.index) + element + sheetXml.slice(m.index); // </worksheet>
      continue;
    }
    if (depth === 1 && AFTER_DRAWING.has(name)) return sheetXml.slice(0, m.index) + element + sheetXml.slice(m.index);
    if (!selfClosing) depth += 1;
  }
  throw new Error('not a worksheet');
}

function relsXml(rels: { id: string; type: string; target: string }[], extra = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">` +
    rels.map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"/>`).join('') +
    `${extra}</Relationships>`
  );
}

function drawingXml(chart: BarChart): string {
  const rows = Math.max(12, Math.min(30, chart.categories.length + 4));
  const marker = (col: number, row: number): string =>
    `<xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<xdr:wsDr xmlns:xdr="${NS.drawing}" xmlns:a="${NS.a}" xmlns:r="${NS.rel}" xmlns:c="${NS.chart}">` +
    `<xdr:twoCellAnchor><xdr:from>${marker(chart.at.col, chart.at.row)}</xdr:from><xdr:to>${marker(chart.at.col + 9, chart.at.row + rows)}</xdr:to>` +
    `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="${escapeXml(chart.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
    `<a:graphic><a:graphicData uri="${NS.chart}"><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame>` +
    `<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>`
  );
}

function chartXml(chart: BarChart): string {
  const last = chart.categories.length + 1;
  const sheet = `'${chart.sheet.replace(/'/g, "''")}'`;
  const col = columnLetter(chart.valueColumn);
  const catRef = `${sheet}!$A$2:$A$${last}`;
  const valRef = `${sheet}!$${col}$2:$${col}$${last}`;
  const strCache =
    `<c:strCache><c:ptCount val="${chart.categories.length}"/>` +
    chart.categories.map((c, i) => `<c:pt idx="${i}"><c:v>${escapeXml(c)}</c:v></c:pt>`).join('') +
    `</c:strCache>`;
  const numCache =
    `<c:numCache><c:formatCode>${escapeXml(chart.numberFormat)}</c:formatCode><c:ptCount val="${chart.values.length}"/>` +
    chart.values.map((v, i) => (v === null ? '' : `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`)).join('') +
    `</c:numCache>`;
  const title =
    `<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>${escapeXml(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>` +
    `<c:overlay val="0"/></c:title>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<c:chartSpace xmlns:c="${NS.chart}" xmlns:a="${NS.a}" xmlns:r="${NS.rel}"><c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>` +
    `<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>` +
    `<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>${escapeXml(chart.title)}</c:v></c:tx>` +
    `<c:spPr><a:solidFill><a:srgbClr val="5B9BD5"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>` +
    `<c:dLbls><c:numFmt formatCode="${escapeXml(chart.numberFormat)}" sourceLinked="0"/><c:showLegendKey val="0"/><c:showVal val="1"/>` +
    `<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>` +
    `<c:cat><c:strRef><c:f>${escapeXml(catRef)}</c:f>${strCache}</c:strRef></c:cat>` +
    `<c:val><c:numRef><c:f>${escapeXml(valRef)}</c:f>${numCache}</c:numRef></c:val></c:ser>` +
    `<c:gapWidth val="60"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>` +
    `<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>` +
    `<c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="1002"/><c:crosses val="autoZero"/>` +
    `<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>` +
    `<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/><c:max val="1"/><c:min val="0"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="b"/><c:majorGridlines/><c:numFmt formatCode="${escapeXml(chart.numberFormat)}" sourceLinked="0"/>` +
    `<c:tickLblPos val="nextTo"/><c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>` +
    `</c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
