import ExcelJS from 'exceljs';
import type { OrgUnitView, UserView } from '#org';
import { TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { Factory } from './support/factories.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** A full life of one item through HTTP: every step checked against state and history. */
describe('rectification item: a full life (e2e)', () => {
  let api: TestApi;
  const clock = new TestClock(new Date('2026-03-02T09:00:00+08:00'));
  let city: OrgUnitView;
  let bureau: OrgUnitView;
  let county: OrgUnitView;
  let housing: OrgUnitView;
  let province: OrgUnitView;
  const t: Record<string, string> = {};
  const u: Record<string, UserView> = {};

  beforeAll(async () => {
    api = await TestApi.start({ clock });
    const f = api.factory;
    city = await f.newUnit({ kind: 'city', name: `大同市-${Factory.tag()}` });
    bureau = await f.newUnit({ parent: city, name: '市生态环境局' });
    county = await f.newUnit({ parent: city, kind: 'county', name: '天镇县' });
    housing = await f.newUnit({ parent: city, name: '市住建局' });
    province = await f.newUnit({ kind: 'other', name: `省生态环境厅-${Factory.tag()}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.countyOfficer = await f.newUser(county, ['unit_officer']);
    u.housingOfficer = await f.newUser(housing, ['unit_officer']);
    u.countyVerifier = await f.newUser(county, ['verifier']);
    u.cityVerifier = await f.newUser(bureau, ['verifier']);
    u.provinceVerifier = await f.newUser(province, ['verifier']);
    u.auditor = await f.newUser(city, ['auditor']);
    u.outsider = await f.newUser(await f.newUnit({ parent: city, name: '市交通运输局' }), ['unit_officer', 'verifier']);
    for (const [k, user] of Object.entries(u)) t[k] = (await api.login(user.email)).accessToken;
  });
  afterAll(async () => {
    await api.stop();
  });

  let itemId: string;
  let version: number;
  let progressId: string;

  /** Takes an action; when it succeeds, the newest history row must be exactly that action, by that user. */
  async function act(who: string, action: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const res = await api.request('POST', `/api/items/${itemId}/transitions`, { token: t[who], body: { action, version, ...extra } });
    if (res.status === 200) {
      version = res.body.version;
      const history = (await api.request('GET', `/api/items/${itemId}/history`, { token: t.auditor })).body;
      expect(history.at(-1)).toMatchObject({
        seq: res.body.historySeq,
        action,
        fromState: res.body.from,
        toState: res.body.to,
        actorId: u[who].id,
        reason: (extra.reason as string | undefined) ?? null,
      });
    }
    return res;
  }
  async function expectState(state: string): Promise<void> {
    const res = await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe(state);
    expect(res.body.version).toBe(version);
  }
  async function historyActions(): Promise<string[]> {
    const res = await api.request('GET', `/api/items/${itemId}/history`, { token: t.auditor });
    expect(res.status).toBe(200);
    return res.body.map((h: { action: string; fromState: string; toState: string }) => `${h.action}:${h.fromState ?? ''}>${h.toState}`);
  }
  async function upload(who: string, body: Buffer = PDF, name = '整改报告.pdf', progressId?: string): Promise<Reply> {
    const form = new FormData();
    if (progressId) form.append('progressId', progressId);
    form.append('file', new Blob([body]), name);
    const res = await fetch(`${api.baseUrl}/api/items/${itemId}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t[who]}` },
      body: form,
    });
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: await res.json(), raw: '' };
  }

  it('creates a batch with a county → city → province chain and a 7-day public notice', async () => {
    const res = await api.request('POST', '/api/batches', {
      token: t.dispatcher,
      body: {
        code: `ZY3-${Factory.tag()}`,
        name: '第三轮中央生态环境保护督察反馈问题',
        sourceType: 'central_inspection',
        round: 3,
        issuedOn: '2026-01-10',
        acceptanceChain: [
          { level: 'county', label: '县级自验' },
          { level: 'city', label: '市级验收' },
          { level: 'province', label: '省级验收', unitId: province.id },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.acceptanceChain).toEqual([
      { level: 'county', label: '县级自验', unitId: null },
      { level: 'city', label: '市级验收', unitId: bureau.id },
      { level: 'province', label: '省级验收', unitId: province.id },
    ]);
    expect(res.body.noticeDays).toBe(7);

    const item = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId: res.body.id,
        code: 'ZY3-07',
        title: '南洋河部分河段生活污水直排',
        feedbackText: '督察发现，天镇县南洋河部分河段仍有生活污水直排现象。',
        domain: 'water',
        countyUnitId: county.id,
        goal: '2026年底前消除直排',
        measures: '建设截污管网；排查入河排污口',
        type: 'deadline',
        leadUnitIds: [county.id],
        cooperating: [{ unitId: housing.id, part: '管网建设', subDeadline: '2026-05-31' }],
        deadline: '2026-06-30',
      },
    });
    expect(item.status).toBe(201);
    itemId = item.body.id;
    version = item.body.version;
    expect(item.body).toMatchObject({ state: 'draft', currentDeadline: '2026-06-30', originalDeadline: '2026-06-30', deadlineVersion: 1 });
    expect(item.body.acceptanceChain.map((l: { unitName: string }) => l.unitName)).toEqual(['天镇县', '市生态环境局', province.name]);
    expect(await historyActions()).toEqual(['create:>draft']);
  });

  it('the lead unit sees the draft but has nothing to do yet; an uninvolved unit does not see it', async () => {
    const res = await api.request('GET', `/api/items/${itemId}/actions`, { token: t.countyOfficer });
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([]);
    const outsider = await api.request('GET', `/api/items/${itemId}`, { token: t.outsider });
    expect(outsider.status).toBe(404);
  });

  it('assign → accept', async () => {
    const dispatcherActions = await api.request('GET', `/api/items/${itemId}/actions`, { token: t.dispatcher });
    expect(dispatcherActions.body.actions.map((a: { action: string }) => a.action).sort()).toEqual(['assign', 'cancel', 'merge']);
    expect((await act('dispatcher', 'assign')).status).toBe(200);
    await expectState('assigned');
    expect((await act('countyOfficer', 'accept')).status).toBe(200);
    await expectState('in_progress');
  });

  it('a wrong-state action is a 409 listing what is allowed; a wrong role is a 403', async () => {
    const wrong = await act('countyOfficer', 'accept');
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('ACTION_NOT_ALLOWED');
    expect(wrong.body.details.allowedActions.sort()).toEqual(['report_progress', 'request_extension']);
    const role = await act('housingOfficer', 'submit');
    expect(role.status).toBe(403);
  });

  it('progress, then an extension requested and approved: the original deadline is kept', async () => {
    expect((await act('countyOfficer', 'report_progress', { text: '已完成管网设计招标' })).status).toBe(200);
    const [report] = (await api.request('GET', `/api/items/${itemId}/progress`, { token: t.dispatcher })).body;
    expect(report).toMatchObject({ text: '已完成管网设计招标', reportedOn: '2026-03-02', unitName: '天镇县' });
    progressId = report.id;
    const missingReason = await act('countyOfficer', 'request_extension', { proposedDeadline: '2026-09-30' });
    expect(missingReason.status).toBe(422);
    expect(missingReason.body.code).toBe('REASON_REQUIRED');
    expect((await act('countyOfficer', 'request_extension', { proposedDeadline: '2026-09-30', reason: '汛期施工受限' })).status).toBe(200);
    const second = await act('countyOfficer', 'request_extension', { proposedDeadline: '2026-10-30', reason: '再延' });
    expect(second.status).toBe(422);
    expect(second.body.details.missing).toEqual(['an extension request is still waiting for a decision']);
    expect((await act('dispatcher', 'approve_extension')).status).toBe(200);
    const item = await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher });
    expect(item.body).toMatchObject({ originalDeadline: '2026-06-30', currentDeadline: '2026-09-30', deadlineVersion: 2 });
    expect(item.body.deadlines.map((d: { deadline: string; kind: string }) => [d.deadline, d.kind])).toEqual([
      ['2026-06-30', 'initial'],
      ['2026-09-30', 'extension'],
    ]);
    expect(item.body.extensions).toEqual([
      expect.objectContaining({ status: 'approved', proposedDeadline: '2026-09-30', reason: '汛期施工受限' }),
    ]);
  });

  it('submission needs evidence and every cooperating part done, and says so', async () => {
    const blocked = await act('countyOfficer', 'submit');
    expect(blocked.status).toBe(422);
    expect(blocked.body.details.missing).toEqual([
      'evidence (佐证材料) must be uploaded before applying for acceptance',
      'cooperating parts not yet reported done: 市住建局',
    ]);
    const bad = await upload('countyOfficer', Buffer.from('MZ this is an executable'), 'report.pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('UNSUPPORTED_FILE_TYPE');
    const photo = await upload('countyOfficer', Buffer.from('ffd8ffe000104a464946', 'hex'), '招标现场.jpg', progressId);
    expect(photo.status).toBe(201);
    expect(photo.body).toMatchObject({ progressId, contentType: 'image/jpeg', filename: '招标现场.jpg' });
    const ok = await upload('countyOfficer');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ filename: '整改报告.pdf', contentType: 'application/pdf', sizeBytes: PDF.length });
    expect(ok.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await act('housingOfficer', 'report_part', { partStatus: 'done', text: '管网已建成' })).status).toBe(200);
    expect((await act('countyOfficer', 'submit')).status).toBe(200);
    await expectState('in_acceptance');
  });

  it('acceptance level by level, each by its own verifier; a return sends it back with reasons, and the resubmission resumes at the returning level', async () => {
    // the city verifier cannot act at the county level
    expect((await act('cityVerifier', 'pass')).status).toBe(403);
    expect((await act('countyVerifier', 'pass')).status).toBe(200);
    expect((await act('countyVerifier', 'pass')).status).toBe(403); // now at city level
    const noReason = await act('cityVerifier', 'return');
    expect(noReason.status).toBe(422);
    expect((await act('cityVerifier', 'return', { reason: '佐证材料不全，缺少水质监测报告' })).status).toBe(200);
    await expectState('in_progress');
    expect((await upload('countyOfficer', Buffer.concat([PDF, Buffer.from('monitoring')]), '水质监测报告.pdf')).status).toBe(201);
    expect((await act('countyOfficer', 'submit')).status).toBe(200);
    // the county's pass stands: the city examines it again
    expect((await act('countyVerifier', 'pass')).status).toBe(403);
    expect((await act('cityVerifier', 'pass')).status).toBe(200);
    expect((await act('provinceVerifier', 'pass')).status).toBe(200);
    await expectState('public_notice');
    const item = await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher });
    expect(item.body).toMatchObject({ noticeStart: '2026-03-02', noticeEnd: '2026-03-08', submissionRound: 2 });
    expect(
      item.body.acceptances.map(
        (a: { submissionRound: number; level: string; result: string }) => `${a.submissionRound}:${a.level}:${a.result}`,
      ),
    ).toEqual(['1:county:pass', '1:city:return', '2:city:pass', '2:province:pass']);
  });

  it('the notice cannot close early; after it, the item is signed off', async () => {
    const early = await act('dispatcher', 'close_notice');
    expect(early.status).toBe(422);
    expect(early.body.details.missing).toEqual(['the public notice runs until 2026-03-08']);
    clock.setDate('2026-03-09');
    expect((await act('dispatcher', 'close_notice')).status).toBe(200);
    await expectState('signed_off');
  });

  it('a re-check finds a rebound: reopened, the earlier sign-off kept; then signed off again', async () => {
    expect((await act('auditor', 'spot_check', { spotCheckResult: 'rebound', reason: '回头看发现仍有污水直排' })).status).toBe(200);
    const before = (await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher })).body;
    expect((await act('dispatcher', 'reopen', { reason: '回头看发现问题反弹' })).status).toBe(200);
    const reopened = (await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher })).body;
    expect(reopened).toMatchObject({ state: 'in_progress', reopenCount: 1, firstSignedOffAt: before.firstSignedOffAt });
    expect((await act('countyOfficer', 'submit')).status).toBe(200);
    for (const who of ['countyVerifier', 'cityVerifier', 'provinceVerifier']) expect((await act(who, 'pass')).status).toBe(200);
    clock.setDate('2026-03-20');
    expect((await act('dispatcher', 'close_notice')).status).toBe(200);
    const final = (await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher })).body;
    expect(final.state).toBe('signed_off');
    expect(final.firstSignedOffAt).toBe(before.firstSignedOffAt);
    expect(final.lastSignedOffAt).not.toBe(before.lastSignedOffAt);
  });

  it('history holds every step, in order, chained', async () => {
    expect(await historyActions()).toEqual([
      'create:>draft',
      'assign:draft>assigned',
      'accept:assigned>in_progress',
      'report_progress:in_progress>in_progress',
      'request_extension:in_progress>in_progress',
      'approve_extension:in_progress>in_progress',
      'add_evidence:in_progress>in_progress',
      'add_evidence:in_progress>in_progress',
      'report_part:in_progress>in_progress',
      'submit:in_progress>in_acceptance',
      'pass:in_acceptance>in_acceptance',
      'return:in_acceptance>in_progress',
      'add_evidence:in_progress>in_progress',
      'submit:in_progress>in_acceptance',
      'pass:in_acceptance>in_acceptance',
      'pass:in_acceptance>public_notice',
      'close_notice:public_notice>signed_off',
      'spot_check:signed_off>signed_off',
      'reopen:signed_off>in_progress',
      'submit:in_progress>in_acceptance',
      'pass:in_acceptance>in_acceptance',
      'pass:in_acceptance>in_acceptance',
      'pass:in_acceptance>public_notice',
      'close_notice:public_notice>signed_off',
    ]);
    const verify = await api.request('GET', '/api/audit/verify-chains?entityType=item', { token: t.auditor });
    expect(verify.status).toBe(200);
    expect(verify.body.firstBreak).toBeNull();
    const outbox = await api.ds.query(`SELECT kind FROM outbox WHERE payload->>'itemId' = $1 ORDER BY id`, [itemId]);
    expect(outbox.map((o: { kind: string }) => o.kind)).toContain('item.reopen');
    expect(outbox).toHaveLength(20); // every transition: not the creation, not the uploads
  });

  it('evidence downloads within scope only, byte for byte', async () => {
    const list = await api.request('GET', `/api/items/${itemId}/evidence`, { token: t.cityVerifier });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    const report = list.body.find((e: { filename: string }) => e.filename === '整改报告.pdf');
    const res = await fetch(`${api.baseUrl}/api/items/${itemId}/evidence/${report.id}`, {
      headers: { authorization: `Bearer ${t.auditor}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    expect(res.headers.get('x-content-sha256')).toBe(report.sha256);
    const outsider = await api.request('GET', `/api/items/${itemId}/evidence/${report.id}`, { token: t.outsider });
    expect(outsider.status).toBe(404);
  });

  it('the ledger export carries the whole record, and only to those who may read the item', async () => {
    const item = (await api.request('GET', `/api/items/${itemId}`, { token: t.dispatcher })).body;
    const ledger = async (who: string): Promise<Record<string, unknown>[]> => {
      const res = await fetch(`${api.baseUrl}/api/items/export?batchId=${item.batchId}&sort=code`, {
        headers: { authorization: `Bearer ${t[who]}` },
      });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
      const ws = wb.worksheets[0];
      const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      const rows: Record<string, unknown>[] = [];
      for (let n = 2; n <= ws.rowCount; n++) {
        const values = (ws.getRow(n).values as unknown[]).slice(1);
        rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])));
      }
      return rows;
    };
    const day = (at: string): string => new Date(at).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const lastSigned = item.acceptances
      .map((a: { signedAt: string }) => a.signedAt)
      .sort()
      .at(-1);
    const [row] = await ledger('dispatcher');
    expect(row).toMatchObject({
      编号: 'ZY3-07',
      牵头单位: '天镇县',
      配合单位: '市住建局（管网建设）',
      验收层级: '县级自验→市级验收→省级验收',
      验收单位: `天镇县→市生态环境局→${province.name}`,
      验收日期: day(lastSigned),
      验收结论: '省级验收 通过',
      公示起止: `${item.noticeStart} 至 ${item.noticeEnd}`,
      销号日期: day(item.lastSignedOffAt),
      序时状态: '已完成',
    });
    expect(row.整改进展).toMatch(/^\d{4}-\d{2}-\d{2} 已完成管网设计招标$/m);
    // Uploaded at the same instant of the test clock: the files in any order.
    expect(String(row.佐证材料)).toMatch(/^3 份：/);
    expect(String(row.佐证材料).slice(4).split('、').sort()).toEqual(['招标现场.jpg', '整改报告.pdf', '水质监测报告.pdf'].sort());
    expect(await ledger('countyOfficer')).toEqual([row]);
    expect(await ledger('outsider')).toEqual([]);
  });
});
