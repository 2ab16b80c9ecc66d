import {
  PROJECT_CATEGORY_LABELS,
  SCHEDULE_STATUS_LABELS,
  categoryFromLabel,
  DATE_RANGE,
  isSupportedDate,
  parseAmount,
  type ProjectCategory,
} from '#domain';
import { DEFAULT_OFFICE_LIMITS, readFirstSheet, type OfficeLimits } from '#office';
import type { Table } from '#statistics';
import type { MilestoneView } from './milestones.service.js';
import type { ProjectDetail } from './project-fields.js';

/** A project table row as read from a workbook, before units are resolved. */
export interface ImportedRow {
  row: number;
  code: string;
  name: string;
  category: ProjectCategory;
  county: string | null;
  units: string[];
  source: string;
  description: string;
  plannedInvestment: string;
  priorInvestment: string;
  startYear: number;
  endYear: number;
  plannedStart?: string;
  plannedEnd?: string;
  yearPlans: { year: number; amount: string }[];
  /** Planned dates given for template milestones, by milestone name. */
  milestoneDates: Record<string, string>;
}

export interface ImportProblem {
  row: number;
  column: string;
  message: string;
}

/** A project table holds tens to a few thousand rows (MAX_IMPORT_ROWS is checked after reading). */
const PROJECT_TABLE_LIMITS: OfficeLimits = { ...DEFAULT_OFFICE_LIMITS, maxRows: 5_000 };

