import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { loadConfig } from '#config';
import type { OrgUnitView, UserView } from '#org';
import { ReminderSweepService } from '#notifications';
import { JOBS, QUEUES } from '#queue';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { TestApi } from './support/api.js';
import { TestClock } from './support/clock.js';
import { separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';
import { SmtpSink, waitFor } from './support/smtp-sink.js';

/**
 * A schedule for 2027 written for this test (not the State Council's): New Year 1/1–1/3 off, Spring
 * Festival 2/6–2/13 off with Sunday 2/14 worked.
 */
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至13日（周六）放假调休，共8天。2月14日（周日）上班。`;

/** A calendar year nobody has published yet: provisional deadlines, the notice pasted, deadlines recomputed (e2e). */
describe('next year’s holiday schedule (e2e, own database, real SMTP)', () => {
  const sink = new SmtpSink();
  const clock = new TestClock(new Date('2026-11-20T09:00:00+08:00'));
  let api: TestApi;
  let worker: INestApplicationContext;
  let relayQueue: Queue;
  let county: OrgUnitView;
  let officer: UserView;
  const t: Record<string, string> = {};
  let batchId: string;

  beforeAll(async () => {
    await sink.start();
    const env = {
      DATABASE_URL: separateDatabaseUrl('calyear'),
      SMTP_URL: sink.url,
      QUEUE_PREFIX: `rectify-test-calyear-${randomUUID().slice(0, 8)}`,
    };
    api = await TestApi.start({ env, clock });
    worker = await createWorker(loadConfig({ ...process.env, ...env }), clock);
    relayQueue = worker.get<Queue>(getQueueToken(QUEUES.notifications));
    // The database is this file's own, but a rerun finds the previous run's 2027 entries: start clean.
    await api.ds.query(`DELETE FROM calendar_year`);
    await api.ds.query(`DELETE FROM calendar_entry WHERE day >= '2027-01-01'`);
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city, name: '市生态环境局' });
    county = await f.newUnit({ parent: city, kind: 'county', name: '阳高县' });
    officer = await f.newUser(county, ['unit_officer']);
    const dispatcher = await f.newUser(bureau, ['dispatcher']);
    const admin = await f.newUser(city, ['admin']);
    t.dispatcher = (await api.login(dispatcher.email)).accessToken;
    t.admin = (await api.login(admin.email)).accessToken;
    t.officer = (await api.login(officer.email)).accessToken;
    const batch = await api.request('POST', '/api/batches', {
      token: t.dispatcher,
      body: { code: `ZX-${Factory.tag()}`, name: '专项检查', sourceType: 'special_inspection' },
    });
    batchId = batch.body.id;
  }, 120_000);
  afterAll(async () => {
    await worker.get<Queue>(getQueueToken(QUEUES.email)).obliterate({ force: true });
    await relayQueue.obliterate({ force: true });
    await worker.close();
    await api.stop();
    await sink.stop();
  });

  let ruled: string;
  let fixed: string;

  it('from November, administrators are warned that next year is missing', async () => {
    const res = await api.request('GET', '/api/calendar/status', { token: t.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ nextYear: 2027, nextYearPublished: false });
    expect(res.body.publishedYears).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(res.body.warning).toContain('2027年节假日安排尚未录入');
  });

  it('a deadline counted into 2027 is provisional, and says so', async () => {
    const res = await api.request('GET', '/api/calendar/deadline?kind=working_days&from=2026-12-21&days=40', { token: t.officer });
    // Monday–Friday counted in 2027: 12/22–12/31 are 8, 1/1–2/12 are 31 (1/1 included), 2/15 the 40th
    expect(res.body).toMatchObject({ deadline: '2027-02-15', provisional: true, unpublishedYears: [2027] });
    expect(res.body.explanation).toContain('注意：2027年节假日安排尚未公布，暂按周一至周五为工作日计算，此为临时时限，公布后将重新计算');
    const create = (code: string, deadline: Record<string, unknown>) =>
      api.request('POST', '/api/items', {
        token: t.dispatcher,
        body: {
          batchId,
          code,
          title: '工业园区VOCs治理',
          domain: 'air',
          type: 'deadline',
          goal: '完成治理',
          leadUnitIds: [county.id],
          ...deadline,
        },
      });
    const a = await create('CY-1', { deadlineRule: { kind: 'working_days', from: '2026-12-21', days: 40, event: '交办' } });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ currentDeadline: '2027-02-15' });
    expect(a.body.deadlineRule).toMatchObject({ provisional: true, unpublishedYears: [2027] });
    ruled = a.body.id;
    const b = await create('CY-2', { deadline: '2027-02-15' });
    fixed = b.body.id;
    for (const id of [ruled, fixed]) {
      const item = await api.request('GET', `/api/items/${id}`, { token: t.dispatcher });
      expect(
        (
          await api.request('POST', `/api/items/${id}/transitions`, {
            token: t.dispatcher,
            body: { action: 'assign', version: item.body.version },
          })
        ).status,
      ).toBe(200);
    }
  });

  it('a reminder counted across the unpublished year says it is provisional; one within a published year does not', async () => {
    const sweep = worker.get(ReminderSweepService);
    // Monday 2027-02-08: five weekdays before 2/15 (the Spring Festival, unknown yet, is counted as work)
    expect((await sweep.sweep('2027-02-08')).written.before_5).toBe(2);
    // Monday 2026-11-23: a fixed deadline five working days ahead, all in 2026
    const within = await api.request('POST', '/api/items', {
      token: t.dispatcher,
      body: {
        batchId,
        code: 'CY-3',
        title: '餐饮油烟',
        domain: 'air',
        type: 'deadline',
        goal: '整治',
        leadUnitIds: [county.id],
        deadline: '2026-11-30',
      },
    });
    const assign = await api.request('POST', `/api/items/${within.body.id}/transitions`, {
      token: t.dispatcher,
      body: { action: 'assign', version: within.body.version },
    });
    expect(assign.status).toBe(200);
    expect((await sweep.sweep('2026-11-23')).written.before_5).toBe(1);
    const job = await relayQueue.add(JOBS.notifications.relayOutbox, {});
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 15000, 'the relay');
    const dueSoon = (code: string) => sink.to(officer.email).find((m) => m.subject.startsWith(`【到期提醒】${code} `));
    await waitFor(() => ['CY-1', 'CY-2', 'CY-3'].every((c) => dueSoon(c)), 15000, 'three due-soon e-mails');
    for (const code of ['CY-1', 'CY-2']) {
      expect(dueSoon(code)!.subject).toBe(`【到期提醒】${code} 距整改时限还有5个工作日（2027-02-15）`);
      expect(dueSoon(code)!.body).toContain('注：2027年节假日安排尚未发布，本提醒的工作日按周一至周五暂计，发布后以正式安排为准。');
    }
    expect(dueSoon('CY-3')!.body).not.toContain('尚未发布');
  });

  it('the pasted notice is shown for confirmation; an unclear one is refused and nothing stored', async () => {
    const preview = await api.request('POST', '/api/calendar/notices/preview', { token: t.admin, body: { text: NOTICE_2027 } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ year: 2027, problems: [], nextVersion: 1 });
    expect(
      preview.body.changes.map((d: { date: string; kind: string; name: string; now: string }) => `${d.date} ${d.kind} ${d.name} ${d.now}`),
    ).toEqual([
      '2027-01-01 off 元旦 工作日',
      '2027-01-02 off 元旦 周末',
      '2027-01-03 off 元旦 周末',
      '2027-02-06 off 春节 周末',
      '2027-02-07 off 春节 周末',
      '2027-02-08 off 春节 工作日',
      '2027-02-09 off 春节 工作日',
      '2027-02-10 off 春节 工作日',
      '2027-02-11 off 春节 工作日',
      '2027-02-12 off 春节 工作日',
      '2027-02-13 off 春节 周末',
      '2027-02-14 work 春节 周末',
    ]);
    const unclear = await api.request('POST', '/api/calendar/notices', {
      token: t.admin,
      body: { text: '一、春节：2月6日至13日放假调休，共9天。', year: 2027 },
    });
    expect(unclear.status).toBe(422);
    expect(unclear.body).toMatchObject({
      code: 'HOLIDAY_NOTICE_UNCLEAR',
      details: { problems: ['春节: the notice says 9 days, the dates give 8'] },
    });
    expect(await api.ds.query(`SELECT * FROM calendar_year`)).toEqual([]);
    const officerTry = await api.request('POST', '/api/calendar/notices', { token: t.officer, body: { text: NOTICE_2027 } });
    expect(officerTry.status).toBe(403);
  });

  it('confirming stores the year as a version, recomputes the provisional deadline as a new version, and tells the unit', async () => {
    const res = await api.request('POST', '/api/calendar/notices', { token: t.admin, body: { text: NOTICE_2027 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ year: 2027, version: 1 });
    // 1/1 now off; 2/6–2/13 off, Sunday 2/14 worked: 2/2–2/5 are 30–33, 2/14 34, 2/15–2/19 35–39, 2/22 the 40th
    expect(res.body.recomputed).toEqual([{ itemId: ruled, code: 'CY-1', from: '2027-02-15', to: '2027-02-22' }]);
    const item = (await api.request('GET', `/api/items/${ruled}`, { token: t.dispatcher })).body;
    expect(item).toMatchObject({ originalDeadline: '2027-02-15', currentDeadline: '2027-02-22' });
    expect(item.deadlines.map((d: { version: number; kind: string; deadline: string }) => `${d.version}:${d.kind}:${d.deadline}`)).toEqual([
      '1:initial:2027-02-15',
      '2:calendar:2027-02-22',
    ]);
    expect(item.deadlines[1].reason).toContain('按2027年节假日安排重新计算整改时限');
    expect(item.deadlineRule).toMatchObject({ provisional: false, unpublishedYears: [] });
    expect(item.deadlineRule.explanation).toBe(
      '自交办（2026-12-21）起40个工作日，截止2027-02-22；期间元旦、春节放假11天（01-01、01-02、01-03、02-06、02-07、02-08、02-09、02-10、02-11、02-12、02-13）不计入；' +
        '春节调休上班1天（02-14）计入工作日；周六、周日不计入（调休上班日除外）',
    );
    // a deadline given as a date is not moved
    expect((await api.request('GET', `/api/items/${fixed}`, { token: t.dispatcher })).body).toMatchObject({
      currentDeadline: '2027-02-15',
      deadlineVersion: 1,
    });
    const history = (await api.request('GET', `/api/items/${ruled}/history`, { token: t.dispatcher })).body;
    expect(history.at(-1)).toMatchObject({
      action: 'recompute_deadline',
      data: { year: 2027, deadline: { from: '2027-02-15', to: '2027-02-22' } },
    });
    // the version the recompute wrote (UPDATE … RETURNING answers [rows, count] through TypeORM)
    const ruledNow = (await api.request('GET', `/api/items/${ruled}`, { token: t.dispatcher })).body;
    expect([history.at(-1).data.version, typeof ruledNow.version]).toEqual([ruledNow.version, 'number']);

    const job = await relayQueue.add(JOBS.notifications.relayOutbox, {});
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 15000, 'the relay');
    await waitFor(() => sink.to(officer.email).some((m) => m.subject.includes('整改时限更新')), 15000, 'the recomputed deadline e-mail');
    const mail = sink.to(officer.email).find((m) => m.subject.includes('整改时限更新'))!;
    expect(mail.subject).toBe('【整改时限更新】CY-1 按新公布的节假日安排，整改时限调整为 2027-02-22');
    expect(mail.body).toContain('按2027年节假日安排重新计算整改时限');

    const status = (await api.request('GET', '/api/calendar/status', { token: t.admin })).body;
    expect(status).toMatchObject({ nextYearPublished: true, warning: null });
    const day = (await api.request('GET', '/api/calendar/days?from=2027-02-14&to=2027-02-14', { token: t.officer })).body[0];
    expect(day).toMatchObject({ working: true, reason: 'makeup_workday', name: '春节', source: 'admin', version: 1 });
  });
});
