import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, DomainError, isSupportedDate, type Actor, type Clock } from '#domain';
import { DEFAULT_OFFICE_LIMITS, readFirstSheet, type OfficeLimits } from '#office';
import { comparedCasesDigest, similarInBatch, type BatchCase, type BatchSimilarity } from './batch-similarity.js';
import { ComplaintIntakeService, type BatchRef, type CaseInput, type DuplicateProposal } from './complaint-intake.service.js';
import { CASE_HEADER, readCaseSheet, type CaseField, type RowError } from './complaint-sheet.js';
import { insertCases } from './insert-cases.js';

/** A batch holds tens of cases, a hotline's month a few thousand; 10,000 rows is far beyond. */
export const CASE_IMPORT_LIMITS: OfficeLimits = { ...DEFAULT_OFFICE_LIMITS, maxRows: 10_000 };

export interface CaseImportPreview {
  previewId: string;
  batchId: string;
  columns: Partial<Record<CaseField, string>>;
  summary: { rows: number; create: number; existing: number; errors: number; duplicateProposals: number };
  confirmable: boolean;
  rows: { row: number; caseNo: string; county: string; outcome: 'create' | 'existing'; duplicates: DuplicateProposal[] }[];
  errors: RowError[];
}

type NewCase = CaseInput & { id: string };

/** What an import will do, and what it was worked out from. */
interface ImportPlan {
  result: CaseImportPreview;
  cases: NewCase[];
  similar: BatchSimilarity;
  /** The county names of the file's rows. */
  countyNames: string[];
  /** The new cases as the duplicate check compared them. */
  compared: BatchCase[];
  /** Everything the plan read from the database besides the file, as one digest. */
  basis: string;
}

/** Plans worked out lately, by preview id: the confirm of a preview writes the plan it showed. */
const PLANS_KEPT = 2;

/**
 * Import of a batch's case list: the preview reads the file and works out, without writing, what
 * the import will do, with the duplicate proposals it will make (the file's earlier rows included,
 * as if each row came in after them); the confirm of the same file writes that plan in a few
 * statements, all or nothing. The confirm takes the plan the preview kept when what it was worked
 * out from (the batch, its cases, the counties, the cases compared for duplicates) is unchanged,
 * and works it out again otherwise. A case number already in the batch with the same content is
 * left as it is, so importing a batch again creates nothing twice.
 */