/** Header text compared loosely: no spaces, half-width brackets. */
function key(header: string): string {
  return header.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

const COLUMNS = {
  code: ['项目编号', '编号', '序号'],
  name: ['项目名称', '名称'],
  category: ['类别', '项目类别', '项目分类'],
  county: ['县区', '行政区', '所在县区'],
  units: ['责任单位', '牵头单位'],
  source: ['项目来源', '来源', '所属规划'],
  description: ['建设内容', '项目概况'],
  startYear: ['开工年份'],
  endYear: ['完工年份'],
  period: ['建设年限', '建设期限'],
  plannedStart: ['计划开工日期'],
  plannedEnd: ['计划完工日期'],
} as const;

/** 亿元 → 万元 exactly: moves the decimal point four places. */
function yiToWan(value: string): string {
  const [whole, frac = ''] = value.split('.');
  const padded = (frac + '0000').slice(0, 4);
  const rest = frac.slice(4);
  const w = (whole + padded).replace(/^0+(?=\d)/, '');
  return rest ? `${w}.${rest}` : w;
}

/**
 * Reads the first sheet of a project table. Columns are found by their headers (the names in
 * COLUMNS, "计划总投资（万元）" or "（亿元）", "2025年计划投资（万元）", and "<milestone>（计划）" for
 * template milestones); other columns are ignored, so an export can be read back. Every problem
 * is reported with its row and column; rows are not resolved against the database here.
 */
export async function readProjectTable(
  buffer: Buffer,
  milestoneNames: readonly string[],
): Promise<{ rows: ImportedRow[]; problems: ImportProblem[] }> {
  const sheet = await readFirstSheet(buffer, PROJECT_TABLE_LIMITS);
  const header = sheet.rows[0]?.row === 1 ? sheet.rows[0] : undefined;
  const headers = new Map<string, number>();
  header?.cells.forEach((cell, col) => cell && headers.set(key(cell.text.trim()), col));
  const find = (names: readonly string[]): number | undefined => names.map((n) => headers.get(key(n))).find((c) => c !== undefined);
  const problems: ImportProblem[] = [];
  const investment = [...headers.entries()].find(([h]) => /^(计划)?总投资\((万元|亿元)\)$/.test(h));
  const prior = [...headers.entries()].find(([h]) => /^开工前已完成投资\((万元|亿元)\)$/.test(h));
  const yearPlanColumns = [...headers.entries()]
    .map(([h, col]) => ({ m: /^(\d{4})年(计划)?投资\((万元|亿元)\)$/.exec(h), col }))
    .filter((x) => x.m)
    .map((x) => ({ year: Number(x.m![1]), yi: x.m![3] === '亿元', col: x.col }));
  const milestoneColumns = milestoneNames
    .map((name) => ({ name, col: headers.get(key(`${name}(计划)`)) ?? headers.get(key(name)) }))
    .filter((x): x is { name: string; col: number } => x.col !== undefined);
  const required: [string, number | undefined][] = [
    ['项目编号', find(COLUMNS.code)],
    ['项目名称', find(COLUMNS.name)],
    ['类别', find(COLUMNS.category)],
    ['责任单位', find(COLUMNS.units)],
    ['计划总投资（万元）', investment?.[1]],
  ];
  for (const [name, col] of required) if (col === undefined) problems.push({ row: 1, column: name, message: 'column is missing' });
  if (find(COLUMNS.period) === undefined && (find(COLUMNS.startYear) === undefined || find(COLUMNS.endYear) === undefined)) {
    problems.push({ row: 1, column: '建设年限', message: 'give 建设年限 (e.g. 2021-2025) or 开工年份 and 完工年份' });
  }
  if (problems.length) return { rows: [], problems };

  const rows: ImportedRow[] = [];
  const yiInvestment = investment![0].includes('亿元');
  for (const sheetRow of sheet.rows) {
    const r = sheetRow.row;
    if (r === 1) continue;
    const text = (col: number | undefined): string => (col === undefined ? '' : (sheetRow.cells[col]?.text.trim() ?? ''));
    if ([...headers.values()].every((col) => text(col) === '')) continue;
    const issue = (column: string, message: string): void => void problems.push({ row: r, column, message });
    const amount = (column: string, raw: string, yi: boolean, optional = false): string => {
      if (optional && raw === '') return '0';
      const parsed = parseAmount(yi ? raw.replace(/^(\d+(\.\d+)?)$/, (m) => yiToWan(m)) : raw);
      if (!parsed.ok) issue(column, `${raw || '(empty)'}: ${parsed.problem}`);
      return parsed.ok ? parsed.value : '0';
    };
    const code = text(find(COLUMNS.code));
    const name = text(find(COLUMNS.name));
    if (!code) issue('项目编号', 'is empty');
    if (!name) issue('项目名称', 'is empty');
    const categoryText = text(find(COLUMNS.category));
    const category = categoryFromLabel(categoryText);
    if (!category) issue('类别', `${categoryText || '(empty)'} is not one of ${Object.values(PROJECT_CATEGORY_LABELS).join('、')}`);
    const units = text(find(COLUMNS.units))
      .split(/[、，,；;\n]/)
      .map((u) => u.trim())
      .filter(Boolean);
    if (units.length === 0) issue('责任单位', 'is empty');
    let startYear = Number(text(find(COLUMNS.startYear)));
    let endYear = Number(text(find(COLUMNS.endYear)));
    const period = text(find(COLUMNS.period));
    if (period) {
      const m = /^(\d{4})\s*年?\s*(?:[-—–~至到]\s*(\d{4}))?\s*年?$/.exec(period);
      if (m) {
        startYear = Number(m[1]);
        endYear = Number(m[2] ?? m[1]);
      } else issue('建设年限', `${period} is not a period of years such as 2021-2025`);
    }
    if (!Number.isInteger(startYear) || startYear < 2000 || startYear > 2100) issue('开工年份', 'is not a year');
    if (!Number.isInteger(endYear) || endYear < startYear || endYear > 2100) issue('完工年份', 'is not a year on or after 开工年份');
    const date = (column: string, raw: string): string | undefined => {
      if (!raw) return undefined;
      if (!isSupportedDate(raw)) issue(column, `${raw} is not a date (YYYY-MM-DD) between ${DATE_RANGE.from} and ${DATE_RANGE.to}`);
      return raw;
    };
    const milestoneDates: Record<string, string> = {};
    for (const mc of milestoneColumns) {
      const d = date(`${mc.name}（计划）`, text(mc.col));
      if (d) milestoneDates[mc.name] = d;
    }
    rows.push({
      row: r,
      code,
      name,
      category: category ?? 'other',
      county: text(find(COLUMNS.county)) || null,
      units,
      source: text(find(COLUMNS.source)),
      description: text(find(COLUMNS.description)),
      plannedInvestment: amount(investment![0], text(investment![1]), yiInvestment),
      priorInvestment: prior ? amount(prior[0], text(prior[1]), prior[0].includes('亿元'), true) : '0',
      startYear,
      endYear,
      plannedStart: date('计划开工日期', text(find(COLUMNS.plannedStart))),
      plannedEnd: date('计划完工日期', text(find(COLUMNS.plannedEnd))),
      yearPlans: yearPlanColumns
        .filter((y) => text(y.col) !== '')
        .map((y) => ({ year: y.year, amount: amount(`${y.year}年计划投资`, text(y.col), y.yi) })),
      milestoneDates,
    });
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ row: 2, column: '', message: 'the sheet has no project rows' });
  return { rows, problems };
}

