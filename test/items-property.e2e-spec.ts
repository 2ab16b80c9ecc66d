import fc from 'fast-check';
import { RECTIFICATION_ACTIONS, RECTIFICATION_STATES, type Actor, type RectificationAction } from '#domain';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from './support/database.js';
import { Factory } from './support/factories.js';

/**
 * Random action sequences by random actors through the real transition function on PostgreSQL:
 * the item never reaches an undefined state, every accepted action is in the history exactly
 * once, refused ones leave no trace, and the chain verifies.
 */
describe('property: random action sequences on real PostgreSQL', () => {
  let ds: DataSource;
  let f: Factory;
  const actors: Record<string, Actor> = {};
  let batchId: string;
  let countyId: string;
  let housingId: string;

  beforeAll(async () => {
    ds = await openTestDataSource();
    f = await Factory.create(ds);
    const city = await f.newUnit({ kind: 'city' });
    const bureau = await f.newUnit({ parent: city });
    const county = await f.newUnit({ parent: city, kind: 'county' });
    const housing = await f.newUnit({ parent: city });
    countyId = county.id;
    housingId = housing.id;
    const add = async (key: string, unit: typeof city, roles: Actor['roles']) => {
      actors[key] = Factory.actor(await f.newUser(unit, [...roles]), unit);
    };
    await add('dispatcher', bureau, ['dispatcher']);
    await add('lead', county, ['unit_officer']);
    await add('coop', housing, ['unit_officer']);
    await add('countyVerifier', county, ['verifier']);
    await add('cityVerifier', bureau, ['verifier']);
    await add('auditor', city, ['auditor']);
    batchId = (await f.newBatch(actors.dispatcher, { chain: [{ level: 'county' }, { level: 'city', unitId: bureau.id }], noticeDays: 0 }))
      .id;
  });
  afterAll(async () => {
    await f.close();
    await ds.destroy();
  });

  const WHO = ['dispatcher', 'lead', 'coop', 'countyVerifier', 'cityVerifier', 'auditor'];
  // Guided steps take one of the actions the API offers the actor as enabled (so runs get deep,
  // and "offered" is checked to mean "accepted"); unguided steps try anything.
  const step = fc.record({
    guided: fc.integer({ min: 0, max: 9 }).map((n) => n < 7),
    who: fc.constantFrom(...WHO),
    pick: fc.nat(),
    choice: fc.nat(),
    action: fc.constantFrom(...RECTIFICATION_ACTIONS.filter((a) => a !== 'merge' && a !== 'cancel')),
    reason: fc.constantFrom(undefined, '原因'),
    evidence: fc.boolean(),
  });
  const reached = new Set<string>();

  it('keeps state, history and side tables consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 20, maxLength: 60 }), async (steps) => {
        const batch = await f.batches.get(actors.dispatcher, batchId);
        const item = await f.newItem(actors.dispatcher, batch, {
          leadUnitIds: [countyId],
          countyUnitId: countyId,
          cooperating: [{ unitId: housingId, part: '配合' }],
        });
        let version = item.version;
        const accepted: RectificationAction[] = [];
        for (const s of steps) {
          if (
            s.evidence &&
            ['in_progress', 'assigned'].includes((await ds.query(`SELECT state FROM item WHERE id = $1`, [item.id]))[0].state)
          ) {
            await ds.query(
              `INSERT INTO evidence (item_id, unit_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
               VALUES ($1, $2, 'x.pdf', 'application/pdf', 1, repeat('a', 64), 'aa/x', $3)`,
              [item.id, countyId, actors.lead.userId],
            );
          }
          let action: RectificationAction = s.action;
          let who = s.who;
          let offered = false;
          if (s.guided) {
            // the first actor (from a random start) who is offered something; actions that undo
            // progress (cancel, decline, withdraw) are taken rarely so runs get deep
            const rare = ['cancel', 'decline', 'withdraw', 'merge', 'return', 'reopen', 'uphold_objection'];
            for (let k = 0; k < WHO.length && !offered; k++) {
              const candidate = WHO[(s.pick + k) % WHO.length];
              const enabled = (await f.transitions.available(actors[candidate], item.id)).actions.filter(
                (a) => a.enabled && a.action !== 'merge' && (!rare.includes(a.action) || s.choice % 20 === 0),
              );
              if (enabled.length > 0) {
                who = candidate;
                action = enabled[s.choice % enabled.length].action;
                offered = true;
              }
            }
            if (!offered) continue;
          }
          const [{ deadline }] = await ds.query(
            `SELECT to_char(greatest(current_deadline, (now() AT TIME ZONE 'Asia/Shanghai')::date) + 30, 'YYYY-MM-DD') AS deadline FROM item WHERE id = $1`,
            [item.id],
          );
          try {
            const r = await f.transitions.transition(actors[who], item.id, {
              action,
              version,
              reason: offered ? '原因' : s.reason,
              text: '进展',
              partStatus: 'done',
              proposedDeadline: deadline,
              newDeadline: deadline,
              spotCheckResult: 'holds',
              mergeIntoId: undefined,
            });
            version = r.version;
            accepted.push(action);
            reached.add(r.to);
          } catch (e) {
            if (offered) throw new Error(`${action} was offered to ${who} but refused: ${(e as Error).message}`, { cause: e });
            const kind = (e as { kind?: string }).kind;
            expect(['conflict', 'forbidden', 'unprocessable', 'not_found']).toContain(kind);
          }
        }
        const [row] = await ds.query(`SELECT state, version, acceptance_level FROM item WHERE id = $1`, [item.id]);
        expect(RECTIFICATION_STATES).toContain(row.state);
        expect(row.version).toBe(version);
        expect(row.version).toBe(1 + accepted.length);
        const history = await ds.query(`SELECT action FROM history WHERE entity_type = 'item' AND entity_id = $1 ORDER BY seq`, [item.id]);
        expect(history.map((h: { action: string }) => h.action)).toEqual(['create', ...accepted]);
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM item_progress WHERE item_id = $1`, [item.id]);
        expect(n).toBe(accepted.filter((a) => a === 'report_progress').length);
        const [{ m }] = await ds.query(`SELECT count(*)::int AS m FROM item_acceptance WHERE item_id = $1`, [item.id]);
        expect(m).toBe(accepted.filter((a) => a === 'pass' || a === 'return').length);
      }),
      { numRuns: 40 },
    );
    expect((await f.history.verify('item')).firstBreak).toBeNull();
    // the runs went deep enough to mean something
    expect([...reached]).toEqual(expect.arrayContaining(['assigned', 'in_progress', 'in_acceptance', 'signed_off']));
  }, 300_000);
});
