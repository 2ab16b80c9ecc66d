import type { PollutionType } from '#domain';

/**
 * Round 3 of the central inspection, as the seeds report it: "认真做好督察期间群众信访举报件边督边改，
 * 186件群众信访举报件办结184件，阶段性办结2件". The inspection team stationed in the province for a
 * month before its feedback (2025-08-28) and forwarded the city's cases in daily batches; the
 * contents below are written in the style of such lists (place, what, since when, the harm).
 */
export const COMPLAINT_ROUND = '第三轮中央生态环境保护督察';
export const COMPLAINT_ISSUER = '中央第三生态环境保护督察组';
export const COMPLAINT_FIRST_DAY = '2025-04-29';
export const COMPLAINT_BATCHES = 28;
/** Valid cases, and the repeats forwarded again later and merged into an earlier case. */
export const COMPLAINT_CASES = 186;
export const COMPLAINT_REPEATS = 6;
export const COMPLAINT_PHASE_CLOSED = 2;
export const COMPLAINT_DISPATCHER = 'dispatcher@demo.rectify.cn';

/** Towns (乡镇/街道) per county code, to place the cases. */
export const COUNTY_TOWNS: Record<string, string[]> = {
  PC: ['新建南路街道', '北关街道', '南关街道', '向阳里街道'],
  YG: ['口泉乡', '西韩岭乡', '鸦儿崖乡', '高山镇'],
  XR: ['郭家窑乡', '破鲁堡乡', '西村乡', '花园屯乡'],
  YZ: ['西坪镇', '吉家庄乡', '峰峪乡', '杜庄乡'],
  YGX: ['龙泉镇', '罗文皂镇', '大白登镇', '王官屯镇'],
  TZ: ['南河堡乡', '谷前堡镇', '米薪关镇', '逯家湾镇'],
  GL: ['壶泉镇', '南村镇', '作疃乡', '加斗乡'],
  LQ: ['武灵镇', '独峪乡', '红石塄乡', '落水河乡'],
  HY: ['永安镇', '沙圪坨镇', '大磁窑镇', '王庄堡镇'],
  ZY: ['云兴镇', '鹊儿山镇', '店湾镇', '水窑乡'],
  JKQ: ['智能装备产业园', '医药工业园', '新能源产业园', '综合保税区'],
};

export const VILLAGES = ['东小村', '西营村', '后堡村', '南沟村', '北辛庄村', '马家窑村', '李家庄村', '张家湾村', '新村', '红旗村'];

/** What people write about, by pollution type: {town} and {village} are filled in per case. */
export const COMPLAINT_TEXTS: { types: PollutionType[]; text: string; handling: string }[] = [
  {
    types: ['water'],
    text: '{town}{village}养殖场粪污未经处理直排村边河道，夏季臭味严重，影响村民生活。',
    handling: '责令停止排污、清理河道，配套建设储粪池',
  },
  {
    types: ['water'],
    text: '{town}某洗煤厂洗煤废水外溢，流入附近农田和沟渠，农作物受损。',
    handling: '责令完善煤泥水闭路循环，清理受污染沟渠',
  },
  { types: ['water'], text: '{town}污水处理站长期不正常运行，生活污水溢流进入河道。', handling: '督促运维单位恢复运行，安装在线监测' },
  {
    types: ['water', 'solid_waste'],
    text: '{town}{village}河道内倾倒大量生活垃圾和建筑垃圾，雨季堵塞河道。',
    handling: '组织清运河道垃圾，落实河长巡河制度',
  },
  { types: ['air'], text: '{town}某砖厂夜间偷偷生产，烟尘大，未安装除尘设施，附近村民不敢开窗。', handling: '责令停产整治，加装除尘设施' },
  { types: ['air'], text: '{town}{village}附近露天堆放煤炭，未苫盖，刮风时煤尘飞扬。', handling: '责令全部苫盖，建设防风抑尘网' },
  { types: ['air'], text: '{town}某石料厂破碎生产粉尘污染严重，运输车辆沿路抛洒。', handling: '责令停产整改，落实密闭生产和车辆冲洗' },
  { types: ['air'], text: '{town}某铸造企业冲天炉冒黑烟，气味刺鼻，怀疑超标排放。', handling: '开展监督性监测，责令整改治理设施' },
  { types: ['air', 'noise'], text: '{town}临街烧烤店油烟直排，夜间经营噪声扰民至凌晨。', handling: '责令安装油烟净化设施，限定经营时间' },
  { types: ['air'], text: '{town}{village}村民冬季散煤燃烧，部分农户使用劣质煤，冒黑烟。', handling: '开展散煤排查，推进清洁取暖改造' },
  { types: ['air'], text: '{town}某建筑工地未落实扬尘管控措施，渣土车不苫盖。', handling: '责令落实六个百分百，停工整改' },
  { types: ['noise'], text: '{town}某小区附近加工厂夜间生产，机器噪声大，严重影响休息。', handling: '责令夜间停产，加装隔音降噪设施' },
  { types: ['noise'], text: '{town}施工单位夜间违规施工，噪声扰民。', handling: '责令停止夜间施工，依法处罚' },
  {
    types: ['solid_waste'],
    text: '{town}{village}附近有人倾倒工业固废，堆放量大，疑似危险废物。',
    handling: '查明来源，委托有资质单位清运处置',
  },
  { types: ['solid_waste'], text: '{town}某企业煤矸石随意堆放，未采取防渗防扬散措施。', handling: '责令规范堆存，实施覆土绿化' },
  { types: ['solid_waste', 'soil'], text: '{town}废旧轮胎炼油作坊非法生产，废油渣随意倾倒。', handling: '依法取缔，清理废油渣' },
  { types: ['ecology'], text: '{town}{village}山体被非法开采砂石，破坏植被，留下大坑未修复。', handling: '立案查处，制定生态修复方案' },
  { types: ['ecology'], text: '{town}河道内非法采砂，河床被挖得坑坑洼洼。', handling: '清除采砂设备，恢复河道' },
  { types: ['ecology'], text: '{town}自然保护区内有人违规建设房屋和养殖场。', handling: '责令拆除违建，恢复原状' },
  { types: ['soil'], text: '{town}{village}农田被倾倒污泥，村民担心土壤被污染。', handling: '清运污泥，开展土壤采样监测' },
  { types: ['radiation'], text: '{town}居民楼顶架设通信基站，居民担心辐射影响健康。', handling: '开展电磁辐射监测并公开结果，做好解释' },
  { types: ['other'], text: '{town}某企业环评手续不全即投入生产，群众担心环境风险。', handling: '责令停止生产，补办环评手续' },
];

/** Verdicts of the 186 valid cases: 属实 68, 基本属实 31, 部分属实 42, 不属实 45 (45 of 186 unfounded). */
export const VERDICT_COUNTS = { substantiated: 68, mostly: 31, partly: 42, unfounded: 45 } as const;
