import type { ProjectCategory } from '#domain';

/**
 * The key projects of the city's 14th five-year ecological plan (seeds: 表 5-1 and 5.1–5.5): 14
 * air-quality projects needing 118.75 亿元 and 24 water projects needing 139.366 亿元, grouped as in
 * the plan. The plan gives sub-totals per group; the split within a group, the names and the
 * counties are written for the demo and add up to the plan's figures exactly.
 */
export interface DemoProject {
  code: string;
  name: string;
  category: ProjectCategory;
  /** 亿元, as the plan gives them. */
  yi: string;
  group: string;
  units: string[];
  county?: string;
}

const AIR: [string, string, string[], string?][] = [
  // 非电行业超低排放改造工程 5 项 3.530 亿元
  ['广灵金隅水泥熟料生产线超低排放改造', '0.85', ['DT-GXJ'], 'DT-GL'],
  ['恒岳重工铸造工序深度治理', '0.46', ['DT-GXJ'], 'DT-XR'],
  ['新荣区焦化企业干熄焦及超低排放改造', '1.20', ['DT-GXJ'], 'DT-XR'],
  ['云冈区陶瓷企业窑炉超低排放改造', '0.62', ['DT-GXJ'], 'DT-YG'],
  ['阳高县建材企业无组织排放深度治理', '0.40', ['DT-GXJ'], 'DT-YGX'],
  // VOCs 综合治理工程 4 项 0.260 亿元
  ['工业涂装企业 VOCs 综合治理', '0.08', ['DT-GXJ']],
  ['汽修行业 VOCs 集中治理', '0.05', ['DT-JTJ']],
  ['加油站油气回收在线监控', '0.06', ['DT-SCJGJ']],
  ['包装印刷企业 VOCs 源头替代', '0.07', ['DT-GXJ']],
  // 铁路专用线建设工程 2 项 13.700 亿元
  ['塔山工业园区铁路专用线', '7.90', ['DT-JTJ'], 'DT-YG'],
  ['电厂运煤铁路专用线', '5.80', ['DT-JTJ', 'DT-NYJ'], 'DT-YZ'],
  // 清洁能源替代工程 3 项 101.260 亿元
  ['城区集中供热热源清洁替代', '45.00', ['DT-ZJJ', 'DT-NYJ'], 'DT-PC'],
  ['农村清洁取暖煤改电煤改气', '38.26', ['DT-NYJ']],
  ['天然气输配管网延伸工程', '18.00', ['DT-NYJ', 'DT-ZJJ']],
];

const WATER: [string, string, string[], string?][] = [
  // 优良水体生态保护工程 13 项 117.650 亿元
  ['桑干河大同段生态修复', '22.00', ['DT-SWJ'], 'DT-YZ'],
  ['御河生态治理与修复', '18.50', ['DT-SWJ', 'DT-ZJJ'], 'DT-PC'],
  ['十里河综合治理', '12.30', ['DT-SWJ'], 'DT-YG'],
  ['口泉河综合治理', '9.80', ['DT-SWJ'], 'DT-YG'],
  ['南洋河阳高段综合治理', '8.60', ['DT-SWJ'], 'DT-YGX'],
  ['壶流河广灵段水生态保护', '7.40', ['DT-SWJ'], 'DT-GL'],
  ['唐河灵丘段水源地保护', '6.95', ['DT-SWJ'], 'DT-LQ'],
  ['浑河浑源段综合治理', '6.20', ['DT-SWJ'], 'DT-HY'],
  ['册田水库水源保护', '7.80', ['DT-SWJ'], 'DT-YZ'],
  ['文瀛湖水质保障', '5.10', ['DT-ZJJ'], 'DT-PC'],
  ['饮马河综合治理', '4.50', ['DT-SWJ'], 'DT-PC'],
  ['黄水河流域综合治理', '4.20', ['DT-SWJ'], 'DT-HY'],
  ['白登河综合治理', '4.30', ['DT-SWJ'], 'DT-YGX'],
  // 新建污水处理厂工程 6 项 15.750 亿元
  ['御东第二污水处理厂', '4.20', ['DT-ZJJ'], 'DT-PC'],
  ['云州区污水处理厂', '2.35', ['DT-ZJJ'], 'DT-YZ'],
  ['阳高县第二污水处理厂', '2.10', ['DT-ZJJ'], 'DT-YGX'],
  ['广灵县污水处理厂扩建', '2.30', ['DT-ZJJ'], 'DT-GL'],
  ['灵丘县污水处理厂提标扩容', '2.40', ['DT-ZJJ'], 'DT-LQ'],
  ['浑源县污水处理厂扩建', '2.40', ['DT-ZJJ'], 'DT-HY'],
  // 再生水利用工程 2 项 1.870 亿元
  ['城区再生水管网工程', '1.12', ['DT-ZJJ'], 'DT-PC'],
  ['塔山园区再生水回用工程', '0.75', ['DT-SWJ'], 'DT-YG'],
  // 工业园区污水集中处理工程 2 项 3.566 亿元
  ['经开区污水集中处理厂', '2.016', ['DT-JKQ']],
  ['新荣区工业园区污水处理工程', '1.55', ['DT-ZJJ'], 'DT-XR'],
  // 农业面源污染防治工程 1 项 0.530 亿元
  ['桑干河流域农业面源污染综合治理', '0.53', ['DT-NYNCJ']],
];

const GROUPS_AIR = ['非电行业超低排放改造工程', 'VOCs 综合治理工程', '铁路专用线建设工程', '清洁能源替代工程'];
const GROUP_SIZES_AIR = [5, 4, 2, 3];
const GROUPS_WATER = ['优良水体生态保护工程', '新建污水处理厂工程', '再生水利用工程', '工业园区污水集中处理工程', '农业面源污染防治工程'];
const GROUP_SIZES_WATER = [13, 6, 2, 2, 1];

function expand(rows: typeof AIR, category: ProjectCategory, prefix: string, groups: string[], sizes: number[]): DemoProject[] {
  const groupOf = sizes.flatMap((n, g) => Array.from({ length: n }, () => groups[g]));
  return rows.map(([name, yi, units, county], i) => ({
    code: `${prefix}-${String(i + 1).padStart(2, '0')}`,
    name,
    category,
    yi,
    group: groupOf[i],
    units,
    county,
  }));
}

export const DEMO_PROJECTS: DemoProject[] = [
  ...expand(AIR, 'air', 'SSW-DQ', GROUPS_AIR, GROUP_SIZES_AIR),
  ...expand(WATER, 'water', 'SSW-SH', GROUPS_WATER, GROUP_SIZES_WATER),
];

/** The demo projects' story is told up to this day: reports through its month, milestones by then. */
export const DEMO_PROJECTS_AS_OF = '2026-10-31';

export const DEMO_PROJECT_SOURCE = '大同市“十四五”生态环境保护规划';
