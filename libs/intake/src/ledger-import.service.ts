import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import { CLOCK, DomainError, decide, scopeOfPaths, shanghaiDate, type Actor, type Clock } from '#domain';
import { ITEM_ENTITY } from '#items';
import { DEFAULT_OFFICE_LIMITS, readFirstSheet, type OfficeLimits } from '#office';
import { OrgUnitsService } from '#org';
import { SqlParams } from '#persistence';
import { FIELD_HEADER, type ImportField } from './ledger-columns.js';
import { insertItems, mergePendingIndexEntries } from './insert-items.js';
import {
  checkUnits,
  planRow,
  resolveRows,
  type ExistingItem,
  type PlannedRow,
  type ResolvedRow,
  type UnmatchedUnit,
} from './ledger-plan.js';
import { readLedgerSheet, type RowError } from './ledger-sheet.js';

/** A ledger holds up to a few thousand problems; 20,000 rows is far beyond any real one. */
export const LEDGER_IMPORT_LIMITS: OfficeLimits = { ...DEFAULT_OFFICE_LIMITS, maxRows: 20_000 };

export interface LedgerImportInput {
  batchId: string;
  file: Buffer;
  /** Names of the file that match no unit, mapped by the dispatcher to unit ids. */
  mapping?: Record<string, string>;
  /** Keep each mapped name as an alias of its unit. */
  saveAliases?: boolean;
}

export interface LedgerPreview {
  previewId: string;
  fileSha256: string;
  batchId: string;
  header: { rows: number[]; columns: Partial<Record<ImportField, string>> };
  summary: { rows: number; create: number; update: number; unchanged: number; errors: number; unmatchedUnits: number };
  confirmable: boolean;
  rows: PlannedRow[];
  errors: RowError[];
  unmatchedUnits: UnmatchedUnit[];
  mapping: Record<string, { unitId: string; unitName: string }>;
}

export interface LedgerImportResult {
  batchId: string;
  created: number;
  updated: number;
  unchanged: number;
  aliasesSaved: string[];
}

/** Files read lately, by content and year: the confirm of a preview reads its file once more. */
const SHEETS_KEPT = 2;

/**
 * Ledger import into a batch: a preview that writes nothing (what each row creates or changes,
 * every problem, every unmatched unit with suggestions), then a confirm of exactly that preview
 * (same file, same mapping, same items) in one transaction, each creation in the item's history.
 */