/** The project ledger: the importable columns first (so an export reads back), then progress. */
export function projectTable(
  projects: (ProjectDetail & { milestones: Pick<MilestoneView, 'name' | 'plannedDate' | 'actualDate'>[] })[],
  milestoneNames: readonly string[],
  years: readonly number[],
): Table {
  const columns: [string, number, (p: (typeof projects)[number]) => string | number | null][] = [
    ['项目编号', 14, (p) => p.code],
    ['项目名称', 36, (p) => p.name],
    ['类别', 12, (p) => PROJECT_CATEGORY_LABELS[p.category]],
    ['县区', 12, (p) => p.countyName],
    ['责任单位', 24, (p) => p.responsibleUnits.map((u) => u.name).join('、')],
    ['项目来源', 24, (p) => p.source],
    ['建设内容', 40, (p) => p.description],
    ['计划总投资（万元）', 14, (p) => Number(p.plannedInvestment)],
    ['开工前已完成投资（万元）', 14, (p) => Number(p.priorInvestment)],
    ['开工年份', 8, (p) => p.startYear],
    ['完工年份', 8, (p) => p.endYear],
    ['计划开工日期', 12, (p) => p.plannedStart],
    ['计划完工日期', 12, (p) => p.plannedEnd],
    ...years.map((y): [string, number, (p: (typeof projects)[number]) => number | null] => [
      `${y}年计划投资（万元）`,
      14,
      (p) => {
        const plan = p.yearPlans.find((x) => x.year === y);
        return plan ? Number(plan.amount) : null;
      },
    ]),
    ...milestoneNames.flatMap((name): [string, number, (p: (typeof projects)[number]) => string | null][] => [
      [`${name}（计划）`, 12, (p) => p.milestones.find((m) => m.name === name)?.plannedDate ?? null],
      [`${name}（实际）`, 12, (p) => p.milestones.find((m) => m.name === name)?.actualDate ?? null],
    ]),
    ['报告期', 10, (p) => p.investment.month],
    ['本月完成投资（万元）', 14, (p) => (p.investment.thisMonth === null ? null : Number(p.investment.thisMonth))],
    ['年初至报告期累计（万元）', 14, (p) => Number(p.investment.yearToDate)],
    ['占年计划', 10, (p) => pct(p.investment.annualShare)],
    ['开工至报告期累计（万元）', 14, (p) => Number(p.investment.sinceStart)],
    ['占总投资', 10, (p) => pct(p.investment.totalShare)],
    ['序时进度', 10, (p) => pct(p.schedule.expectedShare)],
    ['进度状态', 10, (p) => SCHEDULE_STATUS_LABELS[p.schedule.status]],
    [
      '滞后里程碑',
      30,
      (p) => p.schedule.delayed.map((d) => `${d.name}（计划 ${d.plannedDate}，滞后 ${d.daysLate} 天）`).join('\n') || null,
    ],
  ];
  return {
    name: '重点工程项目',
    columns: columns.map(([header, width]) => ({ header, width })),
    rows: projects.map((p) => columns.map(([, , get]) => get(p))),
  };
}

function pct(share: number | null): string | null {
  return share === null ? null : `${(share * 100).toFixed(2)}%`;
}
