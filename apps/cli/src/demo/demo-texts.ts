import type { Domain } from '#domain';

/** Ledger wording for the demo items, by domain (领域) and by unit. */

export const IMPACT: Record<Domain, string> = {
  air: '影响区域环境空气质量持续改善',
  water: '影响水环境质量稳定达标',
  soil: '存在土壤和地下水污染风险',
  solid_waste: '存在环境污染和安全隐患',
  ecology: '生态破坏问题突出，生态功能受损',
  noise: '群众反映强烈',
  radiation: '存在辐射安全隐患',
  other: '生态环境保护政治责任落实不到位',
};

export const GOAL: Record<Domain, string> = {
  air: '完成污染源治理，污染物稳定达标排放，不再出现同类问题',
  water: '消除直排和超标排放，相关断面和水源水质稳定达到考核目标',
  soil: '完成调查评估和风险管控，土壤和地下水环境风险得到有效管控',
  solid_waste: '违规堆存、倾倒的固体废物全部清理处置，建立长效监管机制',
  ecology: '完成违规问题整治和生态修复，生态功能逐步恢复',
  noise: '噪声排放稳定达标，群众投诉明显减少',
  radiation: '辐射安全隐患全部消除',
  other: '压实责任、健全制度，问题整改到位并建立长效机制',
};

export const MEASURES: Record<Domain, string[]> = {
  air: [
    '全面排查问题点位，建立整改台账',
    '落实"一企一策"治理，完成治理设施建设改造',
    '开展联合执法检查，依法查处违法行为',
    '纳入网格化监管和在线监控，防止反弹',
  ],
  water: ['开展入河排污口溯源排查', '实施截污纳管和雨污分流改造', '推进污水处理设施提标改造', '加密断面水质监测，实行"一河一策"'],
  soil: [
    '委托第三方开展土壤和地下水详细调查',
    '编制风险管控方案并组织专家评审',
    '落实风险管控措施，建设地下水监测井',
    '开展跟踪监测和效果评估',
  ],
  solid_waste: [
    '排查堆存、倾倒点位，建立问题清单',
    '制定清运处置方案，依法规范处置',
    '对责任主体立案查处',
    '建立长效监管机制，纳入网格化巡查',
  ],
  ecology: ['开展现场核查和测绘，查明破坏范围', '依法查处违法违规行为', '编制生态修复方案并组织实施', '建立日常巡查和管护机制'],
  noise: ['排查噪声源', '实施降噪改造', '加强执法检查'],
  radiation: ['排查辐射源', '规范收贮和管理'],
  other: ['召开专题会议研究部署，制定整改方案', '修订完善责任清单和工作制度', '对相关责任人进行约谈问责', '纳入年度目标责任考核'],
};

export const PROGRESS: Record<Domain, string[]> = {
  air: [
    '已完成问题点位全面排查，建立整改台账，明确责任人和完成时限',
    '治理设施已完成安装调试，进入试运行阶段',
    '已开展联合执法检查，对3家违法企业立案处罚',
    '在线监测数据显示排放稳定达标，已纳入网格化巡查',
  ],
  water: [
    '已完成入河排污口溯源排查，明确责任主体',
    '截污纳管工程已开工建设，完成总工程量的60%',
    '污水处理设施提标改造完成，进入调试运行阶段',
    '连续三个月断面水质监测达到考核目标',
  ],
  soil: ['已委托第三方机构开展土壤和地下水详细调查', '风险管控方案已编制完成并通过专家评审', '地下水监测井已建成，风险管控措施已落实'],
  solid_waste: ['已完成堆存点位排查，制定清运处置方案', '已清运处置固体废物，现场完成平整覆绿', '已建立长效监管机制，纳入网格化巡查'],
  ecology: ['已完成现场核查和测绘，制定生态修复方案', '修复工程已开工，完成覆土和植被种植', '已完成修复工程，植被成活率达到验收要求'],
  noise: ['已完成噪声源排查', '降噪改造已完成'],
  radiation: ['已完成辐射源排查', '废旧放射源已送贮'],
  other: [
    '已召开专题会议研究部署，印发整改方案',
    '已修订完善责任清单和工作制度',
    '已对相关责任人进行约谈，问责3人',
    '已纳入年度目标责任考核，建立定期调度机制',
  ],
};

/** What a cooperating unit contributes (配合事项), by unit code; counties answer for the ground work. */
export const PART: Record<string, string> = {
  'DT-STHJJ': '执法监管与监测评估',
  'DT-FGW': '项目立项审批与资金保障',
  'DT-GXJ': '产业结构调整与落后产能淘汰',
  'DT-ZJJ': '污水管网建设与施工扬尘监管',
  'DT-JTJ': '运输车辆与道路运输监管',
  'DT-ZRZYJ': '矿山生态修复与用地审批',
  'DT-SWJ': '河道治理与水资源监管',
  'DT-NYNCJ': '农业面源与畜禽粪污治理',
  'DT-YJJ': '尾矿库安全风险排查',
  'DT-SCJGJ': '燃料与产品质量监督抽检',
  'DT-GAJ': '环境违法犯罪案件查处',
  'DT-CGJ': '市政道路保洁与垃圾处置',
  'DT-LCJ': '林草植被恢复与保护地监管',
  'DT-NYJ': '清洁能源替代与煤矿监管',
};
export const COUNTY_PART = '属地排查与现场整治';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '罗', '梁'];
const GIVEN = ['建军', '志刚', '文斌', '晓明', '海燕', '国华', '永胜', '丽华', '卫东', '振宇', '春生', '红霞', '宏伟', '秀英'];

/** A responsible leader (责任领导) of a unit, with the title that fits the kind of unit. */
export function leaderOf(unit: { name: string; kind: string }, pick: <T>(xs: readonly T[]) => T): string {
  const title =
    unit.kind === 'enterprise'
      ? '副总经理'
      : unit.name === '经开区'
        ? '管委会副主任'
        : unit.kind === 'county'
          ? unit.name.endsWith('区')
            ? '副区长'
            : '副县长'
          : unit.name.endsWith('委')
            ? '副主任'
            : '副局长';
  return `${pick(SURNAMES)}${pick(GIVEN)}（${title}）`;
}
