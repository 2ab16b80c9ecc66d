import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { chainHash, childPath, shanghaiDate, type OrgUnitKind, type Role } from '#domain';
import { PasswordHasher } from '#org';
import { createDataSource, migrate } from '#persistence';
import { DATONG_COUNTIES } from '../../apps/cli/src/demo/demo-units.js';

/**
 * The benchmark's own database: dropped, re-created, migrated, then filled set-based in SQL
 * (generate_series), so 100,000 items take seconds, not the hours the API would need.
 */

export const BENCH_PASSWORD = 'Bench-Password-2026';

export interface BenchUnit {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
}

export interface BenchUser {
  id: string;
  email: string;
  unit: BenchUnit;
  roles: Role[];
  /** Wants only the digest for non-urgent mail (default false). */
  digestOnly?: boolean;
}

export interface BenchWorld {
  province: BenchUnit;
  city: BenchUnit;
  /** 市生态环境局: the city-level acceptance body. */
  env: BenchUnit;
  /** 督察整改办公室 under 市生态环境局: dispatches every batch. */
  dcb: BenchUnit;
  departments: BenchUnit[];
  counties: BenchUnit[];
  /** Two sections under each county, in county order. */
  countySections: BenchUnit[];
  batches: { id: string; code: string; sourceType: string }[];
  admin: BenchUser;
  dispatcher: BenchUser;
  auditor: BenchUser;
  /** One officer per county, then officers of a few departments. */
  officers: BenchUser[];
  /** The extra users of `SeedOptions.staff` (officers, dispatchers, verifiers), else none. */
  staff: BenchUser[];
}

/** How the items are distributed; every default is the items benchmark's. */
export interface SeedOptions {
  /** The day deadlines, notices and acceptance waits are placed around (default: today in China). */
  today?: string;
  /**
   * Each state with the cumulative share of items up to and including it, in order; the last
   * one should be 1. Default: the items benchmark's mix (4% draft … 22% signed off, 5% closed otherwise).
   */
  states?: readonly (readonly [state: string, upTo: number])[];
  /** Deadlines spread evenly over [today + from, today + to) calendar days (default [-180, 360)). */
  deadlineDays?: readonly [from: number, to: number];
  /** Share of in-progress items' cooperating parts already done (default 0). */
  partsDoneShare?: number;
  /** In-acceptance items reached their level 0 to this many days before `today` (default: not set). */
  acceptanceWaitDays?: number;
  /**
   * Enough people for reminders to reach: two officers in every county, county section and
   * department (one in ten of the added ones digest-only), dispatchers in the dispatching office,
   * each county and the city, verifiers in each county, department and acceptance body.
   */
  staff?: boolean;
  /** One hash-chained `create` history row per item (default true). */
  history?: boolean;
  /**
   * Insert items without their secondary indexes (built afterwards) and without foreign-key
   * checks: much faster for a million items; the same schema in the end (default false).
   */
  bulkLoad?: boolean;
}

/** The items benchmark's state mix: cumulative shares. */
export const DEFAULT_STATE_MIX: readonly (readonly [string, number])[] = [
  ['draft', 0.04],
  ['assigned', 0.12],
  ['in_progress', 0.57],
  ['in_acceptance', 0.65],
  ['public_notice', 0.68],
  ['phase_completed', 0.73],
  ['signed_off', 0.95],
  ['cancelled', 0.98],
  ['merged', 1],
];

const STATES = new Set([
  'draft',
  'assigned',
  'in_progress',
  'in_acceptance',
  'public_notice',
  'phase_completed',
  'signed_off',
  'cancelled',
  'merged',
]);

/** CASE expression choosing a state from the uniform random `r_state`. */
function stateCase(mix: readonly (readonly [string, number])[]): string {
  if (mix.length === 0) throw new Error('the state mix is empty');
  let previous = 0;
  for (const [state, upTo] of mix) {
    if (!STATES.has(state)) throw new Error(`unknown state in the mix: ${state}`);
    if (!(upTo > previous && upTo <= 1)) throw new Error('state shares must be cumulative, increasing and at most 1');
    previous = upTo;
  }
  const branches = mix.slice(0, -1).map(([state, upTo]) => `WHEN r_state < ${upTo} THEN '${state}'`);
  return `CASE ${branches.join(' ')} ELSE '${mix[mix.length - 1][0]}' END`;
}

