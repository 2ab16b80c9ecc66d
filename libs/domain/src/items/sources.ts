/** Where items come from (来源) and how each kind is accepted by default. */
export const SOURCE_TYPES = [
  'central_inspection', // 中央生态环境保护督察
  'central_lookback', // 中央督察"回头看"
  'provincial_inspection', // 省级例行督察
  'special_inspection', // 专项检查 (e.g. 政治监督专项检查)
  'warning_film', // 警示片
  'regional_survey', // 区域督察局调研
  'monitoring_assistance', // 监测中心帮扶问题清单
  'self_found', // 自查
  'complaint', // 信访举报件
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const SOURCE_LABELS: Record<SourceType, string> = {
  central_inspection: '中央生态环境保护督察',
  central_lookback: '中央督察回头看',
  provincial_inspection: '省级例行督察',
  special_inspection: '专项检查',
  warning_film: '警示片',
  regional_survey: '督察局调研',
  monitoring_assistance: '监测帮扶',
  self_found: '自查',
  complaint: '信访举报',
};

export const DOMAINS = ['air', 'water', 'soil', 'solid_waste', 'ecology', 'noise', 'radiation', 'other'] as const;
export type Domain = (typeof DOMAINS)[number];
export const DOMAIN_LABELS: Record<Domain, string> = {
  air: '大气',
  water: '水',
  soil: '土壤',
  solid_waste: '固废',
  ecology: '生态',
  noise: '噪声',
  radiation: '辐射',
  other: '其他',
};

/** One level of acceptance. A level without a unit is the item's county (县级自查). */
export interface AcceptanceLevel {
  level: string; // county / city / province, or a custom name
  label: string;
  unitId: string | null;
}

export const LEVEL_LABELS: Record<string, string> = { county: '县级自验', city: '市级验收', province: '省级验收' };

export const DEFAULT_ACCEPTANCE: Record<SourceType, { levels: { level: string; label: string }[]; noticeDays: number }> = {
  central_inspection: { levels: levels('county', 'city', 'province'), noticeDays: 7 },
  central_lookback: { levels: levels('county', 'city', 'province'), noticeDays: 7 },
  provincial_inspection: { levels: levels('county', 'city'), noticeDays: 5 },
  special_inspection: { levels: levels('city'), noticeDays: 0 },
  warning_film: { levels: levels('county', 'city'), noticeDays: 5 },
  regional_survey: { levels: levels('city'), noticeDays: 0 },
  monitoring_assistance: { levels: levels('city'), noticeDays: 0 },
  self_found: { levels: levels('county'), noticeDays: 0 },
  complaint: { levels: levels('county'), noticeDays: 0 },
};

function levels(...names: ('county' | 'city' | 'province')[]): { level: string; label: string }[] {
  return names.map((level) => ({ level, label: LEVEL_LABELS[level] }));
}

/** How people read a level: its label (县级自验 / 市级验收 / 省级验收), never a code such as `province`. */
export function levelLabel(level: { level: string; label?: string | null }): string {
  if (level.label && level.label !== level.level) return level.label;
  return LEVEL_LABELS[level.level] ?? level.label ?? level.level;
}
