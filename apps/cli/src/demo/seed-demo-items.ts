import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import { CalendarService } from '#calendar';
import { addDays, daysBetween, shanghaiDate, type Actor, type Clock, type Role } from '#domain';
import { LocalDiskStorage } from '#files';
import { WorkflowRunner } from '#workflow';
import {
  BatchesService,
  EvidenceService,
  ItemWorkflow,
  ItemsService,
  TransitionService,
  type CreateItem,
  type TransitionInput,
} from '#items';
import { DEMO_AS_OF, DEMO_BATCHES, type AcceptanceStep, type DemoBatch, type DemoItem } from './demo-batches.js';
import { demoPdf } from './demo-pdf.js';
import { COUNTY_PART, GOAL, IMPACT, MEASURES, PART, PROGRESS, leaderOf } from './demo-texts.js';

/** A clock the seed moves through the past, so that history and deadlines tell a consistent story. */
export class DemoClock implements Clock {
  private instant = new Date();

  now(): Date {
    return new Date(this.instant);
  }

  set(instant: Date): void {
    this.instant = new Date(instant);
  }
}

export interface DemoPerson {
  name: string;
  email: string;
  phone: string;
  unitCode: string;
  roles: Role[];
}

export interface SeedItemsOptions {
  /** Everyone who may act: the dispatchers, an officer per unit used, verifiers, the auditor. */
  people: DemoPerson[];
  /** Where evidence files are stored (the api must read the same directory). */
  evidenceDir: string;
  clock?: DemoClock;
  batches?: DemoBatch[];
}

export interface SeedItemsResult {
  batchesCreated: number;
  itemsCreated: number;
}

const LABELS: Record<AcceptanceStep, string> = { county: '县级自验', city: '市级验收', province: '省级验收' };
const PROVINCE_UNIT = 'SX-STHJT';
const CITY_ACCEPTANCE_UNIT = 'DT-STHJJ';
const CITY_VERIFIER = 'verifier.city@demo.rectify.cn';
const PROVINCE_VERIFIER = 'verifier.province@demo.rectify.cn';
const AUDITOR = 'auditor@demo.rectify.cn';
const UPLOAD_LIMIT = 20 * 1024 * 1024;

interface Unit {
  id: string;
  code: string;
  name: string;
  kind: string;
}

interface Person extends Actor {
  name: string;
  phone: string;
}

/** Units, and the people who act for them, loaded once from the database. */
class Directory {
  constructor(
    private readonly units: Map<string, Unit>,
    private readonly people: Map<string, Person>,
    private readonly officers: Map<string, string>,
    private readonly verifiers: Map<string, string>,
  ) {}