const DEPARTMENTS = [
  ['STHJJ', '市生态环境局'],
  ['FGW', '市发展改革委'],
  ['GXJ', '市工信局'],
  ['ZJJ', '市住建局'],
  ['JTJ', '市交通运输局'],
  ['ZRZYJ', '市规划和自然资源局'],
  ['SWJ', '市水务局'],
  ['NYNCJ', '市农业农村局'],
  ['YJJ', '市应急管理局'],
  ['SCJGJ', '市市场监管局'],
  ['GAJ', '市公安局'],
  ['CGJ', '市城市管理局'],
  ['LCJ', '市林业和草原局'],
  ['NYJ', '市能源局'],
  ['SJJ', '市审计局'],
] as const;

const ENV_SECTIONS = [
  ['DCB', '督察整改办公室'],
  ['DQK', '大气环境科'],
  ['SK', '水生态环境科'],
  ['TRK', '土壤生态环境科'],
  ['ZFZD', '生态环境保护综合行政执法队'],
] as const;

/** The demo's counties, and a development zone the benchmark adds. */
const COUNTIES = [...DATONG_COUNTIES, ['JKQ', '经开区']] as const;

/** Departments that get an officer of their own (besides one officer per county). */
const OFFICER_DEPARTMENTS = ['ZJJ', 'SWJ', 'ZRZYJ', 'YJJ'];

type Chain = ('county' | 'city' | 'province')[];
const BATCHES: { code: string; name: string; sourceType: string; chain: Chain; noticeDays: number }[] = [
  {
    code: 'ZY2-FK',
    name: '第二轮中央生态环境保护督察反馈问题',
    sourceType: 'central_inspection',
    chain: ['county', 'city', 'province'],
    noticeDays: 7,
  },
  {
    code: 'ZY3-FK',
    name: '第三轮中央生态环境保护督察反馈问题',
    sourceType: 'central_inspection',
    chain: ['county', 'city', 'province'],
    noticeDays: 7,
  },
  {
    code: 'ZY3-JB',
    name: '第三轮中央督察交办信访件',
    sourceType: 'central_inspection',
    chain: ['county', 'city', 'province'],
    noticeDays: 7,
  },
  {
    code: 'ZY2-HTK',
    name: '中央督察"回头看"反馈问题',
    sourceType: 'central_lookback',
    chain: ['county', 'city', 'province'],
    noticeDays: 7,
  },
  {
    code: 'SJ-2024',
    name: '2024年省级生态环境保护例行督察反馈问题',
    sourceType: 'provincial_inspection',
    chain: ['county', 'city'],
    noticeDays: 5,
  },
  {
    code: 'SJ-2025',
    name: '2025年省级生态环境保护例行督察反馈问题',
    sourceType: 'provincial_inspection',
    chain: ['county', 'city'],
    noticeDays: 5,
  },
  { code: 'ZX-ZZJD', name: '政治监督专项检查发现问题', sourceType: 'special_inspection', chain: ['city'], noticeDays: 0 },
  { code: 'ZX-DQ', name: '大气污染防治专项检查问题', sourceType: 'special_inspection', chain: ['city'], noticeDays: 0 },
  { code: 'JSP-2025', name: '2025年生态环境警示片披露问题', sourceType: 'warning_film', chain: ['county', 'city'], noticeDays: 5 },
  { code: 'JC-BF', name: '监测中心帮扶问题清单', sourceType: 'monitoring_assistance', chain: ['city'], noticeDays: 0 },
  { code: 'ZC-2025', name: '2025年自查发现问题', sourceType: 'self_found', chain: ['county'], noticeDays: 0 },
  { code: 'XF-2025', name: '2025年信访举报件', sourceType: 'complaint', chain: ['county'], noticeDays: 0 },
];

const PROBLEMS = [
  '散煤复烧问题突出',
  '城中村生活污水直排',
  '建筑工地扬尘管控不到位',
  '工业固废非法倾倒',
  '矿山生态修复滞后',
  '饮用水水源地保护区内违规建设',
  '黑臭水体治理不彻底',
  '夜间施工噪声扰民',
  '危险废物贮存不规范',
  '秸秆露天焚烧屡禁不止',
  '燃煤锅炉超标排放',
  '垃圾填埋场渗滤液处理不达标',
  '涉气企业无组织排放严重',
  '河道非法采砂',
  '自然保护区内违规开发',
  '畜禽养殖污染治理滞后',
  '加油站油气回收设施未正常运行',
  '煤矸石堆场自燃',
  '污水处理厂出水超标',
  '农村人居环境整治不到位',
];

