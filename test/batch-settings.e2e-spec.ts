import { AUTO_SIGN_OFF_REASON } from '#items';
import type { OrgUnitView, UserView } from '#org';
import { JOBS } from '#queue';
import { type TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { Factory } from './support/factories.js';
import { MailWorld } from './support/mail-world.js';
import { SmtpSink } from './support/smtp-sink.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * A batch is edited (name, issuer, dates, notice settings) while none of its items has been signed
 * off; what happens when a public notice ends is the batch's setting: remind the dispatchers daily
 * (the default) or sign the item off at the period's end.
 */
describe('batch editing and the public-notice end setting (e2e, real SMTP)', () => {
  const sink = new SmtpSink();
  const clock = new TestClock(new Date('2026-03-02T09:00:00+08:00'));
  let api: TestApi;
  let world: MailWorld;
  let county: OrgUnitView;
  const u: Record<string, UserView> = {};
  const t: Record<string, string> = {};

  beforeAll(async () => {
    world = await MailWorld.start('batchset', clock, sink);
    api = world.api;
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city', name: `大同市-${Factory.tag()}` });
    const bureau = await f.newUnit({ parent: city, name: '市生态环境局' });
    county = await f.newUnit({ parent: city, kind: 'county', name: '广灵县' });
    const other = await f.newUnit({ kind: 'city', name: `忻州市-${Factory.tag()}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.verifier = await f.newUser(bureau, ['verifier']);
    u.officer = await f.newUser(county, ['unit_officer']);
    u.stranger = await f.newUser(other, ['dispatcher']);
    Object.assign(t, await world.tokens(u));
  }, 120_000);
  afterAll(async () => {
    await world.stop();
  });

  const subjects = (who: string, code: string): string[] =>
    sink
      .to(u[who].email)
      .map((m) => m.subject)
      .filter((s) => s.includes(code));

  async function newBatch(code: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const res = await api.request('POST', '/api/batches', {
      token: t.dispatcher,
      body: { code, name: '生态环境问题排查清单', sourceType: 'self_found', acceptanceChain: [{ level: 'city' }], noticeDays: 5, ...extra },
    });
    expect(res.status).toBe(201);
    return res;
  }

  /** An item of the batch driven to 公示中 (city acceptance passed on the clock's day). */
  async function inNotice(batchId: string, code: string): Promise<string> {
    const created = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId,
        code,
        title: '露天烧烤油烟扰民',
        domain: 'air',
        type: 'deadline',
        goal: '取缔',
        leadUnitIds: [county.id],
        deadline: '2026-06-30',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const act = async (who: string, action: string, extra: Record<string, unknown> = {}): Promise<void> => {
      const { version } = (await api.request('GET', `/api/items/${id}`, { token: t.dispatcher })).body;
      const res = await api.request('POST', `/api/items/${id}/transitions`, { token: t[who], body: { action, version, ...extra } });
      expect({ action, status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({
        action,
        status: 200,
        body: undefined,
      });
    };
    await act('dispatcher', 'assign');
    await act('officer', 'accept');
    const form = new FormData();
    form.append('file', new Blob([PDF]), '整改报告.pdf');
    const up = await fetch(`${api.baseUrl}/api/items/${id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.officer}` },
      body: form,
    });
    expect(up.status).toBe(201);
    await act('officer', 'submit');
    await act('verifier', 'pass');
    return id;
  }
  const itemState = async (id: string): Promise<string> =>
    (await api.request('GET', `/api/items/${id}`, { token: t.dispatcher })).body.state;

  let autoBatch: string;
  let autoItem: string;
  let remindItem: string;
  const autoCode = `AUTO-${Factory.tag()}`;
  const remindCode = `REMIND-${Factory.tag()}`;

  it('a batch is edited with the version read; every change is on record; bad input and strangers are refused', async () => {
    const created = await newBatch(`PC-${Factory.tag()}`);
    expect(created.body).toMatchObject({ noticeEndAction: 'remind', noticeDays: 5, version: 1 });
    autoBatch = created.body.id;
    const patch = (token: string, body: Record<string, unknown>): Promise<Reply> =>
      api.request('PATCH', `/api/batches/${autoBatch}`, { token, body });
    const bad = await patch(t.dispatcher, { version: 1, noticeEndAction: 'never', noticeDays: 99 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields.map((d: { field: string }) => d.field).sort()).toEqual(['noticeDays', 'noticeEndAction']);
    // another city's dispatcher: not theirs, so not found
    expect((await patch(t.stranger, { version: 1, name: '改名' })).status).toBe(404);
    const edited = await patch(t.dispatcher, {
      version: 1,
      name: '2026年生态环境问题排查清单',
      issuer: '市督察整改办',
      issuedOn: '2026-02-27',
      noticeDays: 3,
      noticeEndAction: 'sign_off',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: '2026年生态环境问题排查清单',
      issuer: '市督察整改办',
      issuedOn: '2026-02-27',
      noticeDays: 3,
      noticeEndAction: 'sign_off',
      version: 2,
    });
    const stale = await patch(t.dispatcher, { version: 1, name: '又改名' });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toMatchObject({ currentVersion: 2 });
    const [row] = await api.ds.query(
      `SELECT action, data FROM history WHERE entity_type = 'batch' AND entity_id = $1 AND action = 'update'`,
      [autoBatch],
    );
    expect(row.data).toEqual({
      name: { from: '生态环境问题排查清单', to: '2026年生态环境问题排查清单' },
      issuer: { from: null, to: '市督察整改办' },
      issuedOn: { from: null, to: '2026-02-27' },
      noticeDays: { from: 5, to: 3 },
      noticeEndAction: { from: 'remind', to: 'sign_off' },
    });
  });

  it('at the notice period’s end a sign_off batch’s item is signed off by itself, a remind batch’s dispatcher is reminded', async () => {
    autoItem = await inNotice(autoBatch, autoCode);
    const remindBatch = (await newBatch(`PR-${Factory.tag()}`)).body.id;
    remindItem = await inNotice(remindBatch, remindCode);
    // Notices from 3/2: 3 days (to 3/4) and 5 days (to 3/6). On 3/4 neither has ended.
    clock.setDate('2026-03-04');
    await world.run(JOBS.notifications.sweepReminders, { day: '2026-03-04' });
    expect(await itemState(autoItem)).toBe('public_notice');
    clock.setDate('2026-03-09');
    const result = (await world.run(JOBS.notifications.sweepReminders, { day: '2026-03-09' })) as { noticesSignedOff: string[] };
    expect(result.noticesSignedOff).toEqual([autoCode]);
    expect(await itemState(autoItem)).toBe('signed_off');
    expect(await itemState(remindItem)).toBe('public_notice');
    const history = (await api.request('GET', `/api/items/${autoItem}/history`, { token: t.dispatcher })).body;
    const last = (Array.isArray(history) ? history : history.data).at(-1);
    expect(last).toMatchObject({ action: 'close_notice', fromState: 'public_notice', toState: 'signed_off', reason: AUTO_SIGN_OFF_REASON });
    expect(last.actorId).toBeNull();
    await world.settle();
    expect(subjects('officer', autoCode)).toContain(`【已销号】${autoCode} 整改完成并销号`);
    expect(subjects('dispatcher', remindCode)).toContain(`【公示期满】${remindCode} 公示已于 2026-03-06 期满，请办理销号`);
    expect(subjects('dispatcher', autoCode).filter((s) => s.startsWith('【公示期满】'))).toEqual([]);
    // the sweep again closes nothing more
    expect(
      ((await world.run(JOBS.notifications.sweepReminders, { day: '2026-03-09' })) as { noticesSignedOff: string[] }).noticesSignedOff,
    ).toEqual([]);
  }, 120_000);

  it('once an item was signed off the batch no longer changes', async () => {
    const batch = (await api.request('GET', `/api/batches/${autoBatch}`, { token: t.dispatcher })).body;
    const res = await api.request('PATCH', `/api/batches/${autoBatch}`, {
      token: t.dispatcher,
      body: { version: batch.version, noticeDays: 7 },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'BATCH_HAS_SIGNED_OFF_ITEMS', details: { signedOffItems: 1 } });
    expect((await api.request('GET', `/api/batches/${autoBatch}`, { token: t.dispatcher })).body.noticeDays).toBe(3);
  });

  it('the item list shows open items first (overdue first, then by deadline), closed ones after, unless asked otherwise', async () => {
    const overdue = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId: autoBatch,
        code: `${autoCode}-OD`,
        title: '渣土车遗撒',
        domain: 'air',
        type: 'immediate',
        goal: '整治',
        leadUnitIds: [county.id],
        deadline: '2026-03-05',
      },
    });
    const later = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId: autoBatch,
        code: `${autoCode}-LT`,
        title: '餐饮油烟',
        domain: 'air',
        type: 'deadline',
        goal: '整治',
        leadUnitIds: [county.id],
        deadline: '2026-12-31',
      },
    });
    const assign = await api.request('POST', `/api/items/${overdue.body.id}/transitions`, {
      token: t.dispatcher,
      body: { action: 'assign', version: overdue.body.version },
    });
    expect(assign.status).toBe(200);
    const codes = async (extra = ''): Promise<string[]> => {
      const res = await api.request('GET', `/api/items?batchId=${autoBatch}${extra}`, { token: t.dispatcher });
      expect(res.status).toBe(200);
      return res.body.data.map(
        (i: { code: string; state: string; overdue: boolean }) => `${i.code}:${i.state}${i.overdue ? ':overdue' : ''}`,
      );
    };
    // the signed-off item's deadline (2026-06-30) is earlier than the draft's, yet it comes last
    expect(await codes()).toEqual([`${autoCode}-OD:assigned:overdue`, `${autoCode}-LT:draft`, `${autoCode}:signed_off`]);
    expect(await codes('&sort=deadline')).toEqual([`${autoCode}-OD:assigned:overdue`, `${autoCode}:signed_off`, `${autoCode}-LT:draft`]);
    expect(later.status).toBe(201);
    // a unit's list (read from its reader rows) in the same order: the closed item last
    const mine = await api.request('GET', `/api/items?batchId=${autoBatch}`, { token: t.officer });
    const mineCodes = mine.body.data.map((i: { code: string }) => i.code);
    expect(mineCodes[0]).toBe(`${autoCode}-OD`);
    expect(mineCodes.at(-1)).toBe(autoCode);
  });
});
