import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, DomainError, decide, decomposePlan, scopeOfPaths, type Actor, type Clock, type DecomposedTask, type Domain } from '#domain';
import { EVIDENCE_STORAGE, type EvidenceStorage } from '#files';
import { DEFAULT_OFFICE_LIMITS, readDocxText } from '#office';
import { OrgUnitsService, type UnitDirectory, type UnitSuggestion } from '#org';
import { isUniqueViolation } from '#persistence';
import { insertItems } from './insert-items.js';

export interface UnitNamed {
  name: string;
  unitId: string | null;
  unitName: string | null;
  /** For a name that matches no unit: the closest units, best first (none for a matched name). */
  suggestions: UnitSuggestion[];
}

export interface DraftTask extends Omit<DecomposedTask, 'lead' | 'cooperating' | 'implementing'> {
  lead: UnitNamed[];
  cooperating: UnitNamed[];
  implementing: UnitNamed[];
}

export interface DecompositionResult {
  documentYear: number | null;
  tasks: DraftTask[];
}

/** A reviewed draft, as the dispatcher sends it back to be created. */
export interface ReviewedDraft {
  no: number;
  label?: string;
  code?: string;
  title: string;
  text?: string;
  domain?: Domain;
  leadUnitIds: string[];
  cooperatingUnitIds?: string[];
  implementingUnitIds?: string[];
  stages?: string[];
  deadline?: string | null;
  type: 'deadline' | 'ongoing' | 'recurring';
  span: { start: number; end: number; lineStart?: number; lineEnd?: number };
}

export interface DocumentFile {
  buffer: Buffer;
  filename: string;
}

/** A plan is a few hundred pages at most. */
export const DOCUMENT_LIMIT_BYTES = 10 * 1024 * 1024;
const MAX_TEXT_CHARS = 2_000_000;
const MAX_DRAFTS = 2_000;

/**
 * Policy-document decomposition (任务分解): a .txt or .docx plan read within limits, its numbered
 * tasks with units matched to the org tree; then the reviewed drafts created as items of a batch
 * in one transaction, each linked to its task and text span, the document kept as the batch's source.
 */
@Injectable()
export class DecompositionService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrgUnitsService) private readonly units: OrgUnitsService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async decompose(file: DocumentFile): Promise<DecompositionResult> {
    const { text } = await documentText(file);
    const plan = decomposePlan(text);
    if (plan.tasks.length === 0) {
      throw new DomainError(
        'unprocessable',
        'NO_TASKS_FOUND',
        'The document has no numbered tasks (1. 2. … or （1）（2）… with their responsible units)',
      );
    }
    const directory = await this.units.directory();
    return { documentYear: plan.documentYear, tasks: plan.tasks.map((t) => withUnits(t, directory)) };
  }

  async createItems(
    actor: Actor,
    batchId: string,
    file: DocumentFile,
    drafts: ReviewedDraft[],
  ): Promise<{ sourceDocumentId: string; itemIds: string[] }> {
    const batch = await this.batchFor(actor, batchId);
    const { text, contentType } = await documentText(file);
    if (drafts.length === 0 || drafts.length > MAX_DRAFTS) {
      throw DomainError.validation(`Send 1 to ${MAX_DRAFTS} drafts`, [
        { field: 'drafts', messages: [`must hold 1 to ${MAX_DRAFTS} drafts`] },
      ]);
    }
    const problems = drafts.flatMap((d, i) => draftProblems(d, i, text.length));
    const unitIds = [
      ...new Set(drafts.flatMap((d) => [...d.leadUnitIds, ...(d.cooperatingUnitIds ?? []), ...(d.implementingUnitIds ?? [])])),
    ];
    const found = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[]) AND active`, [unitIds]);
    const missing = unitIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) problems.push({ field: 'drafts', messages: [`unknown or inactive units: ${missing.join(', ')}`] });
    const codes = drafts.map((d) => codeOf(d));
    const dup = codes.find((c, i) => codes.indexOf(c) !== i);
    if (dup) problems.push({ field: 'drafts', messages: [`code ${dup} is given twice`] });
    if (problems.length) throw DomainError.validation('Some drafts cannot be created', problems);

    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const staged = await this.storage.stage(Readable.from([file.buffer]), DOCUMENT_LIMIT_BYTES);
    const at = this.clock.now();
    const plan = decomposePlan(text);
    return this.dataSource
      .transaction(async (m) => {
        const stored = await staged.commit();
        const [{ id: documentId }] = await m.query<{ id: string }[]>(
          `INSERT INTO source_document (batch_id, filename, content_type, size_bytes, sha256, storage_key, document_year, text, uploaded_by, uploaded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            batchId,
            file.filename.slice(0, 200),
            contentType,
            stored.sizeBytes,
            sha256,
            stored.key,
            plan.documentYear,
            text,
            actor.userId,
            at,
          ],
        );
        const itemIds = await insertItems(
          m,
          actor,
          { batchId, dispatcherUnitId: batch.dispatcherUnitId, at },
          drafts.map((d) => {
            const lead = [...new Set(d.leadUnitIds)];
            const others = [...new Set([...(d.cooperatingUnitIds ?? []), ...(d.implementingUnitIds ?? [])])].filter(
              (u) => !lead.includes(u),
            );
            const stages = [...new Set(d.stages ?? [])].sort();
            const sourceTask = { no: d.no, label: d.label ?? String(d.no), span: d.span };
            return {
              code: codeOf(d),
              title: d.title,
              feedbackText: d.text ?? text.slice(d.span.start, d.span.end),
              domain: d.domain ?? 'other',
              countyUnitId: null,
              goal: '',
              measures: '',
              type: d.type === 'deadline' ? 'deadline' : 'ongoing',
              responsibleLeader: null,
              responsiblePerson: null,
              responsiblePhone: null,
              stageNodes: stages.map((due, i) => ({ due, name: `阶段节点${i + 1}` })),
              deadline: d.type === 'deadline' ? (d.deadline ?? stages[stages.length - 1] ?? null) : null,
              leadUnitIds: lead,
              cooperatingParts: others.map((unitId) => ({
                unitId,
                part: (d.implementingUnitIds ?? []).includes(unitId) && !(d.cooperatingUnitIds ?? []).includes(unitId) ? '负责落实' : null,
              })),
              provenance: { sourceDocumentId: documentId, sourceTask },
              sourceDocumentId: documentId,
              sourceTask,
            };
          }),
        );
        return { sourceDocumentId: documentId, itemIds };
      })
      .catch((e: unknown) => {
        if (isUniqueViolation(e)) throw DomainError.conflict('ITEM_CODE_TAKEN', 'An item of this batch already has one of these codes');
        throw e;
      });
  }

  private async batchFor(actor: Actor, batchId: string): Promise<{ dispatcherUnitId: string }> {
    const [batch] = await this.dataSource.query<{ dispatcher_unit_id: string; dispatcher_path: string }[]>(
      `SELECT b.dispatcher_unit_id, o.path AS dispatcher_path FROM batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id WHERE b.id = $1`,
      [batchId],
    );
    const scope = batch ? scopeOfPaths([batch.dispatcher_path]) : null;
    if (!batch || !scope || !decide(actor, 'item.read', { ownerScope: scope, dispatcherScope: scope }).allowed)
      throw DomainError.notFound('batch', batchId);
    if (!decide(actor, 'item.create', { ownerScope: scope }).allowed) {
      throw DomainError.forbidden('Only dispatchers of the dispatching unit may add items to this batch', { batchId });
    }
    return { dispatcherUnitId: batch.dispatcher_unit_id };
  }
}

