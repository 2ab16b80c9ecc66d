import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CalendarService } from '#calendar';
import { ComplaintIntakeService, ComplaintWorkflow, type BatchRef, type ComplaintTransitionInput } from '#complaints';
import { VERDICTS, addDays, type Actor, type PollutionType, type Role, type Verdict } from '#domain';
import { WorkflowRunner } from '#workflow';
import { DATONG_COUNTIES } from './demo-units.js';
import {
  COMPLAINT_BATCHES,
  COMPLAINT_CASES,
  COMPLAINT_DISPATCHER,
  COMPLAINT_FIRST_DAY,
  COMPLAINT_ISSUER,
  COMPLAINT_PHASE_CLOSED,
  COMPLAINT_REPEATS,
  COMPLAINT_ROUND,
  COMPLAINT_TEXTS,
  COUNTY_TOWNS,
  VERDICT_COUNTS,
  VILLAGES,
} from './demo-complaints.js';
import { Rng, type DemoClock, type DemoPerson } from './seed-demo-items.js';

export interface SeedComplaintsOptions {
  people: DemoPerson[];
  clock: DemoClock;
}

const COUNTIES = [...DATONG_COUNTIES.map(([code]) => code as string), 'JKQ'];
const at = (day: string, hour: number, minute = 0): Date =>
  new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);

/** The verdict of valid case i: the counts of VERDICT_COUNTS, interleaved. */
function verdictOf(i: number): Verdict {
  const order = VERDICTS.flatMap((v) => Array.from({ length: VERDICT_COUNTS[v] }, (_, k) => ({ v, key: (k + 0.5) / VERDICT_COUNTS[v] })));
  order.sort((a, b) => a.key - b.key);
  return order[i].v;
}

/**
 * Round 3's complaint cases told through the real services and the workflow runner, with the clock
 * at each step: 28 daily batches, 186 valid cases (and 6 repeats merged into earlier cases), each
 * transferred to its county with 10 calendar days, investigated and closed (a few returned once,
 * a few late, three extended), 2 phase-closed; all published and followed up, some archived, three
 * linked to the round's rectification items. Deterministic; skipped when the round's batches exist.
 */
