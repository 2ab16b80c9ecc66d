import type { OrgUnitKind } from '#domain';

/** Datong's districts and counties (code, name), as the seed documents list them. */
export const DATONG_COUNTIES = [
  ['PC', '平城区'],
  ['YG', '云冈区'],
  ['XR', '新荣区'],
  ['YZ', '云州区'],
  ['YGX', '阳高县'],
  ['TZ', '天镇县'],
  ['GL', '广灵县'],
  ['LQ', '灵丘县'],
  ['HY', '浑源县'],
  ['ZY', '左云县'],
] as const;

export interface DemoUnit {
  code: string;
  name: string;
  kind: OrgUnitKind;
  aliases?: string[];
  children?: DemoUnit[];
}

/**
 * The city of the seed documents (大同市): municipal departments, the county and district
 * governments with their ecology sub-bureaus, and a few enterprises that answer for items.
 */
export const DEMO_UNITS: DemoUnit = {
  code: 'DT',
  name: '大同市',
  kind: 'city',
  aliases: ['大同市人民政府'],
  children: [
    {
      code: 'DT-STHJJ',
      name: '市生态环境局',
      kind: 'department',
      aliases: ['大同市生态环境局', '市环保局'],
      children: [
        { code: 'DT-STHJJ-DCB', name: '督察整改办公室', kind: 'section', aliases: ['市生态环境保护督察整改办公室'] },
        { code: 'DT-STHJJ-DQK', name: '大气环境科', kind: 'section' },
        { code: 'DT-STHJJ-SK', name: '水生态环境科', kind: 'section' },
        { code: 'DT-STHJJ-TRK', name: '土壤生态环境科', kind: 'section' },
        { code: 'DT-STHJJ-ZFZD', name: '生态环境保护综合行政执法队', kind: 'section', aliases: ['市生态环境执法队'] },
        { code: 'DT-STHJJ-JCZX', name: '市生态环境监测与科学研究中心', kind: 'section', aliases: ['市环境监测中心'] },
      ],
    },
    { code: 'DT-FGW', name: '市发展改革委', kind: 'department', aliases: ['市发改委', '大同市发展和改革委员会'] },
    { code: 'DT-GXJ', name: '市工信局', kind: 'department', aliases: ['市工业和信息化局'] },
    { code: 'DT-ZJJ', name: '市住建局', kind: 'department', aliases: ['市住房和城乡建设局'] },
    { code: 'DT-JTJ', name: '市交通运输局', kind: 'department', aliases: ['市交通局'] },
    { code: 'DT-ZRZYJ', name: '市规划和自然资源局', kind: 'department', aliases: ['市自然资源局', '市规划自然资源局'] },
    { code: 'DT-SWJ', name: '市水务局', kind: 'department', aliases: ['市水利局'] },
    { code: 'DT-NYNCJ', name: '市农业农村局', kind: 'department', aliases: ['市农业局'] },
    { code: 'DT-YJJ', name: '市应急管理局', kind: 'department', aliases: ['市应急局'] },
    { code: 'DT-SCJGJ', name: '市市场监管局', kind: 'department', aliases: ['市市场监督管理局'] },
    { code: 'DT-GAJ', name: '市公安局', kind: 'department' },
    { code: 'DT-CGJ', name: '市城市管理局', kind: 'department', aliases: ['市城管局'] },
    { code: 'DT-LCJ', name: '市林业和草原局', kind: 'department', aliases: ['市林草局'] },
    { code: 'DT-NYJ', name: '市能源局', kind: 'department' },
    { code: 'DT-SJJ', name: '市审计局', kind: 'department' },
    ...DATONG_COUNTIES.map(([code, name]): DemoUnit => ({
      code: `DT-${code}`,
      name,
      kind: 'county',
      aliases: [`${name}人民政府`, `${name}政府`],
      children: [
        { code: `DT-${code}-STHJ`, name: `市生态环境局${name.slice(0, 2)}分局`, kind: 'section', aliases: [`${name}生态环境分局`] },
      ],
    })),
    {
      code: 'DT-JKQ',
      name: '经开区',
      kind: 'county',
      aliases: ['大同经济技术开发区', '经开区管委会', '开发区管委会'],
      children: [{ code: 'DT-JKQ-STHJ', name: '经开区生态环境分局', kind: 'section' }],
    },
    { code: 'ENT-GLJY', name: '广灵金隅水泥有限公司', kind: 'enterprise', aliases: ['广灵金隅水泥有限责任公司'] },
    { code: 'ENT-HYZG', name: '恒岳重工有限责任公司', kind: 'enterprise' },
  ],
};

/**
 * The provincial acceptance body (省级验收): central-inspection items are signed off at province
 * level. Outside the city's tree, so the city's users do not see its data by subtree.
 */
export const DEMO_PROVINCE_UNIT: DemoUnit = {
  code: 'SX-STHJT',
  name: '山西省生态环境厅',
  kind: 'other',
  aliases: ['省生态环境厅', '山西省环境保护厅'],
};

export const DEMO_PASSWORD = 'Rectify-Demo-2026';

