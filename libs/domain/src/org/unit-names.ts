/**
 * Departments renamed by the 2018 institutional reform (机构改革) under names that ledgers, plans and
 * complaint lists still use: a former name, and today's names it became. Only suggestions use them
 * (a unit is never resolved by a former name without the dispatcher's choice or an alias).
 */
const RENAMED: [RegExp, string[]][] = [
  [/环境保护局|环保局/, ['生态环境局']],
  [/国土资源局|国土局/, ['自然资源局', '自然资源和规划局', '规划和自然资源局']],
  [/(?<!和)规划局/, ['自然资源和规划局', '规划和自然资源局']],
  [/农业委员会|农委|农业局|农牧局/, ['农业农村局']],
  [/安全生产监督管理局|安监局/, ['应急管理局']],
  [/工商行政管理局|工商局|质量技术监督局|质监局|食品药品监督管理局|食药监局/, ['市场监督管理局']],
  [/林业局/, ['林业和草原局']],
  [/旅游局|文化局|文广新局/, ['文化和旅游局']],
  [/卫生和计划生育委员会|卫计委|卫生局/, ['卫生健康委员会']],
  [/交通局/, ['交通运输局']],
];

/** The name with each former department name in it replaced by today's (none when it holds none): 市环保局 → [市生态环境局]. */
export function presentUnitNames(name: string): string[] {
  return RENAMED.flatMap(([former, present]) => (former.test(name) ? present.map((p) => name.replace(former, p)) : []));
}
