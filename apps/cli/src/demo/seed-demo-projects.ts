import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { addDays, fromCents, nextMonth, toCents, type Actor, type Role } from '#domain';
import { LocalDiskStorage } from '#files';
import { InvestmentService, MilestoneWorkflow, MilestonesService, ProjectsService } from '#projects';
import { WorkflowRunner } from '#workflow';
import { DEMO_PROJECTS, DEMO_PROJECTS_AS_OF, DEMO_PROJECT_SOURCE, type DemoProject } from './demo-projects.js';
import { demoPdf } from './demo-pdf.js';
import type { DemoClock, DemoPerson } from './seed-demo-items.js';

const DISPATCHER = 'dispatcher@demo.rectify.cn';
const UPLOAD_LIMIT = 20 * 1024 * 1024;
/** Monthly reports start with the plan's mid-term review (earlier investment is "before reporting"). */
const FIRST_REPORT_MONTH = '2025-01';

export interface SeedProjectsOptions {
  people: DemoPerson[];
  evidenceDir: string;
  clock: DemoClock;
}

/**
 * Creates the plan's key projects and tells their story up to DEMO_PROJECTS_AS_OF through the real
 * services, with the clock at each step: milestones started, reported with evidence and verified
 * (some returned once, some late, a few early, the latest ones still awaiting verification), and
 * monthly investment reports (one corrected, a few projects missing the last month). Deterministic
 * and idempotent: projects that exist (by code) are left alone.
 */
export async function seedDemoProjects(ds: DataSource, options: SeedProjectsOptions): Promise<number> {
  const { clock } = options;
  const history = new HistoryService(ds);
  const projects = new ProjectsService(ds, history, clock);
  const milestones = new MilestonesService(
    ds,
    history,
    projects,
    new LocalDiskStorage(options.evidenceDir),
    clock,
    new WorkflowRunner(ds, clock),
    new MilestoneWorkflow(projects),
  );
  const investment = new InvestmentService(ds, history, projects, clock);
  const people = await loadPeople(ds, options.people);
  const dispatcher = people.byEmail(DISPATCHER);
  const units = new Map(
    (await ds.query<{ id: string; code: string }[]>(`SELECT id, code FROM org_unit WHERE code LIKE 'DT%'`)).map((u) => [u.code, u.id]),
  );
  const unitId = (code: string): string => {
    const id = units.get(code);
    if (!id) throw new Error(`demo projects: unit ${code} does not exist`);
    return id;
  };
  const existing = new Set((await ds.query<{ code: string }[]>(`SELECT code FROM project`)).map((r) => r.code));
  let created = 0;
  for (const [i, spec] of DEMO_PROJECTS.entries()) {
    if (existing.has(spec.code)) continue;
    const plan = planOf(spec, i);
    clock.set(at(addDays(plan.start, -20), 9));
    const project = await projects.create(dispatcher, {
      code: spec.code,
      name: spec.name,
      category: spec.category,
      countyUnitId: spec.county ? unitId(spec.county) : null,
      source: DEMO_PROJECT_SOURCE,
      description: `${spec.group}。规划总投资 ${spec.yi} 亿元。`,
      plannedInvestment: plan.total,
      priorInvestment: plan.prior,
      startYear: plan.startYear,
      endYear: plan.endYear,
      plannedStart: plan.start,
      plannedEnd: plan.end,
      responsibleUnitIds: spec.units.map(unitId),
      yearPlans: plan.yearPlans,
    });
    created += 1;
    const officer = people.officerOf(spec.units[0]);
    await tellMilestones(milestones, clock, project.id, i, plan, officer, dispatcher);
    await tellInvestment(investment, clock, project.id, i, plan, officer);
  }
  // What happened in the past was not mailed then; nothing is to be mailed now.
  await ds.query(`DELETE FROM outbox WHERE kind LIKE 'milestone.%' AND status = 'pending'`);
  return created;
}

interface Plan {
  startYear: number;
  endYear: number;
  start: string;
  end: string;
  total: string;
  prior: string;
  yearPlans: { year: number; amount: string }[];
}

/** Periods of three to four years ending 2025–2027; the total split evenly over the years (cents exact). */
function planOf(spec: DemoProject, i: number): Plan {
  const startYear = 2022 + (i % 3);
  const endYear = 2025 + (i % 3);
  const [yuan, fraction = ''] = spec.yi.split('.');
  const totalCents = Number(yuan) * 1_000_000 + Number((fraction + '000000').slice(0, 6)); // 亿元 → 分 of 万元
  const years = endYear - startYear + 1;
  const share = Math.floor(totalCents / years);
  const yearPlans = Array.from({ length: years }, (_, k) => ({
    year: startYear + k,
    amount: fromCents(k === years - 1 ? totalCents - share * (years - 1) : share),
  }));
  // Done before monthly reporting began: 90% of the plans of the years before it.
  const priorCents = yearPlans.filter((y) => y.year < 2025).reduce((sum, y) => sum + Math.round(toCents(y.amount) * 0.9), 0);
  return {
    startYear,
    endYear,
    start: `${startYear}-03-01`,
    end: `${endYear}-11-30`,
    total: fromCents(totalCents),
    prior: fromCents(priorCents),
    yearPlans,
  };
}