  static async load(ds: DataSource, people: DemoPerson[], plan: DemoBatch[]): Promise<Directory> {
    const codes = new Set<string>([PROVINCE_UNIT, CITY_ACCEPTANCE_UNIT, ...people.map((p) => p.unitCode)]);
    for (const batch of plan) {
      for (const item of batch.items) [item.lead, ...(item.coop ?? []), item.county, item.declinedBy].forEach((c) => c && codes.add(c));
    }
    const unitRows = await ds.query<Unit[]>(`SELECT id, code, name, kind FROM org_unit WHERE code = ANY($1::text[])`, [[...codes]]);
    const userRows = await ds.query<{ id: string; email: string; unit_id: string; path: string; roles: Role[] }[]>(
      `SELECT u.id, lower(u.email) AS email, u.unit_id, o.path, u.roles FROM app_user u JOIN org_unit o ON o.id = u.unit_id
        WHERE lower(u.email) = ANY($1::text[])`,
      [people.map((p) => p.email.toLowerCase())],
    );
    const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p]));
    const persons = new Map(
      userRows.map((u) => {
        const p = byEmail.get(u.email)!;
        return [u.email, { userId: u.id, unitId: u.unit_id, unitPath: u.path, roles: u.roles, name: p.name, phone: p.phone }];
      }),
    );
    // The officer of a unit is its first unit_officer; its verifier the first verifier who is not also an officer, if any.
    const officers = new Map<string, string>();
    const verifiers = new Map<string, string>();
    for (const p of people) {
      const email = p.email.toLowerCase();
      if (p.roles.includes('unit_officer') && !officers.has(p.unitCode)) officers.set(p.unitCode, email);
      if (p.roles.includes('verifier')) {
        const current = verifiers.get(p.unitCode);
        const currentAlsoOfficer = !current || byEmail.get(current)!.roles.includes('unit_officer');
        if (!current || (currentAlsoOfficer && !p.roles.includes('unit_officer'))) verifiers.set(p.unitCode, email);
      }
    }
    return new Directory(new Map(unitRows.map((u) => [u.code, u])), persons, officers, verifiers);
  }

  unit(code: string): Unit {
    const unit = this.units.get(code);
    if (!unit) throw new Error(`demo data: unit ${code} does not exist`);
    return unit;
  }

  person(email: string): Person {
    const person = this.people.get(email.toLowerCase());
    if (!person) throw new Error(`demo data: user ${email} does not exist`);
    return person;
  }

  officer(unitCode: string): Person {
    const email = this.officers.get(unitCode);
    if (!email) throw new Error(`demo data: no unit officer in ${unitCode}`);
    return this.person(email);
  }

  verifier(step: AcceptanceStep, county: string | undefined): Person {
    if (step === 'city') return this.person(CITY_VERIFIER);
    if (step === 'province') return this.person(PROVINCE_VERIFIER);
    const email = county ? this.verifiers.get(county) : undefined;
    if (!email) throw new Error(`demo data: no verifier in county ${county ?? '(none)'}`);
    return this.person(email);
  }

  /** Refuses a plan that names a unit or person that is not there, before anything is written. */
  check(batches: DemoBatch[]): void {
    for (const email of [CITY_VERIFIER, PROVINCE_VERIFIER, AUDITOR]) this.person(email);
    for (const batch of batches) {
      this.person(batch.dispatcher);
      for (const item of batch.items) {
        for (const code of [item.lead, ...(item.coop ?? [])]) this.officer(code);
        if (item.county) this.unit(item.county);
        if (item.declinedBy) this.officer(item.declinedBy);
        if (batch.chain.includes('county')) this.verifier('county', item.county);
      }
    }
  }
}

interface Services {
  ds: DataSource;
  clock: DemoClock;
  dir: Directory;
  batches: BatchesService;
  items: ItemsService;
  transitions: TransitionService;
  evidence: EvidenceService;
}

/**
 * Creates the demo batches and drives every item to its end state through the real services,
 * as the real users, with the clock set to when each step happened. Idempotent: an existing
 * batch (by code) is not created again, an existing item (by batch and code) is left alone.
 */
export async function seedDemoItems(ds: DataSource, options: SeedItemsOptions): Promise<SeedItemsResult> {
  const plan = options.batches ?? DEMO_BATCHES;
  const clock = options.clock ?? new DemoClock();
  const history = new HistoryService(ds);
  const calendar = new CalendarService(ds, history);
  const transitions = new TransitionService(ds, new WorkflowRunner(ds, clock), new ItemWorkflow(calendar));
  const services: Services = {
    ds,
    clock,
    dir: await Directory.load(ds, options.people, plan),
    batches: new BatchesService(ds, history, clock),
    items: new ItemsService(ds, history, transitions, clock, calendar),
    transitions,
    evidence: new EvidenceService(ds, history, transitions, new LocalDiskStorage(options.evidenceDir), clock),
  };
  services.dir.check(plan);

  let batchesCreated = 0;
  let itemsCreated = 0;
  const touched: string[] = [];
  for (const spec of plan) {
    const [existing] = await ds.query<{ id: string }[]>(`SELECT id FROM batch WHERE code = $1`, [spec.code]);
    let batchId = existing?.id;
    if (!batchId) {
      clock.set(new Date(`${spec.itemsOn}T08:30:00+08:00`));
      const dispatcher = services.dir.person(spec.dispatcher);
      const batch = await services.batches.create(dispatcher, {
        code: spec.code,
        name: spec.name,
        sourceType: spec.sourceType,
        round: spec.round,
        issuer: spec.issuer,
        issuedOn: spec.issuedOn,
        description: spec.description,
        noticeDays: spec.noticeDays,
        acceptanceChain: spec.chain.map((level) => ({
          level,
          label: LABELS[level],
          unitId:
            level === 'province'
              ? services.dir.unit(PROVINCE_UNIT).id
              : level === 'city'
                ? services.dir.unit(CITY_ACCEPTANCE_UNIT).id
                : null,
        })),
      });
      batchId = batch.id;
      batchesCreated += 1;
    }
    const rows = await ds.query<{ id: string; code: string }[]>(`SELECT id, code FROM item WHERE batch_id = $1`, [batchId]);
    const itemIds = new Map(rows.map((r) => [r.code, r.id]));
    let created = 0;
    for (const item of spec.items) {
      if (itemIds.has(item.code)) continue;
      const run = new ItemRun(services, spec, batchId, itemIds, item);
      itemIds.set(item.code, await run.run());
      created += 1;
    }
    itemsCreated += created;
    if (created > 0) touched.push(batchId);
  }
  if (touched.length > 0) await dropPastNotifications(ds, touched);
  return { batchesCreated, itemsCreated };
}