const DETAILS = ['群众反映强烈', '整改推进缓慢', '长期未得到有效解决', '监管责任落实不到位', '整改措施针对性不强', '存在表面整改问题'];

export const DOMAINS_IN_SEED = ['air', 'water', 'soil', 'solid_waste', 'ecology', 'noise', 'radiation', 'other'];

function databaseName(url: string): string {
  const name = new URL(url).pathname.slice(1);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a plain database, got "${name}"`);
  return name;
}

/** Drops and re-creates the benchmark database, then runs every migration on it. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const ds = createDataSource({ url, poolSize: 1, applicationName: 'rectify-bench-migrate' });
  await ds.initialize();
  try {
    await migrate(ds);
  } finally {
    await ds.destroy();
  }
}

function unit(code: string, name: string, kind: OrgUnitKind, parent: BenchUnit | null): BenchUnit {
  const id = randomUUID();
  return { id, code, name, kind, parentId: parent?.id ?? null, path: childPath(parent?.path ?? null, id) };
}

function buildOrg(): Omit<BenchWorld, 'batches' | 'admin' | 'dispatcher' | 'auditor' | 'officers' | 'staff'> & { all: BenchUnit[] } {
  const province = unit('B-SX-STHJT', '山西省生态环境厅', 'other', null);
  const city = unit('B-DT', '大同市', 'city', null);
  const departments = DEPARTMENTS.map(([code, name]) => unit(`B-DT-${code}`, name, 'department', city));
  const env = departments[0];
  const envSections = ENV_SECTIONS.map(([code, name]) => unit(`B-DT-STHJJ-${code}`, name, 'section', env));
  const counties = COUNTIES.map(([code, name]) => unit(`B-DT-${code}`, name, 'county', city));
  const countySections = counties.flatMap((c, i) => [
    unit(`B-DT-${COUNTIES[i][0]}-STHJ`, `市生态环境局${c.name.slice(0, 2)}分局`, 'section', c),
    unit(`B-DT-${COUNTIES[i][0]}-ZJ`, `${c.name}住建局`, 'section', c),
  ]);
  return {
    province,
    city,
    env,
    dcb: envSections[0],
    departments,
    counties,
    countySections,
    all: [province, city, ...departments, ...envSections, ...counties, ...countySections],
  };
}

/** The users `SeedOptions.staff` adds (see there). */
function buildStaff(org: ReturnType<typeof buildOrg>, dispatcher: BenchUser, officers: BenchUser[]): BenchUser[] {
  const staff: BenchUser[] = [];
  const add = (role: Role, u: BenchUnit, count: number): void => {
    const already = staff.filter((s) => s.unit.id === u.id && s.roles[0] === role).length;
    for (let k = already + 1; k <= already + count; k++) {
      const digestOnly = role === 'unit_officer' && staff.filter((s) => s.roles[0] === 'unit_officer').length % 10 === 9;
      staff.push({
        id: randomUUID(),
        email: `${role.replace('_', '')}.${u.code.toLowerCase()}.${k}@bench.rectify.cn`,
        unit: u,
        roles: [role],
        digestOnly,
      });
    }
  };
  // Lead and cooperating units: two officers each, counting the ones the items benchmark has.
  for (const u of [...org.counties, ...org.countySections, ...org.departments])
    add('unit_officer', u, 2 - officers.filter((o) => o.unit.id === u.id).length);
  // Overdue mail goes to the dispatching unit's dispatchers; escalation to the units above the lead units.
  add('dispatcher', dispatcher.unit, 1);
  for (const u of [org.city, ...org.counties]) add('dispatcher', u, 1);
  // Verifiers of each acceptance body: the county (or, without one, the lead department), the city, the province.
  for (const u of [...org.counties, ...org.departments]) add('verifier', u, 1);
  add('verifier', org.env, 1); // the city's acceptance body (a department too): two in all
  add('verifier', org.province, 2);
  return staff;
}

export interface SeedReport {
  seconds: number;
  items: number;
  itemUnits: number;
  deadlines: number;
  historyRows: number;
  byState: Record<string, number>;
  overdue: number;
}

/**
 * Fills a freshly migrated database: the org tree, users (one argon2 hash shared by all),
 * batches with acceptance chains, `n` items with their units, deadline versions, scope sets
 * and one hash-chained `create` history row each.
 */
export async function seed(
  url: string,
  n: number,
  log: (line: string) => void,
  options: SeedOptions = {},
): Promise<{ world: BenchWorld; report: SeedReport }> {
  const started = Date.now();
  const day = options.today ?? today();
  const [deadlineFrom, deadlineTo] = options.deadlineDays ?? [-180, 360];
  if (!Number.isInteger(deadlineFrom) || !Number.isInteger(deadlineTo) || deadlineTo <= deadlineFrom)
    throw new Error('deadlineDays must be two whole numbers, from < to');
  const states = stateCase(options.states ?? DEFAULT_STATE_MIX);
  const org = buildOrg();
  const client = new pg.Client({ connectionString: url, application_name: 'rectify-bench-seed' });
  await client.connect();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET work_mem = '64MB'`);
    await client.query(`SET maintenance_work_mem = '256MB'`);

    await client.query(
      `INSERT INTO org_unit (id, code, name, kind, parent_id, path, sort_order)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::int[])`,
      [
        org.all.map((u) => u.id),
        org.all.map((u) => u.code),
        org.all.map((u) => u.name),
        org.all.map((u) => u.kind),
        org.all.map((u) => u.parentId),
        org.all.map((u) => u.path),
        org.all.map((_, i) => i),
      ],
    );

    // Users: direct SQL with one argon2id hash (hashing is deliberately slow, ~0.1 s each).
    const hash = await new PasswordHasher().hash(BENCH_PASSWORD);
    const mkUser = (email: string, u: BenchUnit, roles: Role[]): BenchUser => ({ id: randomUUID(), email, unit: u, roles });
    const admin = mkUser('admin@bench.rectify.cn', org.env, ['admin']);
    const dispatcher = mkUser('dispatcher@bench.rectify.cn', org.dcb, ['dispatcher']);
    const auditor = mkUser(
      'auditor@bench.rectify.cn',
      org.departments.find((d) => d.code === 'B-DT-SJJ')!,
      ['auditor'],
    );
    const officers = [
      ...org.counties.map((c, i) => mkUser(`officer.${COUNTIES[i][0].toLowerCase()}@bench.rectify.cn`, c, ['unit_officer'])),
      ...OFFICER_DEPARTMENTS.map((code) =>
        mkUser(
          `officer.${code.toLowerCase()}@bench.rectify.cn`,
          org.departments.find((d) => d.code === `B-DT-${code}`)!,
          ['unit_officer'],
        ),
      ),
    ];
    const staff = options.staff ? buildStaff(org, dispatcher, officers) : [];
    const users = [admin, dispatcher, auditor, ...officers, ...staff];
    await client.query(
      `INSERT INTO app_user (id, name, email, unit_id, roles, password_hash, digest_only)
       SELECT id, name, email, unit_id, string_to_array(roles, ','), $6, digest_only
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $7::boolean[]) AS u(id, name, email, unit_id, roles, digest_only)`,
      [
        users.map((u) => u.id),
        users.map((u, i) => `压测用户${i + 1}`),
        users.map((u) => u.email),
        users.map((u) => u.unit.id),
        users.map((u) => u.roles.join(',')),
        hash,
        users.map((u) => u.digestOnly ?? false),
      ],
    );

    const batches = BATCHES.map((b) => ({ ...b, id: randomUUID() }));
    const chainJson = (chain: Chain): string =>
      JSON.stringify(
        chain.map((level) => ({
          level,
          label: { county: '县级自验', city: '市级验收', province: '省级验收' }[level],
          unitId: level === 'county' ? null : level === 'city' ? org.env.id : org.province.id,
        })),
      );
    await client.query(
      `INSERT INTO batch (id, code, name, source_type, round, issued_on, dispatcher_unit_id, acceptance_chain, notice_days, created_by)
       SELECT id, code, name, source_type, 1, DATE '2025-01-15', $6, chain, notice_days, $7
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $8::int[]) AS b(id, code, name, source_type, chain, notice_days)`,
      [
        batches.map((b) => b.id),
        batches.map((b) => b.code),
        batches.map((b) => b.name),
        batches.map((b) => b.sourceType),
        batches.map((b) => chainJson(b.chain)),
        org.dcb.id,
        dispatcher.id,
        batches.map((b) => b.noticeDays),
      ],
    );

    let t = Date.now();
    // CREATE TABLE AS takes no bind parameters: the arrays the staging reads go into a one-row table first.
    await client.query(
      `CREATE TEMP TABLE bench_param (n int, batch_ids uuid[], batch_codes text[], county_ids uuid[], county_names text[],
                                      problems text[], details text[], domains text[], dept_ids uuid[], today date, sections uuid[])`,
    );
    await client.query(`INSERT INTO bench_param VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
      n,
      batches.map((b) => b.id),
      batches.map((b) => b.code),
      org.counties.map((c) => c.id),
      org.counties.map((c) => c.name),
      PROBLEMS,
      DETAILS,
      DOMAINS_IN_SEED,
      org.departments.map((d) => d.id),
      day,
      org.countySections.map((s) => s.id),
    ]);
    await client.query(`SELECT setseed(0.4242)`);
    await client.query(
      `CREATE TEMP TABLE bench_rand AS
       SELECT g, random() AS r_state, random() AS r_county, random() AS r_lead, random() AS r_lead2, random() AS r_coop1,
              random() AS r_coop2, random() AS r_type, random() AS r_dl, random() AS r_ext, random() AS r_created, random() AS r_updated,
              floor(random() * 15)::int AS d_off, (ARRAY[1, 2, 4, 7, 8, 11, 13, 14])[1 + floor(random() * 8)::int] AS step,
              floor(random() * 20)::int AS problem, floor(random() * 6)::int AS detail, floor(random() * 8)::int AS domain,
              floor(random() * 12)::int AS batch, floor(random() * 11)::int AS county
         FROM generate_series(1, (SELECT n FROM bench_param)) AS g`,
    );
    // One row per item with every choice made; departments d0..d3 are distinct (step is coprime with 15).
    await client.query(
      `CREATE TEMP TABLE bench_stage AS
       WITH r AS (
         SELECT *, CASE WHEN r_county < 0.8 THEN county END AS c,
                ${states} AS state,
                CASE WHEN r_type < 0.2 THEN 'immediate' WHEN r_type < 0.85 THEN 'deadline' ELSE 'ongoing' END AS type
           FROM bench_rand CROSS JOIN bench_param)
       SELECT g, gen_random_uuid() AS id, state, type,
              batch_ids[1 + batch] AS batch_id,
              batch_codes[1 + batch] || '-' || lpad(g::text, 6, '0') AS code,
              CASE WHEN c IS NOT NULL THEN county_ids[1 + c] END AS county_id,
              coalesce(county_names[1 + c], '市区') AS place,
              problems[1 + problem] AS problem, details[1 + detail] AS detail,
              domains[1 + domain] AS domain,
              CASE WHEN NOT (r_type >= 0.85 AND r_type < 0.925)
                   THEN today + (floor(r_dl * ${deadlineTo - deadlineFrom})::int + ${deadlineFrom}) END AS deadline,
              r_ext < 0.1 AND state <> 'draft' AS extended, r_ext,
              now() - r_created * interval '730 days' AS created_at, r_updated,
              CASE WHEN c IS NULL THEN dept_ids[1 + d_off]
                   WHEN r_lead < 0.6 THEN county_ids[1 + c]
                   WHEN r_lead < 0.85 THEN sections[1 + 2 * c]
                   ELSE sections[2 + 2 * c] END AS lead_a,
              CASE WHEN c IS NULL AND r_lead2 < 0.2 THEN dept_ids[1 + (d_off + step) % 15]
                   WHEN c IS NOT NULL AND r_lead2 < 0.25 THEN dept_ids[1 + d_off] END AS lead_b,
              CASE WHEN r_coop1 < 0.5 THEN dept_ids[1 + (d_off + 2 * step) % 15] END AS coop_a,
              CASE WHEN r_coop1 < 0.5 AND r_coop2 < 0.4 THEN dept_ids[1 + (d_off + 3 * step) % 15] END AS coop_b
         FROM r`,
    );
    await client.query(`ALTER TABLE bench_stage ADD PRIMARY KEY (id)`);
    await client.query(
      `CREATE TEMP TABLE bench_units AS
       SELECT s.id AS item_id, v.unit_id, v.role, s.state, s.deadline
         FROM bench_stage s
         CROSS JOIN LATERAL (VALUES (s.lead_a, 'lead'), (s.lead_b, 'lead'), (s.coop_a, 'cooperating'), (s.coop_b, 'cooperating')) AS v(unit_id, role)
        WHERE v.unit_id IS NOT NULL`,
    );
    // Scope sets computed the way item_refresh_scope() does, for all items at once.
    await client.query(
      `CREATE TEMP TABLE bench_scope AS
       SELECT bu.item_id, array_agg(DISTINCT a) AS owner_scope,
              coalesce(array_agg(DISTINCT a) FILTER (WHERE bu.role = 'lead'), '{}') AS lead_scope
         FROM bench_units bu JOIN org_unit o ON o.id = bu.unit_id CROSS JOIN LATERAL unnest(path_ids(o.path)) AS a
        GROUP BY bu.item_id`,
    );
    await client.query(`ALTER TABLE bench_scope ADD PRIMARY KEY (item_id)`);
    // item_acceptance_units(): each level's unit, else the county, else the first lead unit by id.
    await client.query(
      `CREATE TEMP TABLE bench_acceptance AS
       SELECT s.id AS item_id, array_agg(DISTINCT a) AS acceptance_scope
         FROM bench_stage s JOIN batch b ON b.id = s.batch_id
         CROSS JOIN LATERAL jsonb_array_elements(b.acceptance_chain) AS c(lvl)
         JOIN org_unit o ON o.id = coalesce((c.lvl->>'unitId')::uuid, s.county_id, least(s.lead_a, s.lead_b))
         CROSS JOIN LATERAL unnest(path_ids(o.path)) AS a
        GROUP BY s.id`,
    );
    await client.query(`ALTER TABLE bench_acceptance ADD PRIMARY KEY (item_id)`);
    log(`  staged ${n} items in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    t = Date.now();
    // Bulk load: the secondary indexes of item and item_unit are built once the rows are in, and the
    // foreign-key triggers are skipped (the staged rows reference only units, batches and users made above).
    const deferred = options.bulkLoad
      ? (
          await client.query<{ name: string; def: string }>(
            `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
               FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
              WHERE i.indrelid IN ('item'::regclass, 'item_unit'::regclass) AND c.oid IS NULL`,
          )
        ).rows
      : [];
    for (const d of deferred) await client.query(`DROP INDEX ${d.name}`);
    if (options.bulkLoad) await client.query(`SET session_replication_role = replica`);
    await client.query(
      `INSERT INTO item (id, batch_id, code, title, feedback_text, domain, county_unit_id, goal, measures, type,
                         responsible_leader, responsible_person, responsible_phone, state, version, dispatcher_unit_id,
                         original_deadline, current_deadline, deadline_version, submission_round, acceptance_level,
                         notice_start, notice_end, first_signed_off_at, last_signed_off_at, completed_at,
                         owner_scope, lead_scope, dispatcher_scope, acceptance_scope, created_by, created_at, updated_at,
                         acceptance_since)
       SELECT s.id, s.batch_id, s.code,
              s.place || s.problem,
              '督察发现，' || s.place || '部分区域' || s.problem || '，' || s.detail || '。问题编号' || s.code || '。',
              s.domain, s.county_id,
              CASE WHEN s.state = 'draft' THEN '' ELSE '按期完成整改并建立长效机制' END,
              CASE WHEN s.state = 'draft' THEN '' ELSE '开展专项排查；制定整改方案；落实责任单位；定期调度' END,
              s.type, '副市长', '责任人' || (s.g % 500), '0352-' || lpad((6000000 + s.g % 999999)::text, 7, '0'),
              s.state,
              CASE s.state WHEN 'draft' THEN 1 WHEN 'assigned' THEN 2 WHEN 'in_progress' THEN 3 WHEN 'in_acceptance' THEN 5
                           WHEN 'public_notice' THEN 7 WHEN 'phase_completed' THEN 8 WHEN 'signed_off' THEN 9 ELSE 2 END
                + CASE WHEN s.extended THEN 2 ELSE 0 END,
              $1::uuid,
              CASE WHEN s.extended THEN s.deadline - (30 + floor(s.r_ext * 900)::int) ELSE s.deadline END,
              s.deadline,
              CASE WHEN s.deadline IS NULL THEN 0 WHEN s.extended THEN 2 ELSE 1 END,
              CASE WHEN s.state IN ('in_acceptance', 'public_notice', 'phase_completed', 'signed_off') THEN 1 ELSE 0 END,
              CASE WHEN s.state = 'in_acceptance' THEN 0 END,
              CASE WHEN s.state = 'public_notice' THEN $2::date - 2 END,
              CASE WHEN s.state = 'public_notice' THEN $2::date + 4 END,
              CASE WHEN s.state = 'signed_off' THEN s.created_at + (now() - s.created_at) * 0.8 END,
              CASE WHEN s.state = 'signed_off' THEN s.created_at + (now() - s.created_at) * 0.8 END,
              CASE WHEN s.state IN ('signed_off', 'phase_completed') THEN s.created_at + (now() - s.created_at) * 0.8 END,
              sc.owner_scope, sc.lead_scope, (SELECT path_ids(path) FROM org_unit WHERE id = $1::uuid), ac.acceptance_scope,
              $3::uuid, s.created_at, s.created_at + (now() - s.created_at) * s.r_updated,
              CASE WHEN s.state = 'in_acceptance' AND $4::int IS NOT NULL
                   THEN ($2::date + time '09:00') AT TIME ZONE 'Asia/Shanghai' - s.r_updated * $4::int * interval '1 day' END
         FROM bench_stage s JOIN bench_scope sc ON sc.item_id = s.id JOIN bench_acceptance ac ON ac.item_id = s.id
        ORDER BY s.g`,
      [org.dcb.id, day, dispatcher.id, options.acceptanceWaitDays ?? null],
    );
    const itemUnits = await client.query(
      `INSERT INTO item_unit (item_id, unit_id, role, part, sub_deadline, status)
       SELECT bu.item_id, bu.unit_id, bu.role,
              CASE WHEN bu.role = 'cooperating' THEN '配合开展相关整改工作' END,
              CASE WHEN bu.role = 'cooperating' THEN bu.deadline - 30 END,
              CASE WHEN bu.state IN ('in_acceptance', 'public_notice', 'phase_completed', 'signed_off') THEN 'done'
                   WHEN bu.state = 'in_progress' AND bu.role = 'cooperating' AND random() < $1 THEN 'done'
                   WHEN bu.state = 'in_progress' THEN 'in_progress' ELSE 'pending' END
         FROM bench_units bu ORDER BY bu.item_id`,
      [options.partsDoneShare ?? 0],
    );
    const deadlines = await client.query(
      `INSERT INTO item_deadline (item_id, version, deadline, kind, reason, decided_by, created_at)
       SELECT i.id, 1, i.original_deadline, 'initial', NULL, $1::uuid, i.created_at FROM item i WHERE i.original_deadline IS NOT NULL
       UNION ALL
       SELECT i.id, 2, i.current_deadline, 'extension', '汛期施工受限，申请延期', $1::uuid, i.updated_at FROM item i WHERE i.deadline_version = 2`,
      [dispatcher.id],
    );
    log(
      `  inserted items, ${itemUnits.rowCount} item units, ${deadlines.rowCount} deadline versions in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    if (options.bulkLoad) {
      t = Date.now();
      await client.query(`SET session_replication_role = DEFAULT`);
      // The triggers that keep who-reads-what in step were off for the load.
      await client.query(`SELECT item_reader_rebuild()`);
      const slow: string[] = [];
      for (const d of deferred) {
        const started = Date.now();
        await client.query(d.def);
        if (Date.now() - started > 5000) slow.push(`${d.name} ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
      log(
        `  built ${deferred.length} indexes of item and item_unit in ${((Date.now() - t) / 1000).toFixed(1)} s` +
          (slow.length ? ` (${slow.join(', ')})` : ''),
      );
    }

    t = Date.now();
    const historyRows = options.history === false ? 0 : await seedHistory(client, dispatcher.id);
    if (historyRows) log(`  appended ${historyRows} history rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    await verifyScopes(client);

    t = Date.now();
    for (const tmp of ['bench_param', 'bench_rand', 'bench_stage', 'bench_units', 'bench_scope', 'bench_acceptance'])
      await client.query(`DROP TABLE ${tmp}`);
    await client.query(`VACUUM (ANALYZE)`);
    await client.query(`CHECKPOINT`);
    log(`  vacuum, analyze, checkpoint in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const byState = Object.fromEntries(
      (
        await client.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM item GROUP BY state ORDER BY state`)
      ).rows.map((r) => [r.state, r.n]),
    );
    const [{ overdue }] = (
      await client.query<{ overdue: number }>(
        `SELECT count(*)::int AS overdue FROM item WHERE state IN ('assigned', 'in_progress') AND current_deadline < $1::date`,
        [day],
      )
    ).rows;
    return {
      world: {
        ...org,
        batches: batches.map((b) => ({ id: b.id, code: b.code, sourceType: b.sourceType })),
        admin,
        dispatcher,
        auditor,
        officers,
        staff,
      },
      report: {
        seconds: (Date.now() - started) / 1000,
        items: n,
        itemUnits: itemUnits.rowCount ?? 0,
        deadlines: deadlines.rowCount ?? 0,
        historyRows,
        byState,
        overdue,
      },
    };
  } finally {
    await client.end();
  }
}

/**
 * One `create` row per item and, for an item changed since (updated_at later than created_at), one
 * row for its latest change at updated_at, so that the history tells when each item last changed
 * (as the services write it). Hash-chained like HistoryService.append, inserted in chunks.
 */
async function seedHistory(client: pg.Client, actorId: string): Promise<number> {
  const chunk = 10_000;
  let total = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await client.query<{ id: string; code: string; batch_id: string; state: string; created_at: Date; updated_at: Date }>(
      `SELECT id, code, batch_id, state, created_at, updated_at FROM item WHERE id > $1 ORDER BY id LIMIT ${chunk}`,
      [after],
    );
    if (rows.length === 0) return total;
    const hashed = rows.flatMap((r) => {
      const create = {
        entityType: 'item',
        entityId: r.id,
        seq: 1,
        action: 'create',
        fromState: null as string | null,
        toState: 'draft',
        actorId,
        at: r.created_at,
        reason: null,
        data: { code: r.code, batchId: r.batch_id } as Record<string, unknown>,
        prevHash: null as string | null,
      };
      const first = { ...create, hash: chainHash(create) };
      if (r.updated_at.getTime() <= r.created_at.getTime()) return [first];
      const latest = {
        ...create,
        seq: 2,
        action: 'seed',
        fromState: 'draft',
        toState: r.state,
        at: r.updated_at,
        data: {},
        prevHash: first.hash,
      };
      return [first, { ...latest, hash: chainHash(latest) }];
    });
    await client.query(
      `INSERT INTO history (entity_type, entity_id, seq, action, from_state, to_state, actor_id, at, data, prev_hash, hash)
       SELECT 'item', id, seq, action, from_state, to_state, $2::uuid, at, data, prev_hash, hash
         FROM unnest($1::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::jsonb[], $9::text[], $10::text[])
              AS h(id, seq, action, from_state, to_state, at, data, prev_hash, hash)`,
      [
        hashed.map((h) => h.entityId),
        actorId,
        hashed.map((h) => h.seq),
        hashed.map((h) => h.action),
        hashed.map((h) => h.fromState),
        hashed.map((h) => h.toState),
        hashed.map((h) => h.at),
        hashed.map((h) => JSON.stringify(h.data)),
        hashed.map((h) => h.prevHash),
        hashed.map((h) => h.hash),
      ],
    );
    total += hashed.length;
    after = rows[rows.length - 1].id;
  }
}

/** Checks the set-based scope sets against item_refresh_scope() on a sample, in a transaction rolled back. */
async function verifyScopes(client: pg.Client): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE TEMP TABLE bench_check ON COMMIT DROP AS
       SELECT id, owner_scope, lead_scope, dispatcher_scope, acceptance_scope FROM item TABLESAMPLE SYSTEM (5) REPEATABLE (7) LIMIT 500`,
    );
    await client.query(`SELECT item_refresh_scope(id) FROM bench_check`);
    const { rows } = await client.query<{ checked: number; wrong: number }>(
      `SELECT count(*)::int AS checked,
              count(*) FILTER (WHERE NOT (i.owner_scope @> c.owner_scope AND i.owner_scope <@ c.owner_scope
                                      AND i.lead_scope @> c.lead_scope AND i.lead_scope <@ c.lead_scope
                                      AND i.dispatcher_scope @> c.dispatcher_scope AND i.dispatcher_scope <@ c.dispatcher_scope
                                      AND i.acceptance_scope @> c.acceptance_scope AND i.acceptance_scope <@ c.acceptance_scope))::int AS wrong
         FROM bench_check c JOIN item i ON i.id = c.id`,
    );
    if (rows[0].checked === 0) throw new Error('scope check found no items to compare');
    if (rows[0].wrong > 0)
      throw new Error(`${rows[0].wrong} of ${rows[0].checked} seeded items have scope sets that differ from item_refresh_scope()`);
  } finally {
    await client.query('ROLLBACK');
  }
}

/** Today in China, as the services see it. */
export function today(): string {
  return shanghaiDate(new Date());
}
