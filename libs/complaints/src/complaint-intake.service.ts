import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import { CalendarService } from '#calendar';
import {
  CLOCK,
  DomainError,
  DUPLICATE_SIMILARITY,
  DUPLICATE_WINDOW_DAYS,
  decide,
  listScope,
  scopeOfPaths,
  type Actor,
  type Clock,
  type FieldIssue,
  type PollutionType,
} from '#domain';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '#persistence';

const isUniqueViolation = (e: unknown): boolean => pgErrorCode(e) === PG_UNIQUE_VIOLATION;

export const COMPLAINT_ENTITY = 'complaint';

export interface BatchInput {
  round: string;
  batchNo: number;
  receivedOn: string;
  issuer?: string;
  deadlineDays: number;
  deadlineKind: 'calendar' | 'working';
}

export interface BatchRef extends BatchInput {
  id: string;
  dispatcherUnitId: string;
  issuer: string;
}

export interface CaseInput {
  caseNo: string;
  teamNo?: string;
  receivedOn?: string;
  content: string;
  countyUnitId: string;
  address?: string;
  latitude?: number;
  longitude?: number;
  pollutionTypes: PollutionType[];
  keyCase?: boolean;
  contact?: { name?: string; phone?: string; note?: string };
}

export interface DuplicateProposal {
  otherId: string;
  otherCaseNo: string;
  similarity: number;
}

/**
 * Intake of complaint cases: batches, cases one by one (the import uses the same insert), and the
 * duplicate proposals made as each case comes in (same county, received within the window,
 * trigram similarity of the content at or above the measured threshold).
 */
@Injectable()
export class ComplaintIntakeService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createBatch(actor: Actor, input: BatchInput): Promise<BatchRef> {
    this.assertMayCreate(actor);
    try {
      const [row] = await this.dataSource.query<{ id: string }[]>(
        `INSERT INTO complaint_batch (round, batch_no, received_on, issuer, deadline_days, deadline_kind, dispatcher_unit_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          input.round,
          input.batchNo,
          input.receivedOn,
          input.issuer ?? '',
          input.deadlineDays,
          input.deadlineKind,
          actor.unitId,
          actor.userId,
        ],
      );
      return { ...input, issuer: input.issuer ?? '', id: row.id, dispatcherUnitId: actor.unitId };
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new DomainError('conflict', 'BATCH_EXISTS', `${input.round} 第${input.batchNo}批 already exists`, { field: 'batchNo' });
      }
      throw e;
    }
  }

  /** The batches of the units whose cases the actor may read, newest first, with their case counts. */
  async listBatches(actor: Actor): Promise<(BatchRef & { cases: number })[]> {
    const scope = listScope(actor, 'complaint.read');
    if (scope.kind === 'none') return [];
    return this.dataSource.query(
      `SELECT b.id, b.round, b.batch_no AS "batchNo", to_char(b.received_on, 'YYYY-MM-DD') AS "receivedOn", b.issuer,
              b.deadline_days AS "deadlineDays", b.deadline_kind AS "deadlineKind", b.dispatcher_unit_id AS "dispatcherUnitId",
              (SELECT count(*)::int FROM complaint_case c WHERE c.batch_id = b.id) AS cases
         FROM complaint_batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id
        WHERE $1::uuid IS NULL OR path_ids(o.path) @> ARRAY[$1::uuid]
        ORDER BY b.received_on DESC, b.round, b.batch_no DESC`,
      [scope.kind === 'all' ? null : scope.unitId],
    );
  }

  /** A batch the actor may add cases to (its unit's subtree dispatched it); otherwise 404. */
  async batchFor(actor: Actor, id: string, m: EntityManager = this.dataSource.manager): Promise<BatchRef> {
    const [row] = await m.query<(BatchRef & { path: string })[]>(
      `SELECT b.id, b.round, b.batch_no AS "batchNo", to_char(b.received_on, 'YYYY-MM-DD') AS "receivedOn", b.issuer,
              b.deadline_days AS "deadlineDays", b.deadline_kind AS "deadlineKind", b.dispatcher_unit_id AS "dispatcherUnitId", o.path
         FROM complaint_batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id WHERE b.id = $1`,
      [id],
    );
    const scope = row ? { ownerScope: [], dispatcherScope: scopeOfPaths([row.path]) } : null;
    if (!row || !scope || !decide(actor, 'complaint.read', scope).allowed) throw DomainError.notFound('complaint_batch', id);
    if (!decide(actor, 'complaint.create', { ownerScope: scope.dispatcherScope }).allowed) {
      throw DomainError.forbidden('Only dispatchers of the receiving unit add cases to this batch');
    }
    const { path: _path, ...batch } = row;
    return batch;
  }

  async createCase(actor: Actor, batchId: string, input: CaseInput): Promise<{ id: string; duplicates: DuplicateProposal[] }> {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.batchFor(actor, batchId, m);
      await this.assertCounties(m, [{ field: 'countyUnitId', id: input.countyUnitId }]);
      return this.insertCase(m, actor, batch, input);
    });
  }

  /** Unknown or non-county units are a 400 naming each field. */
  async assertCounties(m: EntityManager, refs: { field: string; id: string }[]): Promise<void> {
    const ids = [...new Set(refs.map((r) => r.id))];
    const found = await m.query<{ id: string }[]>(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[]) AND kind = 'county' AND active`, [
      ids,
    ]);
    const known = new Set(found.map((r) => r.id));
    const issues: FieldIssue[] = refs
      .filter((r) => !known.has(r.id))
      .map((r) => ({ field: r.field, messages: ['is not a known county (区县)'] }));
    if (issues.length > 0) throw DomainError.validation('Unknown county', issues);
  }