const codeOf = (d: ReviewedDraft): string => (d.code ?? d.label ?? String(d.no)).trim();

function draftProblems(d: ReviewedDraft, i: number, length: number): { field: string; messages: string[] }[] {
  const out: string[] = [];
  if (!d.title?.trim()) out.push('title is empty');
  if (!Array.isArray(d.leadUnitIds) || d.leadUnitIds.length === 0) out.push('needs at least one lead unit');
  if (!d.span || !(d.span.start >= 0 && d.span.end > d.span.start && d.span.end <= length)) out.push('span is not a range of the document');
  if (d.type === 'deadline' && !d.deadline && !(d.stages ?? []).length) out.push('a deadline task needs a deadline');
  return out.length ? [{ field: `drafts[${i}]`, messages: out }] : [];
}

function withUnits(t: DecomposedTask, directory: UnitDirectory): DraftTask {
  const named = (names: string[]): UnitNamed[] =>
    names.map((name) => {
      const unit = directory.resolve(name);
      return { name, unitId: unit?.id ?? null, unitName: unit?.name ?? null, suggestions: unit ? [] : directory.suggest(name, 3) };
    });
  return { ...t, lead: named(t.lead), cooperating: named(t.cooperating), implementing: named(t.implementing) };
}

/**
 * The text of a plan: a .docx read within the Office limits, or plain text (UTF-8, or GB18030 as
 * Chinese Windows saves it). Anything else (a renamed binary, a PDF) is refused by its content.
 */
export async function documentText(file: DocumentFile): Promise<{ text: string; contentType: string }> {
  const b = file.buffer;
  if (b.length === 0) throw DomainError.validation('The file is empty', [{ field: 'file', messages: ['must not be empty'] }]);
  if (b.length > DOCUMENT_LIMIT_BYTES) {
    throw new DomainError('too_large', 'FILE_TOO_LARGE', `The file is larger than the limit of ${DOCUMENT_LIMIT_BYTES} bytes`, {
      limitBytes: DOCUMENT_LIMIT_BYTES,
    });
  }
  let text: string;
  let contentType: string;
  if (b.length >= 4 && b.readUInt32LE(0) === 0x04034b50) {
    text = await readDocxText(b, { ...DEFAULT_OFFICE_LIMITS, maxFileBytes: DOCUMENT_LIMIT_BYTES });
    contentType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  } else {
    text = decodeText(b);
    contentType = 'text/plain; charset=utf-8';
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new DomainError('too_large', 'DOCUMENT_TOO_LONG', `The document has more than ${MAX_TEXT_CHARS} characters`, {
      limit: MAX_TEXT_CHARS,
    });
  }
  return { text: text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), contentType };
}

function decodeText(b: Buffer): string {
  const notText = (): DomainError =>
    new DomainError('unprocessable', 'NOT_A_TEXT_DOCUMENT', 'The file is neither a .docx document nor plain text (send .txt or .docx)');
  if (b.includes(0)) throw notText();
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      const text = new TextDecoder(encoding, { fatal: true }).decode(b);
      // Control characters other than line breaks and tabs mean binary content.
      if ([...text.slice(0, 65536)].some((c) => c < ' ' && c !== '\n' && c !== '\r' && c !== '\t' && c !== '\f' && c !== '\v'))
        throw notText();
      return text;
    } catch (e) {
      if (e instanceof DomainError) throw e;
    }
  }
  throw notText();
}