@Injectable()
export class ComplaintImportService {
  private readonly plans = new Map<string, ImportPlan>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ComplaintIntakeService) private readonly intake: ComplaintIntakeService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async preview(actor: Actor, batchId: string, file: Buffer): Promise<CaseImportPreview> {
    return (await this.plan(this.dataSource.manager, actor, batchId, file)).plan.result;
  }

  async confirm(actor: Actor, batchId: string, file: Buffer, previewId: string): Promise<CaseImportPreview> {
    return this.dataSource.transaction(async (m) => {
      const { plan, batch } = await this.plan(m, actor, batchId, file);
      const { result, cases, similar } = plan;
      if (result.previewId !== previewId) {
        throw DomainError.conflict('PREVIEW_OUTDATED', 'This is not the file that was previewed for this batch; preview again', {
          field: 'previewId',
        });
      }
      if (!result.confirmable) {
        throw new DomainError(
          'unprocessable',
          'IMPORT_HAS_ERRORS',
          `The file has ${result.errors.length} row error(s); nothing was imported`,
          {
            errors: result.errors,
          },
        );
      }
      await insertCases(m, actor, batch, cases, similar.pairs, this.clock.now());
      return result;
    });
  }

  private async plan(m: EntityManager, actor: Actor, batchId: string, file: Buffer): Promise<{ plan: ImportPlan; batch: BatchRef }> {
    const batch: BatchRef = await this.intake.batchFor(actor, batchId, m);
    const previewId = createHash('sha256').update(batch.id).update(file).digest('hex');
    const kept = this.plans.get(previewId);
    if (kept) {
      const state = await this.batchState(m, batch, kept.countyNames);
      const compared = await comparedCasesDigest(m, kept.compared);
      if (basisDigest(batch, state.counties, state.existingRows, compared) === kept.basis) return { plan: kept, batch };
    }

    const sheet = readCaseSheet(await readFirstSheet(file, CASE_IMPORT_LIMITS));
    const errors = [...sheet.errors];
    const countyNames = [...new Set(sheet.rows.map((r) => r.county).filter(Boolean))];
    const { counties, existing, existingRows } = await this.batchState(m, batch, countyNames);
    const bad = new Set(errors.map((e) => e.row));
    for (const r of sheet.rows) {
      const err = (f: CaseField, message: string) => {
        errors.push({ row: r.row, column: CASE_HEADER[f], value: String(r[f as keyof typeof r] ?? ''), message });
        bad.add(r.row);
      };
      if (r.county && !counties.has(r.county)) err('county', 'is not a known county (区县) or one of its aliases');
      if (r.receivedOn && !isSupportedDate(r.receivedOn)) err('receivedOn', 'is outside the supported dates');
      if (r.receivedOn && r.receivedOn < batch.receivedOn) err('receivedOn', `is before the batch was received (${batch.receivedOn})`);
      const before = existing.get(r.caseNo);
      if (before !== undefined && before !== r.content) err('caseNo', 'is already in this batch with other content');
    }
    const fresh = errors.length === 0 ? sheet.rows.filter((r) => !existing.has(r.caseNo)) : [];
    const cases: NewCase[] = fresh.map((r) => ({
      id: randomUUID(),
      caseNo: r.caseNo,
      teamNo: r.teamNo ?? undefined,
      receivedOn: r.receivedOn ?? undefined,
      content: r.content,
      countyUnitId: counties.get(r.county)!,
      address: r.address,
      pollutionTypes: r.pollutionTypes,
      keyCase: r.keyCase,
      contact: { name: r.contactName, phone: r.contactPhone },
    }));
    const compared: BatchCase[] = cases.map((c) => ({ ...c, countyId: c.countyUnitId, receivedOn: c.receivedOn ?? batch.receivedOn }));
    // The digest is read before the comparison, so a case that comes in meanwhile makes the kept plan stale.
    const digest = basisDigest(batch, counties, existingRows, await comparedCasesDigest(m, compared));
    const similar = await similarInBatch(m, compared);
    const duplicatesOf = new Map(fresh.map((r, i) => [r.row, similar.proposals[i]]));
    const rows: CaseImportPreview['rows'] = [];
    if (errors.length === 0) {
      for (const r of sheet.rows) {
        const duplicates: DuplicateProposal[] = duplicatesOf.get(r.row) ?? [];
        rows.push({ row: r.row, caseNo: r.caseNo, county: r.county, outcome: existing.has(r.caseNo) ? 'existing' : 'create', duplicates });
      }
    }
    const proposals = similar.pairs.length;
    errors.sort((a, b) => a.row - b.row);
    const result: CaseImportPreview = {
      previewId,
      batchId: batch.id,
      columns: sheet.columns,
      summary: {
        rows: sheet.rows.length,
        create: rows.filter((r) => r.outcome === 'create').length,
        existing: rows.filter((r) => r.outcome === 'existing').length,
        errors: errors.length,
        duplicateProposals: proposals,
      },
      confirmable: errors.length === 0,
      rows,
      errors,
    };
    const plan: ImportPlan = { result, cases, similar, countyNames, compared, basis: digest };
    this.plans.delete(previewId);
    this.plans.set(previewId, plan);
    if (this.plans.size > PLANS_KEPT) this.plans.delete(this.plans.keys().next().value!);
    return { plan, batch };
  }

  /** The counties of the file by name, and the batch's cases (number → content). */
  private async batchState(m: EntityManager, batch: BatchRef, countyNames: string[]) {
    // One after the other: in the confirm, m is one connection.
    const counties = await this.countiesByName(m, countyNames);
    const existingRows = await m.query<{ case_no: string; content: string }[]>(
      `SELECT case_no, content FROM complaint_case WHERE batch_id = $1 ORDER BY case_no`,
      [batch.id],
    );
    return { counties, existingRows, existing: new Map(existingRows.map((r) => [r.case_no, r.content])) };
  }

  /** County units by name or alias. */
  private async countiesByName(m: EntityManager, names: string[]): Promise<Map<string, string>> {
    const rows = await m.query<{ name: string; id: string }[]>(
      `SELECT o.name, o.id FROM org_unit o WHERE o.kind = 'county' AND o.active AND o.name = ANY($1::text[])
       UNION ALL
       SELECT a.alias, o.id FROM org_unit_alias a JOIN org_unit o ON o.id = a.unit_id
        WHERE o.kind = 'county' AND o.active AND a.alias = ANY($1::text[])`,
      [names],
    );
    return new Map(rows.map((r) => [r.name, r.id]));
  }
}

/** A plan's basis: the batch's receipt date, the counties by name, the batch's cases and the digest of the cases compared with. */
function basisDigest(batch: BatchRef, counties: Map<string, string>, existingRows: unknown[], compared: string): string {
  return createHash('sha256')
    .update(JSON.stringify([batch.receivedOn, [...counties].sort(), existingRows, compared]))
    .digest('hex');
}
