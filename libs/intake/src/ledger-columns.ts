import { DOMAIN_LABELS, type Domain, type ItemType } from '#domain';

/** The ledger fields an import reads, each with the header variants units use for it. */
export const IMPORT_COLUMNS = {
  code: ['编号', '序号', '问题编号', '任务编号'],
  title: ['问题', '问题名称', '问题标题', '任务名称'],
  feedbackText: ['反馈问题原文', '问题描述', '反馈问题', '具体问题', '问题内容', '反馈意见'],
  domain: ['领域', '问题领域', '所属领域'],
  county: ['行政区', '县区', '所在县区', '属地'],
  goal: ['整改目标'],
  measures: ['整改措施'],
  lead: ['牵头单位', '责任单位', '牵头部门', '责任部门'],
  cooperating: ['配合单位', '配合部门', '协办单位'],
  responsibleLeader: ['责任领导'],
  responsiblePerson: ['责任人'],
  responsiblePhone: ['联系电话', '电话', '联系方式'],
  deadline: ['整改时限', '完成时限', '整改期限', '完成时间'],
  type: ['整改类型'],
  stageNodes: ['阶段节点', '阶段目标'],
} as const;

export type ImportField = keyof typeof IMPORT_COLUMNS;

/** What the export writes and an import knows but leaves to the workflow. */
export const WORKFLOW_COLUMNS = [
  '轮次/批次',
  '来源',
  '原定整改时限',
  '整改进展',
  '状态',
  '序时状态',
  '验收层级',
  '验收单位',
  '验收日期',
  '验收结论',
  '公示起止',
  '销号日期',
  '佐证材料',
];

/** The export's header of each field: the first variant. */
export const FIELD_HEADER = Object.fromEntries(Object.entries(IMPORT_COLUMNS).map(([k, v]) => [k, v[0]])) as Record<ImportField, string>;

export const TYPE_LABELS: Record<ItemType, string> = { immediate: '立行立改', deadline: '限期整改', ongoing: '长期坚持' };

export function typeFromLabel(label: string): ItemType | null {
  const t = label.trim();
  return (Object.entries(TYPE_LABELS).find(([, l]) => l === t)?.[0] as ItemType | undefined) ?? null;
}

const DOMAIN_VARIANTS: Record<string, Domain> = {
  固体废物: 'solid_waste',
  生态保护: 'ecology',
  水环境: 'water',
  大气环境: 'air',
  土壤环境: 'soil',
};

export function domainFromLabel(label: string): Domain | null {
  const t = label.trim();
  return (Object.entries(DOMAIN_LABELS).find(([, l]) => l === t)?.[0] as Domain | undefined) ?? DOMAIN_VARIANTS[t] ?? null;
}

/** Header text compared loosely: no spaces or line breaks, half-width brackets, no trailing notes in brackets. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[(（][^)）]*[)）]$/, '')
    .replace(/[*＊:：]/g, '');
}

const LOOKUP = new Map<string, ImportField>(
  (Object.entries(IMPORT_COLUMNS) as [ImportField, readonly string[]][]).flatMap(([field, names]) =>
    names.map((n) => [headerKey(n), field]),
  ),
);

export function fieldOfHeader(text: string): ImportField | null {
  return LOOKUP.get(headerKey(text)) ?? null;
}

/** Several units in one cell: split on 、，, ；; and line breaks. */
export function splitUnitNames(cell: string): string[] {
  return [
    ...new Set(
      cell
        .split(/[、，,；;\n\r]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