async function tellMilestones(
  service: MilestonesService,
  clock: DemoClock,
  projectId: string,
  i: number,
  plan: Plan,
  officer: Actor,
  dispatcher: Actor,
): Promise<void> {
  const list = await service.list(dispatcher, projectId);
  const cutoff = DEMO_PROJECTS_AS_OF;
  let early = false;
  for (const [k, m] of list.entries()) {
    const planned = m.plannedDate;
    const late = i % 5 === 3 && planned > addDays(cutoff, -200) && planned <= cutoff;
    const doneEarly = i % 7 === 2 && !early && planned > cutoff && planned <= addDays(cutoff, 150);
    if (planned > cutoff && !doneEarly) break;
    const actual = doneEarly ? addDays(cutoff, -25) : addDays(planned, ((i + k) % 9) - 4);
    // Work starts a month ahead (not before the project was set up), never after it was done.
    const startOn = maxString(addDays(plan.start, -15), minDate(addDays(planned, -30), actual));
    let version = m.version;
    const step = async (who: Actor, action: Parameters<MilestonesService['transition']>[3]['action'], day: string, extra = {}) => {
      clock.set(at(day, 10 + (k % 6)));
      version = (await service.transition(who, projectId, m.id, { action, version, ...extra })).version;
    };
    await step(officer, 'start', startOn);
    if (late) {
      // Behind: started, never finished; this and every later milestone stay open.
      break;
    }
    clock.set(at(actual, 15));
    await service.uploadEvidence(officer, projectId, m.id, {
      stream: Readable.from(demoPdf(`${m.name}佐证材料`, [`Milestone: ${k + 1}`, `Completed: ${actual}`])),
      filename: `${m.name.replace('/', '、')}佐证材料.pdf`,
      limitBytes: UPLOAD_LIMIT,
    });
    await step(officer, 'report_done', addDays(actual, 1), { actualDate: actual });
    if (i % 4 === 1 && k === 1) {
      await step(dispatcher, 'return', addDays(actual, 3), { reason: '佐证材料不全，请补充验收报告' });
      await step(officer, 'report_done', addDays(actual, 8), { actualDate: actual });
    }
    const verifyOn = addDays(actual, i % 4 === 1 && k === 1 ? 12 : 5);
    // The newest reports still wait for the dispatcher at the end of the story.
    if (verifyOn > cutoff) break;
    await step(dispatcher, 'verify', verifyOn);
    if (doneEarly) early = true;
  }
}

async function tellInvestment(
  service: InvestmentService,
  clock: DemoClock,
  projectId: string,
  i: number,
  plan: Plan,
  officer: Actor,
): Promise<void> {
  const lastMonth = DEMO_PROJECTS_AS_OF.slice(0, 7);
  const first = maxString(FIRST_REPORT_MONTH, plan.start.slice(0, 7));
  const last = minDate(plan.end.slice(0, 7), lastMonth);
  for (let month = first; month <= last; month = nextMonth(month)) {
    // A few projects have not sent the last month's report yet.
    if (month === lastMonth && i % 6 === 5) continue;
    const year = Number(month.slice(0, 4));
    const yearPlan = toCents(plan.yearPlans.find((y) => y.year === year)?.amount ?? '0');
    const monthsInYear =
      12 -
      (year === plan.startYear ? Number(plan.start.slice(5, 7)) - 1 : 0) -
      (year === plan.endYear ? 12 - Number(plan.end.slice(5, 7)) : 0);
    const factor = 0.7 + ((i * 7 + Number(month.slice(5, 7)) * 3) % 7) / 10;
    const amount = fromCents(Math.round((yearPlan / monthsInYear) * factor));
    clock.set(at(addDays(`${nextMonth(month)}-01`, 3 + (i % 4)), 11));
    await service.report(officer, projectId, { month, amount, note: `${month} 完成投资` });
    if (i === 13 && month === '2026-09') {
      clock.set(at(`${nextMonth(month)}-20`, 16));
      await service.report(officer, projectId, {
        month,
        amount: fromCents(toCents(amount) + 1_250_00),
        correctsVersion: 1,
        reason: '补报设备到货款 1250 万元',
      });
    }
  }
}

function at(day: string, hour: number): Date {
  return new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function maxString(a: string, b: string): string {
  return a > b ? a : b;
}

async function loadPeople(ds: DataSource, people: DemoPerson[]) {
  const rows = await ds.query<{ id: string; email: string; unit_id: string; path: string; roles: Role[] }[]>(
    `SELECT u.id, lower(u.email) AS email, u.unit_id, o.path, u.roles FROM app_user u JOIN org_unit o ON o.id = u.unit_id
      WHERE lower(u.email) = ANY($1::text[])`,
    [people.map((p) => p.email.toLowerCase())],
  );
  const actors = new Map(rows.map((r) => [r.email, { userId: r.id, unitId: r.unit_id, unitPath: r.path, roles: r.roles } satisfies Actor]));
  const byEmail = (email: string): Actor => {
    const actor = actors.get(email.toLowerCase());
    if (!actor) throw new Error(`demo projects: user ${email} does not exist`);
    return actor;
  };
  const officerOf = (unitCode: string): Actor => {
    const person = people.find((p) => p.unitCode === unitCode && p.roles.includes('unit_officer'));
    if (!person) throw new Error(`demo projects: no unit officer in ${unitCode}`);
    return byEmail(person.email);
  };
  return { byEmail, officerOf };
}