export async function seedDemoComplaints(ds: DataSource, options: SeedComplaintsOptions): Promise<number> {
  const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM complaint_batch WHERE round = $1`, [COMPLAINT_ROUND]);
  if (n > 0) return 0;
  const { clock } = options;
  const history = new HistoryService(ds);
  const calendar = new CalendarService(ds, history);
  const intake = new ComplaintIntakeService(ds, history, calendar, clock);
  const workflow = new ComplaintWorkflow(calendar);
  const runner = new WorkflowRunner(ds, clock);
  const actors = await loadActors(ds, options.people);
  const dispatcher = actors.byEmail(COMPLAINT_DISPATCHER);
  const units = new Map(
    (await ds.query<{ id: string; code: string }[]>(`SELECT id, code FROM org_unit WHERE code LIKE 'DT%'`)).map((u) => [u.code, u.id]),
  );
  const items = (
    await ds.query<{ id: string }[]>(
      `SELECT i.id FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.code = 'DT-ZYDC3' ORDER BY i.code LIMIT 3`,
    )
  ).map((r) => r.id);
  const r = new Rng('complaints-round-3');
  const versions = new Map<string, number>();
  const act = async (who: Actor, id: string, when: Date, input: Omit<ComplaintTransitionInput, 'version'>): Promise<void> => {
    clock.set(when);
    const result = await runner.perform(workflow, who, id, { ...input, version: versions.get(id) ?? 1 });
    versions.set(id, result.version);
  };

  const batches: BatchRef[] = [];
  for (let b = 1; b <= COMPLAINT_BATCHES; b++) {
    const day = addDays(COMPLAINT_FIRST_DAY, b - 1);
    clock.set(at(day, 9));
    batches.push(
      await intake.createBatch(dispatcher, {
        round: COMPLAINT_ROUND,
        batchNo: b,
        receivedOn: day,
        issuer: COMPLAINT_ISSUER,
        deadlineDays: 10,
        deadlineKind: 'calendar',
      }),
    );
  }
  const receive = async (
    batch: BatchRef,
    caseNo: string,
    county: string,
    place: string,
    content: string,
    types: PollutionType[],
    minute: number,
  ) => {
    clock.set(at(batch.receivedOn, 10, minute));
    return ds.transaction((m) =>
      intake.insertCase(m, dispatcher, batch, {
        caseNo,
        teamNo: `D3SX2025${caseNo.replace(/\D/g, '')}`,
        content,
        countyUnitId: units.get(`DT-${county}`)!,
        address: place,
        pollutionTypes: types,
        keyCase: minute % 17 === 0,
        contact:
          r.next() < 0.6
            ? { name: `${r.pick(['王', '李', '张', '刘', '赵', '杨'])}先生`, phone: `139${String(r.int(10000000, 99999999))}` }
            : undefined,
      }),
    );
  };

  const repeatOf = new Set(Array.from({ length: COMPLAINT_REPEATS }, (_, k) => 12 + k * 29));
  const late = new Set([20, 51, 88, 120, 151, 170]);
  const extended = new Set([20, 88, 151]);
  const returned = new Set([33, 77, 140]);
  const phaseClosed = new Set(Array.from({ length: COMPLAINT_PHASE_CLOSED }, (_, k) => 60 + k * 70));
  let linked = 0;
  for (let i = 0; i < COMPLAINT_CASES; i++) {
    const batch = batches[Math.floor((i * COMPLAINT_BATCHES) / COMPLAINT_CASES)];
    const county = COUNTIES[i % COUNTIES.length];
    // Within a county the texts never repeat (a county has about 17 cases, there are 22 texts).
    const spec = COMPLAINT_TEXTS[((i % COUNTIES.length) * 5 + Math.floor(i / COUNTIES.length)) % COMPLAINT_TEXTS.length];
    const town = r.pick(COUNTY_TOWNS[county]);
    const village = spec.text.includes('{village}') ? r.pick(VILLAGES) : '';
    const content = spec.text.replace('{town}', town).replace('{village}', village);
    const caseNo = `X${String(batch.batchNo).padStart(2, '0')}-${String(i + 1).padStart(3, '0')}`;
    const { id } = await receive(batch, caseNo, county, `${town}${village}`, content, spec.types, i % 50);
    const day = batch.receivedOn;
    const leadCode = `DT-${county}`;
    const officer = actors.officerOf(leadCode);
    await act(dispatcher, id, at(day, 15, i % 50), {
      action: 'transfer',
      leadUnitId: units.get(leadCode),
      cooperatingUnitIds: r.next() < 0.4 && units.has(`${leadCode}-STHJ`) ? [units.get(`${leadCode}-STHJ`)!] : [],
    });
    // Late ones report after any deadline a weekend or holiday could move (10 days + 3); returned ones early enough to stay on time.
    let reportDay = addDays(day, late.has(i) ? r.int(16, 17) : returned.has(i) ? r.int(3, 5) : r.int(3, 9));
    if (extended.has(i)) {
      await act(officer, id, at(addDays(day, 8), 10), {
        action: 'request_extension',
        requestedDeadline: addDays(day, 20),
        reason: '需委托第三方检测，结果未出',
      });
      await act(dispatcher, id, at(addDays(day, 8), 16), { action: 'approve_extension' });
    } else if (r.next() < 0.1) {
      await act(dispatcher, id, at(addDays(day, 6), 9), { action: 'urge', reason: '请加快调查核实进度' });
    }
    const verdict = verdictOf(i);
    const handling =
      verdict === 'unfounded'
        ? {}
        : {
            ordersIssued: 1,
            finesWan: r.next() < 0.35 ? r.int(1, 40) / 2 : 0,
            casesFiled: 0,
            summoned: r.next() < 0.15 ? r.int(1, 2) : 0,
            accountable: r.next() < 0.05 ? 1 : 0,
            detained: i === 95 ? 2 : 0,
          };
    if (handling.finesWan) handling.casesFiled = 1;
    const report = {
      action: 'report_verdict' as const,
      verdict,
      findings: verdict === 'unfounded' ? '经现场核查，未发现反映的问题。' : '经现场核查，反映问题存在。',
      handlingSummary: verdict === 'unfounded' ? '已向举报人做好解释说明' : spec.handling,
      handling,
    };
    await act(officer, id, at(reportDay, 11), report);
    if (returned.has(i)) {
      await act(dispatcher, id, at(addDays(reportDay, 1), 9), { action: 'return', reason: '核查情况不具体，请补充现场照片和处理文书' });
      reportDay = addDays(reportDay, 2);
      await act(officer, id, at(reportDay, 11), report);
    }
    const closeDay = addDays(reportDay, 1);
    if (phaseClosed.has(i)) await act(dispatcher, id, at(closeDay, 10), { action: 'phase_close', committedDate: '2026-12-31' });
    else await act(dispatcher, id, at(closeDay, 10), { action: 'close' });
    await act(dispatcher, id, at(addDays(closeDay, 1), 10), { action: 'publish' });
    const reached = r.next() < 0.97;
    await act(dispatcher, id, at(addDays(closeDay, 4), 15), {
      action: 'follow_up',
      reached,
      satisfaction: reached ? (r.next() < 0.9 ? 'satisfied' : 'basically') : undefined,
      note: reached ? '电话回访' : '电话无人接听，已短信告知办理结果',
    });
    if (verdict !== 'unfounded' && linked < items.length && i % 40 === 7) {
      await act(dispatcher, id, at(addDays(closeDay, 5), 10), { action: 'spawn_item', itemId: items[linked++] });
    }
    if (!phaseClosed.has(i) && i % 2 === 0) await act(dispatcher, id, at(addDays(closeDay, 20), 10), { action: 'archive' });
    if (repeatOf.has(i)) {
      const again = batches[Math.min(COMPLAINT_BATCHES - 1, batches.indexOf(batch) + 2)];
      const repeat = await receive(
        again,
        `${caseNo}R`,
        county,
        `${town}${village}`,
        content.replace('，', '，多次反映未解决，'),
        spec.types,
        55,
      );
      await act(dispatcher, repeat.id, at(again.receivedOn, 14), { action: 'merge', duplicateOfId: id });
    }
  }
  return COMPLAINT_CASES + COMPLAINT_REPEATS;
}

async function loadActors(ds: DataSource, people: DemoPerson[]) {
  const rows = await ds.query<{ email: string; id: string; unit_id: string; path: string; roles: Role[] }[]>(
    `SELECT lower(u.email) AS email, u.id, u.unit_id, o.path, u.roles FROM app_user u JOIN org_unit o ON o.id = u.unit_id WHERE lower(u.email) = ANY($1::text[])`,
    [people.map((p) => p.email.toLowerCase())],
  );
  const byEmail = (email: string): Actor => {
    const row = rows.find((x) => x.email === email.toLowerCase());
    if (!row) throw new Error(`demo complaints: user ${email} does not exist`);
    return { userId: row.id, unitId: row.unit_id, unitPath: row.path, roles: row.roles };
  };
  const officerOf = (unitCode: string): Actor => {
    const person = people.find((p) => p.unitCode === unitCode && p.roles.includes('unit_officer'));
    if (!person) throw new Error(`demo complaints: no unit officer in ${unitCode}`);
    return byEmail(person.email);
  };
  return { byEmail, officerOf };
}