/** A seeded pseudo-random sequence (mulberry32), so the demo is the same on every machine. */
export class Rng {
  private state: number;

  constructor(seed: string) {
    let h = 2166136261;
    for (const ch of seed) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
    this.state = h >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  day(from: string, to: string): string {
    return addDays(from, this.int(0, Math.max(0, daysBetween(from, to))));
  }
}

const minDay = (a: string, b: string): string => (a < b ? a : b);
const maxDay = (a: string, b: string): string => (a > b ? a : b);

/** Days strictly inside (from, to), evenly spread; on a short span they may share a day. */
function spread(from: string, to: string, n: number): string[] {
  const span = daysBetween(from, to);
  return Array.from({ length: n }, (_, i) => addDays(from, Math.max(span > 1 ? 1 : 0, Math.round(((i + 1) * span) / (n + 1)))));
}

interface Step {
  day: string;
  order: number;
  run: () => Promise<void>;
}

/** Acceptance gaps in days per level: [min, max] for closed items, quicker for the ones still in flight. */
const GAP: Record<AcceptanceStep, [number, number]> = { county: [4, 10], city: [6, 15], province: [8, 20] };
const QUICK_GAP: [number, number] = [2, 5];

/** One item's life, from creation to the state the plan leaves it in. */
class ItemRun {
  private id = '';
  private version = 0;
  private last = 0;
  private readonly r: Rng;
  private readonly dispatcher: Person;
  private readonly leadOfficer: Person;
  private readonly deadline: string;

  constructor(
    private readonly s: Services,
    private readonly batch: DemoBatch,
    private readonly batchId: string,
    private readonly itemIds: Map<string, string>,
    private readonly spec: DemoItem,
  ) {
    this.r = new Rng(`${batch.code}/${spec.code}`);
    this.dispatcher = s.dir.person(batch.dispatcher);
    this.leadOfficer = s.dir.officer(spec.lead);
    this.deadline = spec.deadline ?? this.r.pick(batch.deadlines[spec.type]);
  }

  async run(): Promise<string> {
    const { spec, r } = this;
    const created = spec.createdOn ?? addDays(this.batch.itemsOn, r.int(0, 4));
    if (this.deadline <= created) throw new Error(`demo data: ${spec.code} is due ${this.deadline}, before it is created`);
    this.at(created);
    const detail = await this.s.items.create(this.dispatcher, this.fields(created));
    this.id = detail.id;
    this.version = detail.version;
    switch (spec.end) {
      case 'draft':
        return this.id;
      case 'merged': {
        const target = this.itemIds.get(spec.mergeInto ?? '');
        if (!target) throw new Error(`demo data: ${spec.code} merges into unknown ${spec.mergeInto}`);
        await this.act(addDays(created, r.int(3, 10)), this.dispatcher, 'merge', { mergeIntoId: target, reason: spec.reason });
        return this.id;
      }
      default:
        break;
    }
    let day = addDays(created, r.int(2, 6));
    await this.act(day, this.dispatcher, 'assign');
    if (spec.declinedBy) day = await this.declineAndReassign(day);
    if (spec.end === 'assigned') return this.id;
    if (spec.end === 'cancelled') {
      await this.act(addDays(day, r.int(7, 20)), this.dispatcher, 'cancel', { reason: spec.reason });
      return this.id;
    }
    day = addDays(day, r.int(1, 4));
    await this.act(day, this.leadOfficer, 'accept');
    if (spec.end === 'in_progress') await this.stillInProgress(day);
    else if (spec.end === 'in_acceptance' || spec.end === 'public_notice') await this.stillInAcceptance(day);
    else await this.toClosure(day);
    return this.id;
  }

