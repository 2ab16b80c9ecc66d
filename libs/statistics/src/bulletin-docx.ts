import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Figure } from '#domain';
import type { BreakdownResult, OverdueItem, StatsResult } from './statistics.service.js';

/** Items overdue longer than this (calendar days) put their lead unit on the criticised list. */
export const CRITICISE_AFTER_DAYS = 30;

/** What a month's bulletin says: the figures at the month's end and the lists behind them. */
export interface BulletinContent {
  year: number;
  month: number;
  summary: StatsResult;
  reported: Figure[];
  byUnit: BreakdownResult;
  byCounty: BreakdownResult;
  overdue: OverdueItem[];
  /** Who issues it (the caller's unit). */
  issuer: string;
}

const FONT = '仿宋_GB2312';
const TITLE_FONT = '方正小标宋简体';
const HEADING_FONT = '黑体';
const BODY_SIZE = 32; // 三号 (16 pt), in half-points
const TABLE_SIZE = 21; // 五号 (10.5 pt)

/** The units criticised: lead units of items overdue more than CRITICISE_AFTER_DAYS days, most such items first. */
export function criticisedUnits(overdue: OverdueItem[]): { unit: string; items: number; longest: number }[] {
  const byUnit = new Map<string, { unit: string; items: number; longest: number }>();
  for (const o of overdue) {
    if (o.daysOverdue <= CRITICISE_AFTER_DAYS) continue;
    for (const unit of (o.leadUnits ?? '（未明确牵头单位）').split('、')) {
      const u = byUnit.get(unit) ?? { unit, items: 0, longest: 0 };
      u.items += 1;
      u.longest = Math.max(u.longest, o.daysOverdue);
      byUnit.set(unit, u);
    }
  }
  return [...byUnit.values()].sort((a, b) => b.items - a.items || b.longest - a.longest || a.unit.localeCompare(b.unit, 'zh'));
}

/** The opening sentences, with the month's figures (截至X月底，…共XX项，已销号XX项，销号率XX%…). */
export function openingSentences(c: BulletinContent): string[] {
  const v = (figures: Figure[], key: string): string => figures.find((f) => f.key === key)?.display ?? '—';
  const s = c.summary.figures;
  const r = c.reported;
  return [
    `截至${c.month}月底，全市纳入整改台账的生态环境问题共${v(s, 'total')}项，已销号${v(s, 'signedOff')}项，销号率${v(s, 'signOffRate')}；` +
      `已完成整改${v(r, 'rectified')}项（含阶段性完成${v(s, 'phaseCompleted')}项），完成整改待验收${v(s, 'awaitingAcceptance')}项，` +
      `正在整改${v(s, 'inProgress')}项，其中逾期未完成${v(s, 'overdueOpen')}项。`,
    `按原定时限计算的按期完成率为${v(s, 'onTimeRateOriginal')}，按批准时限计算的按期完成率为${v(s, 'onTimeRateApproved')}；` +
      `销号后反弹${v(r, 'reboundRate') === '—' ? '0项' : `率为${v(r, 'reboundRate')}`}；逾期后申请延期${v(r, 'lateExtensionRequests')}次。`,
  ];
}

