import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { readDocxText } from '#office';
import { RECTIFICATION_STATES } from '#domain';
import { StatisticsService, type AsOf } from '#statistics';
import { ProjectStatisticsService } from '#projects';
import { DEMO_PROJECTS } from '../apps/cli/src/demo/demo-projects.js';
import { DEMO_AS_OF, DEMO_BATCHES, DEMO_FIGURES } from '../apps/cli/src/demo/demo-batches.js';
import { DEMO_PASSWORD } from '../apps/cli/src/demo/demo-units.js';
import { seedDemo, type SeedResult } from '../apps/cli/src/demo/seed-demo.js';
import { TestApi } from './support/api.js';

const ALL_CODES = DEMO_BATCHES.map((b) => b.code);
/** The end of the ledger's last day, China time. */
const AS_OF_END = `${DEMO_AS_OF}T23:59:59+08:00`;

/**
 * The demo ledger: the seed documents' figures, every state, and histories that hold together.
 * The test database is shared with other test files: every query is narrowed to the demo batches.
 */
describe('demo rectification ledger (e2e)', () => {
  let api: TestApi;
  let ds: DataSource;
  let evidenceDir: string;
  let first: SeedResult;

  beforeAll(async () => {
    evidenceDir = await mkdtemp(path.join(os.tmpdir(), 'rectify-demo-evidence-'));
    api = await TestApi.start({ env: { EVIDENCE_DIR: evidenceDir } });
    ds = api.ds;
    first = await seedDemo(ds, api.factory.units, api.factory.users, { evidenceDir, complaints: false });
  }, 240_000);
  afterAll(async () => {
    await api.stop();
    await rm(evidenceDir, { recursive: true, force: true });
  });

  async function counts(codes: readonly string[]): Promise<Record<string, number>> {
    const [row] = await ds.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE i.state = 'signed_off')::int AS signed_off,
              count(*) FILTER (WHERE i.state IN ('signed_off', 'phase_completed'))::int AS done,
              count(*) FILTER (WHERE i.state = 'signed_off' AND EXISTS (
                SELECT 1 FROM item_acceptance a WHERE a.item_id = i.id AND a.level = 'province' AND a.result = 'pass'))::int AS province
         FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.code = ANY($1::text[])`,
      [codes],
    );
    return row;
  }

  it('loads the batches and every planned item', async () => {
    const rows = await ds.query(
      `SELECT b.code, b.source_type, b.round, count(i.id)::int AS items
         FROM batch b LEFT JOIN item i ON i.batch_id = b.id WHERE b.code = ANY($1::text[]) GROUP BY b.id ORDER BY b.code`,
      [ALL_CODES],
    );
    expect(rows).toEqual(
      DEMO_BATCHES.map((b) => ({ code: b.code, source_type: b.sourceType, round: b.round, items: b.items.length })).sort((a, b) =>
        a.code < b.code ? -1 : 1,
      ),
    );
    expect(rows.map((r: { source_type: string }) => r.source_type)).toEqual(
      expect.arrayContaining(['central_inspection', 'special_inspection']),
    );
    // Zero when another test file's seed got there first; the figures below hold either way.
    expect([0, DEMO_BATCHES.reduce((n, b) => n + b.items.length, 0)]).toContain(first.itemsCreated);
  });

  it('central inspections: 56 tasks, 55 accepted at province level and signed off', async () => {
    const c = await counts(DEMO_FIGURES.central.batches);
    expect(c.total).toBe(56);
    expect(c.province).toBe(55);
    expect(c.signed_off).toBe(55);
    // Each of them passed county, city and province in its last submission, in that order.
    const [{ chained }] = await ds.query(
      `SELECT count(*)::int AS chained FROM item i JOIN batch b ON b.id = i.batch_id
        WHERE b.code = ANY($1::text[]) AND i.state = 'signed_off'
          AND (SELECT string_agg(a.level, '>' ORDER BY a.id) FROM item_acceptance a
                WHERE a.item_id = i.id AND a.submission_round = i.submission_round AND a.result = 'pass') = 'county>city>province'`,
      [DEMO_FIGURES.central.batches],
    );
    expect(chained).toBe(55);
  });

  it('the statistics report the seed documents’ figures, now and as of the ledger’s last day', async () => {
    const stats = api.factory.get(StatisticsService);
    const auditor = { userId: randomUUID(), unitId: randomUUID(), unitPath: '/x/', roles: ['auditor' as const] };
    const idsOf = async (codes: readonly string[]): Promise<string[]> =>
      (await ds.query(`SELECT id FROM batch WHERE code = ANY($1::text[])`, [codes])).map((r: { id: string }) => r.id);
    const sum = async (codes: readonly string[], asOf: AsOf): Promise<Record<string, number>> => {
      const totals: Record<string, number> = {};
      for (const batchId of await idsOf(codes)) {
        for (const f of (await stats.summary(auditor, { batchId }, asOf)).figures)
          totals[f.key] = (totals[f.key] ?? 0) + (f.kind === 'count' ? f.value! : 0);
      }
      return totals;
    };
    for (const asOf of [{ kind: 'now' }, { kind: 'date', date: DEMO_AS_OF }] as AsOf[]) {
      expect(await sum(DEMO_FIGURES.central.batches, asOf)).toMatchObject({ total: 56, signedOff: 55 });
      const political = await sum(DEMO_FIGURES.political.batches, asOf);
      expect(political.total).toBe(58);
      expect(political.signedOff + political.phaseCompleted).toBe(53);
      expect(await sum(DEMO_FIGURES.round3.batches, asOf)).toMatchObject({ total: 14, signedOff: 6 });
    }
  });

  it('the seeds’ sentences as named figures through HTTP: filtered by inspection round, with their formulas', async () => {
    const { accessToken } = await api.login('admin@demo.rectify.cn', DEMO_PASSWORD);
    // The database is shared with other test files: narrowed to items led within the demo city.
    const [{ id: city }] = await ds.query(`SELECT id FROM org_unit WHERE code = 'DT'`);
    const figures = async (query: string): Promise<Record<string, { value: number | null; formula: string }>> => {
      const res = await api.request('GET', `/api/statistics/report-figures?${query}&unitId=${city}&asOf=${DEMO_AS_OF}`, {
        token: accessToken,
      });
      expect(res.status).toBe(200);
      return Object.fromEntries(res.body.figures.map((f: { key: string }) => [f.key, f]));
    };
    const items = (codes: readonly string[]) => DEMO_BATCHES.filter((b) => codes.includes(b.code)).flatMap((b) => b.items);
    // "截至2025年底，3次中央环保督察提出的56项整改任务中，55项完成整改并省级验收销号": rounds 1 and 2 (round 1's 回头看 is round 1).
    const central = await figures('rounds=1,2');
    expect(central.total.value).toBe(56);
    expect(central.signedOffAtProvince.value).toBe(55);
    expect(central.signedOffAtProvince.formula).toBe('状态为已销号、最后一级验收通过为省级验收的事项');
    // Rebound rate: the items declared rebounded over those ever signed off (every signed-off one here).
    const rebounded = items(DEMO_FIGURES.central.batches).filter((i) => i.rebound).length;
    expect(rebounded).toBeGreaterThan(0);
    expect(central.everSignedOff.value).toBe(55);
    expect(central.reboundRate.value).toBe(Math.round((rebounded * 10000) / 55) / 10000);
    // The summary takes the same round filter.
    const summary = await api.request('GET', `/api/statistics/summary?rounds=1,2&unitId=${city}&asOf=${DEMO_AS_OF}`, {
      token: accessToken,
    });
    expect(summary.body.figures.find((f: { key: string }) => f.key === 'total').value).toBe(56);
    // "政治监督专项检查反馈的58项整改任务，已完成整改53项": 阶段性完成 counts, as the bulletin counts it.
    const political = await figures('sourceType=special_inspection');
    const declared = items(DEMO_FIGURES.political.batches);
    expect(political.total.value).toBe(58);
    expect(political.rectified.value).toBe(53);
    expect(political.rectified.formula).toContain('阶段性完成计入');
    expect(political.rectifiedSignedOff.value).toBe(declared.filter((i) => i.end === 'signed_off').length);
    expect(political.rectifiedSignedOff.value).toBeLessThan(53);
    // "第三轮…反馈14项问题，已完成整改6项".
    const round3 = await figures('rounds=3');
    expect(round3.total.value).toBe(14);
    expect(round3.rectified.value).toBe(6);
    expect(round3.signedOffAtProvince.value).toBe(6);
  });

  it('the monthly bulletin as a .docx in the 通报 layout, for a past month, the same each time', async () => {
    // The city's dispatcher reads the whole demo city and nothing of other test files.
    const { accessToken } = await api.login('dispatcher.city@demo.rectify.cn', DEMO_PASSWORD);
    const fetchText = async (): Promise<string> => {
      const res = await fetch(`${api.baseUrl}/api/statistics/bulletin?month=2025-12&format=docx`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('月通报-2025-12.docx'));
      return readDocxText(Buffer.from(await res.arrayBuffer()));
    };
    const text = await fetchText();
    // Hand-counted from the demo ledger's declarations: every item but drafts, cancelled and merged ones.
    const all = DEMO_BATCHES.flatMap((b) => b.items);
    const counted = all.filter((i) => !['draft', 'cancelled', 'merged'].includes(i.end));
    const signed = all.filter((i) => i.end === 'signed_off').length;
    const phase = all.filter((i) => i.end === 'phase_completed').length;
    const rate = `${((Math.round((signed * 10000) / counted.length) / 10000) * 100).toFixed(2)}%`;
    expect(text).toContain('关于2025年12月生态环境问题整改工作情况的通报');
    expect(text).toContain('整改通报〔2025〕12号');
    expect(text).toContain(
      `截至12月底，全市纳入整改台账的生态环境问题共${counted.length}项，已销号${signed}项，销号率${rate}；已完成整改${signed + phase}项（含阶段性完成${phase}项）`,
    );
    for (const heading of ['一、各牵头单位整改情况', '二、各县（区）整改情况', '三、逾期未完成事项', '四、通报批评'])
      expect(text).toContain(heading);
    // the overdue list names as many items as the figure, grouped by unit; the criticised units are named
    const summary = await api.request('GET', `/api/statistics/summary?asOf=${DEMO_AS_OF}`, { token: accessToken });
    const overdueOpen = summary.body.figures.find((f: { key: string }) => f.key === 'overdueOpen').value;
    expect(overdueOpen).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`逾期未完成的整改事项共${overdueOpen}项，涉及\\d+个牵头单位`));
    expect(text).toMatch(/等\d+个单位存在逾期30天以上未完成的整改事项，整改推进不力，予以通报批评/);
    expect(text).toContain('天镇县'); // a county row
    expect(await fetchText()).toBe(text);
  });

  it('political supervision: 58 tasks, 53 done (signed off or completed, obligation continuing)', async () => {
    const c = await counts(DEMO_FIGURES.political.batches);
    expect(c.total).toBe(58);
    expect(c.done).toBe(53);
    expect(c.signed_off).toBeLessThan(53); // some are 阶段性完成
  });

  it('round 3: 14 feedback problems, 6 rectified and signed off', async () => {
    const c = await counts(DEMO_FIGURES.round3.batches);
    expect(c.total).toBe(14);
    expect(c.signed_off).toBe(6);
    expect(c.province).toBe(6);
  });

  it('every state occurs; items spread over the counties and over many lead units', async () => {
    const states = await ds.query(
      `SELECT DISTINCT i.state FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.code = ANY($1::text[]) ORDER BY 1`,
      [ALL_CODES],
    );
    expect(states.map((s: { state: string }) => s.state)).toEqual([...RECTIFICATION_STATES].sort());
    const [{ counties, leads }] = await ds.query(
      `SELECT count(DISTINCT i.county_unit_id)::int AS counties,
              (SELECT count(DISTINCT iu.unit_id)::int FROM item_unit iu JOIN item j ON j.id = iu.item_id JOIN batch c ON c.id = j.batch_id
                WHERE c.code = ANY($1::text[]) AND iu.role = 'lead') AS leads
         FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.code = ANY($1::text[])`,
      [ALL_CODES],
    );
    expect(counties).toBe(11);
    expect(leads).toBeGreaterThanOrEqual(25);
  });

  it('histories verify, end in the item’s state, move forward in time and stay before the as-of date', async () => {
    const verify = await api.factory.history.verify('item');
    expect(verify.firstBreak).toBeNull();
    const bad = await ds.query(
      `WITH h AS (
         SELECT h.entity_id, h.seq, h.at, h.to_state, lag(h.at) OVER (PARTITION BY h.entity_id ORDER BY h.seq) AS prev_at,
                max(h.seq) OVER (PARTITION BY h.entity_id) AS last_seq
           FROM history h JOIN item i ON i.id = h.entity_id JOIN batch b ON b.id = i.batch_id
          WHERE h.entity_type = 'item' AND b.code = ANY($1::text[]))
       SELECT i.code, h.seq FROM h JOIN item i ON i.id = h.entity_id
        WHERE h.at > $2 OR h.at < '2017-01-01' OR h.at <= h.prev_at OR (h.seq = h.last_seq AND h.to_state <> i.state)`,
      [ALL_CODES, AS_OF_END],
    );
    expect(bad).toEqual([]);
  });

  it('deadlines make sense: after creation, kept when extended, closing dates match the history', async () => {
    const bad = await ds.query(
      `SELECT i.code FROM item i JOIN batch b ON b.id = i.batch_id
        WHERE b.code = ANY($1::text[])
          AND (i.original_deadline <= (i.created_at AT TIME ZONE 'Asia/Shanghai')::date
               OR i.current_deadline < i.original_deadline
               OR (i.deadline_version > 1) <> EXISTS (SELECT 1 FROM item_extension e WHERE e.item_id = i.id AND e.status = 'approved')
               OR (i.state = 'signed_off') <> (i.last_signed_off_at IS NOT NULL AND i.completed_at IS NOT NULL)
               OR i.last_signed_off_at > $2
               OR EXISTS (SELECT 1 FROM item_acceptance a WHERE a.item_id = i.id AND a.signed_at > $2))`,
      [ALL_CODES, AS_OF_END],
    );
    expect(bad).toEqual([]);
    const [{ overdue, extended, pending, reopened, returned }] = await ds.query(
      `SELECT count(*) FILTER (WHERE i.state IN ('assigned', 'in_progress') AND i.current_deadline < $2::date)::int AS overdue,
              count(*) FILTER (WHERE i.deadline_version > 1)::int AS extended,
              count(*) FILTER (WHERE i.pending_extension_id IS NOT NULL)::int AS pending,
              count(*) FILTER (WHERE i.reopen_count > 0)::int AS reopened,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM item_acceptance a WHERE a.item_id = i.id AND a.result = 'return'))::int AS returned
         FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.code = ANY($1::text[])`,
      [ALL_CODES, DEMO_AS_OF],
    );
    expect(overdue).toBeGreaterThan(0);
    expect(extended).toBeGreaterThan(0);
    expect(pending).toBe(1);
    expect(reopened).toBe(1);
    expect(returned).toBeGreaterThan(0);
  });

  it('every record carries the time of its history row (the services write the clock, not the database time)', async () => {
    const [row] = await ds.query(
      `SELECT
         (SELECT count(*)::int FROM item_acceptance a JOIN item i ON i.id = a.item_id JOIN batch b ON b.id = i.batch_id
           WHERE b.code = ANY($1::text[]) AND NOT EXISTS (
             SELECT 1 FROM history h WHERE h.entity_type = 'item' AND h.entity_id = a.item_id AND h.action = a.result AND h.at = a.signed_at)) AS acceptances,
         (SELECT count(*)::int FROM item_progress p JOIN item i ON i.id = p.item_id JOIN batch b ON b.id = i.batch_id
           WHERE b.code = ANY($1::text[]) AND NOT EXISTS (
             SELECT 1 FROM history h WHERE h.entity_type = 'item' AND h.entity_id = p.item_id AND h.action = 'report_progress' AND h.at = p.created_at)) AS progress,
         (SELECT count(*)::int FROM item i JOIN batch b ON b.id = i.batch_id
           WHERE b.code = ANY($1::text[]) AND i.created_at <> (SELECT min(h.at) FROM history h WHERE h.entity_type = 'item' AND h.entity_id = i.id)) AS created,
         (SELECT count(*)::int FROM outbox o WHERE (o.payload->>'itemId')::uuid IN
           (SELECT i.id FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.code = ANY($1::text[]))) AS notifications`,
      [ALL_CODES],
    );
    // and the past is not mailed out: the demo's notifications were dropped
    expect(row).toEqual({ acceptances: 0, progress: 0, created: 0, notifications: 0 });
  });

  it('was done by people in the right role and unit', async () => {
    // Every acceptance by a verifier of the accepting unit; every history step by a user.
    const wrongSigner = await ds.query(
      `SELECT i.code, a.level FROM item_acceptance a JOIN item i ON i.id = a.item_id JOIN batch b ON b.id = i.batch_id
         JOIN app_user u ON u.id = a.signed_by
        WHERE b.code = ANY($1::text[]) AND (NOT ('verifier' = ANY(u.roles)) OR u.unit_id <> a.unit_id)`,
      [ALL_CODES],
    );
    expect(wrongSigner).toEqual([]);
    const province = await ds.query(
      `SELECT DISTINCT o.code FROM item_acceptance a JOIN item i ON i.id = a.item_id JOIN batch b ON b.id = i.batch_id
         JOIN org_unit o ON o.id = a.unit_id WHERE b.code = ANY($1::text[]) AND a.level = 'province'`,
      [ALL_CODES],
    );
    expect(province).toEqual([{ code: 'SX-STHJT' }]);
    // Every step by a user holding the role the action needs; the lead unit's steps by someone of the lead unit.
    const wrongRole = await ds.query(
      `WITH needs(action, role) AS (VALUES
         ('create', 'dispatcher'), ('update', 'dispatcher'), ('assign', 'dispatcher'), ('cancel', 'dispatcher'), ('merge', 'dispatcher'),
         ('urge', 'dispatcher'), ('approve_extension', 'dispatcher'), ('reject_extension', 'dispatcher'), ('close_notice', 'dispatcher'),
         ('sign_off', 'dispatcher'), ('reopen', 'dispatcher'), ('decline', 'unit_officer'), ('accept', 'unit_officer'),
         ('report_progress', 'unit_officer'), ('report_part', 'unit_officer'), ('request_extension', 'unit_officer'),
         ('submit', 'unit_officer'), ('add_evidence', 'unit_officer'), ('pass', 'verifier'), ('return', 'verifier'),
         ('spot_check', 'auditor'))
       SELECT i.code, h.action FROM history h JOIN item i ON i.id = h.entity_id JOIN batch b ON b.id = i.batch_id
         LEFT JOIN app_user u ON u.id = h.actor_id LEFT JOIN needs n ON n.action = h.action
        WHERE h.entity_type = 'item' AND b.code = ANY($1::text[])
          AND (n.role IS NULL OR u.id IS NULL OR NOT (n.role = ANY(u.roles))
               OR (h.action IN ('accept', 'report_progress', 'submit', 'request_extension')
                   AND NOT EXISTS (SELECT 1 FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead' AND iu.unit_id = u.unit_id))
               OR (h.action = 'report_part'
                   AND NOT EXISTS (SELECT 1 FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'cooperating' AND iu.unit_id = u.unit_id)))`,
      [ALL_CODES],
    );
    expect(wrongRole).toEqual([]);
  });

  it('one item tells its whole story: sign-off, a rebound found in a re-check, reopened and signed off again', async () => {
    const [item] = await ds.query(
      `SELECT i.id FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.code = 'DT-ZYDC1' AND i.code = 'ZY1-03'`,
    );
    const steps = await ds.query(`SELECT action FROM history WHERE entity_type = 'item' AND entity_id = $1 ORDER BY seq`, [item.id]);
    const actions = steps
      .map((s: { action: string }) => s.action)
      .filter((a: string) => !['report_progress', 'report_part', 'add_evidence'].includes(a));
    expect(actions).toEqual([
      'create',
      'assign',
      'accept',
      'submit',
      'pass',
      'pass',
      'pass',
      'close_notice',
      'spot_check',
      'reopen',
      'submit',
      'pass',
      'pass',
      'pass',
      'close_notice',
    ]);
  });

  it('evidence is real PDF files the api serves to the item’s units', async () => {
    const [{ missing }] = await ds.query(
      `SELECT count(*)::int AS missing FROM item i JOIN batch b ON b.id = i.batch_id
        WHERE b.code = ANY($1::text[]) AND i.submission_round > 0 AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.item_id = i.id)`,
      [ALL_CODES],
    );
    expect(missing).toBe(0);
    const [evidence] = await ds.query(
      `SELECT e.id, e.item_id, e.storage_key, e.sha256 FROM evidence e JOIN item i ON i.id = e.item_id JOIN batch b ON b.id = i.batch_id
        WHERE b.code = 'DT-ZYDC2' AND i.code = 'ZY2-11' ORDER BY e.uploaded_at LIMIT 1`,
    );
    const file = await readFile(path.join(evidenceDir, evidence.storage_key));
    expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(file.subarray(-6).toString('latin1')).toBe('%%EOF\n');
    expect(createHash('sha256').update(file).digest('hex')).toBe(evidence.sha256);

    const { accessToken } = await api.login('officer.tianzhen@demo.rectify.cn', DEMO_PASSWORD);
    const res = await fetch(`${api.baseUrl}/api/items/${evidence.item_id}/evidence/${evidence.id}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(file)).toBe(true);
  });

  it('a newcomer signing in sees the ledger: the dispatcher may close an expired public notice', async () => {
    const { accessToken } = await api.login('dispatcher@demo.rectify.cn', DEMO_PASSWORD);
    const [batch] = await ds.query(`SELECT id FROM batch WHERE code = 'DT-ZYDC3'`);
    const list = await api.request('GET', `/api/items?batchId=${batch.id}&pageSize=50`, { token: accessToken });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(14);
    const notice = list.body.data.find((i: { state: string }) => i.state === 'public_notice');
    const actions = await api.request('GET', `/api/items/${notice.id}/actions`, { token: accessToken });
    expect(actions.body.actions).toContainEqual(expect.objectContaining({ action: 'close_notice', enabled: true }));
  });

  describe('key projects', () => {
    const codes = DEMO_PROJECTS.map((p) => p.code);

    it('loads the plan’s 14 air projects (118.75 亿元) and 24 water projects (139.366 亿元)', async () => {
      expect([0, DEMO_PROJECTS.length]).toContain(first.projectsCreated);
      const rows = await ds.query(
        `SELECT category, count(*)::int AS n, trim_scale(sum(planned_investment))::text AS total
           FROM project WHERE code = ANY($1::text[]) GROUP BY category ORDER BY category`,
        [codes],
      );
      expect(rows).toEqual([
        { category: 'air', n: 14, total: '1187500' },
        { category: 'water', n: 24, total: '1393660' },
      ]);
    });

    it('tells a story with every schedule status, a correction and missing reports, reproducible as of a past day', async () => {
      const stats = api.app.get(ProjectStatisticsService);
      const admin = { userId: randomUUID(), unitId: randomUUID(), unitPath: '/', roles: ['admin' as const] };
      const summary = await stats.summary(admin, { asOf: '2026-11-10' });
      const value = (key: string) => summary.figures.find((f) => f.key === key)!.value;
      // Other test files add projects of their own to this database: count the demo's from the SQL as well.
      expect(value('behind')).toBeGreaterThan(0);
      expect(value('ahead')).toBeGreaterThan(0);
      expect(value('completed')).toBeGreaterThan(0);
      expect(value('onSchedule')).toBeGreaterThan(0);
      expect(summary.month).toBe('2026-10');
      const [{ missing }] = await ds.query(
        `SELECT count(*)::int AS missing FROM project p WHERE p.code = ANY($1::text[])
            AND NOT EXISTS (SELECT 1 FROM investment_report r WHERE r.project_id = p.id AND r.month = '2026-10-01')
            AND p.planned_end >= '2026-10-01'`,
        [codes],
      );
      expect(missing).toBe(6); // every sixth project has not reported October
      const versions = await ds.query(
        `SELECT r.version, trim_scale(r.amount)::text AS amount, r.reason FROM investment_report r JOIN project p ON p.id = r.project_id
          WHERE p.code = 'SSW-DQ-14' AND r.month = '2026-09-01' ORDER BY r.version`,
      );
      expect(versions).toHaveLength(2);
      expect(Number(versions[1].amount) - Number(versions[0].amount)).toBe(1250);
      // The delayed milestones as of the story's end are open milestones planned before it.
      const [{ open }] = await ds.query(
        `SELECT count(*)::int AS open FROM milestone m JOIN project p ON p.id = m.project_id
          WHERE p.code = ANY($1::text[]) AND m.state <> 'verified' AND m.planned_date < '2026-11-10'`,
        [codes],
      );
      expect(open).toBeGreaterThan(0);
      for (const type of ['project', 'milestone']) {
        expect((await api.factory.history.verify(type)).firstBreak).toBeNull();
      }
    });

    it('months after a project’s planned end or its completion are not owed: missingMonths agrees with missingReports', async () => {
      const { accessToken } = await api.login('admin@demo.rectify.cn', DEMO_PASSWORD);
      const projects: { id: string; code: string; start: string; end: string; completed: string | null }[] = await ds.query(
        `SELECT p.id, p.code, to_char(p.planned_start, 'YYYY-MM') AS start, to_char(p.planned_end, 'YYYY-MM') AS end,
                (SELECT CASE WHEN bool_and(m.verified_at IS NOT NULL) THEN to_char(max(m.verified_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') END
                   FROM milestone m WHERE m.project_id = p.id) AS completed
           FROM project p WHERE p.code = ANY($1::text[]) ORDER BY p.code`,
        [codes],
      );
      const figures = async (id: string, month: string) =>
        (await api.request('GET', `/api/projects/${id}/investment/figures?month=${month}`, { token: accessToken })).body;
      // A project whose period ended in 2025 with every milestone verified owes nothing in 2026.
      const finished = projects.find((p) => p.end < '2026-01' && p.completed !== null)!;
      expect(finished).toBeDefined();
      expect(await figures(finished.id, '2026-11')).toMatchObject({
        missingMonths: [],
        owedThrough: finished.completed! < finished.end ? finished.completed : finished.end,
      });
      // October 2026: a project owes it from its start to its planned end or completion, whichever is first.
      const [{ reported }] = await ds.query(
        `SELECT coalesce(array_agg(p.code), '{}') AS reported FROM project p
          WHERE p.code = ANY($1::text[]) AND EXISTS (SELECT 1 FROM investment_report r WHERE r.project_id = p.id AND r.month = '2026-10-01')`,
        [codes],
      );
      const owing = projects
        .filter((p) => p.start <= '2026-10' && (p.completed !== null && p.completed < p.end ? p.completed : p.end) >= '2026-10')
        .filter((p) => !reported.includes(p.code))
        .map((p) => p.code);
      const listed: string[] = [];
      for (const p of projects) if ((await figures(p.id, '2026-10')).missingMonths.includes('2026-10')) listed.push(p.code);
      expect(listed).toEqual(owing);
      expect(owing.length).toBeGreaterThan(0);
      // The statistics count the same projects: each demo project's own figures say whether it owes October.
      const stats = api.app.get(ProjectStatisticsService);
      const admin = { userId: randomUUID(), unitId: randomUUID(), unitPath: '/', roles: ['admin' as const] };
      const summary = await stats.summary(admin, { asOf: '2026-11-10' });
      const demoOnly = (await ds.query(`SELECT count(*)::int AS n FROM project WHERE code <> ALL($1::text[])`, [codes]))[0].n === 0;
      if (demoOnly) expect(summary.figures.find((f: { key: string }) => f.key === 'missingReports')!.value).toBe(owing.length);
    });
  });

  it('a second run creates nothing and writes nothing', async () => {
    const demoHistory = async (): Promise<number> => {
      const [{ n }] = await ds.query(
        `SELECT count(*)::int AS n FROM history h JOIN item i ON i.id = h.entity_id JOIN batch b ON b.id = i.batch_id
          WHERE h.entity_type = 'item' AND b.code = ANY($1::text[])`,
        [ALL_CODES],
      );
      return n;
    };
    const before = await demoHistory();
    const again = await seedDemo(ds, api.factory.units, api.factory.users, { evidenceDir, complaints: false });
    expect(again).toEqual({
      unitsCreated: 0,
      usersCreated: 0,
      batchesCreated: 0,
      itemsCreated: 0,
      projectsCreated: 0,
      complaintsCreated: 0,
    });
    expect(await demoHistory()).toBe(before);
  }, 240_000);
});