  private fields(created: string): CreateItem {
    const { spec, batch, deadline, s, r } = this;
    const lead = s.dir.unit(spec.declinedBy ?? spec.lead);
    const [y, m, d] = deadline.split('-').map(Number);
    const endOfMonth = addDays(deadline, 1).endsWith('-01');
    const by = endOfMonth ? `${y}年${m}月底前` : `${y}年${m}月${d}日前`;
    const opening =
      batch.sourceType === 'self_found' ? '排查发现' : batch.sourceType === 'special_inspection' ? '专项检查发现' : '督察指出';
    const stageNodes =
      spec.type === 'immediate'
        ? []
        : [
            { name: '制定整改方案', due: addDays(created, 30) },
            ...(daysBetween(created, deadline) > 150 ? [{ name: '完成主体整改', due: addDays(deadline, -60) }] : []),
            { name: '申请验收销号', due: deadline },
          ];
    const officer = s.dir.officer(spec.declinedBy ?? spec.lead);
    return {
      batchId: this.batchId,
      code: spec.code,
      title: spec.title,
      feedbackText: spec.feedback ?? `${opening}，${spec.title}，${IMPACT[spec.domain]}。`,
      domain: spec.domain,
      countyUnitId: spec.county ? s.dir.unit(spec.county).id : null,
      goal: spec.goal ?? `${by}${GOAL[spec.domain]}`,
      measures: MEASURES[spec.domain].map((x, i) => `${i + 1}. ${x}`).join('\n'),
      type: spec.type,
      leadUnitIds: [lead.id],
      cooperating: spec.declinedBy ? [] : this.parts(),
      responsibleLeader: leaderOf(lead, (xs) => r.pick(xs)),
      responsiblePerson: officer.name,
      responsiblePhone: officer.phone,
      stageNodes,
      deadline,
    };
  }

  private parts(): { unitId: string; part: string; subDeadline: string }[] {
    return (this.spec.coop ?? []).map((code) => ({
      unitId: this.s.dir.unit(code).id,
      part: PART[code] ?? COUNTY_PART,
      subDeadline: addDays(this.deadline, this.spec.type === 'immediate' ? -10 : -30),
    }));
  }

  /** Assigned to the wrong unit, which sends it back; the dispatcher corrects the lead and assigns again. */
  private async declineAndReassign(assigned: string): Promise<string> {
    const { spec, r } = this;
    let day = addDays(assigned, r.int(1, 4));
    await this.act(day, this.s.dir.officer(spec.declinedBy!), 'decline', {
      reason: `该问题主要涉及${this.s.dir.unit(spec.lead).name}职责，建议调整牵头单位`,
    });
    day = spec.end === 'assigned' ? maxDay(addDays(day, 3), addDays(DEMO_AS_OF, -r.int(6, 15))) : addDays(day, r.int(3, 8));
    this.at(day);
    const updated = await this.s.items.update(this.dispatcher, this.id, {
      version: this.version,
      leadUnitIds: [this.s.dir.unit(spec.lead).id],
      cooperating: this.parts(),
      responsibleLeader: leaderOf(this.s.dir.unit(spec.lead), (xs) => r.pick(xs)),
      responsiblePerson: this.leadOfficer.name,
      responsiblePhone: this.leadOfficer.phone,
    });
    this.version = updated.version;
    await this.act(day, this.dispatcher, 'assign');
    return day;
  }

