import type { DataSource } from 'typeorm';
import type { Actor, RectificationState } from '#domain';
import type { BatchView, ItemDetail } from '#items';
import { StatisticsService } from '#statistics';
import { TestClock } from './support/clock.js';
import { openTestDataSource } from './support/database.js';
import { Factory } from './support/factories.js';

/** The count figures a source answers for one batch, and its items by state (states with none left out). */
interface Counted {
  byState: Partial<Record<RectificationState, number>>;
  total: number;
  signedOff: number;
  awaitingAcceptance: number;
  phaseCompleted: number;
  inProgress: number;
  due: number;
  overdueOpen: number;
  extendedItems: number;
  extensionsGranted: number;
  reboundItems: number;
  rebounds: number;
}

const NONE: Counted = {
  byState: {},
  total: 0,
  signedOff: 0,
  awaitingAcceptance: 0,
  phaseCompleted: 0,
  inProgress: 0,
  due: 0,
  overdueOpen: 0,
  extendedItems: 0,
  extensionsGranted: 0,
  reboundItems: 0,
  rebounds: 0,
};

/**
 * The statistics count sources at service level, on real PostgreSQL: after every action that
 * changes what they count (state changes, deadline versions, reopen, merge, cancel, the passing of
 * a deadline), the counted stretches (item_timeline) and the roll-ups kept by triggers answer the
 * figures computed here by hand. One batch of the file's own: other files write beside it.
 */