export interface DemoUser {
  name: string;
  email: string;
  phone: string;
  unitCode: string;
  roles: ('admin' | 'dispatcher' | 'unit_officer' | 'verifier' | 'auditor')[];
}

export const DEMO_USERS: DemoUser[] = [
  { name: '系统管理员', email: 'admin@demo.rectify.cn', phone: '0352-6000001', unitCode: 'DT-STHJJ', roles: ['admin'] },
  { name: '王建国', email: 'dispatcher@demo.rectify.cn', phone: '0352-6000010', unitCode: 'DT-STHJJ-DCB', roles: ['dispatcher'] },
  { name: '李红梅', email: 'dispatcher.city@demo.rectify.cn', phone: '0352-6000011', unitCode: 'DT', roles: ['dispatcher'] },
  { name: '赵志强', email: 'officer.yjj@demo.rectify.cn', phone: '0352-6000020', unitCode: 'DT-YJJ', roles: ['unit_officer'] },
  { name: '孙丽', email: 'officer.tianzhen@demo.rectify.cn', phone: '0352-6000021', unitCode: 'DT-TZ', roles: ['unit_officer'] },
  { name: '周涛', email: 'officer.lingqiu@demo.rectify.cn', phone: '0352-6000022', unitCode: 'DT-LQ', roles: ['unit_officer', 'verifier'] },
  { name: '吴敏', email: 'officer.zjj@demo.rectify.cn', phone: '0352-6000023', unitCode: 'DT-ZJJ', roles: ['unit_officer'] },
  { name: '郑刚', email: 'verifier.city@demo.rectify.cn', phone: '0352-6000030', unitCode: 'DT-STHJJ', roles: ['verifier'] },
  { name: '陈静', email: 'verifier.tianzhen@demo.rectify.cn', phone: '0352-6000031', unitCode: 'DT-TZ', roles: ['verifier'] },
  { name: '刘洋', email: 'auditor@demo.rectify.cn', phone: '0352-6000040', unitCode: 'DT-SJJ', roles: ['auditor'] },
];

/**
 * The people who act on the demo items: an officer (经办人) in each lead or cooperating unit, a
 * verifier (验收人) in each county, and the provincial verifier. They sign in with DEMO_PASSWORD too.
 */
export const DEMO_STAFF: DemoUser[] = [
  ...(
    [
      ['高志远', 'sthjj', 'DT-STHJJ'],
      ['马文博', 'fgw', 'DT-FGW'],
      ['韩雪', 'gxj', 'DT-GXJ'],
      ['郭磊', 'jtj', 'DT-JTJ'],
      ['杨帆', 'zrzyj', 'DT-ZRZYJ'],
      ['何春燕', 'swj', 'DT-SWJ'],
      ['宋建华', 'nyncj', 'DT-NYNCJ'],
      ['田野', 'scjgj', 'DT-SCJGJ'],
      ['贾斌', 'gaj', 'DT-GAJ'],
      ['冯晓东', 'cgj', 'DT-CGJ'],
      ['白玉兰', 'lcj', 'DT-LCJ'],
      ['曹永刚', 'nyj', 'DT-NYJ'],
      ['任佳', 'pingcheng', 'DT-PC'],
      ['邢海涛', 'yungang', 'DT-YG'],
      ['武晓峰', 'xinrong', 'DT-XR'],
      ['段丽娜', 'yunzhou', 'DT-YZ'],
      ['闫鹏', 'yanggao', 'DT-YGX'],
      ['薛芳', 'guangling', 'DT-GL'],
      ['乔建军', 'hunyuan', 'DT-HY'],
      ['温晓光', 'zuoyun', 'DT-ZY'],
      ['常亮', 'jkq', 'DT-JKQ'],
      ['岳志刚', 'gljy', 'ENT-GLJY'],
      ['牛艳', 'hyzg', 'ENT-HYZG'],
    ] as const
  ).map(([name, slug, unitCode], i): DemoUser => ({
    name,
    email: `officer.${slug}@demo.rectify.cn`,
    phone: `0352-6001${String(i + 1).padStart(3, '0')}`,
    unitCode,
    roles: ['unit_officer'],
  })),
  ...(
    [
      ['潘晓燕', 'pingcheng', 'DT-PC'],
      ['侯建平', 'yungang', 'DT-YG'],
      ['秦海燕', 'xinrong', 'DT-XR'],
      ['庞文杰', 'yunzhou', 'DT-YZ'],
      ['姚春生', 'yanggao', 'DT-YGX'],
      ['梁慧', 'guangling', 'DT-GL'],
      ['石磊', 'lingqiu', 'DT-LQ'],
      ['崔振华', 'hunyuan', 'DT-HY'],
      ['康丽', 'zuoyun', 'DT-ZY'],
      ['孔德明', 'jkq', 'DT-JKQ'],
    ] as const
  ).map(([name, slug, unitCode], i): DemoUser => ({
    name,
    email: `verifier.${slug}@demo.rectify.cn`,
    phone: `0352-6002${String(i + 1).padStart(3, '0')}`,
    unitCode,
    roles: ['verifier'],
  })),
  { name: '赵文华', email: 'verifier.province@demo.rectify.cn', phone: '0351-5600101', unitCode: 'SX-STHJT', roles: ['verifier'] },
];