  /** Work between acceptance of the task and `until`: progress, cooperating parts, evidence. */
  private work(from: string, until: string, opts: { partsDone: boolean; final: boolean }): Step[] {
    const { spec, r } = this;
    const steps: Step[] = [];
    const span = daysBetween(from, until);
    const reports = opts.final ? r.int(1, 3) : Math.min(6, Math.max(1, Math.floor(span / 110)));
    const texts = PROGRESS[spec.domain];
    const offset = r.int(0, texts.length - 1);
    // Finished work reports along the way; unfinished work has also just reported, at `until`.
    const reportDays = opts.final ? spread(from, until, reports) : [...spread(from, until, reports - 1), until];
    reportDays.forEach((day, i) => {
      const text = texts[(offset + i) % texts.length];
      steps.push({ day, order: 1, run: () => this.act(day, this.leadOfficer, 'report_progress', { text }) });
    });
    if (span > 20) {
      const day = addDays(from, r.int(5, 15));
      steps.push({ day, order: 0, run: () => this.upload(day, this.leadOfficer, '整改方案', 'Rectification plan') });
    }
    (spec.coop ?? []).forEach((code, i) => {
      const officer = this.s.dir.officer(code);
      const unitId = this.s.dir.unit(code).id;
      const part = PART[code] ?? COUNTY_PART;
      if (opts.partsDone) {
        const day = addDays(until, -r.int(1, Math.max(1, Math.min(10, span - 1))));
        steps.push({
          day,
          order: 2,
          run: () => this.act(day, officer, 'report_part', { partStatus: 'done', partUnitId: unitId, text: `${part}工作已完成` }),
        });
        if (i === 0) steps.push({ day, order: 3, run: () => this.upload(day, officer, `${part}完成情况`, 'Cooperating part report') });
      } else if (i === 0) {
        const [day] = spread(from, until, 1);
        steps.push({
          day,
          order: 2,
          run: () => this.act(day, officer, 'report_part', { partStatus: 'in_progress', partUnitId: unitId, text: `${part}工作正在推进` }),
        });
      }
    });
    if (opts.final)
      steps.push({ day: until, order: 4, run: () => this.upload(until, this.leadOfficer, '整改完成情况报告', 'Completion report') });
    return steps;
  }

