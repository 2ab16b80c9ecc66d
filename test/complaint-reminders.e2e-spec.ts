import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { loadConfig } from '#config';
import { ReminderSweepService } from '#notifications';
import type { OrgUnitView, UserView } from '#org';
import { JOBS, QUEUES } from '#queue';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { TestApi } from './support/api.js';
import { TestClock } from './support/clock.js';
import { separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';
import { SmtpSink, waitFor } from './support/smtp-sink.js';

const next = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Complaint deadlines on the 2025 calendar, through the real sweep, outbox, queue and SMTP sink.
 * 2025's Spring Festival: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 are working days.
 */
describe('complaint deadline reminders and escalation (real PostgreSQL, Redis, SMTP; controlled clock)', () => {
  const sink = new SmtpSink();
  const clock = new TestClock(new Date('2025-01-20T09:00:00+08:00'));
  const tag = Factory.tag();
  let api: TestApi;
  let worker: INestApplicationContext;
  let sweep: ReminderSweepService;
  let relayQueue: Queue;
  let section: OrgUnitView;
  const u: Record<string, UserView> = {};
  const t: Record<string, string> = {};
  const cases: Record<string, string> = {};
  /** Per day, the reminder rows written: case:recipient:kind. */
  const byDay: Record<string, string[]> = {};

  beforeAll(async () => {
    await sink.start();
    const env = {
      DATABASE_URL: separateDatabaseUrl('complaint_reminders'),
      SMTP_URL: sink.url,
      QUEUE_PREFIX: `rectify-test-crem-${randomUUID().slice(0, 8)}`,
      PUBLIC_URL: 'https://rectify.example.cn',
    };
    api = await TestApi.start({ env, clock });
    worker = await createWorker(loadConfig({ ...process.env, ...env }), clock);
    sweep = worker.get(ReminderSweepService);
    relayQueue = worker.get<Queue>(getQueueToken(QUEUES.notifications));
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city', name: `大同市-${tag}` });
    const bureau = await f.newUnit({ parent: city, name: `市生态环境局-${tag}` });
    const county = await f.newUnit({ parent: city, kind: 'county', name: `阳高县-${tag}` });
    section = await f.newUnit({ parent: county, name: `阳高县生态环境分局-${tag}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.officer = await f.newUser(section, ['unit_officer']);
    u.county = await f.newUser(county, ['unit_officer']);
    u.city = await f.newUser(city, ['unit_officer']);
    for (const [k, user] of Object.entries(u)) t[k] = (await api.login(user.email)).accessToken;
    const batch = await post('dispatcher', '/api/complaint-batches', {
      round: `第三轮督察-${tag}`,
      batchNo: 1,
      receivedOn: '2025-01-20',
      deadlineDays: 10,
      deadlineKind: 'calendar',
    });
    for (const [key, content] of [
      ['A', '阳高县某煤场露天堆放，扬尘严重'],
      ['B', '阳高县某饭店油烟直排居民楼'],
      ['C', '阳高县某砖厂夜间生产噪声扰民'],
    ]) {
      const res = await post('dispatcher', `/api/complaint-batches/${batch.body.id}/cases`, {
        caseNo: `R-${key}`,
        content,
        countyUnitId: county.id,
        pollutionTypes: ['air'],
      });
      cases[key] = res.body.id;
    }
    // A: the batch's rule, 10 calendar days from 1/20 = 1/30, in the holiday: the first working day after it, 2/5.
    await act('A', 1, 'transfer', { leadUnitId: section.id });
    // B: a deadline given on a Saturday, 2/15.
    await act('B', 1, 'transfer', { leadUnitId: section.id, deadline: '2025-02-15' });
    // C: phase-closed with a completion committed for Saturday 2/1, inside the holiday.
    let v = await act('C', 1, 'transfer', { leadUnitId: section.id, deadline: '2025-01-24' });
    v = await act('C', v, 'report_verdict', { verdict: 'substantiated', handlingSummary: '责令限期整改' }, 'officer');
    await act('C', v, 'phase_close', { committedDate: '2025-02-01' });
  }, 120_000);
  afterAll(async () => {
    await worker.get<Queue>(getQueueToken(QUEUES.email)).obliterate({ force: true });
    await relayQueue.obliterate({ force: true });
    await worker.close();
    await api.stop();
    await sink.stop();
  });

  function post(who: string, url: string, body: unknown) {
    return api.request('POST', url, { token: t[who], body });
  }
  async function act(key: string, version: number, action: string, extra: object, who = 'dispatcher'): Promise<number> {
    const res = await post(who, `/api/complaints/${cases[key]}/transitions`, { action, version, ...extra });
    expect(res.status).toBe(200);
    return res.body.version as number;
  }
  const relay = async (): Promise<void> => {
    const job = await relayQueue.add(JOBS.notifications.relayOutbox, {});
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 15000, 'the relay');
  };
  const label = (key: string): string => {
    const caseKey = Object.entries(cases).find(([, id]) => key.includes(id))?.[0] ?? '?';
    const who = Object.entries(u).find(([, user]) => key.includes(user.id))?.[0] ?? '?';
    const kind = key.split(':')[4];
    return `${caseKey}:${who}:${kind}`;
  };

  it('transfers case A with its deadline moved past the Spring Festival to 2/5', async () => {
    const a = await api.request('GET', `/api/complaints/${cases.A}`, { token: t.dispatcher });
    expect(a.body.deadline).toBe('2025-02-05');
  });

  it('sweeps every day 1/20–2/19 twice: each reminder once, on the hand-computed working day', async () => {
    const seen = new Set<string>();
    for (let day = '2025-01-20'; day <= '2025-02-19'; day = next(day)) {
      clock.setDate(day);
      await sweep.sweep();
      const again = await sweep.sweep(); // a second sweep the same day writes nothing
      expect(Object.values(again.written).every((n) => n === 0)).toBe(true);
      const keys = (
        await api.ds.query<{ dedupe_key: string }[]>(`SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE 'reminder:complaint:%'`)
      ).map((r) => r.dedupe_key);
      const fresh = keys.filter((k) => !seen.has(k));
      fresh.forEach((k) => seen.add(k));
      if (fresh.length) byDay[day] = fresh.map(label).sort();
    }
    expect(byDay).toEqual({
      // A, due Wed 2/5: the working day before its last one is Mon 1/27 (the make-up Sunday 1/26 is too early).
      '2025-01-27': ['A:officer:before_1'],
      '2025-02-05': ['A:officer:due_today', 'C:dispatcher:committed', 'C:officer:committed'],
      '2025-02-06': ['A:dispatcher:overdue', 'A:officer:overdue'],
      // 5 working days overdue: 2/6, 2/7, Saturday 2/8 (make-up), 2/10, 2/11 — one level up, the county.
      '2025-02-11': ['A:county:escalation_1'],
      // B, due Saturday 2/15: its last working day is Friday 2/14.
      '2025-02-13': ['B:officer:before_1'],
      '2025-02-14': ['B:officer:due_today'],
      '2025-02-17': ['B:dispatcher:overdue', 'B:officer:overdue'],
      // A, 10 working days overdue (2/12, 2/13, 2/14, 2/17, 2/18): two levels up, the city.
      '2025-02-18': ['A:city:escalation_2'],
    });
  }, 180_000);

  it('the mails reach the sink with the dates in their subjects', async () => {
    await relay();
    const subjects = (who: string): string[] =>
      sink
        .to(u[who].email)
        .map((m) => m.subject)
        // The reminders only: not the mails of the set-up's own steps (transfer, verdict, phase close).
        .filter((s) => !s.includes('转办') && !s.includes('待审核') && !s.startsWith('【信访件阶段性办结】'));
    await waitFor(() => subjects('officer').length >= 7, 20000, 'seven reminders to the officer');
    expect(subjects('officer').sort()).toEqual(
      [
        '【信访件到期提醒】R-A 距办理时限还有1个工作日（2025-02-05）',
        '【信访件今日到期】R-A 办理时限 2025-02-05，今天是最后一个工作日',
        '【信访件逾期】R-A 已超过办理时限（2025-02-05）',
        '【信访件到期提醒】R-B 距办理时限还有1个工作日（2025-02-15）',
        '【信访件今日到期】R-B 办理时限 2025-02-15，今天是最后一个工作日',
        '【信访件逾期】R-B 已超过办理时限（2025-02-15）',
        '【阶段性办结到期】R-C 承诺完成时限 2025-02-01 已到',
      ].sort(),
    );
    await waitFor(() => subjects('dispatcher').length >= 3, 20000, 'three reminders to the dispatcher');
    expect(subjects('dispatcher').sort()).toEqual(
      [
        '【信访件逾期】R-A 已超过办理时限（2025-02-05）',
        '【信访件逾期】R-B 已超过办理时限（2025-02-15）',
        '【阶段性办结到期】R-C 承诺完成时限 2025-02-01 已到',
      ].sort(),
    );
    await waitFor(() => subjects('city').length >= 1, 20000, 'the escalation to the city');
    expect(subjects('county')).toEqual(['【信访件逾期升级督办】R-A 逾期未报送（时限 2025-02-05）']);
    expect(subjects('city')).toEqual(['【信访件逾期升级督办】R-A 逾期未报送（时限 2025-02-05）']);
    const committed = sink.to(u.officer.email).find((m) => m.subject.startsWith('【阶段性办结到期】'));
    expect(committed?.body).toContain(`https://rectify.example.cn/complaints/${cases.C}`);
  }, 60_000);
});
