import { DomainError, type FieldIssue } from '../errors/domain-error.js';

/** 调查核实结论. */
export const VERDICTS = ['substantiated', 'mostly', 'partly', 'unfounded'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_LABELS: Record<Verdict, string> = {
  substantiated: '属实',
  mostly: '基本属实',
  partly: '部分属实',
  unfounded: '不属实',
};

export function isSubstantiated(v: Verdict): boolean {
  return v !== 'unfounded';
}

export function verdictFromLabel(label: string): Verdict | null {
  const t = label.trim();
  return (Object.entries(VERDICT_LABELS).find(([, l]) => l === t)?.[0] as Verdict | undefined) ?? null;
}

/** 污染类型 (multi-select). */
export const POLLUTION_TYPES = ['water', 'air', 'ecology', 'noise', 'soil', 'solid_waste', 'radiation', 'other'] as const;
export type PollutionType = (typeof POLLUTION_TYPES)[number];
export const POLLUTION_LABELS: Record<PollutionType, string> = {
  water: '水',
  air: '大气',
  ecology: '生态',
  noise: '噪声',
  soil: '土壤',
  solid_waste: '固废',
  radiation: '辐射',
  other: '其他',
};

const POLLUTION_ALIASES: Record<string, PollutionType> = {
  水: 'water',
  水污染: 'water',
  大气: 'air',
  大气污染: 'air',
  空气: 'air',
  扬尘: 'air',
  油烟: 'air',
  生态: 'ecology',
  生态破坏: 'ecology',
  噪声: 'noise',
  噪音: 'noise',
  土壤: 'soil',
  固废: 'solid_waste',
  固体废物: 'solid_waste',
  垃圾: 'solid_waste',
  辐射: 'radiation',
  其他: 'other',
  其它: 'other',
};

/** "大气、噪声" / "水,土壤": the types a cell names, and the words it could not read. */
export function pollutionTypesFromText(text: string): { types: PollutionType[]; unknown: string[] } {
  const types = new Set<PollutionType>();
  const unknown: string[] = [];
  for (const word of text.split(/[、,，;；/\s]+/).filter(Boolean)) {
    const t = POLLUTION_ALIASES[word];
    if (t) types.add(t);
    else unknown.push(word);
  }
  return { types: POLLUTION_TYPES.filter((t) => types.has(t)), unknown };
}

/** 处理情况: what the investigation led to. Fines in 万元. */
export interface HandlingResults {
  ordersIssued: number; // 责令整改
  finesWan: number; // 罚款（万元）
  casesFiled: number; // 立案
  detained: number; // 行政/刑事拘留
  accountable: number; // 问责人数
  summoned: number; // 约谈
}

export const HANDLING_FIELDS: readonly (keyof HandlingResults)[] = [
  'ordersIssued',
  'finesWan',
  'casesFiled',
  'detained',
  'accountable',
  'summoned',
];

export const HANDLING_LABELS: Record<keyof HandlingResults, string> = {
  ordersIssued: '责令整改',
  finesWan: '罚款（万元）',
  casesFiled: '立案',
  detained: '拘留',
  accountable: '问责',
  summoned: '约谈',
};

export const NO_HANDLING: HandlingResults = { ordersIssued: 0, finesWan: 0, casesFiled: 0, detained: 0, accountable: 0, summoned: 0 };

/** Checks handling figures: counts are whole and not negative; fines are 万元 with at most 4 decimals, not negative. */
export function handlingIssues(h: Partial<Record<keyof HandlingResults, unknown>>, prefix = 'handling'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const f of HANDLING_FIELDS) {
    const v = h[f];
    if (v === undefined) continue;
    const field = `${prefix}.${f}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.push({ field, messages: ['must be a number'] });
    else if (v < 0) issues.push({ field, messages: ['must not be negative'] });
    else if (f === 'finesWan' ? Math.round(v * 10000) !== v * 10000 || v > 1e8 : !Number.isInteger(v) || v > 1e6)
      issues.push({
        field,
        messages: [f === 'finesWan' ? 'must be 万元 with at most 4 decimals, below 1亿万元' : 'must be a whole number'],
      });
  }
  return issues;
}

export function assertHandling(h: Partial<Record<keyof HandlingResults, unknown>>, prefix = 'handling'): HandlingResults {
  const issues = handlingIssues(h, prefix);
  if (issues.length > 0) throw DomainError.validation('The handling results are not valid', issues);
  return { ...NO_HANDLING, ...(h as Partial<HandlingResults>) };
}

/** One line of the daily report (每日办理情况) for a case. */
export function handlingLine(h: HandlingResults): string {
  const parts: string[] = [];
  if (h.ordersIssued) parts.push(`责令整改${h.ordersIssued}家`);
  if (h.casesFiled) parts.push(`立案${h.casesFiled}起`);
  if (h.finesWan) parts.push(`罚款${h.finesWan}万元`);
  if (h.detained) parts.push(`拘留${h.detained}人`);
  if (h.summoned) parts.push(`约谈${h.summoned}人`);
  if (h.accountable) parts.push(`问责${h.accountable}人`);
  return parts.join('，');
}

/** 回访满意度. */
export const SATISFACTION = ['satisfied', 'basically', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];
export const SATISFACTION_LABELS: Record<Satisfaction, string> = { satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' };

/**
 * Duplicate detection: trigram similarity (pg_trgm `similarity`) of two cases' content at or above
 * this, in the same county, received within the window. Measured on the demo's round 3
 * (test/complaints-demo.e2e-spec.ts): repeats forwarded again with a few words added score
 * 0.77–0.81, distinct cases of one county within the window at most 0.19. A free paraphrase scores
 * far lower (0.07 on one tried) and is not proposed: trigrams catch re-sent texts, not re-told ones.
 */
export const DUPLICATE_SIMILARITY = 0.32;
export const DUPLICATE_WINDOW_DAYS = 60;
