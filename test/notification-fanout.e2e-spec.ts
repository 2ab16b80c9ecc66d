import type { DataSource } from 'typeorm';
import { ComplaintIntakeService, ComplaintsModule, ComplaintTransitionsService } from '#complaints';
import type { Actor, Role } from '#domain';
import { ItemNotesService } from '#items';
import { MAILER, NotificationsModule, OutboxService, type Mailer, type MailData } from '#notifications';
import type { OrgUnitView } from '#org';
import { MilestonesService, ProjectsModule, ProjectsService } from '#projects';
import { TestClock } from './support/clock.js';
import { openTestDataSource, separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';

/** The people of the world below, by the name the expectations use. */
type Who =
  | 'D1'
  | 'D2'
  | 'bureauOfficer'
  | 'leadA'
  | 'leadB'
  | 'leadGone'
  | 'leadVerifier'
  | 'leadHead'
  | 'coopA'
  | 'lead2A'
  | 'otherA'
  | 'otherD'
  | 'countyVerifier'
  | 'countyOfficer'
  | 'cityVerifier'
  | 'auditor'
  | 'officeD'
  | 'dual'
  | 'selfBoth'
  | 'selfOfficer'
  | 'selfD2';

/** One action and what its event must fan out to: `template → person`, nobody else. */
interface Step {
  who: Who;
  action: string;
  /** The action's input; a function when it names units made in beforeAll. */
  input?: Record<string, unknown> | (() => Record<string, unknown>);
  mails: string[];
  /** What some recipients' e-mail data must hold. */
  data?: Partial<Record<Who, Partial<MailData>>>;
  /** Done before the action (evidence, the passing of time). */
  before?: () => Promise<void>;
}

/**
 * The notification fan-out at service level, on real PostgreSQL: every notifying action of the
 * three workflow adapters (items, milestones, complaint cases) goes through the runner, and the
 * outbox relay the worker runs (OutboxService.expandEvents) turns its event into e-mail rows. Each
 * step says by hand exactly who gets which template; everyone else in the world gets nothing:
 * other units, inactive users, other roles of the same unit, and whoever acted, in any audience
 * (the README: nobody is mailed about their own action). A database of its own: the relay sweeps
 * the whole outbox.
 */
describe('notification fan-out (service level, real PostgreSQL)', () => {
  const clock = new TestClock(new Date('2026-03-02T09:00:00+08:00'));
  const noMailer: Mailer = { send: () => Promise.reject(new Error('the fan-out test sends nothing')) };
  let ds: DataSource;
  let f: Factory;
  let outbox: OutboxService;
  const people = {} as Record<Who, Actor>;
  const nameOf = new Map<string, Who>();
  const userName = {} as Record<Who, string>;
  const units = {} as Record<
    'city' | 'bureau' | 'lead' | 'coop' | 'lead2' | 'other' | 'county' | 'countySection' | 'office' | 'self',
    OrgUnitView
  >;

  beforeAll(async () => {
    ds = await openTestDataSource(separateDatabaseUrl('fanout'));
    f = await Factory.create(ds, clock, {
      env: { PUBLIC_URL: 'https://rectify.example.cn' },
      imports: [NotificationsModule, ProjectsModule, ComplaintsModule],
      replace: [[MAILER, noMailer]],
    });
    outbox = f.get(OutboxService);
    // Events left by an earlier run of this file are fanned out now, not counted in a step.
    await relay();
    units.city = await f.newUnit({ kind: 'city' });
    const under = (kind: 'department' | 'county' = 'department', parent = units.city) => f.newUnit({ parent, kind });
    units.bureau = await under();
    units.lead = await under();
    units.coop = await under();
    units.lead2 = await under();
    units.other = await under();
    units.office = await under();
    units.self = await under();
    units.county = await under('county');
    units.countySection = await f.newUnit({ parent: units.county, kind: 'section' });
    const cast: [Who, OrgUnitView, Role[]][] = [
      ['D1', units.bureau, ['dispatcher']],
      ['D2', units.bureau, ['dispatcher']],
      ['bureauOfficer', units.bureau, ['unit_officer']],
      ['leadA', units.lead, ['unit_officer']],
      ['leadB', units.lead, ['unit_officer']],
      ['leadGone', units.lead, ['unit_officer']],
      ['leadVerifier', units.lead, ['verifier']],
      ['leadHead', units.lead, ['dispatcher']],
      ['coopA', units.coop, ['unit_officer']],
      ['lead2A', units.lead2, ['unit_officer']],
      ['otherA', units.other, ['unit_officer']],
      ['otherD', units.other, ['dispatcher']],
      ['countyVerifier', units.county, ['verifier']],
      ['countyOfficer', units.county, ['unit_officer']],
      ['cityVerifier', units.city, ['verifier']],
      ['auditor', units.city, ['auditor']],
      ['officeD', units.office, ['dispatcher']],
      ['dual', units.office, ['dispatcher', 'verifier']],
      ['selfBoth', units.self, ['dispatcher', 'unit_officer']],
      ['selfOfficer', units.self, ['unit_officer']],
      ['selfD2', units.self, ['dispatcher']],
    ];
    for (const [who, unit, roles] of cast) {
      const user = await f.newUser(unit, roles);
      people[who] = Factory.actor(user, unit);
      nameOf.set(user.id, who);
      userName[who] = user.name;
    }
    const admin = Factory.actor(await f.newUser(units.city, ['admin']), units.city);
    const gone = await f.users.get(admin, people.leadGone.userId);
    await f.users.update(admin, gone.id, { version: gone.version, active: false });
  });
  afterAll(async () => {
    await f?.close();
    await ds?.destroy();
  });

  /** The relay as the worker runs it: expand until no event is left. */
  async function relay(): Promise<void> {
    while ((await outbox.expandEvents()) > 0);
  }

  /** Relays, then reads the e-mail rows made of the event with this dedupe key, as sorted `template → person`. */
  async function fannedOut(eventKey: string): Promise<{ mails: string[]; data: Map<Who, MailData> }> {
    await relay();
    const [event] = await ds.query<{ id: string; status: string }[]>(`SELECT id, status FROM outbox WHERE dedupe_key = $1`, [eventKey]);
    expect(event).toMatchObject({ status: 'sent' });
    const rows = await ds.query<{ template: string; user_id: string; data: MailData }[]>(
      `SELECT payload->>'template' AS template, payload->>'userId' AS user_id, payload->'data' AS data
         FROM outbox WHERE kind = 'email' AND dedupe_key LIKE $1`,
      [`email:${event.id}:%`],
    );
    const who = (id: string): string => nameOf.get(id) ?? `stranger ${id}`;
    return {
      mails: rows.map((r) => `${r.template} → ${who(r.user_id)}`).sort(),
      data: new Map(rows.map((r) => [nameOf.get(r.user_id)!, r.data])),
    };
  }

  /** Asserts a step's fan-out; returns the e-mail data by recipient. */
  async function expectFanOut(step: Pick<Step, 'mails' | 'data'>, eventKey: string): Promise<Map<Who, MailData>> {
    const { mails, data } = await fannedOut(eventKey);
    expect(mails).toEqual([...step.mails].sort());
    for (const [who, expected] of Object.entries(step.data ?? {})) expect(data.get(who as Who)).toMatchObject(expected);
    return data;
  }

  const inputOf = (step: Step): Record<string, unknown> => (typeof step.input === 'function' ? step.input() : (step.input ?? {}));

  const evidenceFor = (itemId: () => string) => async (): Promise<void> => {
    await ds.query(
      `INSERT INTO evidence (item_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
       VALUES ($1, $2, '整改报告.pdf', 'application/pdf', 1, repeat('c', 64), 'cc/x', $3)`,
      [itemId(), units.lead.id, people.leadA.userId],
    );
  };

  const each = (template: string, ...who: Who[]): string[] => who.map((w) => `${template} → ${w}`);
  const LEADS = ['leadA', 'leadB'] as const;
  const BUREAU = ['D1', 'D2'] as const;

  describe('items: a two-level chain (a county section without verifiers, then the city), five days of notice', () => {
    let itemId = '';
    let version = 0;

    beforeAll(async () => {
      const batch = await f.newBatch(people.D1, {
        chain: [
          { level: 'county', unitId: units.countySection.id },
          { level: 'city', unitId: units.city.id },
        ],
        noticeDays: 5,
      });
      const item = await f.newItem(people.D1, batch, {
        code: `FAN-${Factory.tag()}`,
        deadline: '2030-12-31',
        leadUnitIds: [units.lead.id],
        cooperating: [{ unitId: units.coop.id, part: '提供监测数据', subDeadline: '2030-06-30' }],
      });
      itemId = item.id;
      version = item.version;
    });

    const returnToUnit = '退回责任单位整改，整改完成重新申请验收后从市级验收继续，此前各级验收结论保留。';
    const steps: Step[] = [
      {
        who: 'D1',
        action: 'assign',
        mails: [...each('item.assign', ...LEADS), 'item.assign_part → coopA'],
        data: { coopA: { part: '提供监测数据', partDeadline: '2030-06-30', deadline: '2030-12-31' } },
      },
      {
        who: 'D2',
        action: 'withdraw',
        input: { reason: '牵头单位需调整' },
        // Every unit the assignment reached hears it is withdrawn; the cooperating unit with the same text.
        mails: [...each('item.withdraw', ...LEADS), 'item.withdraw → coopA'],
        data: { leadA: { reason: '牵头单位需调整' }, coopA: { reason: '牵头单位需调整' } },
      },
      { who: 'D1', action: 'assign', mails: [...each('item.assign', ...LEADS), 'item.assign_part → coopA'] },
      {
        who: 'leadB',
        action: 'decline',
        input: { reason: '不属于本单位职责' },
        // The dispatchers are asked to assign it anew; the lead unit's other officers and the cooperating unit to stop.
        mails: [...each('item.decline', ...BUREAU), 'item.declined → leadA', 'item.declined → coopA'],
        data: { D1: { reason: '不属于本单位职责' }, D2: { reason: '不属于本单位职责' }, coopA: { reason: '不属于本单位职责' } },
      },
      { who: 'D1', action: 'assign', mails: [...each('item.assign', ...LEADS), 'item.assign_part → coopA'] },
      { who: 'leadA', action: 'accept', mails: [] },
      { who: 'leadA', action: 'report_progress', input: { text: '已完成煤场围挡' }, mails: [] },
      { who: 'coopA', action: 'report_part', input: { partStatus: 'done' }, mails: [] },
      {
        who: 'leadA',
        action: 'request_extension',
        input: { proposedDeadline: '2031-06-30', reason: '设备到货延迟' },
        mails: each('item.request_extension', ...BUREAU),
        data: { D2: { late: false, reason: '设备到货延迟' } },
      },
      {
        who: 'D1',
        action: 'approve_extension',
        mails: each('item.approve_extension', ...LEADS),
        data: { leadA: { deadline: '2031-06-30' } },
      },
      {
        who: 'leadA',
        action: 'request_extension',
        input: { proposedDeadline: '2031-12-31', reason: '再次申请' },
        mails: each('item.request_extension', ...BUREAU),
      },
      { who: 'D2', action: 'reject_extension', input: { reason: '理由不充分' }, mails: each('item.reject_extension', ...LEADS) },
      { who: 'D1', action: 'urge', input: { reason: '请加快进度' }, mails: each('item.urge', ...LEADS) },
      {
        who: 'leadA',
        action: 'submit',
        before: evidenceFor(() => itemId),
        // The section has no verifiers: the nearest unit above it that has some is asked.
        mails: ['item.submit → countyVerifier', ...each('item.submitted', ...BUREAU)],
        data: { countyVerifier: { level: '县级自验', resumed: false }, D1: { level: '县级自验' } },
      },
      {
        who: 'countyVerifier',
        action: 'pass',
        mails: ['item.submit → cityVerifier', ...each('item.pass', ...BUREAU)],
        data: { cityVerifier: { level: '市级验收' }, D1: { level: '县级自验' } },
      },
      {
        who: 'cityVerifier',
        action: 'return',
        input: { returnTo: 'county', reason: '佐证材料不全' },
        mails: ['item.returned_to_level → countyVerifier', ...each('item.return', ...BUREAU)],
        data: { countyVerifier: { level: '县级自验', returnNote: '退回县级自验重新审核。', reason: '佐证材料不全' } },
      },
      {
        who: 'countyVerifier',
        action: 'pass',
        mails: ['item.submit → cityVerifier', ...each('item.pass', ...BUREAU)],
      },
      {
        who: 'cityVerifier',
        action: 'return',
        input: { returnTo: 'unit', reason: '现场仍有扬尘' },
        mails: [...each('item.return', ...LEADS), ...each('item.return', ...BUREAU)],
        data: { leadB: { level: '市级验收', returnNote: returnToUnit }, D2: { returnNote: returnToUnit } },
      },
      {
        who: 'leadA',
        action: 'submit',
        mails: ['item.submit → cityVerifier', ...each('item.submitted', ...BUREAU)],
        data: { cityVerifier: { level: '市级验收', resumed: true } },
      },
      {
        who: 'cityVerifier',
        action: 'pass',
        mails: [...each('item.pass', ...LEADS), ...each('item.pass', ...BUREAU)],
        data: { leadA: { level: '市级验收' } },
      },
      { who: 'D1', action: 'uphold_objection', input: { reason: '群众反映仍有扬尘' }, mails: each('item.uphold_objection', ...LEADS) },
      {
        who: 'leadA',
        action: 'submit',
        mails: ['item.submit → countyVerifier', ...each('item.submitted', ...BUREAU)],
        data: { countyVerifier: { level: '县级自验', resumed: false } },
      },
      { who: 'countyVerifier', action: 'pass', mails: ['item.submit → cityVerifier', ...each('item.pass', ...BUREAU)] },
      { who: 'cityVerifier', action: 'pass', mails: [...each('item.pass', ...LEADS), ...each('item.pass', ...BUREAU)] },
      {
        who: 'D1',
        action: 'close_notice',
        before: () => Promise.resolve(clock.advanceDays(7)),
        // The batch's owners follow every step, but not of their own hand: D1 closed it.
        mails: [...each('item.signed_off', ...LEADS), 'item.signed_off → D2'],
      },
      { who: 'auditor', action: 'spot_check', input: { spotCheckResult: 'rebound', reason: '现场复查发现反弹' }, mails: [] },
      { who: 'D2', action: 'reopen', input: { reason: '回头看发现反弹' }, mails: each('item.reopen', ...LEADS) },
      {
        who: 'D1',
        action: 'reset_deadline',
        input: { newDeadline: '2031-09-30', reason: '重新明确整改时限' },
        mails: each('item.reset_deadline', ...LEADS),
        data: { leadB: { deadline: '2031-09-30' } },
      },
      {
        who: 'D1',
        action: 'cancel',
        input: { reason: '问题已不存在' },
        mails: [...each('item.cancel', ...LEADS), 'item.cancel → coopA'],
        data: { leadB: { reason: '问题已不存在' } },
      },
    ];

    it.each(steps)('$who $action → $mails', async (step) => {
      await step.before?.();
      const r = await f.transitions.transition(people[step.who], itemId, { action: step.action, version, ...inputOf(step) } as never);
      version = r.version;
      await expectFanOut(step, `item:${itemId}:${r.historySeq}`);
    });

    it("a merge tells the merged item's units; a draft cancelled or merged, never assigned, tells nobody", async () => {
      const batch = await f.newBatch(people.D1, { chain: [{ level: 'city', unitId: units.city.id }] });
      const fields = { leadUnitIds: [units.lead.id], cooperating: [{ unitId: units.coop.id, part: '配合' }] };
      const [kept, merged, draft, draft2] = [
        await f.newItem(people.D1, batch, { code: `MG-${Factory.tag()}`, ...fields }),
        await f.newItem(people.D1, batch, { code: `MG-${Factory.tag()}`, ...fields }),
        await f.newItem(people.D1, batch, { code: `MG-${Factory.tag()}`, ...fields }),
        await f.newItem(people.D1, batch, { code: `MG-${Factory.tag()}`, ...fields }),
      ];
      const act = (who: Who, id: string, version: number, action: string, input: Record<string, unknown> = {}) =>
        f.transitions.transition(people[who], id, { action, version, ...input } as never);
      const assigned = await act('D1', merged.id, merged.version, 'assign');
      const r = await act('D2', merged.id, assigned.version, 'merge', { mergeIntoId: kept.id, reason: '与另一事项为同一问题' });
      await expectFanOut(
        {
          mails: [...each('item.merge', ...LEADS), 'item.merge → coopA'],
          data: { leadA: { reason: '与另一事项为同一问题', mergedInto: kept.code }, coopA: { mergedInto: kept.code } },
        },
        `item:${merged.id}:${r.historySeq}`,
      );
      const cancelled = await act('D1', draft.id, draft.version, 'cancel', { reason: '录入重复' });
      await expectFanOut({ mails: [] }, `item:${draft.id}:${cancelled.historySeq}`);
      const mergedDraft = await act('D1', draft2.id, draft2.version, 'merge', { mergeIntoId: kept.id, reason: '同一问题' });
      await expectFanOut({ mails: [] }, `item:${draft2.id}:${mergedDraft.historySeq}`);
    });

    it('a comment tells the people and units it names who may read the item, not its author nor a unit that may not', async () => {
      const text = `请@${userName.leadA} 与 @${units.coop.name} 核实，抄送 @${userName.D2} @${userName.D1} @${units.other.name}`;
      const comment = await f.get(ItemNotesService).addComment(people.D1, itemId, text);
      const { mails, data } = await fannedOut(`comment:${comment.id}`);
      expect(mails).toEqual(['item.mention → D2', 'item.mention → coopA', 'item.mention → leadA']);
      expect(data.get('coopA')).toMatchObject({ reason: text });
    });
  });

  describe('items: one level at a unit whose verifier is also its dispatcher, an ongoing item, no notice', () => {
    let itemId = '';
    let version = 0;

    beforeAll(async () => {
      const batch = await f.newBatch(people.officeD, { chain: [{ level: 'city', unitId: units.office.id }], noticeDays: 0 });
      const item = await f.newItem(people.officeD, batch, {
        code: `FAN-${Factory.tag()}`,
        type: 'ongoing',
        leadUnitIds: [units.lead.id, units.lead2.id],
      });
      itemId = item.id;
      version = item.version;
    });

    const steps: Step[] = [
      { who: 'officeD', action: 'assign', mails: each('item.assign', ...LEADS, 'lead2A') },
      { who: 'leadA', action: 'accept', mails: [] },
      {
        who: 'leadA',
        action: 'submit',
        before: evidenceFor(() => itemId),
        // dual is a verifier of the level and an owner of the batch: one e-mail, the first audience's.
        mails: ['item.submit → dual', 'item.submitted → officeD'],
        data: { dual: { level: '市级验收' } },
      },
      {
        who: 'dual',
        action: 'pass',
        mails: [...each('item.phase_completed', ...LEADS, 'lead2A'), 'item.phase_completed → officeD'],
      },
      { who: 'leadB', action: 'report_progress', input: { text: '持续巩固' }, mails: [] },
      { who: 'officeD', action: 'sign_off', mails: [...each('item.signed_off', ...LEADS, 'lead2A'), 'item.signed_off → dual'] },
    ];

    it.each(steps)('$who $action → $mails', async (step) => {
      await step.before?.();
      const r = await f.transitions.transition(people[step.who], itemId, { action: step.action, version, ...inputOf(step) } as never);
      version = r.version;
      await expectFanOut(step, `item:${itemId}:${r.historySeq}`);
    });
  });

  describe('items: an assignment withdrawn, then declined, then the draft cancelled', () => {
    it('the lead unit hears of the withdrawal, the dispatchers of the decline, nobody of the draft cancelled', async () => {
      const batch = await f.newBatch(people.D1);
      const item = await f.newItem(people.D1, batch, { code: `FAN-${Factory.tag()}`, leadUnitIds: [units.lead.id] });
      let version = item.version;
      const run = async (who: Who, action: string, input: Record<string, unknown>, mails: string[]): Promise<void> => {
        const r = await f.transitions.transition(people[who], item.id, { action, version, ...input } as never);
        version = r.version;
        await expectFanOut({ mails }, `item:${item.id}:${r.historySeq}`);
      };
      await run('D1', 'assign', {}, each('item.assign', ...LEADS));
      await run('D1', 'withdraw', { reason: '分派有误' }, each('item.withdraw', ...LEADS));
      await run('D1', 'assign', {}, each('item.assign', ...LEADS));
      await run('leadA', 'decline', { reason: '不属本单位职责' }, [...each('item.decline', ...BUREAU), 'item.declined → leadB']);
      await run('D2', 'cancel', { reason: '重复立项' }, []);
    });
  });

  describe('nobody is mailed about their own action: a unit that dispatches to itself, one of its people a dispatcher and an officer', () => {
    it('items: the actor is left out of every audience, the lead unit and a level’s verifiers included', async () => {
      // The second level's unit is the county itself: its verifier passes the first level (asked for the section) and is next.
      const batch = await f.newBatch(people.selfBoth, {
        chain: [
          { level: 'county', unitId: units.countySection.id },
          { level: 'city', unitId: units.county.id },
        ],
      });
      const item = await f.newItem(people.selfBoth, batch, { code: `FAN-${Factory.tag()}`, leadUnitIds: [units.self.id] });
      let version = item.version;
      const run = async (who: Who, action: string, input: Record<string, unknown>, mails: string[]): Promise<void> => {
        const r = await f.transitions.transition(people[who], item.id, { action, version, ...input } as never);
        version = r.version;
        await expectFanOut({ mails }, `item:${item.id}:${r.historySeq}`);
      };
      await run('selfBoth', 'assign', {}, ['item.assign → selfOfficer']);
      await run('selfBoth', 'accept', {}, []);
      await run('selfBoth', 'request_extension', { proposedDeadline: '2031-06-30', reason: '设备到货延迟' }, [
        'item.request_extension → selfD2',
      ]);
      await run('selfD2', 'approve_extension', {}, each('item.approve_extension', 'selfBoth', 'selfOfficer'));
      await run('selfBoth', 'urge', {}, ['item.urge → selfOfficer']);
      await evidenceFor(() => item.id)();
      await run('selfBoth', 'submit', {}, ['item.submit → countyVerifier', 'item.submitted → selfD2']);
      await run('countyVerifier', 'pass', {}, each('item.pass', 'selfBoth', 'selfD2'));
    });

    it('milestones: the officer who reports is not mailed as a dispatcher, the dispatcher who urges not as an officer', async () => {
      const project = await f.get(ProjectsService).create(people.selfBoth, {
        code: `PRJ-${Factory.tag()}`,
        name: '污水处理厂提标改造',
        category: 'water',
        plannedInvestment: 2,
        startYear: 2026,
        endYear: 2026,
        responsibleUnitIds: [units.self.id],
        milestones: [{ name: '开工', plannedDate: '2026-12-31' }],
      });
      const [ms] = await f.get(MilestonesService).list(people.selfBoth, project.id);
      let version = ms.version;
      const run = async (who: Who, action: string, input: Record<string, unknown>, mails: string[]): Promise<void> => {
        const r = await f.get(MilestonesService).transition(people[who], project.id, ms.id, { action, version, ...input } as never);
        version = r.version;
        await expectFanOut({ mails }, `milestone:${ms.id}:${r.historySeq}`);
      };
      await run('selfBoth', 'urge', {}, ['milestone.urge → selfOfficer']);
      await ds.query(
        `INSERT INTO milestone_evidence (milestone_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
         VALUES ($1, $2, '开工报告.pdf', 'application/pdf', 1, repeat('d', 64), 'dd/x', $3)`,
        [ms.id, units.self.id, people.selfBoth.userId],
      );
      await run('selfBoth', 'report_done', { actualDate: '2026-03-02' }, ['milestone.report_done → selfD2']);
      await run('selfD2', 'verify', {}, each('milestone.verify', 'selfBoth', 'selfOfficer'));
    });

    it('complaint cases: the dispatcher who transfers is not mailed as an officer, the officer who asks not as a dispatcher', async () => {
      const intake = f.get(ComplaintIntakeService);
      const batch = await intake.createBatch(people.selfBoth, {
        round: `自查-${Factory.tag()}`,
        batchNo: 1,
        receivedOn: '2026-03-02',
        deadlineDays: 10,
        deadlineKind: 'calendar',
      });
      const created = await intake.createCase(people.selfBoth, batch.id, {
        caseNo: `X-${Factory.tag()}`,
        content: '夜间施工噪声扰民',
        countyUnitId: units.county.id,
        pollutionTypes: ['noise'],
      });
      const complaints = f.get(ComplaintTransitionsService);
      let version = 1;
      const run = async (who: Who, action: string, input: Record<string, unknown>, mails: string[]): Promise<void> => {
        const r = await complaints.perform(people[who], created.id, { action, version, ...input } as never);
        version = r.version;
        await expectFanOut({ mails }, `complaint:${created.id}:${r.historySeq}`);
      };
      await run('selfBoth', 'transfer', { leadUnitId: units.self.id }, ['complaint.transfer → selfOfficer']);
      await run('selfBoth', 'request_extension', { requestedDeadline: '2026-12-31', reason: '需夜间蹲守' }, [
        'complaint.request_extension → selfD2',
      ]);
      await run('selfD2', 'approve_extension', {}, each('complaint.approve_extension', 'selfBoth', 'selfOfficer'));
      await run('selfBoth', 'urge', {}, ['complaint.urge → selfOfficer']);
    });
  });

  describe('milestones: a project of two responsible units, managed by the bureau', () => {
    let projectId = '';
    let milestoneId = '';
    let version = 0;
    let code = '';

    beforeAll(async () => {
      code = `PRJ-${Factory.tag()}`;
      const project = await f.get(ProjectsService).create(people.D1, {
        code,
        name: '燃煤锅炉超低排放改造',
        category: 'air',
        plannedInvestment: 1.5,
        startYear: 2026,
        endYear: 2026,
        responsibleUnitIds: [units.lead.id, units.coop.id],
        milestones: [
          { name: '开工', plannedDate: '2026-06-30', responsibleUnitId: units.lead.id },
          { name: '竣工验收', plannedDate: '2026-12-31', responsibleUnitId: units.coop.id },
        ],
      });
      projectId = project.id;
      const [first] = await f.get(MilestonesService).list(people.D1, projectId);
      milestoneId = first.id;
      version = first.version;
    });

    const evidence = async (): Promise<void> => {
      await ds.query(
        `INSERT INTO milestone_evidence (milestone_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
         VALUES ($1, $2, '开工报告.pdf', 'application/pdf', 1, repeat('d', 64), 'dd/x', $3)`,
        [milestoneId, units.lead.id, people.leadA.userId],
      );
    };

    // The milestone's own unit is told, not the project's other responsible unit (coopA).
    const steps: Step[] = [
      { who: 'leadA', action: 'start', mails: [] },
      {
        who: 'D1',
        action: 'urge',
        input: { reason: '请按期开工' },
        mails: each('milestone.urge', ...LEADS),
        data: { leadA: { itemTitle: '燃煤锅炉超低排放改造 · 开工', deadline: '2026-06-30', reason: '请按期开工' } },
      },
      {
        who: 'D2',
        action: 'replan',
        input: { plannedDate: '2026-07-31', reason: '手续办理延后' },
        mails: each('milestone.replan', ...LEADS),
        data: { leadB: { deadline: '2026-07-31' } },
      },
      {
        who: 'leadA',
        action: 'report_done',
        before: evidence,
        input: { actualDate: '2026-03-02' },
        mails: each('milestone.report_done', ...BUREAU),
      },
      { who: 'D2', action: 'return', input: { reason: '开工报告未盖章' }, mails: each('milestone.return', ...LEADS) },
      { who: 'leadB', action: 'report_done', input: { actualDate: '2026-03-02' }, mails: each('milestone.report_done', ...BUREAU) },
      { who: 'D1', action: 'verify', mails: each('milestone.verify', ...LEADS) },
    ];

    it.each(steps)('$who $action → $mails', async (step) => {
      await step.before?.();
      const r = await f
        .get(MilestonesService)
        .transition(people[step.who], projectId, milestoneId, { action: step.action, version, ...inputOf(step) } as never);
      version = r.version;
      const data = await expectFanOut(step, `milestone:${milestoneId}:${r.historySeq}`);
      for (const d of data.values()) {
        expect(d).toMatchObject({ itemCode: code, link: `https://rectify.example.cn/projects/${projectId}` });
      }
    });
  });

  describe('complaint cases: transferred by the bureau to a lead unit with a cooperating unit, then reassigned', () => {
    let caseId = '';
    let version = 0;
    let caseNo = '';

    beforeAll(async () => {
      clock.setDate('2026-06-01');
      const intake = f.get(ComplaintIntakeService);
      const batch = await intake.createBatch(people.D1, {
        round: `第三轮-${Factory.tag()}`,
        batchNo: 1,
        receivedOn: '2026-06-01',
        deadlineDays: 10,
        deadlineKind: 'calendar',
      });
      caseNo = `X-${Factory.tag()}`;
      const created = await intake.createCase(people.D1, batch.id, {
        caseNo,
        content: '某养殖场粪污直排入沟渠，气味刺鼻',
        countyUnitId: units.county.id,
        pollutionTypes: ['water'],
      });
      caseId = created.id;
      version = 1;
      const dup = await intake.createCase(people.D1, batch.id, {
        caseNo: `${caseNo}-2`,
        content: '养殖场粪污外排',
        countyUnitId: units.county.id,
        pollutionTypes: ['water'],
      });
      const merged = await f
        .get(ComplaintTransitionsService)
        .perform(people.D1, dup.id, { action: 'merge', version: 1, duplicateOfId: caseId });
      expect((await fannedOut(`complaint:${dup.id}:${merged.historySeq}`)).mails).toEqual([]);
    });

    // The cooperating unit is told its part on the transfer, and nothing after: the lead unit reports.
    const steps: Step[] = [
      {
        who: 'D1',
        action: 'transfer',
        input: () => ({ leadUnitId: units.lead.id, cooperatingUnitIds: [units.coop.id] }),
        mails: [...each('complaint.transfer', ...LEADS), 'complaint.cooperate → coopA'],
        data: {
          leadA: { deadline: '2026-06-11', itemTitle: '某养殖场粪污直排入沟渠，气味刺鼻' },
          coopA: { deadline: '2026-06-11', itemTitle: '某养殖场粪污直排入沟渠，气味刺鼻' },
        },
      },
      {
        who: 'leadA',
        action: 'request_extension',
        input: { requestedDeadline: '2026-06-15', reason: '需协调农业部门' },
        mails: each('complaint.request_extension', ...BUREAU),
      },
      {
        who: 'D2',
        action: 'approve_extension',
        mails: each('complaint.approve_extension', ...LEADS),
        data: { leadB: { deadline: '2026-06-15' } },
      },
      {
        who: 'leadB',
        action: 'request_extension',
        input: { requestedDeadline: '2026-06-20', reason: '再次申请' },
        mails: each('complaint.request_extension', ...BUREAU),
      },
      { who: 'D1', action: 'reject_extension', input: { reason: '不予延期' }, mails: each('complaint.reject_extension', ...LEADS) },
      { who: 'D1', action: 'urge', input: { reason: '请于明日前报送' }, mails: each('complaint.urge', ...LEADS) },
      {
        who: 'D2',
        action: 'reassign',
        input: () => ({ leadUnitId: units.lead2.id, reason: '属地调整' }),
        // The new lead unit is told it leads; the former one that the case left it.
        mails: ['complaint.reassign → lead2A', ...each('complaint.reassigned_away', ...LEADS)],
        data: { leadA: { reason: '属地调整' }, lead2A: { reason: '属地调整' } },
      },
      {
        who: 'lead2A',
        action: 'report_verdict',
        input: { verdict: 'partly', findings: '存在粪污渗漏', handlingSummary: '责令限期整改' },
        mails: each('complaint.report_verdict', ...BUREAU),
      },
      { who: 'D1', action: 'return', input: { reason: '未说明粪污去向' }, mails: ['complaint.return → lead2A'] },
      {
        who: 'lead2A',
        action: 'report_verdict',
        input: { verdict: 'partly', handlingSummary: '责令限期整改，粪污已清运' },
        mails: each('complaint.report_verdict', ...BUREAU),
      },
      {
        who: 'D1',
        action: 'phase_close',
        input: { committedDate: '2026-09-30' },
        // The lead unit is told the date it committed to, not the case's handling deadline.
        mails: ['complaint.phase_close → lead2A'],
        data: { lead2A: { deadline: '2026-09-30' } },
      },
      {
        who: 'lead2A',
        action: 'apply_closure',
        input: { handlingSummary: '防渗储粪池已建成投用' },
        mails: each('complaint.apply_closure', ...BUREAU),
      },
      { who: 'D2', action: 'close', mails: ['complaint.close → lead2A'] },
      { who: 'D1', action: 'publish', mails: [] },
      { who: 'D1', action: 'follow_up', input: { reached: true, satisfaction: 'satisfied' }, mails: [] },
      { who: 'D1', action: 'archive', mails: [] },
    ];

    it.each(steps)('$who $action → $mails', async (step) => {
      const r = await f
        .get(ComplaintTransitionsService)
        .perform(people[step.who], caseId, { action: step.action, version, ...inputOf(step) } as never);
      version = r.version;
      const data = await expectFanOut(step, `complaint:${caseId}:${r.historySeq}`);
      for (const d of data.values()) {
        expect(d).toMatchObject({ itemCode: caseNo, link: `https://rectify.example.cn/complaints/${caseId}` });
      }
    });
  });
});
