/** Key environmental projects (重点工程项目): categories, the milestone template and amounts. */

export const PROJECT_CATEGORIES = ['air', 'water', 'ecology', 'risk', 'supervision', 'other'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];

export const PROJECT_CATEGORY_LABELS: Record<ProjectCategory, string> = {
  air: '大气',
  water: '水',
  ecology: '生态保护与修复',
  risk: '风险防控',
  supervision: '监管能力',
  other: '其他',
};

/** The category a label names ("大气", "水环境", "生态保护与修复", …), or null. */
export function categoryFromLabel(label: string): ProjectCategory | null {
  const text = label.trim();
  if ((PROJECT_CATEGORIES as readonly string[]).includes(text)) return text as ProjectCategory;
  const exact = PROJECT_CATEGORIES.find((c) => PROJECT_CATEGORY_LABELS[c] === text);
  if (exact) return exact;
  if (text.startsWith('大气')) return 'air';
  if (text.startsWith('水')) return 'water';
  if (text.startsWith('生态')) return 'ecology';
  if (text.includes('风险')) return 'risk';
  if (text.includes('监管') || text.includes('能力建设')) return 'supervision';
  if (text === '其他') return 'other';
  return null;
}

/**
 * A template milestone: its name and where it falls in the construction period by default
 * (0 = the planned start, 1 = the planned end). Planned dates can be given instead, and moved later
 * (each move is a new planned-date version).
 */
export interface MilestoneTemplateEntry {
  name: string;
  share: number;
}

export const DEFAULT_MILESTONE_TEMPLATE: readonly MilestoneTemplateEntry[] = [
  { name: '前期手续/立项', share: 0 },
  { name: '环评批复', share: 0.1 },
  { name: '开工', share: 0.2 },
  { name: '主体完工', share: 0.8 },
  { name: '竣工验收', share: 0.95 },
  { name: '投运', share: 1 },
];

export function templateProblems(template: readonly MilestoneTemplateEntry[]): string[] {
  const problems: string[] = [];
  if (template.length === 0 || template.length > 30) problems.push('the template needs 1 to 30 milestones');
  const names = new Set<string>();
  for (const [i, m] of template.entries()) {
    const name = m.name?.trim();
    if (!name || name.length > 100) problems.push(`milestone ${i + 1}: name must be 1–100 characters`);
    else if (names.has(name)) problems.push(`milestone ${i + 1}: ${name} appears twice`);
    else names.add(name);
    if (typeof m.share !== 'number' || !(m.share >= 0 && m.share <= 1)) problems.push(`milestone ${i + 1}: share must be between 0 and 1`);
    if (i > 0 && m.share < template[i - 1].share) problems.push(`milestone ${i + 1}: shares must not decrease`);
  }
  return problems;
}

/**
 * Amounts are in 万元 with at most two decimals (分 of 万元 is 100 元, the precision the
 * monthly tables use). Kept as decimal strings end to end so sums are exact in SQL numeric.
 */
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** The amount as a canonical decimal string, or what is wrong with it. */
export function parseAmount(value: unknown): { ok: true; value: string } | { ok: false; problem: string } {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
  if (text === '') return { ok: false, problem: 'must be a number of 万元' };
  if (text.startsWith('-')) return { ok: false, problem: 'must not be negative' };
  if (!AMOUNT.test(text)) {
    return /^\d+\.\d{3,}$/.test(text)
      ? { ok: false, problem: 'must have at most two decimals (万元)' }
      : { ok: false, problem: 'must be a number of 万元, e.g. 1250.5' };
  }
  const [whole, frac = ''] = text.split('.');
  const canonicalWhole = whole.replace(/^0+(?=\d)/, '');
  const canonicalFrac = frac.replace(/0+$/, '');
  return { ok: true, value: canonicalFrac ? `${canonicalWhole}.${canonicalFrac}` : canonicalWhole };
}

/** A month's investment report is due by this working day of the next month. */
export const REPORT_DUE_WORKING_DAY = 5;

/** YYYY-MM, a report month. */
export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** The month after a YYYY-MM month. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before a YYYY-MM month. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The last day (YYYY-MM-DD) of a YYYY-MM month. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
