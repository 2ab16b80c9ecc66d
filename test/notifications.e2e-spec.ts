import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { loadConfig } from '#config';
import type { Actor } from '#domain';
import type { OrgUnitView } from '#org';
import { JOBS, QUEUES } from '#queue';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { TestApi } from './support/api.js';
import { Factory } from './support/factories.js';
import { separateDatabaseUrl } from './support/database.js';
import { SmtpSink, waitFor } from './support/smtp-sink.js';

/** Item events reach people by e-mail through the outbox, the queue and a real SMTP server. */
describe('notifications by e-mail (real Redis, PostgreSQL and SMTP)', () => {
  const sink = new SmtpSink();
  let api: TestApi;
  let worker: INestApplicationContext;
  let relayQueue: Queue;
  let f: Factory;
  let county: OrgUnitView;
  let dispatcher: Actor;
  let batchId: string;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    await sink.start();
    // A database of its own: the relay sweeps the whole outbox, and other test files fill the shared one.
    Object.assign(env, {
      DATABASE_URL: separateDatabaseUrl('mail'),
      SMTP_URL: sink.url,
      QUEUE_PREFIX: `rectify-test-mail-${randomUUID().slice(0, 8)}`,
      PUBLIC_URL: 'https://rectify.example.cn',
    });
    api = await TestApi.start({ env });
    worker = await createWorker(loadConfig({ ...process.env, ...env }));
    relayQueue = worker.get<Queue>(getQueueToken(QUEUES.notifications));
    f = api.factory;
    const city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    county = await f.newUnit({ parent: city, kind: 'county' });
    dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    batchId = (await f.newBatch(dispatcher)).id;
  });
  afterAll(async () => {
    await worker.get<Queue>(getQueueToken(QUEUES.email)).obliterate({ force: true });
    await relayQueue.obliterate({ force: true });
    await worker.close();
    await api.stop();
    await sink.stop();
  });

  const relay = async (): Promise<void> => {
    const job = await relayQueue.add(JOBS.notifications.relayOutbox, {});
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 15000, 'the relay');
  };

  async function assignNew(code: string): Promise<string> {
    const batch = await f.batches.get(dispatcher, batchId);
    const item = await f.newItem(dispatcher, batch, { code, title: '露天煤场未全封闭', leadUnitIds: [county.id], deadline: '2027-03-31' });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    return item.id;
  }

  it('an assignment mails every officer of the lead unit once, in Chinese, saying what and by when, with a link', async () => {
    const a = await f.newUser(county, ['unit_officer']);
    const b = await f.newUser(county, ['unit_officer']);
    const itemId = await assignNew('MAIL-1');
    await relay();
    await waitFor(() => sink.to(a.email).length > 0 && sink.to(b.email).length > 0, 15000, 'both e-mails');
    const [mail] = sink.to(a.email);
    expect(mail.subject).toBe('【整改通】新分派整改事项 MAIL-1，整改时限 2027-03-31');
    expect(mail.body).toContain(`https://rectify.example.cn/items/${itemId}`);
    expect(mail.body).toContain('已分派贵单位牵头整改，请及时签收，整改时限 2027-03-31。');
    expect(mail.raw).toContain('Content-Type: text/html');
    // relaying again sends nothing new
    await relay();
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.to(a.email)).toHaveLength(1);
    expect(sink.to(b.email)).toHaveLength(1);
    const rows = await api.ds.query(`SELECT status FROM outbox WHERE kind = 'email' AND payload->'data'->>'itemCode' = 'MAIL-1'`);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['sent', 'sent']);
  });

  it('a transient SMTP failure is retried until it goes through, once', async () => {
    const officer = await f.newUser(await f.newUnit({ parent: county, kind: 'section' }), ['unit_officer']);
    const unitId = officer.unitId;
    sink.failNext(2);
    const batch = await f.batches.get(dispatcher, batchId);
    const item = await f.newItem(dispatcher, batch, { code: 'MAIL-2', leadUnitIds: [unitId] });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    await relay();
    await waitFor(() => sink.to(officer.email).length > 0, 20000, 'the retried e-mail');
    // The row is marked sent just after the server took the message: wait for that too.
    let row: { status: string; attempts: number } | undefined;
    await waitFor(
      async () => {
        [row] = await api.ds.query(`SELECT status, attempts FROM outbox WHERE kind = 'email' AND payload->>'userId' = $1`, [officer.id]);
        return row?.status !== 'enqueued';
      },
      10000,
      'the row to be marked',
    );
    expect(row).toEqual({ status: 'sent', attempts: 3 });
    expect(sink.to(officer.email)).toHaveLength(1);
  });

  it('a refused address is recorded as failed with the reason, listed for admins, and can be retried', async () => {
    const unit = await f.newUnit({ parent: county, kind: 'section' });
    const bad = await f.newUser(unit, ['unit_officer'], { email: `invalid-${randomUUID().slice(0, 6)}@test.rectify.cn` });
    const batch = await f.batches.get(dispatcher, batchId);
    const item = await f.newItem(dispatcher, batch, { code: 'MAIL-3', leadUnitIds: [unit.id] });
    await f.transitions.transition(dispatcher, item.id, { action: 'assign', version: item.version });
    await relay();
    let row: { id: string; status: string; last_error: string } | undefined;
    await waitFor(
      async () => {
        [row] = await api.ds.query(`SELECT id, status, last_error FROM outbox WHERE kind = 'email' AND payload->>'userId' = $1`, [bad.id]);
        return row?.status === 'failed';
      },
      15000,
      'the failure to be recorded',
    );
    expect(row!.last_error).toContain('mailbox unavailable');
    const admin = await f.newUser(county, ['admin']);
    const token = (await api.login(admin.email)).accessToken;
    const failed = await api.request('GET', '/api/admin/outbox/failed', { token });
    expect(failed.status).toBe(200);
    expect(failed.body.map((x: { id: string }) => x.id)).toContain(row!.id);
    const officerToken = (await api.login(bad.email)).accessToken;
    expect((await api.request('GET', '/api/admin/outbox/failed', { token: officerToken })).status).toBe(403);
    const retry = await api.request('POST', `/api/admin/outbox/${row!.id}/retry`, { token });
    expect(retry.status).toBe(204);
    const [after] = await api.ds.query(`SELECT status, attempts FROM outbox WHERE id = $1`, [row!.id]);
    expect(after).toEqual({ status: 'pending', attempts: 0 });
  });

  it('admins set reminder policies per source type (validated, versioned, in the history); users choose digest-only', async () => {
    const admin = await f.newUser(county, ['admin']);
    const token = (await api.login(admin.email)).accessToken;
    const bad = await api.request('PUT', '/api/admin/reminder-policies/warning_film', {
      token,
      body: { beforeDays: [0], escalateEveryDays: 5, escalateMaxLevels: 2, acceptancePendingDays: 5 },
    });
    expect(bad.status).toBe(400);
    const unknown = await api.request('PUT', '/api/admin/reminder-policies/gossip', {
      token,
      body: { beforeDays: [3], escalateEveryDays: 5, escalateMaxLevels: 2, acceptancePendingDays: 5 },
    });
    expect(unknown.status).toBe(400);
    const set = await api.request('PUT', '/api/admin/reminder-policies/warning_film', {
      token,
      body: { beforeDays: [10, 5, 2], escalateEveryDays: 3, escalateMaxLevels: 1, acceptancePendingDays: 3 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ beforeDays: [10, 5, 2], version: 1 });
    const all = await api.request('GET', '/api/admin/reminder-policies', { token });
    expect(all.body.default).toEqual({
      beforeDays: [5, 3, 1],
      escalateEveryDays: 5,
      escalateMaxLevels: 2,
      acceptancePendingDays: 5,
      recurEveryDays: 5,
      escalateToRoot: false,
    });
    expect(all.body.warning_film.escalateEveryDays).toBe(3);
    const [h] = await api.ds.query(`SELECT action, data FROM history WHERE entity_type = 'reminder_policy' ORDER BY id DESC LIMIT 1`);
    expect(h).toMatchObject({ action: 'create', data: { scope: 'warning_film' } });
    // PUT names the version it replaces; a stale one is refused
    const stale = await api.request('PUT', '/api/admin/reminder-policies/warning_film', {
      token,
      body: { beforeDays: [4], escalateEveryDays: 3, escalateMaxLevels: 1, acceptancePendingDays: 3, version: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toEqual({ currentVersion: 1 });
    const weekly = await api.request('PUT', '/api/admin/reminder-policies/warning_film', {
      token,
      body: { beforeDays: [4], escalateEveryDays: 3, escalateMaxLevels: 1, acceptancePendingDays: 3, recurEveryDays: 10, version: 1 },
    });
    expect(weekly.body).toMatchObject({ beforeDays: [4], recurEveryDays: 10, escalateToRoot: false, version: 2 });
    // reset: the source type follows the default again, and the history keeps what it was
    const reset = await api.request('DELETE', '/api/admin/reminder-policies/warning_film?version=2', { token });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ ...all.body.default, version: 0 });
    expect((await api.request('GET', '/api/admin/reminder-policies', { token })).body.warning_film).toBeUndefined();
    const [r] = await api.ds.query(`SELECT action, data FROM history WHERE entity_type = 'reminder_policy' ORDER BY id DESC LIMIT 1`);
    expect(r).toMatchObject({
      action: 'reset',
      data: { scope: 'warning_film', version: 2, before: { beforeDays: [4], recurEveryDays: 10 } },
    });

    const officer = await f.newUser(county, ['unit_officer']);
    const officerToken = (await api.login(officer.email)).accessToken;
    expect((await api.request('GET', '/api/admin/reminder-policies', { token: officerToken })).status).toBe(403);
    const pref = await api.request('PUT', '/api/users/me/preferences', { token: officerToken, body: { digestOnly: true } });
    expect(pref.status).toBe(200);
    expect(pref.body).toMatchObject({ id: officer.id, digestOnly: true });
    const [row] = await api.ds.query(`SELECT digest_only FROM app_user WHERE id = $1`, [officer.id]);
    expect(row.digest_only).toBe(true);
  });
});
