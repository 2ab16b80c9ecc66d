import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { loadConfig } from '#config';
import type { Actor } from '#domain';
import { DigestService, ReminderSweepService } from '#notifications';
import type { OrgUnitView, UserView } from '#org';
import { JOBS, QUEUES } from '#queue';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { TestClock } from './support/clock.js';
import { openTestDataSource, separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';
import { SmtpSink, waitFor } from './support/smtp-sink.js';

const next = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Reminders on China's working-day calendar, through the real sweep, outbox, queue and SMTP. */
describe('deadline reminders and escalation (real PostgreSQL, Redis, SMTP; controlled clock)', () => {
  const sink = new SmtpSink();
  const clock = new TestClock(new Date('2025-01-10T09:00:00+08:00'));
  let ds: DataSource;
  let f: Factory;
  let worker: INestApplicationContext;
  let sweep: ReminderSweepService;
  let relayQueue: Queue;
  let city: OrgUnitView;
  let county: OrgUnitView;
  let section: OrgUnitView;
  let dispatcher: Actor;
  let officer: UserView;
  let countyHead: UserView;
  let cityHead: UserView;
  let batchId: string;

  beforeAll(async () => {
    await sink.start();
    const env = {
      DATABASE_URL: separateDatabaseUrl('reminders'),
      SMTP_URL: sink.url,
      QUEUE_PREFIX: `rectify-test-rem-${randomUUID().slice(0, 8)}`,
    };
    ds = await openTestDataSource(env.DATABASE_URL);
    f = await Factory.create(ds, clock);
    worker = await createWorker(loadConfig({ ...process.env, ...env }), clock);
    sweep = worker.get(ReminderSweepService);
    relayQueue = worker.get<Queue>(getQueueToken(QUEUES.notifications));
    city = await f.newUnit({ kind: 'city' });
    county = await f.newUnit({ parent: city, kind: 'county' });
    section = await f.newUnit({ parent: county, kind: 'section' });
    const bureau = await f.newUnit({ parent: city });
    dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    officer = await f.newUser(section, ['unit_officer']);
    countyHead = await f.newUser(county, ['dispatcher']);
    cityHead = await f.newUser(city, ['unit_officer']);
    batchId = (await f.newBatch(dispatcher, { sourceType: 'self_found' })).id;
  });
  afterAll(async () => {
    await worker.get<Queue>(getQueueToken(QUEUES.email)).obliterate({ force: true });
    await relayQueue.obliterate({ force: true });
    await worker.close();
    await f.close();
    await ds.destroy();
    await sink.stop();
  });

  const relay = async (): Promise<void> => {
    const job = await relayQueue.add(JOBS.notifications.relayOutbox, {});
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 15000, 'the relay');
  };

  async function openItem(code: string, deadline: string): Promise<string> {
    const batch = await f.batches.get(dispatcher, batchId);
    const item = await f.newItem(dispatcher, batch, { code, leadUnitIds: [section.id], deadline });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    return item.id;
  }

  it('a deadline right after the 2025 Spring Festival: reminders on 1/27, 2/6 and the make-up Saturday 2/8, then overdue — each once', async () => {
    await openItem('REM-1', '2025-02-10');
    const byDay: Record<string, string[]> = {};
    for (let day = '2025-01-13'; day <= '2025-02-12'; day = next(day)) {
      clock.setDate(day);
      const result = await sweep.sweep();
      const again = await sweep.sweep(); // a second sweep the same day writes nothing
      expect(Object.values(again.written).every((n) => n === 0)).toBe(true);
      const kinds = Object.entries(result.written)
        .filter(([, n]) => n > 0)
        .map(([k]) => k);
      if (kinds.length) byDay[day] = kinds;
      if (result.skipped) expect(['2025-01-28', '2025-02-01', '2025-02-09'].includes(day) || !byDay[day]).toBe(true);
    }
    expect(byDay).toEqual({
      '2025-01-27': ['before_5'],
      '2025-02-06': ['before_3'],
      '2025-02-08': ['before_1'],
      '2025-02-11': ['overdue'],
    });
    await relay();
    const reminders = (): string[] =>
      sink
        .to(officer.email)
        .map((m) => m.subject)
        .filter((s) => !s.includes('新分派'));
    await waitFor(() => reminders().length >= 4, 20000, 'four reminders to the officer');
    // sent in parallel, so in any order; exactly these four
    expect(reminders()).toHaveLength(4);
    expect(reminders()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('距整改时限还有5个工作日（2025-02-10）'),
        expect.stringContaining('距整改时限还有3个工作日（2025-02-10）'),
        expect.stringContaining('距整改时限还有1个工作日（2025-02-10）'),
        expect.stringContaining('【逾期】'),
      ]),
    );
    // the dispatcher hears of the overdue item too
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE dedupe_key LIKE 'reminder:%:' || $1 || ':overdue:%'`, [
      dispatcher.userId,
    ]);
    expect(n).toBe(1);
  });

  it('escalates one level up the tree every 5 working days overdue', async () => {
    await openItem('REM-2', '2025-09-26');
    const kinds: Record<string, string[]> = {};
    for (let day = '2025-09-27'; day <= '2025-10-20'; day = next(day)) {
      clock.setDate(day);
      const r = await sweep.sweep();
      for (const [k, n] of Object.entries(r.written)) if (n > 0) (kinds[k] ??= []).push(day);
    }
    // overdue working days: 9/28 (make-up Sunday), 9/29, 9/30, 10/9, 10/10 (5th),
    // 10/11 (make-up Saturday), 10/13, 10/14, 10/15, 10/16 (10th)
    expect(kinds.overdue).toEqual(['2025-09-28']);
    expect(kinds.escalation_1).toEqual(['2025-10-10']);
    expect(kinds.escalation_2).toEqual(['2025-10-16']);
    const to = async (user: UserView, kind: string): Promise<number> =>
      (
        await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE dedupe_key LIKE 'reminder:%:' || $1 || ':' || $2 || ':%'`, [
          user.id,
          kind,
        ])
      )[0].n;
    // REM-2 only: REM-1, overdue since February, lies beyond every window (no escalation months late)
    expect(await to(countyHead, 'escalation_1')).toBe(1);
    expect(await to(cityHead, 'escalation_2')).toBe(1);
    expect(await to(officer, 'escalation_1')).toBe(0);
  });

  it('an acceptance waiting more than 5 working days at one level reminds that level’s verifiers', async () => {
    const verifier = await f.newUser(county, ['verifier']);
    const batch = await f.newBatch(dispatcher, { chain: [{ level: 'county' }], noticeDays: 0 });
    const officerActor = Factory.actor(officer, section);
    /** An item of the batch, assigned, accepted and submitted for acceptance on the day. */
    const submitted = async (code: string, day: string): Promise<string> => {
      clock.setDate(day);
      const it = await f.newItem(dispatcher, batch, { code, leadUnitIds: [section.id], countyUnitId: county.id, deadline: '2026-06-30' });
      await f.transitions.transition(dispatcher, it.id, { action: 'assign', version: 1 });
      await f.transitions.transition(officerActor, it.id, { action: 'accept', version: 2 });
      await ds.query(
        `INSERT INTO evidence (item_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
         VALUES ($1, $2, 'r.pdf', 'application/pdf', 1, repeat('b', 64), 'bb/x', $3)`,
        [it.id, section.id, officer.id],
      );
      await f.transitions.transition(officerActor, it.id, { action: 'submit', version: 3 });
      return it.id;
    };
    const itemId = await submitted('REM-3', '2025-11-03');
    const dayOf = async (day: string): Promise<number> => {
      clock.setDate(day);
      return (await sweep.sweep()).written.acceptance_pending ?? 0;
    };
    expect(await dayOf('2025-11-07')).toBe(0); // 4 working days
    expect(await dayOf('2025-11-10')).toBe(1); // 5 working days: the county verifier
    expect(await dayOf('2025-11-11')).toBe(0); // once
    const [row] = await ds.query(`SELECT payload FROM outbox WHERE dedupe_key LIKE 'reminder:' || $1 || ':' || $2 || ':acceptance_%'`, [
      itemId,
      verifier.id,
    ]);
    expect(row.payload.template).toBe('reminder.acceptance');

    // Sweeps missed for a while: a wait of 6 working days is caught up, one of 16 is past the catch-up (N to 2N − 1).
    const recent = await submitted('REM-3B', '2025-11-24'); // Mon; 6 working days to Tue 12/2
    const old = await submitted('REM-3C', '2025-11-10'); // Mon; 16 working days to Tue 12/2
    expect(await dayOf('2025-12-02')).toBe(1);
    const reminded = await ds.query(
      `SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE 'reminder:%:acceptance_%' AND (dedupe_key LIKE $1 OR dedupe_key LIKE $2)`,
      [`reminder:${recent}:%`, `reminder:${old}:%`],
    );
    expect(reminded.map((r: { dedupe_key: string }) => r.dedupe_key.split(':')[1])).toEqual([recent]);
  });

  it('digest-only users get no before-deadline mail, but overdue and escalation mail still reaches them', async () => {
    const quiet = await f.newUser(section, ['unit_officer']);
    await ds.query(`UPDATE app_user SET digest_only = true WHERE id = $1`, [quiet.id]);
    await openItem('REM-4', '2025-12-10');
    for (let day = '2025-12-01'; day <= '2025-12-12'; day = next(day)) {
      clock.setDate(day);
      await sweep.sweep();
    }
    const kinds = (
      await ds.query(`SELECT split_part(dedupe_key, ':', 4) AS kind FROM outbox WHERE dedupe_key LIKE 'reminder:%:' || $1 || ':%'`, [
        quiet.id,
      ])
    ).map((r: { kind: string }) => r.kind);
    expect(kinds).toContain('overdue');
    expect(kinds.filter((k: string) => k.startsWith('before_'))).toEqual([]);
  });

  it('the weekly digest (周调度) and the monthly bulletin (月通报): one e-mail per person per period', async () => {
    const digests = worker.get(DigestService);
    const day = '2025-12-08'; // a Monday
    const first = await digests.weekly(day);
    expect(first).toBeGreaterThan(0);
    expect(await digests.weekly('2025-12-10')).toBe(0); // same week: nothing new
    const [row] = await ds.query(`SELECT payload FROM outbox WHERE dedupe_key = $1`, [`digest:${officer.id}:2025-12-08`]);
    const sections = row.payload.data.sections as { title: string; lines: string[] }[];
    expect(sections.map((x) => x.title)).toEqual(['本周到期', '已逾期', '待您办理']);
    // REM-4 (due 2025-12-10) is due this week; REM-1 and REM-2 are overdue
    expect(sections[0].lines).toEqual([expect.stringMatching(/^REM-4 .*（2025-12-10）$/)]);
    expect(sections[1].lines.map((l) => l.split(' ')[0])).toEqual(expect.arrayContaining(['REM-1', 'REM-2']));

    const auditor = await f.newUser(city, ['auditor']);
    // Run on the 1st, it reports the month before, as of its last day; again that month: nothing new.
    expect(await digests.monthly('2025-12-01')).toBeGreaterThanOrEqual(2); // the auditor and the dispatchers
    expect(await digests.monthly('2025-12-31')).toBe(0);
    await relay();
    await waitFor(() => sink.to(auditor.email).length > 0, 20000, 'the bulletin');
    const [bulletin] = sink.to(auditor.email);
    expect(bulletin.subject).toBe('【月通报】2025-11 整改事项进展情况');
    expect(bulletin.body).toContain('主要指标（截至 2025-11-30）');
    expect(bulletin.body).toMatch(/销号率：/);
    expect(bulletin.body).toContain('逾期未完成事项');
    expect(bulletin.body).toMatch(/REM-1 .*（2025-02-10，.*逾期 293 天）/);
    // The workbook rides along: an .xlsx attachment named for the month.
    const part = /filename\*0\*=utf-8''%E6%9C%88%E9%80%9A%E6%8A%A5-2025-11\.xlsx\s*\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/i.exec(bulletin.raw);
    expect(part).not.toBeNull();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(part![1].replace(/\s+/g, ''), 'base64') as never);
    expect(wb.getWorksheet('概况')!.getRow(1).getCell(1).text).toContain('2025年11月');
    const overdueCodes = wb.getWorksheet('逾期未完成事项')!.getColumn(1).values;
    expect(overdueCodes).toEqual(expect.arrayContaining(['REM-1']));
  });
});