/** The monthly bulletin (月通报) as a .docx in the usual 通报 layout. */
export async function bulletinDocx(c: BulletinContent): Promise<Buffer> {
  const criticised = criticisedUnits(c.overdue);
  const children: (Paragraph | Table)[] = [
    centered(`关于${c.year}年${c.month}月生态环境问题整改工作情况的通报`, { font: TITLE_FONT, size: 44 }),
    centered(`整改通报〔${c.year}〕${c.month}号`, { size: BODY_SIZE }),
    body('各县（区）人民政府，市直有关单位：', { indent: false }),
    ...openingSentences(c).map((s) => body(s)),
    heading('一、各牵头单位整改情况'),
    breakdownTable(c.byUnit, '牵头单位'),
    note(c.byUnit.note),
    heading('二、各县（区）整改情况'),
    breakdownTable(c.byCounty, '县（区）'),
    note(c.byCounty.note),
    heading('三、逾期未完成事项'),
    ...overdueByUnit(c.overdue),
    heading('四、通报批评'),
    body(
      criticised.length === 0
        ? `本月无逾期${CRITICISE_AFTER_DAYS}天以上未完成的整改事项。`
        : `${criticised.map((u) => u.unit).join('、')}等${criticised.length}个单位存在逾期${CRITICISE_AFTER_DAYS}天以上未完成的整改事项，` +
            `整改推进不力，予以通报批评。请上述单位认真分析原因，制定措施，限期完成整改。`,
    ),
    ...criticised.map((u) => body(`${u.unit}：逾期${CRITICISE_AFTER_DAYS}天以上未完成${u.items}项，最长逾期${u.longest}天。`)),
    body(''),
    right(c.issuer),
    right(`${c.year}年${c.month}月${Number(c.summary.statDate.slice(8, 10))}日`),
    note(`统计时点：截至 ${c.summary.statDate} 24时；按当时状态计算，可复现。各项指标的计算口径见统计分析页及月通报工作簿。`),
  ];
  const doc = new Document({
    creator: '整改通',
    title: `${c.year}年${c.month}月整改工作通报`,
    styles: { default: { document: { run: { font: FONT, size: BODY_SIZE } } } },
    sections: [{ properties: { page: { margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(doc);
}

function centered(text: string, run: { font?: string; size: number }): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text, ...run })] });
}

function body(text: string, opts: { indent?: boolean } = {}): Paragraph {
  return new Paragraph({
    indent: opts.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 560 },
    children: [new TextRun({ text, size: BODY_SIZE })],
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({
    indent: { firstLine: 640 },
    spacing: { before: 240, line: 560 },
    children: [new TextRun({ text, font: HEADING_FONT, size: BODY_SIZE })],
  });
}

function right(text: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { line: 560 }, children: [new TextRun({ text, size: BODY_SIZE })] });
}

function note(text: string): Paragraph {
  return new Paragraph({ spacing: { before: 120 }, children: [new TextRun({ text, size: TABLE_SIZE })] });
}

function table(header: string[], rows: string[][]): Table {
  const cell = (text: string, bold = false): TableCell =>
    new TableCell({
      children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold, size: TABLE_SIZE })] })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((x) => cell(x)) })),
    ],
  });
}

const BREAKDOWN_COLUMNS: [string, string][] = [
  ['total', '事项总数'],
  ['signedOff', '已销号'],
  ['completed', '已完成'],
  ['phaseCompleted', '阶段性完成'],
  ['overdueOpen', '逾期未完成'],
  ['signOffRate', '销号率'],
];

function breakdownTable(result: BreakdownResult, groupHeader: string): Table {
  return table(
    ['序号', groupHeader, ...BREAKDOWN_COLUMNS.map(([, h]) => h)],
    result.rows.map((row, i) => [
      String(i + 1),
      row.label,
      ...BREAKDOWN_COLUMNS.map(([key]) => row.figures.find((f) => f.key === key)?.display ?? '—'),
    ]),
  );
}

/** The overdue items grouped by lead unit (an item led by several units under each), most first. */
function overdueByUnit(overdue: OverdueItem[]): (Paragraph | Table)[] {
  if (overdue.length === 0) return [body('截至本月底，无逾期未完成的整改事项。')];
  const groups = new Map<string, OverdueItem[]>();
  for (const o of overdue) {
    for (const unit of (o.leadUnits ?? '（未明确牵头单位）').split('、')) groups.set(unit, [...(groups.get(unit) ?? []), o]);
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0], 'zh'));
  const out: (Paragraph | Table)[] = [body(`截至本月底，逾期未完成的整改事项共${overdue.length}项，涉及${ordered.length}个牵头单位：`)];
  for (const [unit, items] of ordered) {
    out.push(body(`${unit}（${items.length}项）`));
    out.push(
      table(
        ['编号', '问题', '行政区', '整改时限', '逾期天数'],
        items.map((o) => [o.code, o.title, o.countyName ?? '', o.deadline, String(o.daysOverdue)]),
      ),
    );
  }
  return out;
}