describe('statistics count sources (service level, real PostgreSQL)', () => {
  const clock = new TestClock(new Date('2026-03-02T09:00:00+08:00'));
  let ds: DataSource;
  let f: Factory;
  let stats: StatisticsService;
  let dispatcher: Actor;
  let officer: Actor;
  let verifier: Actor;
  let auditor: Actor;
  let leadUnitId: string;
  let countyUnitId: string;
  let batch: BatchView;
  const versions = new Map<string, number>();

  beforeAll(async () => {
    ds = await openTestDataSource();
    f = await Factory.create(ds, clock);
    stats = f.get(StatisticsService);
    const city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    const dept = await f.newUnit({ parent: city });
    const county = await f.newUnit({ parent: city, kind: 'county' });
    leadUnitId = dept.id;
    countyUnitId = county.id;
    dispatcher = Factory.actor(await f.newUser(bureau, ['dispatcher']), bureau);
    officer = Factory.actor(await f.newUser(dept, ['unit_officer']), dept);
    verifier = Factory.actor(await f.newUser(county, ['verifier']), county);
    auditor = Factory.actor(await f.newUser(city, ['auditor']), city);
    batch = await f.newBatch(dispatcher, { chain: [{ level: 'county' }], noticeDays: 0 });
  });
  afterAll(async () => {
    await f.close();
    await ds.destroy();
  });

  /** The batch's figures now, from the roll-ups and from counting; the two must agree. */
  async function counted(): Promise<Counted> {
    const scope = { batchId: batch.id };
    const [rolled, count] = await Promise.all([
      stats.summary(auditor, scope, { kind: 'now' }, 'auto'),
      stats.summary(auditor, scope, { kind: 'now' }, 'count'),
    ]);
    expect(rolled.figures).toEqual(count.figures);
    expect(rolled.byState).toEqual(count.byState);
    const value = (key: keyof Counted): number => count.figures.find((x) => x.key === key)!.value as number;
    const byState = Object.fromEntries(Object.entries(count.byState).filter(([, n]) => n > 0));
    const keys = Object.keys(NONE).filter((k) => k !== 'byState') as Exclude<keyof Counted, 'byState'>[];
    return { byState, ...Object.fromEntries(keys.map((k) => [k, value(k)])) } as Counted;
  }

  async function newItem(code: string, deadline: string, type: 'deadline' | 'ongoing' = 'deadline'): Promise<ItemDetail> {
    const item = await f.newItem(dispatcher, batch, {
      code: `${code}-${Factory.tag()}`,
      deadline,
      type,
      leadUnitIds: [leadUnitId],
      countyUnitId,
    });
    versions.set(item.id, item.version);
    return item;
  }
  async function act(actor: Actor, item: ItemDetail, action: string, extra: Record<string, unknown> = {}): Promise<void> {
    const r = await f.transitions.transition(actor, item.id, { action, version: versions.get(item.id)!, ...extra } as never);
    versions.set(item.id, r.version);
  }
  async function withEvidence(item: ItemDetail): Promise<void> {
    await ds.query(
      `INSERT INTO evidence (item_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
       VALUES ($1, $2, '整改报告.pdf', 'application/pdf', 1, repeat('c', 64), 'cc/x', $3)`,
      [item.id, leadUnitId, officer.userId],
    );
  }

  it('moves the right figure on every action, by hand', async () => {
    // A draft is not counted yet.
    const a = await newItem('A', '2026-03-10');
    expect(await counted()).toEqual({ ...NONE, byState: { draft: 1 } });

    await act(dispatcher, a, 'assign');
    expect(await counted()).toEqual({ ...NONE, byState: { assigned: 1 }, total: 1, inProgress: 1 });

    // Withdrawn to draft: out of the count again; re-assigned: back.
    await act(dispatcher, a, 'withdraw', { reason: '补充整改目标' });
    expect(await counted()).toEqual({ ...NONE, byState: { draft: 1 } });
    await act(dispatcher, a, 'assign');

    const b = await newItem('B', '2026-03-05');
    await act(dispatcher, b, 'assign');
    await act(officer, b, 'accept');
    expect(await counted()).toEqual({ ...NONE, byState: { assigned: 1, in_progress: 1 }, total: 2, inProgress: 2 });

    // 3/6: B's deadline (3/5) has passed, A's (3/10) has not.
    clock.setDate('2026-03-06');
    const overdue = { ...NONE, byState: { assigned: 1, in_progress: 1 }, total: 2, inProgress: 2, due: 1, overdueOpen: 1 };
    expect(await counted()).toEqual(overdue);

    // A late extension request changes nothing until approved; approved, B's new deadline (3/20) is not due.
    await act(officer, b, 'request_extension', { proposedDeadline: '2026-03-20', reason: '设备到货延迟' });
    expect(await counted()).toEqual(overdue);
    await act(dispatcher, b, 'approve_extension', { reason: '同意' });
    const extended = { ...overdue, due: 0, overdueOpen: 0, extendedItems: 1, extensionsGranted: 1 };
    expect(await counted()).toEqual(extended);

    // Submitted: awaiting acceptance (completed, not open).
    await withEvidence(b);
    await act(officer, b, 'submit');
    expect(await counted()).toEqual({
      ...extended,
      byState: { assigned: 1, in_acceptance: 1 },
      awaitingAcceptance: 1,
      inProgress: 1,
    });

    // Passed at the one level, no notice: signed off.
    await act(verifier, b, 'pass');
    const signedOff = { ...extended, byState: { assigned: 1, signed_off: 1 }, signedOff: 1, inProgress: 1 };
    expect(await counted()).toEqual(signedOff);

    // 3/7, reopened (回头看): open again, one rebound; its deadline (3/20) still ahead.
    clock.setDate('2026-03-07');
    await act(dispatcher, b, 'reopen', { reason: '回头看发现问题反弹' });
    const reopened = { ...extended, byState: { assigned: 1, in_progress: 1 }, inProgress: 2, reboundItems: 1, rebounds: 1 };
    expect(await counted()).toEqual(reopened);

    // A new deadline for the reopened item, earlier than the approved one: a deadline version, not an extension.
    await act(dispatcher, b, 'reset_deadline', { newDeadline: '2026-03-09', reason: '限期完成反弹整改' });
    expect(await counted()).toEqual(reopened);
    clock.setDate('2026-03-11');
    // 3/11: A (3/10) and B (3/9) are both past their deadlines.
    const bothLate = { ...reopened, due: 2, overdueOpen: 2 };
    expect(await counted()).toEqual(bothLate);

    // C merged into A, D cancelled: neither counted, A and B unchanged.
    const c = await newItem('C', '2026-03-31');
    await act(dispatcher, c, 'assign');
    expect(await counted()).toEqual({ ...bothLate, byState: { assigned: 2, in_progress: 1 }, total: 3, inProgress: 3 });
    await act(dispatcher, c, 'merge', { mergeIntoId: a.id, reason: '与A为同一问题' });
    const d = await newItem('D', '2026-03-31');
    await act(dispatcher, d, 'assign');
    await act(dispatcher, d, 'cancel', { reason: '重复交办' });
    expect(await counted()).toEqual({ ...bothLate, byState: { assigned: 1, in_progress: 1, merged: 1, cancelled: 1 } });

    // An ongoing (长期坚持) item passed: phase completed, counted apart from signed off.
    const e = await newItem('E', '2026-12-31', 'ongoing');
    await act(dispatcher, e, 'assign');
    await act(officer, e, 'accept');
    await withEvidence(e);
    await act(officer, e, 'submit');
    await act(verifier, e, 'pass');
    expect(await counted()).toEqual({
      ...bothLate,
      byState: { assigned: 1, in_progress: 1, phase_completed: 1, merged: 1, cancelled: 1 },
      total: 3,
      phaseCompleted: 1,
    });
  }, 120_000);
});
