import type { OrgUnitView, UserView } from '#org';
import { TestApi, type Reply } from './support/api.js';
import { Factory } from './support/factories.js';

/**
 * A unit's case list without a batch or text filter is read from complaint_reader (rows the
 * triggers keep in step with the case and its verdicts): the lists after intake, transfer, a
 * verdict, a return and a new verdict, and a reassignment, each against the cases worked out by hand.
 */
describe('the complaint list as a unit reads it (e2e)', () => {
  const tag = Factory.tag();
  let api: TestApi;
  let countyA: OrgUnitView;
  let sectionA: OrgUnitView;
  let countyB: OrgUnitView;
  const u: Record<string, UserView> = {};
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const versions: Record<string, number> = {};
  let batchId: string;

  beforeAll(async () => {
    api = await TestApi.start();
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city', name: `列表市-${tag}` });
    const bureau = await f.newUnit({ parent: city, name: `列表市生态环境局-${tag}` });
    countyA = await f.newUnit({ parent: city, kind: 'county', name: `甲县-${tag}` });
    sectionA = await f.newUnit({ parent: countyA, name: `甲县分局-${tag}` });
    countyB = await f.newUnit({ parent: city, kind: 'county', name: `乙县-${tag}` });
    u.dispatcher = await f.newUser(bureau, ['dispatcher']);
    u.officerA = await f.newUser(sectionA, ['unit_officer']);
    u.officerB = await f.newUser(countyB, ['unit_officer']);
    u.admin = await f.newUser(city, ['admin']);
    u.auditor = await f.newUser(city, ['auditor']);
    for (const [k, user] of Object.entries(u)) t[k] = (await api.login(user.email)).accessToken;
    const batch = await post('dispatcher', '/api/complaint-batches', {
      round: `列表督察-${tag}`,
      batchNo: 1,
      receivedOn: '2026-06-01',
      deadlineDays: 10,
      deadlineKind: 'calendar',
    });
    batchId = batch.body.id;
    const cases: [string, OrgUnitView, string, string][] = [
      ['L-1', countyA, 'water', '甲县某养殖场粪污直排河道'],
      ['L-2', countyA, 'air', '甲县某砖厂烟尘无组织排放'],
      ['L-3', countyB, 'air', '乙县某煤场露天堆放未苫盖'],
    ];
    for (const [caseNo, county, type, content] of cases) {
      const res = await post('dispatcher', `/api/complaint-batches/${batchId}/cases`, {
        caseNo,
        content,
        countyUnitId: county.id,
        pollutionTypes: [type],
      });
      expect(res.status).toBe(201);
      ids[caseNo] = res.body.id;
      versions[caseNo] = 1;
    }
  }, 120_000);
  afterAll(() => api.stop());

  function post(who: string, url: string, body: unknown): Promise<Reply> {
    return api.request('POST', url, { token: t[who], body });
  }
  async function act(who: string, caseNo: string, action: string, extra: Record<string, unknown> = {}): Promise<void> {
    const res = await post(who, `/api/complaints/${ids[caseNo]}/transitions`, { action, version: versions[caseNo], ...extra });
    if (res.status !== 200) throw new Error(`${who} ${action} ${caseNo}: ${res.status} ${res.raw}`);
    versions[caseNo] = res.body.version;
  }
  /** The case numbers of a list, in its order, and its total. */
  async function list(who: string, query = ''): Promise<[string[], number]> {
    const res = await api.request('GET', `/api/complaints${query}`, { token: t[who] });
    expect(res.status).toBe(200);
    return [res.body.data.map((r: { caseNo: string }) => r.caseNo), res.body.total];
  }

  it('lists what each unit may read, newest case number first, with its filters', async () => {
    expect(await list('dispatcher')).toEqual([['L-3', 'L-2', 'L-1'], 3]);
    // Received, not transferred yet: no unit works on them.
    expect(await list('officerA')).toEqual([[], 0]);
    await act('dispatcher', 'L-1', 'transfer', { leadUnitId: sectionA.id });
    await act('dispatcher', 'L-2', 'transfer', { leadUnitId: sectionA.id });
    await act('dispatcher', 'L-3', 'transfer', { leadUnitId: countyB.id });
    expect(await list('officerA')).toEqual([['L-2', 'L-1'], 2]);
    expect(await list('officerB')).toEqual([['L-3'], 1]);
    expect(await list('officerB', `?countyUnitId=${countyA.id}`)).toEqual([[], 0]);
    expect(await list('dispatcher', `?countyUnitId=${countyA.id}&pollutionType=air`)).toEqual([['L-2'], 1]);
    expect(await list('dispatcher', `?leadUnitId=${sectionA.id}&state=transferred`)).toEqual([['L-2', 'L-1'], 2]);
    expect(await list('dispatcher', '?receivedFrom=2026-06-02')).toEqual([[], 0]);
    expect(await list('dispatcher', '?receivedFrom=2026-06-01&receivedTo=2026-06-01')).toEqual([['L-3', 'L-2', 'L-1'], 3]);
  });

  it('follows verdicts (the latest one counts), returns and reassignment', async () => {
    await act('officerA', 'L-1', 'report_verdict', { verdict: 'partly', handlingSummary: '责令整改' });
    await act('officerA', 'L-2', 'report_verdict', { verdict: 'unfounded', handlingSummary: '经核查不属实' });
    expect(await list('officerA', '?verdict=partly')).toEqual([['L-1'], 1]);
    expect(await list('dispatcher', '?verdict=unfounded')).toEqual([['L-2'], 1]);
    expect(await list('dispatcher', '?state=investigated')).toEqual([['L-2', 'L-1'], 2]);
    await act('dispatcher', 'L-1', 'return', { reason: '核查不充分' });
    expect(await list('officerA', '?state=transferred')).toEqual([['L-1'], 1]);
    await act('officerA', 'L-1', 'report_verdict', { verdict: 'substantiated', handlingSummary: '立案查处' });
    expect(await list('officerA', '?verdict=partly')).toEqual([[], 0]);
    expect(await list('officerA', '?verdict=substantiated')).toEqual([['L-1'], 1]);

    await act('dispatcher', 'L-3', 'reassign', { leadUnitId: sectionA.id, reason: '属甲县管辖' });
    expect(await list('officerA')).toEqual([['L-3', 'L-2', 'L-1'], 3]);
    expect(await list('officerB')).toEqual([[], 0]);
    expect(await list('officerA', `?countyUnitId=${countyB.id}&state=transferred`)).toEqual([['L-3'], 1]);
  });

  it('filters by batch and by words in every scope: the admin and the auditor read every case, a unit its own', async () => {
    const words = (w: string) => encodeURIComponent(w);
    expect(await list('admin', `?batchId=${batchId}`)).toEqual([['L-3', 'L-2', 'L-1'], 3]);
    expect(await list('auditor', `?batchId=${batchId}&verdict=substantiated`)).toEqual([['L-1'], 1]);
    expect(await list('admin', `?batchId=${batchId}&q=${words('煤场')}`)).toEqual([['L-3'], 1]);
    expect(await list('officerB', `?batchId=${batchId}`)).toEqual([[], 0]);
    expect(await list('officerA', `?batchId=${batchId}&q=${words('砖厂')}`)).toEqual([['L-2'], 1]);
    expect(await list('officerA', `?q=${words('养殖场')}`)).toEqual([['L-1'], 1]);
    expect(await list('officerB', `?q=${words('养殖场')}`)).toEqual([[], 0]);
    // Case-insensitive where case exists; words spanning the case number and the content match nothing.
    expect(await list('dispatcher', '?q=l-3')).toEqual([['L-3'], 1]);
    expect(await list('dispatcher', `?q=${words('L-1\n甲县')}`)).toEqual([[], 0]);
    expect(await list('dispatcher', `?q=${words('L-1')}&state=investigated`)).toEqual([['L-1'], 1]);
    // Two characters (no trigram): the stored character pairs, exactly as the longer words.
    expect(await list('dispatcher', `?q=${words('煤场')}`)).toEqual([['L-3'], 1]);
    expect(await list('officerA', `?q=${words('某砖')}`)).toEqual([['L-2'], 1]);
    expect(await list('officerB', `?q=${words('甲县')}`)).toEqual([[], 0]);
    expect(await list('auditor', `?batchId=${batchId}&q=l-`)).toEqual([['L-3', 'L-2', 'L-1'], 3]);
    expect(await list('dispatcher', `?q=${words('3乙')}`)).toEqual([[], 0]);
    expect(await list('dispatcher', `?q=${words('水库')}`)).toEqual([[], 0]);
  });

  it('pages every source in list order, and a page past the end is empty with the total', async () => {
    const words = (w: string) => encodeURIComponent(w);
    expect(await list('dispatcher', '?page=2&pageSize=1')).toEqual([['L-2'], 3]);
    expect(await list('auditor', `?batchId=${batchId}&page=3&pageSize=1`)).toEqual([['L-1'], 3]);
    expect(await list('officerA', `?q=${words('甲县')}&page=1&pageSize=1`)).toEqual([['L-2'], 2]);
    expect(await list('admin', `?batchId=${batchId}&page=2&pageSize=3`)).toEqual([[], 3]);
  });

  it('past the count cap walks in list order, and the pages agree with the matches sorted by hand', async () => {
    // 1,001 more cases in a second batch (written as intake writes them; the triggers add the readers).
    const second = await post('dispatcher', '/api/complaint-batches', {
      round: `列表督察-${tag}`,
      batchNo: 2,
      receivedOn: '2026-06-03',
      deadlineDays: 10,
      deadlineKind: 'calendar',
    });
    expect(second.status).toBe(201);
    await api.ds.query(
      `INSERT INTO complaint_case (batch_id, case_no, received_on, content, county_unit_id, address, pollution_types,
                                   dispatcher_unit_id, dispatcher_scope, created_by, created_at, updated_at)
       SELECT $1, 'P-' || lpad(g::text, 4, '0'), date '2026-06-03' + g % 3, '第' || g || '号洗煤厂废水外溢', $2, '', ARRAY['water'],
              o.id, path_ids(o.path), $3, now(), now()
         FROM generate_series(1, 1001) g, org_unit o WHERE o.id = $4`,
      [second.body.id, countyA.id, u.dispatcher.id, u.dispatcher.unitId],
    );
    // Newest received first (June 5: numbers ≡ 2 mod 3, then June 4, then June 3), then the number, descending.
    const expected = Array.from({ length: 1001 }, (_, i) => i + 1)
      .sort((a, b) => (b % 3) - (a % 3) || b - a)
      .map((n) => `P-${String(n).padStart(4, '0')}`);
    const words = (w: string) => encodeURIComponent(w);
    for (const filter of ['', `batchId=${second.body.id}&`, `q=${words('洗煤')}&`, `q=${words('洗煤厂')}&`]) {
      const first = await api.request('GET', `/api/complaints?${filter}pageSize=50`, { token: t.dispatcher });
      expect([first.body.total, first.body.totalIsExact]).toEqual([1000, false]);
      const pages = [1, 2, 20, 21];
      for (const page of pages) {
        const [rows] = await list('dispatcher', `?${filter}page=${page}&pageSize=50`);
        // Without a batch or text filter the first batch's three cases (received June 1) come last.
        expect(rows).toEqual(expected.slice((page - 1) * 50, page * 50).concat(page === 21 && !filter ? ['L-3', 'L-2', 'L-1'] : []));
      }
    }
  });
});