@Injectable()
export class LedgerImportService {
  private readonly sheets = new Map<string, ReturnType<typeof readLedgerSheet>>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrgUnitsService) private readonly units: OrgUnitsService,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async preview(actor: Actor, input: LedgerImportInput): Promise<LedgerPreview> {
    return (await this.plan(actor, input)).preview;
  }

  async confirm(actor: Actor, input: LedgerImportInput & { previewId: string }): Promise<LedgerImportResult> {
    const { preview, resolved, batch } = await this.plan(actor, input);
    if (preview.previewId !== input.previewId) {
      throw DomainError.conflict(
        'PREVIEW_OUTDATED',
        'This is not the file, mapping or ledger that was previewed (or the items changed since); preview again',
        { previewId: preview.previewId },
      );
    }
    if (!preview.confirmable) {
      throw new DomainError('unprocessable', 'IMPORT_HAS_PROBLEMS', 'Resolve every row problem and unmatched unit before confirming', {
        errors: preview.errors.length,
        unmatchedUnits: preview.unmatchedUnits.map((u) => u.name),
      });
    }
    const at = this.clock.now();
    const byRow = new Map(resolved.map((r) => [r.row, r]));
    const aliasesSaved: string[] = [];
    await this.dataSource.transaction(async (m) => {
      const created = preview.rows.filter((p) => p.action === 'create').map((p) => byRow.get(p.row)!);
      await insertItems(
        m,
        actor,
        { batchId: input.batchId, dispatcherUnitId: batch.dispatcherUnitId, at },
        created.map((r) => ({ ...r, provenance: { importedFrom: { fileSha256: preview.fileSha256, row: r.row } } })),
      );
      for (const p of preview.rows.filter((x) => x.action === 'update')) {
        await this.updateItem(m, actor, p, byRow.get(p.row)!, preview.fileSha256, at);
      }
      if (input.saveAliases) {
        for (const [name, target] of Object.entries(preview.mapping)) {
          if (await this.units.addAlias(m, actor, target.unitId, name)) aliasesSaved.push(name);
        }
      }
    });
    if (preview.summary.create > 0) mergePendingIndexEntries(this.dataSource);
    return {
      batchId: input.batchId,
      created: preview.summary.create,
      updated: preview.summary.update,
      unchanged: preview.summary.unchanged,
      aliasesSaved,
    };
  }

  private async plan(actor: Actor, input: LedgerImportInput) {
    const batch = await this.batchFor(actor, input.batchId);
    const fileSha256 = createHash('sha256').update(input.file).digest('hex');
    const year = Number(shanghaiDate(this.clock.now()).slice(0, 4));
    const key = `${fileSha256}:${year}`;
    const sheet = this.sheets.get(key) ?? readLedgerSheet(await readFirstSheet(input.file, LEDGER_IMPORT_LIMITS), year);
    this.sheets.delete(key);
    this.sheets.set(key, sheet);
    if (this.sheets.size > SHEETS_KEPT) this.sheets.delete(this.sheets.keys().next().value!);
    const directory = await this.units.directory();
    const mapping = await this.checkMapping(input.mapping ?? {});
    const { resolved, unmatched } = resolveRows(sheet.rows, directory, mapping);
    const errors = [...sheet.errors];
    checkUnits(resolved, errors);
    const existing = await this.existing(input.batchId, resolved.map((r) => r.code).filter(Boolean));
    const names = await this.unitNames([...resolved.flatMap(unitIdsOf), ...[...existing.values()].flatMap(unitIdsOf)]);
    const unitName = (id: string | null): string => (id ? (names.get(id) ?? id) : '');
    const rows = resolved.map((r) => planRow(r, existing.get(r.code), unitName));
    errors.sort((a, b) => a.row - b.row);
    const usedMapping = Object.fromEntries(
      Object.entries(mapping)
        .filter(([name]) =>
          sheet.rows.some((r) => r.county === name || r.lead.includes(name) || r.cooperating.some((c) => c.name === name)),
        )
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, u]) => [name, { unitId: u.id, unitName: u.name }]),
    );
    const previewId = createHash('sha256')
      .update(JSON.stringify({ fileSha256, batchId: input.batchId, usedMapping, saveAliases: Boolean(input.saveAliases), rows }))
      .digest('hex');
    const count = (a: PlannedRow['action']): number => rows.filter((r) => r.action === a).length;
    const preview: LedgerPreview = {
      previewId,
      fileSha256,
      batchId: input.batchId,
      header: {
        rows: sheet.headerRows,
        columns: Object.fromEntries(Object.keys(sheet.columns).map((f) => [f, FIELD_HEADER[f as ImportField]])),
      },
      summary: {
        rows: rows.length,
        create: count('create'),
        update: count('update'),
        unchanged: count('unchanged'),
        errors: errors.length,
        unmatchedUnits: unmatched.length,
      },
      confirmable: errors.length === 0 && unmatched.length === 0,
      rows,
      errors,
      unmatchedUnits: unmatched,
      mapping: usedMapping,
    };
    return { preview, resolved, batch };
  }

  /** The batch, if the actor may add items to it (dispatchers of its dispatching unit or above); else 404 or 403. */
  private async batchFor(actor: Actor, batchId: string): Promise<{ dispatcherUnitId: string }> {
    const [batch] = await this.dataSource.query<{ dispatcher_unit_id: string; dispatcher_path: string }[]>(
      `SELECT b.dispatcher_unit_id, o.path AS dispatcher_path FROM batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id WHERE b.id = $1`,
      [batchId],
    );
    const scope = batch ? { ownerScope: scopeOfPaths([batch.dispatcher_path]) } : null;
    if (!batch || !scope || !decide(actor, 'item.read', { ...scope, dispatcherScope: scope.ownerScope }).allowed) {
      throw DomainError.notFound('batch', batchId);
    }
    if (!decide(actor, 'item.create', scope).allowed) {
      throw DomainError.forbidden('Only dispatchers of the dispatching unit may import items into this batch', { batchId });
    }
    return { dispatcherUnitId: batch.dispatcher_unit_id };
  }

  private async checkMapping(mapping: Record<string, string>): Promise<Record<string, { id: string; name: string }>> {
    const ids = [...new Set(Object.values(mapping))];
    if (ids.length === 0) return {};
    const rows = await this.dataSource.query<{ id: string; name: string }[]>(
      `SELECT id, name FROM org_unit WHERE id = ANY($1::uuid[]) AND active`,
      [ids],
    );
    const found = new Map(rows.map((r) => [r.id, r]));
    const missing = Object.entries(mapping).filter(([, id]) => !found.has(id));
    if (missing.length) {
      throw new DomainError('unprocessable', 'MAPPING_UNIT_NOT_FOUND', 'A mapped unit does not exist or is inactive', {
        names: missing.map(([name, unitId]) => ({ name, unitId })),
      });
    }
    return Object.fromEntries(Object.entries(mapping).map(([name, id]) => [name, found.get(id)!]));
  }

  private async existing(batchId: string, codes: string[]): Promise<Map<string, ExistingItem>> {
    const rows = await this.dataSource.query<ExistingItem[]>(
      `SELECT i.id, i.code, i.version, i.state, i.title, i.feedback_text AS "feedbackText", i.domain, i.county_unit_id AS "countyUnitId",
              i.goal, i.measures, i.type, i.responsible_leader AS "responsibleLeader", i.responsible_person AS "responsiblePerson",
              i.responsible_phone AS "responsiblePhone", i.stage_nodes AS "stageNodes", to_char(i.current_deadline, 'YYYY-MM-DD') AS deadline,
              coalesce((SELECT array_agg(u.unit_id) FROM item_unit u WHERE u.item_id = i.id AND u.role = 'lead'), '{}') AS lead,
              coalesce((SELECT json_agg(json_build_object('unitId', u.unit_id, 'part', u.part)) FROM item_unit u
                         WHERE u.item_id = i.id AND u.role = 'cooperating'), '[]') AS cooperating
         FROM item i WHERE i.batch_id = $1 AND i.code = ANY($2::text[])`,
      [batchId, codes],
    );
    return new Map(rows.map((r) => [r.code, r]));
  }

  private async unitNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<{ id: string; name: string }[]>(`SELECT id, name FROM org_unit WHERE id = ANY($1::uuid[])`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** A re-imported row's changes, on the version that was previewed; a changed item is a 409 and nothing is written. */
  private async updateItem(m: EntityManager, actor: Actor, plan: PlannedRow, r: ResolvedRow, fileSha256: string, at: Date): Promise<void> {
    const fields = new Set(plan.changes.map((c) => c.field));
    const has = (f: ImportField): boolean => fields.has(FIELD_HEADER[f]);
    const columns: Record<string, unknown> = {};
    if (has('title')) columns.title = r.title;
    if (has('feedbackText')) columns.feedback_text = r.feedbackText;
    if (has('goal')) columns.goal = r.goal;
    if (has('measures')) columns.measures = r.measures;
    if (has('responsibleLeader')) columns.responsible_leader = r.responsibleLeader;
    if (has('responsiblePerson')) columns.responsible_person = r.responsiblePerson;
    if (has('responsiblePhone')) columns.responsible_phone = r.responsiblePhone;
    if (has('domain')) columns.domain = r.domain;
    if (has('county')) columns.county_unit_id = r.countyUnitId;
    if (has('type')) columns.type = r.type;
    if (has('stageNodes')) columns.stage_nodes = JSON.stringify(r.stageNodes);
    if (has('deadline')) {
      // Only a draft's deadline changes here: it is still being written, so it replaces version 1.
      columns.original_deadline = r.deadline;
      columns.current_deadline = r.deadline;
      columns.deadline_version = r.deadline ? 1 : 0;
      await m.query(`DELETE FROM item_deadline WHERE item_id = $1`, [plan.itemId]);
      if (r.deadline) {
        await m.query(
          `INSERT INTO item_deadline (item_id, version, deadline, kind, decided_by, created_at) VALUES ($1, 1, $2, 'initial', $3, $4)`,
          [plan.itemId, r.deadline, actor.userId, at],
        );
      }
    }
    columns.updated_at = at;
    const q = new SqlParams();
    const where = `id = ${q.add(plan.itemId)} AND version = ${q.add(plan.version)}`;
    const sets = [...q.assignments(columns), 'version = version + 1'];
    const [rows] = await m.query<[{ state: string }[], number]>(
      `UPDATE item SET ${sets.join(', ')} WHERE ${where} RETURNING state`,
      q.values,
    );
    if (rows.length === 0) {
      throw DomainError.conflict('PREVIEW_OUTDATED', `Item ${plan.code} was changed after the preview; preview again`, { code: plan.code });
    }
    if (has('lead') || has('cooperating')) {
      await m.query(`DELETE FROM item_unit WHERE item_id = $1 AND NOT (unit_id = ANY($2::uuid[]))`, [
        plan.itemId,
        [...r.leadUnitIds, ...r.cooperatingParts.map((c) => c.unitId)],
      ]);
      for (const u of r.leadUnitIds) {
        await m.query(
          `INSERT INTO item_unit (item_id, unit_id, role, updated_at) VALUES ($1, $2, 'lead', $3)
           ON CONFLICT (item_id, unit_id) DO UPDATE SET role = 'lead', part = NULL, sub_deadline = NULL, updated_at = $3`,
          [plan.itemId, u, at],
        );
      }
      for (const c of r.cooperatingParts) {
        await m.query(
          `INSERT INTO item_unit (item_id, unit_id, role, part, updated_at) VALUES ($1, $2, 'cooperating', $3, $4)
           ON CONFLICT (item_id, unit_id) DO UPDATE SET role = 'cooperating', part = EXCLUDED.part, updated_at = $4`,
          [plan.itemId, c.unitId, c.part, at],
        );
      }
    }
    if (has('lead') || has('cooperating') || has('county')) await m.query(`SELECT item_refresh_scope($1)`, [plan.itemId]);
    const state = rows[0].state;
    await this.history.append(m, {
      entityType: ITEM_ENTITY,
      entityId: plan.itemId!,
      action: 'update',
      actorId: actor.userId,
      fromState: state,
      toState: state,
      at,
      data: { changes: plan.changes, importedFrom: { fileSha256, row: r.row } },
    });
  }
}

function unitIdsOf(x: ResolvedRow | ExistingItem): string[] {
  const [lead, cooperating] = 'leadUnitIds' in x ? [x.leadUnitIds, x.cooperatingParts] : [x.lead, x.cooperating];
  return [...lead, ...cooperating.map((c) => c.unitId), ...(x.countyUnitId ? [x.countyUnitId] : [])];
}
