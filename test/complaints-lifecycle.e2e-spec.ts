import type { OrgUnitView, UserView } from '#org';
import { type TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { Factory } from './support/factories.js';
import { MailWorld } from './support/mail-world.js';
import { SmtpSink, type CapturedMail } from './support/smtp-sink.js';

/**
 * One complaint case's whole life through HTTP on the workflow runner, with the e-mails it causes
 * in a real SMTP sink: intake and a merged repeat, transfer with the batch's calendar-day rule,
 * extension, urging, a verdict returned and reported again, phase closure, final closure, publication,
 * the follow-up visit and archiving, a spawned item; bad input, scope and stale versions on the way;
 * and the figures it leaves (closed after the original deadline, within the approved one).
 */
describe('a complaint case’s life (e2e, real SMTP)', () => {
  const sink = new SmtpSink();
  const clock = new TestClock(new Date('2026-06-02T09:00:00+08:00'));
  const tag = Factory.tag();
  let api: TestApi;
  let world: MailWorld;
  let section: OrgUnitView;
  let cooperating: OrgUnitView;
  const u: Record<string, UserView> = {};
  const t: Record<string, string> = {};
  let batchId: string;
  let caseId: string;
  let version: number;

  beforeAll(async () => {
    world = await MailWorld.start('complaints', clock, sink);
    api = world.api;
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city', name: `大同市-${tag}` });
    const bureau = await f.newUnit({ parent: city, name: `市生态环境局-${tag}` });
    const county = await f.newUnit({ parent: city, kind: 'county', name: `阳高县-${tag}` });
    section = await f.newUnit({ parent: county, name: `阳高县生态环境分局-${tag}` });
    cooperating = await f.newUnit({ parent: county, name: `阳高县农业农村局-${tag}` });
    const other = await f.newUnit({ parent: city, kind: 'county', name: `天镇县-${tag}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.officer = await f.newUser(section, ['unit_officer']);
    u.other = await f.newUser(other, ['unit_officer']);
    u.auditor = await f.newUser(city, ['auditor']);
    Object.assign(t, await world.tokens(u));
    const batch = await post('dispatcher', '/api/complaint-batches', {
      round: `第三轮中央生态环境保护督察-${tag}`,
      batchNo: 1,
      receivedOn: '2026-06-01',
      issuer: '中央第三生态环境保护督察组',
      deadlineDays: 10,
      deadlineKind: 'calendar',
    });
    batchId = batch.body.id;
    const body = (caseNo: string, content: string) => ({ caseNo, content, countyUnitId: county.id, pollutionTypes: ['water'] });
    const first = await post(
      'dispatcher',
      `/api/complaint-batches/${batchId}/cases`,
      body('X1-001', '阳高县龙泉镇东小村养殖场粪污直排村边河道，臭味严重'),
    );
    caseId = first.body.id;
    version = 1;
    const repeat = await post(
      'dispatcher',
      `/api/complaint-batches/${batchId}/cases`,
      body('X1-002', '阳高县龙泉镇东小村养殖场粪污直排村边河道，臭味很严重'),
    );
    expect(repeat.body.duplicates).toEqual([expect.objectContaining({ otherId: caseId })]);
    const merged = await post('dispatcher', `/api/complaints/${repeat.body.id}/transitions`, {
      action: 'merge',
      version: 1,
      duplicateOfId: caseId,
    });
    expect(merged.body).toMatchObject({ from: 'received', to: 'merged' });
  }, 120_000);
  afterAll(async () => {
    await world.stop();
  });

  function post(who: string, url: string, body: unknown): Promise<Reply> {
    return api.request('POST', url, { token: t[who], body });
  }
  const get = (who: string, url: string): Promise<Reply> => api.request('GET', url, { token: t[who] });
  async function act(who: string, action: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const res = await post(who, `/api/complaints/${caseId}/transitions`, { action, version, ...extra });
    if (res.status === 200) version = res.body.version;
    return res;
  }
  const mailsTo = (who: string, since: number, n = 1): Promise<CapturedMail[]> => world.mailsTo(u[who].email, since, n);
  const count = (who: string): number => sink.to(u[who].email).length;

  it('transfers with the batch’s rule: 10 calendar days from receipt, the lead unit told', async () => {
    const before = await post('dispatcher', `/api/complaints/${caseId}/transitions`, {
      action: 'transfer',
      version,
      leadUnitId: section.id,
      deadline: '2026-05-31',
    });
    expect(before.status).toBe(422);
    expect(before.body.details.missing).toEqual(['a deadline (deadline) not before the receipt date 2026-06-01']);
    expect((await act('officer', 'transfer', { leadUnitId: section.id })).status).toBe(404);
    const since = count('officer');
    const res = await act('dispatcher', 'transfer', { leadUnitId: section.id, cooperatingUnitIds: [cooperating.id] });
    expect(res.status).toBe(200);
    const detail = await get('officer', `/api/complaints/${caseId}`);
    expect(detail.body).toMatchObject({
      state: 'transferred',
      originalDeadline: '2026-06-11',
      deadline: '2026-06-11',
      mergedCaseNos: ['X1-002'],
    });
    expect(detail.body.deadlines[0].rule).toContain('10');
    expect(detail.body).not.toHaveProperty('contact');
    const [mail] = await mailsTo('officer', since);
    expect(mail.subject).toBe('【信访件转办】X1-001，办理时限 2026-06-11');
    expect(mail.body).toContain(`https://rectify.example.cn/complaints/${caseId}`);
  });

  it('the lead unit asks for more time; the dispatcher approves: a new deadline version', async () => {
    const since = count('dispatcher');
    expect((await act('officer', 'request_extension', { requestedDeadline: '2026-06-15' })).body.code).toBe('REASON_REQUIRED');
    expect((await act('officer', 'request_extension', { requestedDeadline: '2026-06-15', reason: '需协调农业部门现场核查' })).status).toBe(
      200,
    );
    expect((await mailsTo('dispatcher', since))[0].subject).toBe('【延期申请】信访件 X1-001');
    const officerSince = count('officer');
    expect((await act('dispatcher', 'approve_extension')).status).toBe(200);
    expect((await mailsTo('officer', officerSince))[0].subject).toBe('【延期已批准】信访件 X1-001，办理时限 2026-06-15');
    expect((await act('dispatcher', 'urge', { reason: '请于明日前报送' })).status).toBe(200);
    const urged = await mailsTo('officer', officerSince, 2);
    expect(urged[1].subject).toBe('【催办】信访件 X1-001，办理时限 2026-06-15');
    const detail = await get('dispatcher', `/api/complaints/${caseId}`);
    expect(detail.body.deadlines.map((d: { version: number; deadline: string; kind: string }) => [d.version, d.deadline, d.kind])).toEqual([
      [1, '2026-06-11', 'initial'],
      [2, '2026-06-15', 'extension'],
    ]);
  });

  it('refuses bad verdicts and handling naming the field; other units get 404, auditors 403, stale versions 409', async () => {
    const negative = await act('officer', 'report_verdict', { verdict: 'partly', handlingSummary: '责令整改', handling: { finesWan: -1 } });
    expect(negative.status).toBe(400);
    expect(negative.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['handling.finesWan']);
    const unknown = await act('officer', 'report_verdict', { verdict: 'maybe', handlingSummary: 'x' });
    expect(unknown.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['verdict']);
    expect((await act('officer', 'report_verdict', { verdict: 'partly' })).body.details.missing).toEqual([
      'what was found and done (handlingSummary)',
    ]);
    expect((await act('other', 'urge')).status).toBe(404);
    expect((await get('other', `/api/complaints/${caseId}`)).status).toBe(404);
    expect((await act('auditor', 'urge')).status).toBe(403);
    const stale = await post('dispatcher', `/api/complaints/${caseId}/transitions`, { action: 'urge', version: version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.details.currentVersion).toBe(version);
  });

  it('a verdict returned with reasons is reported again; phase-closed, then closed on application', async () => {
    clock.setDate('2026-06-13');
    const since = count('dispatcher');
    const report = await act('officer', 'report_verdict', {
      verdict: 'partly',
      findings: '该养殖场存在雨污不分、粪污渗漏入沟渠问题，未发现直排管道',
      handlingSummary: '责令限期整改，立案查处',
      handling: { ordersIssued: 1, finesWan: 2.5, casesFiled: 1 },
    });
    expect(report.status).toBe(200);
    expect((await mailsTo('dispatcher', since))[0].subject).toBe('【信访件待审核】X1-001 已报送调查核实结果');
    const officerSince = count('officer');
    expect((await act('dispatcher', 'return', { reason: '未说明粪污去向' })).body.to).toBe('transferred');
    expect((await mailsTo('officer', officerSince))[0].body).toContain('说明：未说明粪污去向');
    expect(
      (
        await act('officer', 'report_verdict', {
          verdict: 'partly',
          handlingSummary: '责令限期整改，立案查处，粪污已清运还田',
          handling: { ordersIssued: 1, finesWan: 2.5, casesFiled: 1, summoned: 1 },
        })
      ).status,
    ).toBe(200);
    expect((await act('dispatcher', 'phase_close', { committedDate: '2026-06-10' })).body.details.missing).toEqual([
      'a committed completion date (committedDate) after today',
    ]);
    expect((await act('dispatcher', 'phase_close', { committedDate: '2026-09-30' })).body.to).toBe('phase_closed');
    clock.setDate('2026-09-20');
    expect((await act('officer', 'apply_closure', { handlingSummary: '防渗储粪池已建成投用' })).body.to).toBe('investigated');
    expect((await act('dispatcher', 'close')).body.to).toBe('closed');
  });

  it('is published, followed up and archived; a substantiated case spawns an item linked back', async () => {
    expect((await act('dispatcher', 'archive')).body.details.missing).toEqual([
      'publication of the result (publish first)',
      'a follow-up visit (回访)',
    ]);
    expect((await act('dispatcher', 'follow_up', { reached: true, satisfaction: 'satisfied' })).body.details.missing).toEqual([
      'publication of the result (publish first)',
    ]);
    expect((await act('dispatcher', 'publish')).status).toBe(200);
    expect((await act('dispatcher', 'follow_up', { reached: true })).body.details.missing).toEqual([
      'the complainant’s satisfaction (satisfaction)',
    ]);
    expect((await act('dispatcher', 'follow_up', { reached: true, satisfaction: 'satisfied', note: '群众表示满意' })).status).toBe(200);
    const itemBatch = await post('dispatcher', '/api/batches', {
      code: `XF-${tag}`,
      name: '信访举报件转整改事项',
      sourceType: 'complaint',
    });
    const spawned = await post('dispatcher', `/api/complaints/${caseId}/spawn-item`, {
      version,
      itemBatchId: itemBatch.body.id,
      code: `XF-${tag}-1`,
      title: '东小村养殖场粪污治理',
      domain: 'water',
    });
    expect(spawned.status).toBe(201);
    version = spawned.body.version;
    expect((await act('dispatcher', 'archive')).body.to).toBe('archived');
    const detail = await get('dispatcher', `/api/complaints/${caseId}`);
    expect(detail.body.items).toEqual([expect.objectContaining({ id: spawned.body.itemId, state: 'draft', awaited: false })]);
    expect(detail.body.verdicts.map((v: { seq: number; review: string | null }) => [v.seq, v.review])).toEqual([
      [1, 'returned'],
      [2, 'accepted'],
      [3, 'accepted'],
    ]);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual([
      'receive',
      'transfer',
      'request_extension',
      'approve_extension',
      'urge',
      'report_verdict',
      'return',
      'report_verdict',
      'phase_close',
      'apply_closure',
      'close',
      'publish',
      'follow_up',
      'spawn_item',
      'archive',
    ]);
    const item = await get('dispatcher', `/api/items/${spawned.body.itemId}`);
    expect(item.body.feedbackText).toContain('X1-001');
  });

  it('leaves figures as of any day: late against the original deadline, on time against the approved one', async () => {
    const figures = async (asOf: string) =>
      Object.fromEntries(
        (await get('auditor', `/api/complaints/statistics/summary?batchId=${batchId}&asOf=${asOf}`)).body.figures.map(
          (f: { key: string; value: number | null }) => [f.key, f.value],
        ),
      );
    // Phase-closed on 2026-06-13: the original deadline was 06-11, the approved one 06-15.
    expect(await figures('2026-06-20')).toMatchObject({
      received: 2,
      valid: 1,
      transferred: 1,
      closed: 0,
      phaseClosed: 1,
      closureRate: 0,
      closureRateWithPhase: 1,
      onTimeRateOriginal: 0,
      onTimeRateApproved: 1,
      substantiatedShare: 1,
      feedbackRate: 0,
      finesWan: 2.5,
      summoned: 1,
    });
    expect(await figures('2026-09-30')).toMatchObject({ closed: 1, phaseClosed: 0, closureRate: 1, feedbackRate: 1 });
    // Entered on 2026-06-02 (received 06-01): the figures of 06-01 had none of it yet.
    expect(await figures('2026-06-01')).toMatchObject({ received: 0, transferred: 0 });
    expect(await figures('2026-06-02')).toMatchObject({ received: 2, valid: 1, transferred: 1, closed: 0, phaseClosed: 0 });
    const report = await get('dispatcher', `/api/complaint-batches/${batchId}/daily-report`);
    expect(report.body.lines.map((l: { line: string }) => l.line)).toEqual([
      `X1-001（阳高县-${tag}）：经核查，反映情况部分属实。防渗储粪池已建成投用；责令整改1家，立案1起，罚款2.5万元，约谈1人。已办结。`,
      `X1-002（阳高县-${tag}）：重复件，已合并。`,
    ]);
  });
});