  private async runSteps(steps: Step[]): Promise<void> {
    steps.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.order - b.order));
    for (const step of steps) await step.run();
  }

  /** How many days before the batch's closing date an item must be submitted to close in time. */
  private margin(): number {
    const { spec, batch } = this;
    const chain = batch.chain.reduce((sum, level) => sum + GAP[level][1], 0);
    const notice = batch.noticeDays + 3;
    return (
      chain +
      notice +
      (spec.returned ? chain + 45 : 0) +
      (spec.rebound ? 215 + chain + notice : 0) +
      (spec.type === 'ongoing' && spec.end === 'signed_off' ? 100 : 0)
    );
  }

  private extensionSteps(accepted: string): { steps: Step[]; decided: string; deadline: string } {
    const { spec, r } = this;
    const ext = spec.extension;
    if (!ext || ext.outcome === 'pending') return { steps: [], decided: accepted, deadline: this.deadline };
    const requested = addDays(this.deadline, -r.int(12, 25));
    const decided = addDays(requested, r.int(2, 6));
    if (requested <= accepted) throw new Error(`demo data: ${spec.code} asks for an extension before it is accepted`);
    const steps: Step[] = [
      {
        day: requested,
        order: 5,
        run: () => this.act(requested, this.leadOfficer, 'request_extension', { proposedDeadline: ext.to, reason: ext.reason }),
      },
      {
        day: decided,
        order: 5,
        run: () =>
          ext.outcome === 'approved'
            ? this.act(decided, this.dispatcher, 'approve_extension', { reason: '理由充分，同意延期' })
            : this.act(decided, this.dispatcher, 'reject_extension', { reason: '延期理由不充分，请按原时限完成整改' }),
      },
    ];
    return { steps, decided, deadline: ext.outcome === 'approved' ? ext.to : this.deadline };
  }

  private urgeSteps(deadline: string, until: string): Step[] {
    if (deadline >= until) return [];
    const first = minDay(addDays(deadline, this.r.int(3, 15)), until);
    const days = [first];
    if (daysBetween(deadline, until) > 200) days.push(addDays(deadline, this.r.int(150, 200)));
    return days.map((day) => ({
      day,
      order: 6,
      run: () => this.act(day, this.dispatcher, 'urge', { reason: '已超过整改时限，请加快推进并于5个工作日内报送整改进展' }),
    }));
  }

  /** Accepted and worked on, not yet done: progress through the years, urged when overdue. */
  private async stillInProgress(accepted: string): Promise<void> {
    const { spec, r } = this;
    const until = addDays(DEMO_AS_OF, -r.int(3, 15));
    const ext = this.extensionSteps(accepted);
    const steps = [...this.work(accepted, until, { partsDone: false, final: false }), ...ext.steps, ...this.urgeSteps(ext.deadline, until)];
    if (spec.extension?.outcome === 'pending') {
      const { to, reason } = spec.extension;
      steps.push({
        day: until,
        order: 7,
        run: () => this.act(until, this.leadOfficer, 'request_extension', { proposedDeadline: to, reason }),
      });
    }
    await this.runSteps(steps);
  }

  /** Submitted recently; in acceptance at some level, or through it and in public notice. */
  private async stillInAcceptance(accepted: string): Promise<void> {
    const { spec, r, batch } = this;
    const levels = spec.end === 'public_notice' ? batch.chain.length : (spec.passes ?? 0);
    const submitted = addDays(DEMO_AS_OF, -(levels * QUICK_GAP[1] + r.int(3, 8)));
    await this.runSteps([...this.work(accepted, submitted, { partsDone: true, final: true }), ...this.urgeSteps(this.deadline, submitted)]);
    await this.act(submitted, this.leadOfficer, 'submit');
    let day = submitted;
    for (const [index, level] of batch.chain.slice(0, levels).entries()) {
      day = addDays(day, r.int(...QUICK_GAP));
      await this.act(day, this.s.dir.verifier(level, spec.county), 'pass', { reason: this.opinion(index) });
    }
  }

  /** Worked on, submitted, accepted level by level (maybe returned once), noticed, signed off. */
  private async toClosure(accepted: string): Promise<void> {
    const { spec, r, batch } = this;
    const ext = this.extensionSteps(accepted);
    const limit = addDays(batch.closeBy, -this.margin());
    const hi = minDay(addDays(ext.deadline, -2), limit);
    const outcome = spec.extension?.outcome;
    // After an approved extension the work runs past the original deadline; after a refusal it is done in time.
    const lo =
      outcome === 'approved'
        ? maxDay(addDays(this.deadline, 1), addDays(ext.decided, 5))
        : outcome === 'rejected'
          ? addDays(ext.decided, 1)
          : minDay(addDays(accepted, 25), hi);
    if (lo > hi || hi <= accepted) throw new Error(`demo data: ${spec.code} cannot be done between ${lo} and ${hi}`);
    const submitted = r.day(lo, hi);
    await this.runSteps([...this.work(accepted, submitted, { partsDone: true, final: true }), ...ext.steps]);
    await this.act(submitted, this.leadOfficer, 'submit');
    let day = await this.acceptance(submitted, spec.returned);
    day = await this.closeNotice(day);
    if (spec.rebound) {
      day = addDays(day, r.int(100, 160));
      await this.act(day, this.s.dir.person(AUDITOR), 'spot_check', { spotCheckResult: 'rebound', reason: spec.rebound });
      day = addDays(day, r.int(1, 4));
      await this.act(day, this.dispatcher, 'reopen', { reason: '回头看发现问题反弹，重新启动整改' });
      const resubmitted = addDays(day, r.int(25, 45));
      await this.runSteps([
        ...spread(day, resubmitted, 1).map((d) => ({
          day: d,
          order: 1,
          run: () => this.act(d, this.leadOfficer, 'report_progress', { text: '已对反弹点位开展拉网式排查，落实"一户一策"管控措施' }),
        })),
        {
          day: resubmitted,
          order: 4,
          run: () => this.upload(resubmitted, this.leadOfficer, '反弹问题整改报告', 'Rebound rectification report'),
        },
      ]);
      await this.act(resubmitted, this.leadOfficer, 'submit');
      day = await this.closeNotice(await this.acceptance(resubmitted, undefined));
    }
    if (spec.type === 'ongoing' && spec.end === 'signed_off') {
      day = addDays(day, r.int(60, 100));
      await this.act(day, this.dispatcher, 'sign_off');
    }
    if (spec.spotCheck) {
      day = minDay(addDays(day, r.int(90, 200)), DEMO_AS_OF);
      await this.act(day, this.s.dir.person(AUDITOR), 'spot_check', {
        spotCheckResult: 'holds',
        reason: '回头看现场核查，整改成效巩固，未发现反弹',
      });
    }
  }

  /**
   * Level by level from the submission; a return (at city level, or the only level) sends it back
   * once, asking for a full re-check from the first level (the demo's dated history is scripted so).
   */
  private async acceptance(submitted: string, returned: string | undefined): Promise<string> {
    const { spec, r, batch } = this;
    const returnAt = batch.chain.length > 1 ? 1 : 0;
    let day = submitted;
    for (const [index, level] of batch.chain.entries()) {
      day = addDays(day, r.int(...GAP[level]));
      const verifier = this.s.dir.verifier(level, spec.county);
      if (returned && index === returnAt) {
        await this.act(day, verifier, 'return', { reason: returned, returnTo: 'recheck' });
        const reworked = addDays(day, r.int(12, 25));
        await this.runSteps([
          {
            day: addDays(day, 3),
            order: 1,
            run: () => this.act(addDays(day, 3), this.leadOfficer, 'report_progress', { text: `针对验收意见开展补充整改：${returned}` }),
          },
          { day: reworked, order: 4, run: () => this.upload(reworked, this.leadOfficer, '补充整改材料', 'Supplementary evidence') },
        ]);
        await this.act(addDays(reworked, 1), this.leadOfficer, 'submit');
        return this.acceptance(addDays(reworked, 1), undefined);
      }
      await this.act(day, verifier, 'pass', { reason: this.opinion(index) });
    }
    return day;
  }

  private async closeNotice(lastPass: string): Promise<string> {
    if (this.batch.noticeDays === 0) return lastPass;
    const day = addDays(lastPass, this.batch.noticeDays - 1 + this.r.int(1, 3));
    await this.act(day, this.dispatcher, 'close_notice');
    return day;
  }

  private opinion(index: number): string {
    const chain = this.batch.chain;
    const label = LABELS[chain[index]];
    return index === chain.length - 1
      ? `经${label}，整改任务已完成，同意销号`
      : `经${label}，整改措施落实到位，同意提请${LABELS[chain[index + 1]]}`;
  }

  /** Sets the clock to a working hour of the day, always after the item's previous step. */
  private at(day: string): void {
    if (day > DEMO_AS_OF) throw new Error(`demo data: ${this.spec.code} would act on ${day}, after ${DEMO_AS_OF}`);
    if (this.last && day < shanghaiDate(new Date(this.last))) {
      throw new Error(`demo data: ${this.spec.code} would go back from ${shanghaiDate(new Date(this.last))} to ${day}`);
    }
    let t = Date.parse(`${day}T09:00:00+08:00`) + this.r.int(0, 8 * 60) * 60_000;
    if (t <= this.last) t = this.last + this.r.int(3, 40) * 60_000;
    this.last = t;
    this.s.clock.set(new Date(t));
  }

  private async act(day: string, actor: Actor, action: TransitionInput['action'], extra: Omit<TransitionInput, 'action' | 'version'> = {}) {
    this.at(day);
    const result = await this.s.transitions.transition(actor, this.id, { action, version: this.version, ...extra });
    this.version = result.version;
  }

  private async upload(day: string, actor: Person, document: string, english: string): Promise<void> {
    this.at(day);
    const pdf = demoPdf(`${this.spec.code} ${this.spec.title} ${document}`, [
      'Rectify demo evidence',
      `Batch: ${this.batch.code}`,
      `Item: ${this.spec.code}`,
      `Document: ${english}`,
      `Date: ${day}`,
    ]);
    await this.s.evidence.upload(actor, this.id, {
      stream: Readable.from([pdf]),
      filename: `${this.spec.code}-${document}.pdf`,
      limitBytes: UPLOAD_LIMIT,
    });
  }
}

/**
 * The demo's history happened in the past: its notifications are not to be sent now, so the
 * outbox rows its transitions wrote are dropped (the history keeps every event).
 */
async function dropPastNotifications(ds: DataSource, batchIds: string[]): Promise<void> {
  await ds.query(`DELETE FROM outbox WHERE (payload->>'itemId')::uuid IN (SELECT id FROM item WHERE batch_id = ANY($1::uuid[]))`, [
    batchIds,
  ]);
}