  /** Inserts one case with its contact and its first history row, and records its duplicate proposals. */
  async insertCase(
    m: EntityManager,
    actor: Actor,
    batch: BatchRef,
    input: CaseInput,
    at?: Date,
  ): Promise<{ id: string; duplicates: DuplicateProposal[] }> {
    const receivedOn = input.receivedOn ?? batch.receivedOn;
    let id: string;
    try {
      const [row] = await m.query<{ id: string }[]>(
        `INSERT INTO complaint_case (batch_id, case_no, team_no, received_on, content, county_unit_id, address, latitude, longitude,
                                     pollution_types, key_case, dispatcher_unit_id, dispatcher_scope, created_by, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $12, path_ids(o.path), $13, $14, $14
           FROM org_unit o WHERE o.id = $12
         RETURNING id`,
        [
          batch.id,
          input.caseNo,
          input.teamNo ?? null,
          receivedOn,
          input.content,
          input.countyUnitId,
          input.address ?? '',
          input.latitude ?? null,
          input.longitude ?? null,
          input.pollutionTypes,
          input.keyCase ?? false,
          batch.dispatcherUnitId,
          actor.userId,
          at ?? this.clock.now(),
        ],
      );
      id = row.id;
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new DomainError('conflict', 'CASE_NO_TAKEN', `Case number ${input.caseNo} is already in this batch`, {
          fields: [{ field: 'caseNo', messages: ['is already in this batch'] }],
        });
      }
      throw e;
    }
    if (input.contact && (input.contact.name || input.contact.phone || input.contact.note)) {
      await m.query(`INSERT INTO complaint_contact (case_id, name, phone, note) VALUES ($1, $2, $3, $4)`, [
        id,
        input.contact.name ?? '',
        input.contact.phone ?? '',
        input.contact.note ?? '',
      ]);
    }
    await this.history.appendAfter(m, null, {
      entityType: COMPLAINT_ENTITY,
      entityId: id,
      action: 'receive',
      actorId: actor.userId,
      toState: 'received',
      data: { batchId: batch.id, caseNo: input.caseNo },
      at: at ?? this.clock.now(),
    });
    const duplicates = await this.proposeDuplicates(m, id, input.countyUnitId, receivedOn, input.content);
    return { id, duplicates };
  }

  /** Earlier cases this one may repeat; each becomes a proposal for the dispatcher to confirm or reject. */
  async proposeDuplicates(
    m: EntityManager,
    id: string,
    countyId: string,
    receivedOn: string,
    content: string,
  ): Promise<DuplicateProposal[]> {
    return findSimilar(m, { countyId, receivedOn, content, excludeId: id, proposeFor: id });
  }

  /** The deadline a batch's rule gives for a receipt date (calendar days end on a working day). */
  async deadlineFor(batch: BatchRef, receivedOn: string, m: EntityManager = this.dataSource.manager) {
    return this.calendar.compute(
      batch.deadlineKind === 'working'
        ? { kind: 'working_days', from: receivedOn, days: batch.deadlineDays, event: '受理' }
        : { kind: 'calendar_days', from: receivedOn, days: batch.deadlineDays, event: '受理' },
      m,
    );
  }

  private assertMayCreate(actor: Actor): void {
    if (!decide(actor, 'complaint.create', { ownerScope: [actor.unitId] }).allowed) {
      throw DomainError.forbidden('Only dispatchers receive complaint cases');
    }
  }
}

/**
 * Cases in the same county received within the window whose content is similar, in one statement;
 * with `proposeFor`, the same statement records them as that case's proposals. The GiST index on
 * county, receipt date and trigrams answers `%` at pg_trgm's default threshold (0.3), below ours,
 * so it only narrows; similarity() then runs once per case it found (OFFSET 0 keeps it there).
 */
export async function findSimilar(
  m: EntityManager,
  c: { countyId: string; receivedOn: string; content: string; excludeId?: string; threshold?: number; proposeFor?: string },
): Promise<DuplicateProposal[]> {
  const threshold = c.threshold ?? DUPLICATE_SIMILARITY;
  if (threshold < 0.3) await m.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(threshold)]);
  const rows = await m.query<{ id: string; case_no: string; sim: number }[]>(
    `WITH s AS (
       SELECT id, case_no, sim FROM (
         SELECT id, case_no, similarity(content, $1) AS sim FROM complaint_case
          WHERE county_unit_id = $2 AND received_on BETWEEN $3::date - $4::int AND $3::date + $4::int
            AND state <> 'merged' AND id IS DISTINCT FROM $5::uuid AND content % $1 OFFSET 0) c
        WHERE sim >= $6 ORDER BY sim DESC, case_no LIMIT 10),
     p AS (INSERT INTO complaint_duplicate (case_id, other_id, similarity)
           SELECT $7::uuid, id, sim FROM s WHERE $7::uuid IS NOT NULL ON CONFLICT DO NOTHING)
     SELECT * FROM s ORDER BY sim DESC, case_no`,
    [c.content, c.countyId, c.receivedOn, DUPLICATE_WINDOW_DAYS, c.excludeId ?? null, threshold, c.proposeFor ?? null],
  );
  return rows.map((r) => ({ otherId: r.id, otherCaseNo: r.case_no, similarity: Math.round(r.sim * 1000) / 1000 }));
}
