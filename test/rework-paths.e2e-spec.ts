import type { ItemDetail } from '#items';
import type { OrgUnitView, UserView } from '#org';
import { ReminderSweepService } from '#notifications';
import { type TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { Factory } from './support/factories.js';
import { MailWorld } from './support/mail-world.js';
import { SmtpSink, type CapturedMail } from './support/smtp-sink.js';

const nextDay = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * The unhappy paths (issue 22), through HTTP, with the e-mails they cause checked in a real SMTP
 * sink: returns to a chosen level, new deadlines for reopened and overdue items, late extension
 * requests, and everyone involved told.
 */
describe('returns, new deadlines and everyone told (e2e, real SMTP)', () => {
  const sink = new SmtpSink();
  const clock = new TestClock(new Date('2026-03-02T09:00:00+08:00'));
  let api: TestApi;
  let world: MailWorld;
  let province: OrgUnitView;
  let county: OrgUnitView;
  let housing: OrgUnitView;
  const u: Record<string, UserView> = {};
  const t: Record<string, string> = {};
  let batchId: string;

  beforeAll(async () => {
    world = await MailWorld.start('rework', clock, sink);
    api = world.api;
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city', name: `大同市-${Factory.tag()}` });
    const bureau = await f.newUnit({ parent: city, name: '市生态环境局' });
    county = await f.newUnit({ parent: city, kind: 'county', name: '天镇县' });
    housing = await f.newUnit({ parent: city, name: '市住建局' });
    province = await f.newUnit({ kind: 'other', name: `省生态环境厅-${Factory.tag()}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.deputy = await f.newUser(bureau, ['dispatcher']);
    u.countyOfficer = await f.newUser(county, ['unit_officer']);
    u.housingOfficer = await f.newUser(housing, ['unit_officer']);
    u.countyVerifier = await f.newUser(county, ['verifier']);
    u.cityVerifier = await f.newUser(bureau, ['verifier']);
    u.provinceVerifier = await f.newUser(province, ['verifier']);
    Object.assign(t, await world.tokens(u));
    const batch = await api.request('POST', '/api/batches', {
      token: t.dispatcher,
      body: {
        code: `ZY3-${Factory.tag()}`,
        name: '第三轮中央生态环境保护督察反馈问题',
        sourceType: 'central_inspection',
        round: 3,
        acceptanceChain: [{ level: 'county' }, { level: 'city' }, { level: 'province', unitId: province.id }],
      },
    });
    expect(batch.status).toBe(201);
    expect(batch.body.acceptanceChain.map((l: { label: string }) => l.label)).toEqual(['县级自验', '市级验收', '省级验收']);
    batchId = batch.body.id;
  }, 120_000);
  afterAll(async () => {
    await world.stop();
  });

  const relay = (): Promise<void> => world.relay();
  /** Relays, then waits for exactly `n` new e-mails to `who` since `since`, and returns them. */
  const mailsTo = (who: string, since: number, n = 1): Promise<CapturedMail[]> => world.mailsTo(u[who].email, since, n);
  const count = (who: string): number => sink.to(u[who].email).length;
  const settle = (): Promise<void> => world.settle();

  let itemId: string;
  let version: number;
  async function act(who: string, action: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const res = await api.request('POST', `/api/items/${itemId}/transitions`, { token: t[who], body: { action, version, ...extra } });
    if (res.status === 200) version = res.body.version;
    return res;
  }
  async function detail(): Promise<ItemDetail> {
    const res = await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher });
    expect(res.status).toBe(200);
    return res.body;
  }
  async function upload(who: string): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([PDF]), '整改报告.pdf');
    const res = await fetch(`${api.baseUrl}/api/items/${itemId}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t[who]}` },
      body: form,
    });
    expect(res.status).toBe(201);
    version = (await detail()).version;
  }
  const ok = async (res: Promise<Reply>, state?: string): Promise<Reply> => {
    const r = await res;
    expect({ status: r.status, body: r.status === 200 ? undefined : r.body }).toEqual({ status: 200, body: undefined });
    if (state) expect(r.body.to).toBe(state);
    return r;
  };

  it('assignment tells the lead unit, and each cooperating unit its own part and sub-deadline', async () => {
    const item = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId,
        code: 'ZY3-07',
        title: '南洋河部分河段生活污水直排',
        domain: 'water',
        countyUnitId: county.id,
        goal: '2026年底前消除直排',
        type: 'deadline',
        leadUnitIds: [county.id],
        cooperating: [{ unitId: housing.id, part: '管网建设', subDeadline: '2026-05-31' }],
        deadline: '2026-06-30',
      },
    });
    expect(item.status).toBe(201);
    itemId = item.body.id;
    version = item.body.version;
    await ok(act('dispatcher', 'assign'));
    const [lead] = await mailsTo('countyOfficer', 0);
    expect(lead.subject).toBe('【整改通】新分派整改事项 ZY3-07，整改时限 2026-06-30');
    const [part] = await mailsTo('housingOfficer', 0);
    expect(part.subject).toBe('【配合整改】ZY3-07 请贵单位配合完成（配合时限 2026-05-31）');
    expect(part.body).toContain('贵单位为该事项的配合单位，承担：管网建设。');
    expect(part.body).toContain('请于 2026-05-31 前完成并报送配合事项，整改时限 2026-06-30。');
  });

  it('submit tells the first level and the batch dispatcher; each pass tells the dispatcher, by level label', async () => {
    await ok(act('countyOfficer', 'accept'));
    await ok(act('countyOfficer', 'report_progress', { text: '截污管网已建成' }));
    await ok(act('housingOfficer', 'report_part', { partStatus: 'done', text: '管网已完工' }));
    await upload('countyOfficer');
    const d0 = count('dispatcher');
    await ok(act('countyOfficer', 'submit'), 'in_acceptance');
    const [ask] = await mailsTo('countyVerifier', 0);
    expect(ask.subject).toBe('【待验收】ZY3-07 申请县级自验');
    const [told] = await mailsTo('dispatcher', d0);
    expect(told.subject).toBe('【已申请验收】ZY3-07 已提请县级自验');
    await ok(act('countyVerifier', 'pass'), 'in_acceptance');
    expect((await mailsTo('cityVerifier', 0))[0].subject).toBe('【待验收】ZY3-07 申请市级验收');
    expect((await mailsTo('dispatcher', d0 + 1))[0].subject).toBe('【验收通过】ZY3-07 县级自验通过');
    await ok(act('cityVerifier', 'pass'), 'in_acceptance');
    expect((await mailsTo('provinceVerifier', 0))[0].subject).toBe('【待验收】ZY3-07 申请省级验收');
    expect((await mailsTo('dispatcher', d0 + 2))[0].subject).toBe('【验收通过】ZY3-07 市级验收通过');
  });

  it('a province return (default) sends it back to the unit, and the resubmission resumes at province', async () => {
    await settle();
    const officer0 = count('countyOfficer');
    const county0 = count('countyVerifier');
    const city0 = count('cityVerifier');
    await ok(act('provinceVerifier', 'return', { reason: '佐证材料不足' }), 'in_progress');
    const [back] = await mailsTo('countyOfficer', officer0);
    expect(back.subject).toBe('【验收退回】ZY3-07 请补充整改，整改时限 2026-06-30');
    expect(back.body).toContain('省级验收未通过。');
    expect(back.body).toContain('退回责任单位整改，整改完成重新申请验收后从省级验收继续，此前各级验收结论保留。');
    expect(back.body).toContain('说明：佐证材料不足');
    expect(back.body).not.toMatch(/province|county|city/);
    await upload('countyOfficer');
    const p0 = count('provinceVerifier');
    await ok(act('countyOfficer', 'submit'), 'in_acceptance');
    const item = await detail();
    expect(item.acceptanceLevel).toBe(2);
    expect(item.submissionRound).toBe(2);
    const [again] = await mailsTo('provinceVerifier', p0);
    expect(again.subject).toBe('【待验收】ZY3-07 申请省级验收');
    expect(again.body).toContain('重新申请验收（此前各级验收结论保留）');
    // county and city are not asked again
    await relay();
    expect(count('countyVerifier')).toBe(county0);
    expect(count('cityVerifier')).toBe(city0);
  });

  it('a return to a named lower level asks that level again; a full re-check starts from the first level', async () => {
    const city0 = count('cityVerifier');
    await ok(act('provinceVerifier', 'return', { reason: '请市级复核现场', returnTo: 'city' }), 'in_acceptance');
    expect((await detail()).acceptanceLevel).toBe(1);
    const [review] = await mailsTo('cityVerifier', city0);
    expect(review.subject).toBe('【退回重审】ZY3-07 退回市级验收重新审核');
    expect(review.body).toContain('说明：请市级复核现场');
    const higher = await act('provinceVerifier', 'return', { reason: '越级', returnTo: 'county' });
    expect(higher.status).toBe(403); // the province is not this level's acceptance body any more
    const wrong = await act('cityVerifier', 'return', { reason: 'x', returnTo: 'province' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.missing).toEqual(['returnTo province is not a level below the current one (city)']);
    await ok(act('cityVerifier', 'pass'), 'in_acceptance');
    await ok(act('provinceVerifier', 'return', { reason: '整改不彻底，逐级重新验收', returnTo: 'recheck' }), 'in_progress');
    await upload('countyOfficer');
    await ok(act('countyOfficer', 'submit'), 'in_acceptance');
    expect((await detail()).acceptanceLevel).toBe(0);
  });

  it('every round is on record per level; sign-off tells the batch dispatcher and the lead unit shows done', async () => {
    await ok(act('countyVerifier', 'pass'));
    await ok(act('cityVerifier', 'pass'));
    await ok(act('provinceVerifier', 'pass'), 'public_notice');
    const item = await detail();
    expect(
      item.acceptances.map(
        (a: { submissionRound: number; level: string; result: string }) => `${a.submissionRound}:${a.level}:${a.result}`,
      ),
    ).toEqual([
      '1:county:pass',
      '1:city:pass',
      '1:province:return',
      '2:province:return',
      '2:city:pass',
      '2:province:return',
      '3:county:pass',
      '3:city:pass',
      '3:province:pass',
    ]);
    // the notice ended on 3/8 with no objection: the dispatchers are reminded each working day until it is closed
    const sweep = world.worker.get(ReminderSweepService);
    for (const day of ['2026-03-06', '2026-03-09', '2026-03-09', '2026-03-10']) await sweep.sweep(day);
    await settle();
    const noticeOver = (who: string): string[] =>
      sink
        .to(u[who].email)
        .filter((m) => m.subject.startsWith('【公示期满】ZY3-07'))
        .map((m) => m.subject);
    expect(noticeOver('dispatcher')).toEqual(Array(2).fill('【公示期满】ZY3-07 公示已于 2026-03-08 期满，请办理销号'));
    expect(noticeOver('deputy')).toHaveLength(2);
    clock.setDate('2026-03-20');
    await settle();
    const deputy0 = count('deputy');
    const officer0 = count('countyOfficer');
    await ok(act('dispatcher', 'close_notice'), 'signed_off');
    expect((await mailsTo('deputy', deputy0))[0].subject).toBe('【已销号】ZY3-07 整改完成并销号');
    expect((await mailsTo('countyOfficer', officer0))[0].subject).toBe('【已销号】ZY3-07 整改完成并销号');
    const signed = await detail();
    const lead = signed.units.find((x: { role: string }) => x.role === 'lead');
    expect(lead).toMatchObject({ status: 'done', progress: '截污管网已建成' });
  });

  it('a reopened item gets a new deadline (重新明确整改时限) as a new version; the original stays; the unit is told', async () => {
    clock.setDate('2026-11-16');
    await ok(act('dispatcher', 'reopen', { reason: '回头看发现部分河段仍有直排' }), 'in_progress');
    let item = await detail();
    expect(item).toMatchObject({ currentDeadline: '2026-06-30', overdue: true });
    expect(item.units.find((x) => x.role === 'lead')?.status).toBe('in_progress');
    const missing = await act('dispatcher', 'reset_deadline', { reason: '重新明确整改时限' });
    expect(missing.status).toBe(422);
    expect(missing.body.details.missing).toEqual(['newDeadline (YYYY-MM-DD) is required']);
    await settle();
    const officer0 = count('countyOfficer');
    await ok(act('dispatcher', 'reset_deadline', { reason: '回头看反弹，重新明确整改时限', newDeadline: '2027-03-31' }));
    item = await detail();
    expect(item).toMatchObject({ originalDeadline: '2026-06-30', currentDeadline: '2027-03-31', overdue: false });
    expect(item.deadlines.map((d: { version: number; kind: string; deadline: string }) => `${d.version}:${d.kind}:${d.deadline}`)).toEqual([
      '1:initial:2026-06-30',
      '2:reset:2027-03-31',
    ]);
    const [mail] = await mailsTo('countyOfficer', officer0);
    expect(mail.subject).toBe('【重新明确整改时限】ZY3-07 新整改时限 2027-03-31');
    expect(mail.body).toContain('说明：回头看反弹，重新明确整改时限');
    // not again: the deadline has not passed and the item was not reopened since
    const again = await act('dispatcher', 'reset_deadline', { reason: '再调', newDeadline: '2027-06-30' });
    expect(again.status).toBe(422);
  });

  it('an overdue item: a late extension request is accepted, marked late, and the dispatcher is told so', async () => {
    const item = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId,
        code: 'ZY3-08',
        title: '城区燃煤散烧',
        domain: 'air',
        type: 'deadline',
        goal: '清零',
        leadUnitIds: [county.id],
        deadline: '2026-10-31',
      },
    });
    itemId = item.body.id;
    version = item.body.version;
    await ok(act('dispatcher', 'assign'));
    await ok(act('countyOfficer', 'accept'));
    await settle();
    const d0 = count('dispatcher');
    await ok(act('countyOfficer', 'request_extension', { reason: '供暖季改造无法施工', proposedDeadline: '2027-04-30' }));
    const detailed = await detail();
    expect(detailed.extensions).toEqual([expect.objectContaining({ status: 'pending', late: true, fromDeadline: '2026-10-31' })]);
    const [mail] = await mailsTo('dispatcher', d0);
    expect(mail.subject).toBe('【延期申请（逾期后申请）】ZY3-08 申请延期');
    await ok(act('dispatcher', 'approve_extension'));
    expect(await detail()).toMatchObject({
      originalDeadline: '2026-10-31',
      currentDeadline: '2027-04-30',
      overdue: false,
      deadlineVersion: 2,
    });
  });

  it('the report figures: rebound rate, days against both deadlines, late extensions, sign-off by level — now and as of a past day', async () => {
    const figuresAt = async (asOf?: string): Promise<Record<string, { value: number | null; display: string; formula: string }>> => {
      const res = await api.request('GET', `/api/statistics/report-figures?batchId=${batchId}${asOf ? `&asOf=${asOf}` : ''}`, {
        token: t.dispatcher,
      });
      expect(res.status).toBe(200);
      return Object.fromEntries(res.body.figures.map((f: { key: string }) => [f.key, f]));
    };
    // As of 2026-03-20: ZY3-07 signed off after the province's pass, 102 days before its deadline 2026-06-30
    // (11 days of March + 30 + 31 + 30); ZY3-08 does not exist yet.
    const march = await figuresAt('2026-03-20');
    expect(march.total.value).toBe(1);
    expect(march.signedOffAtProvince.value).toBe(1);
    expect(march.signedOffAtCity.value).toBe(0);
    expect(march.everSignedOff.value).toBe(1);
    expect(march.reboundRate).toMatchObject({ value: 0, display: '0.00%' });
    expect(march.closeVsOriginalDeadline).toMatchObject({ value: -102, display: '-102 天' });
    expect(march.closeVsApprovedDeadline.value).toBe(-102);
    expect(march.lateExtensionRequests.value).toBe(0);
    // Now: ZY3-07 reopened (1 rebound of 1 ever signed off), nothing closed; ZY3-08's extension was asked late and granted.
    const now = await figuresAt();
    expect(now.total.value).toBe(2);
    expect(now.signedOffAtProvince.value).toBe(0);
    expect(now.everSignedOff.value).toBe(1);
    expect(now.reboundRate).toMatchObject({ value: 1, display: '100.00%' });
    expect(now.reboundRate.formula).toBe('销号后经回头看重新打开过的事项 ÷ 曾经销号的事项（含销号后重新打开的）');
    expect(now.closeVsOriginalDeadline.value).toBeNull();
    expect(now.lateExtensionRequests.value).toBe(1);
    expect(now.lateExtensionsApproved.value).toBe(1);
    const bad = await api.request('GET', `/api/statistics/report-figures?rounds=0,x`, { token: t.dispatcher });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('rounds');
  });

  it('a comment that mentions a user or a unit (@) tells them; someone who may not read the item is not told', async () => {
    const outsiderUnit = await api.factory.newUnit({ name: `外单位-${Factory.tag()}` });
    const outsider = await api.factory.newUser(outsiderUnit, ['unit_officer']);
    await settle();
    const housing0 = count('housingOfficer');
    const verifier0 = count('cityVerifier');
    const res = await api.request('POST', `/api/items/${itemId}/comments`, {
      token: t.dispatcher,
      body: { text: `@${u.cityVerifier.name} 请关注；@市住建局 请配合；@${outsider.name} 无关` },
    });
    expect(res.status).toBe(201);
    const [toVerifier] = await mailsTo('cityVerifier', verifier0);
    expect(toVerifier.subject).toBe(`【留言提及】${u.dispatcher.name}在 ZY3-08 中提到了您`);
    expect(toVerifier.body).toContain('请关注');
    // 市住建局 has no part in ZY3-08 and may not read it: not told
    await relay();
    await new Promise((r) => setTimeout(r, 500));
    expect(count('housingOfficer')).toBe(housing0);
    expect(sink.to(outsider.email)).toHaveLength(0);
  });

  it('overdue never goes silent: the ladder to the root, then a weekly 督办 to the lead unit and the dispatcher', async () => {
    const f = api.factory;
    const root = await f.newUnit({ kind: 'city', name: `朔州市-${Factory.tag()}` });
    const countyB = await f.newUnit({ parent: root, kind: 'county', name: '山阴县' });
    const section = await f.newUnit({ parent: countyB, kind: 'section', name: '山阴县生态环境分局' });
    const office = await f.newUnit({ parent: root, name: '市督察整改办' });
    u.sectionOfficer = await f.newUser(section, ['unit_officer']);
    u.countyHead = await f.newUser(countyB, ['dispatcher']);
    u.cityHead = await f.newUser(root, ['unit_officer']);
    u.office = await f.newUser(office, ['dispatcher']);
    const dispatcher = Factory.actor(u.office, office);
    const batch = await f.newBatch(dispatcher, { sourceType: 'self_found' });
    const item = await f.newItem(dispatcher, batch, {
      code: 'DB-10W',
      title: '砖厂扬尘治理',
      leadUnitIds: [section.id],
      deadline: '2026-10-30',
    });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    await settle();
    const sweep = world.worker.get(ReminderSweepService);
    for (let day = '2026-11-02'; day <= '2026-12-31'; day = nextDay(day)) await sweep.sweep(day);
    await settle();
    // (delivery order is not guaranteed: compared sorted)
    const about = (who: string): string[] =>
      sink
        .to(u[who].email)
        .map((m) => m.subject)
        .filter((s) => s.includes('DB-10W') && !s.includes('新分派'))
        .sort();
    // Working days overdue after Fri 2026-10-30 (no holidays in Nov–Dec 2026): Mon 11/2 is the 1st,
    // 11/6 the 5th (escalation 1), 11/13 the 10th (escalation 2, the top), then every 5: 15th (11/20),
    // 20th (11/27), 25th (12/4), 30th (12/11), 35th (12/18), 40th (12/25); 12/31 is the 44th.
    const recurring = [15, 20, 25, 30, 35, 40].map((n) => `【持续督办】DB-10W 已逾期${n}个工作日（时限 2026-10-30）`);
    const overdue = '【逾期】DB-10W 已超过整改时限（2026-10-30）';
    expect(about('sectionOfficer')).toEqual([overdue, ...recurring].sort());
    expect(about('office')).toEqual([overdue, ...recurring].sort());
    expect(about('countyHead')).toEqual(['【逾期升级督办】DB-10W 逾期未完成（时限 2026-10-30）']);
    expect(about('cityHead')).toEqual(['【逾期升级督办】DB-10W 逾期未完成（时限 2026-10-30）']);
    // sweeping again writes nothing new; a new deadline stops it
    const again = await sweep.sweep('2026-12-31');
    expect(again.written.recurring).toBe(0);
    const current = await f.items.get(dispatcher, item.id);
    await f.transitions.transition(dispatcher, item.id, {
      action: 'reset_deadline',
      version: current.version,
      reason: '重新明确整改时限',
      newDeadline: '2027-03-31',
    });
    expect((await sweep.sweep('2027-01-08')).written.recurring).toBe(0);
  }, 180_000);
});
