import { createHash, randomUUID } from 'node:crypto';
import type { OrgUnitView, UserView } from '#org';
import { TestApi, type Reply } from './support/api.js';
import { TestClock } from './support/clock.js';
import { separateDatabaseUrl } from './support/database.js';
import { Factory } from './support/factories.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * Evidence on complaint cases through HTTP: the files lib's checks and storage, the case's scope
 * (another unit's case is a 404), a history row for every upload and withdrawal, files going in
 * with the next verdict report, and bad input that writes nothing.
 */
describe('complaint case evidence (e2e)', () => {
  const clock = new TestClock(new Date('2026-06-02T09:00:00+08:00'));
  const tag = Factory.tag();
  let api: TestApi;
  const u: Record<string, UserView> = {};
  const t: Record<string, string> = {};
  let section: OrgUnitView;
  let batchId: string;
  let caseId: string;
  let version: number;
  let countyId: string;

  beforeAll(async () => {
    api = await TestApi.start({ clock, env: { DATABASE_URL: separateDatabaseUrl('complaints'), UPLOAD_LIMIT_BYTES: '4096' } });
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city', name: `大同市-${tag}` });
    const bureau = await f.newUnit({ parent: city, name: `市生态环境局-${tag}` });
    const county = await f.newUnit({ parent: city, kind: 'county', name: `阳高县-${tag}` });
    countyId = county.id;
    section = await f.newUnit({ parent: county, name: `阳高县生态环境分局-${tag}` });
    const cooperating = await f.newUnit({ parent: county, name: `阳高县农业农村局-${tag}` });
    const other = await f.newUnit({ parent: city, kind: 'county', name: `天镇县-${tag}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.officer = await f.newUser(section, ['unit_officer']);
    u.cooperating = await f.newUser(cooperating, ['unit_officer']);
    u.other = await f.newUser(other, ['unit_officer']);
    u.auditor = await f.newUser(city, ['auditor']);
    for (const [k, user] of Object.entries(u)) t[k] = (await api.login(user.email)).accessToken;
    const batch = await api.request('POST', '/api/complaint-batches', {
      token: t.dispatcher,
      body: { round: `第三轮督察-${tag}`, batchNo: 1, receivedOn: '2026-06-01', deadlineDays: 10, deadlineKind: 'calendar' },
    });
    batchId = batch.body.id;
    caseId = await newCase('E-001', '阳高县某化工厂夜间偷排废水，河水发黑');
    const transfer = await api.request('POST', `/api/complaints/${caseId}/transitions`, {
      token: t.dispatcher,
      body: { action: 'transfer', version: 1, leadUnitId: section.id, cooperatingUnitIds: [cooperating.id] },
    });
    expect(transfer.status).toBe(200);
    version = transfer.body.version;
  }, 60_000);
  afterAll(async () => {
    await api.stop();
  });

  async function newCase(caseNo: string, content: string): Promise<string> {
    const res = await api.request('POST', `/api/complaint-batches/${batchId}/cases`, {
      token: t.dispatcher,
      body: { caseNo, content, countyUnitId: countyId, pollutionTypes: ['water'] },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  async function send(who: string, body: Buffer, name: string, id = caseId): Promise<Reply> {
    const form = new FormData();
    form.append('file', new Blob([body]), name);
    const res = await fetch(`${api.baseUrl}/api/complaints/${id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t[who]}` },
      body: form,
    });
    return { status: res.status, headers: {}, body: await res.json(), raw: '' };
  }
  const rows = async (id = caseId): Promise<number> =>
    (await api.ds.query(`SELECT count(*)::int AS n FROM complaint_evidence WHERE case_id = $1`, [id]))[0].n;
  const history = async (id = caseId): Promise<string[]> =>
    (
      await api.ds.query<{ action: string }[]>(
        `SELECT action FROM history WHERE entity_type = 'complaint' AND entity_id = $1 ORDER BY seq`,
        [id],
      )
    ).map((r) => r.action);

  let photoId: string;

  it('the lead unit uploads a photo: checked by content, named by its real type, in the history; downloads byte for byte', async () => {
    const res = await send('officer', PNG, '现场照片.jpg');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caseId,
      unitId: section.id,
      verdictSeq: null,
      filename: '现场照片.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      uploadedById: u.officer.id,
    });
    photoId = res.body.id;
    expect(await history()).toEqual(['receive', 'transfer', 'add_evidence']);
    for (const who of ['officer', 'dispatcher', 'auditor', 'cooperating']) {
      const list = await api.request('GET', `/api/complaints/${caseId}/evidence`, { token: t[who] });
      expect(list.status).toBe(200);
      expect(list.body.map((e: { id: string }) => e.id)).toEqual([photoId]);
    }
    const file = await fetch(`${api.baseUrl}/api/complaints/${caseId}/evidence/${photoId}`, {
      headers: { authorization: `Bearer ${t.dispatcher}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-sha256')).toBe(res.body.sha256);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('another unit’s case and an unknown case are 404s; an auditor may not upload; nothing is written', async () => {
    expect((await api.request('GET', `/api/complaints/${caseId}/evidence`, { token: t.other })).status).toBe(404);
    expect((await api.request('GET', `/api/complaints/${caseId}/evidence/${photoId}`, { token: t.other })).status).toBe(404);
    const foreign = await send('other', PDF, 'a.pdf');
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('COMPLAINT_NOT_FOUND');
    expect((await api.request('DELETE', `/api/complaints/${caseId}/evidence/${photoId}`, { token: t.other })).status).toBe(404);
    const unknown = await send('dispatcher', PDF, 'a.pdf', randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('COMPLAINT_NOT_FOUND');
    expect((await api.request('GET', `/api/complaints/${caseId}/evidence/${randomUUID()}`, { token: t.officer })).body.code).toBe(
      'EVIDENCE_NOT_FOUND',
    );
    expect((await api.request('GET', `/api/complaints/not-a-uuid/evidence`, { token: t.officer })).status).toBe(400);
    expect((await send('auditor', PDF, 'a.pdf')).status).toBe(403);
    expect(await rows()).toBe(1);
    expect(await history()).toEqual(['receive', 'transfer', 'add_evidence']);
  });

  it('too large is 413, not multipart is 415, a disguised file is 400: nothing stored, nothing in the history', async () => {
    const big = await send('officer', Buffer.concat([PDF, Buffer.alloc(4096, 0x41)]), 'big.pdf');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('FILE_TOO_LARGE');
    const json = await api.request('POST', `/api/complaints/${caseId}/evidence`, { token: t.officer, body: { file: 'x' } });
    expect(json.status).toBe(415);
    const fake = await send('officer', Buffer.from('<html><script>alert(1)</script></html>'), 'report.pdf');
    expect(fake.status).toBe(400);
    expect(fake.body.code).toBe('UNSUPPORTED_FILE_TYPE');
    const empty = await send('officer', Buffer.alloc(0), 'empty.pdf');
    expect(empty.status).toBe(400);
    expect(empty.body.details.fields[0].field).toBe('file');
    expect(await rows()).toBe(1);
    expect(await history()).toEqual(['receive', 'transfer', 'add_evidence']);
  });

  it('files go in with the verdict report and then stay; a later file can be withdrawn by its unit only, in the history', async () => {
    const report = await api.request('POST', `/api/complaints/${caseId}/transitions`, {
      token: t.officer,
      body: { action: 'report_verdict', version, verdict: 'substantiated', handlingSummary: '责令停产整改，立案查处' },
    });
    expect(report.status).toBe(200);
    version = report.body.version;
    const listed = await api.request('GET', `/api/complaints/${caseId}/evidence`, { token: t.officer });
    expect(listed.body[0].verdictSeq).toBe(1);
    const stays = await api.request('DELETE', `/api/complaints/${caseId}/evidence/${photoId}`, { token: t.officer });
    expect(stays.status).toBe(409);
    expect(stays.body.code).toBe('EVIDENCE_ALREADY_REPORTED');

    const late = await send('officer', PDF, '补充材料.pdf');
    expect(late.status).toBe(201);
    expect(late.body.verdictSeq).toBeNull();
    expect((await api.request('DELETE', `/api/complaints/${caseId}/evidence/${late.body.id}`, { token: t.cooperating })).status).toBe(403);
    const removed = await api.request('DELETE', `/api/complaints/${caseId}/evidence/${late.body.id}`, { token: t.officer });
    expect(removed.status).toBe(204);
    expect(
      (await api.request('GET', `/api/complaints/${caseId}/evidence`, { token: t.officer })).body.map((e: { id: string }) => e.id),
    ).toEqual([photoId]);
    expect((await api.request('GET', `/api/complaints/${caseId}/evidence/${late.body.id}`, { token: t.officer })).status).toBe(404);
    expect((await api.request('DELETE', `/api/complaints/${caseId}/evidence/${late.body.id}`, { token: t.officer })).status).toBe(404);
    expect(await history()).toEqual(['receive', 'transfer', 'add_evidence', 'report_verdict', 'add_evidence', 'remove_evidence']);
    const [verdictRow] = await api.ds.query(
      `SELECT data FROM history WHERE entity_type = 'complaint' AND entity_id = $1 AND action = 'report_verdict'`,
      [caseId],
    );
    expect(verdictRow.data.evidenceIds).toEqual([photoId]);
  });

  it('a merged case takes no evidence (409), and nothing is written', async () => {
    const repeat = await newCase('E-002', '阳高县某化工厂夜间偷排废水，河水发黑发臭');
    const merged = await api.request('POST', `/api/complaints/${repeat}/transitions`, {
      token: t.dispatcher,
      body: { action: 'merge', version: 1, duplicateOfId: caseId },
    });
    expect(merged.status).toBe(200);
    const res = await send('dispatcher', PDF, 'a.pdf', repeat);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('COMPLAINT_NOT_OPEN_FOR_EVIDENCE');
    expect(await rows(repeat)).toBe(0);
  });
});
