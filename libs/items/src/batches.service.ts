import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistoryService } from '#audit';
import {
  CLOCK,
  DEFAULT_ACCEPTANCE,
  DomainError,
  assertAllowed,
  levelLabel,
  listScope,
  scopeOfPaths,
  type AcceptanceLevel,
  type Actor,
  type Clock,
  type SourceType,
} from '#domain';
import { isUniqueViolation } from '#persistence';

export interface BatchView {
  id: string;
  code: string;
  name: string;
  sourceType: SourceType;
  round: number | null;
  issuer: string | null;
  issuedOn: string | null;
  description: string | null;
  dispatcherUnitId: string;
  dispatcherUnitName: string;
  acceptanceChain: AcceptanceLevel[];
  noticeDays: number;
  noticeEndAction: NoticeEndAction;
  itemCount: number;
  version: number;
  createdAt: Date;
}

/** When a public notice ends with no objection upheld: remind the dispatchers daily, or sign off. */
export const NOTICE_END_ACTIONS = ['remind', 'sign_off'] as const;
export type NoticeEndAction = (typeof NOTICE_END_ACTIONS)[number];

export interface CreateBatch {
  code: string;
  name: string;
  sourceType: SourceType;
  round?: number | null;
  issuer?: string | null;
  issuedOn?: string | null;
  description?: string | null;
  dispatcherUnitId?: string;
  acceptanceChain?: { level: string; label?: string; unitId?: string | null }[];
  noticeDays?: number;
  noticeEndAction?: NoticeEndAction;
}

export const BATCH_ENTITY = 'batch';

interface BatchRow {
  id: string;
  code: string;
  name: string;
  source_type: SourceType;
  round: number | null;
  issuer: string | null;
  issued_on: string | null;
  description: string | null;
  dispatcher_unit_id: string;
  dispatcher_unit_name: string;
  dispatcher_path: string;
  acceptance_chain: AcceptanceLevel[];
  notice_days: number;
  notice_end_action: NoticeEndAction;
  item_count: number;
  version: number;
  created_at: Date;
}

const SELECT_BATCH = `
  SELECT b.*, to_char(b.issued_on, 'YYYY-MM-DD') AS issued_on, o.name AS dispatcher_unit_name, o.path AS dispatcher_path,
         (SELECT count(*)::int FROM item i WHERE i.batch_id = b.id) AS item_count
    FROM batch b JOIN org_unit o ON o.id = b.dispatcher_unit_id`;

/** Batches (督察轮次/批次): who issued them, and the acceptance chain their items go through. */
@Injectable()
export class BatchesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Batches are visible to whoever may read items; a unit sees every batch name (not its items). */
  async list(actor: Actor): Promise<BatchView[]> {
    if (listScope(actor, 'item.read').kind === 'none') return [];
    const rows = await this.dataSource.query<BatchRow[]>(`${SELECT_BATCH} ORDER BY b.issued_on DESC NULLS LAST, b.code`);
    return rows.map(toView);
  }

  async get(actor: Actor, id: string): Promise<BatchView> {
    if (listScope(actor, 'item.read').kind === 'none') throw DomainError.notFound('batch', id);
    const [row] = await this.dataSource.query<BatchRow[]>(`${SELECT_BATCH} WHERE b.id = $1`, [id]);
    if (!row) throw DomainError.notFound('batch', id);
    return toView(row);
  }

  async create(actor: Actor, input: CreateBatch): Promise<BatchView> {
    const dispatcherUnitId = input.dispatcherUnitId ?? actor.unitId;
    const at = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const [unit] = await m.query<{ path: string }[]>(`SELECT path FROM org_unit WHERE id = $1`, [dispatcherUnitId]);
      if (!unit) throw new DomainError('unprocessable', 'ORG_UNIT_NOT_FOUND', 'The dispatching unit does not exist', { dispatcherUnitId });
      // A dispatcher creates batches for its own unit or a unit below it.
      assertAllowed(actor, 'item.create', { ownerScope: scopeOfPaths([unit.path]) }, 'org_unit', dispatcherUnitId);
      const defaults = DEFAULT_ACCEPTANCE[input.sourceType];
      const chain = await this.resolveChain(m, input.acceptanceChain ?? defaults.levels, dispatcherUnitId);
      const noticeDays = input.noticeDays ?? defaults.noticeDays;
      let id: string;
      try {
        [{ id }] = await m.query<{ id: string }[]>(
          `INSERT INTO batch (code, name, source_type, round, issuer, issued_on, description, dispatcher_unit_id, acceptance_chain, notice_days,
                              created_by, created_at, updated_at, notice_end_action)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id`,
          [
            input.code.trim(),
            input.name.trim(),
            input.sourceType,
            input.round ?? null,
            input.issuer ?? null,
            input.issuedOn ?? null,
            input.description ?? null,
            dispatcherUnitId,
            JSON.stringify(chain),
            noticeDays,
            actor.userId,
            at,
            input.noticeEndAction ?? 'remind',
          ],
        );
      } catch (e) {
        if (isUniqueViolation(e)) throw DomainError.conflict('BATCH_CODE_TAKEN', 'Another batch already has this code');
        throw e;
      }
      await this.history.append(m, {
        entityType: BATCH_ENTITY,
        entityId: id,
        action: 'create',
        actorId: actor.userId,
        data: { code: input.code, name: input.name, sourceType: input.sourceType, acceptanceChain: chain, noticeDays },
        at,
      });
      const [row] = await m.query<BatchRow[]>(`${SELECT_BATCH} WHERE b.id = $1`, [id]);
      return toView(row);
    });
  }

  /**
   * Fills in units: the county level may stay empty (the item's county accepts), the city level
   * defaults to the dispatching unit or the nearest unit above it that has verifiers (a level
   * nobody can accept at would stall every item; with none anywhere, the dispatching unit); any
   * other level must name its unit, and the error lists the units with verifiers that could serve.
   */
  private async resolveChain(
    m: DataSource['manager'],
    levels: { level: string; label?: string; unitId?: string | null }[],
    dispatcherUnitId: string,
  ): Promise<AcceptanceLevel[]> {
    if (levels.length === 0)
      throw DomainError.validation('The acceptance chain needs at least one level', [
        { field: 'acceptanceChain', messages: ['must not be empty'] },
      ]);
    const [nearest] = await m.query<{ id: string }[]>(
      `SELECT a.id FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) WITH ORDINALITY AS a(id, ord)
        WHERE o.id = $1 AND EXISTS (SELECT 1 FROM app_user u WHERE u.unit_id = a.id AND u.active AND 'verifier' = ANY(u.roles))
        ORDER BY a.ord DESC LIMIT 1`,
      [dispatcherUnitId],
    );
    const chain = levels.map((l) => ({
      level: l.level,
      label: l.label ?? levelLabel({ level: l.level }),
      unitId: l.unitId ?? (l.level === 'city' ? (nearest?.id ?? dispatcherUnitId) : null),
    }));
    const missing = chain.filter((l) => l.unitId === null && l.level !== 'county');
    if (missing.length > 0) {
      const candidates = await m.query<{ id: string; name: string }[]>(
        `SELECT o.id, o.name FROM org_unit o WHERE o.active
            AND EXISTS (SELECT 1 FROM app_user u WHERE u.unit_id = o.id AND u.active AND 'verifier' = ANY(u.roles))
          ORDER BY o.path LIMIT 20`,
      );
      const names = missing.map((l) => `${l.label} (${l.level})`).join(', ');
      throw new DomainError(
        'unprocessable',
        'ACCEPTANCE_UNIT_REQUIRED',
        `The acceptance level(s) ${names} need a unit with verifiers (acceptanceChain[].unitId)` +
          (candidates.length ? `; units with verifiers: ${candidates.map((c) => c.name).join('、')}` : '; no unit has verifiers yet'),
        { levels: missing.map((l) => l.level), candidates },
      );
    }
    const ids = chain.map((l) => l.unitId).filter((x): x is string => !!x);
    if (ids.length > 0) {
      const found = await m.query<{ id: string }[]>(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[])`, [ids]);
      const unknown = ids.filter((i) => !found.some((f) => f.id === i));
      if (unknown.length > 0)
        throw new DomainError('unprocessable', 'ORG_UNIT_NOT_FOUND', 'An acceptance unit does not exist', { unitIds: unknown });
    }
    return chain;
  }
}

function toView(r: BatchRow): BatchView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    sourceType: r.source_type,
    round: r.round,
    issuer: r.issuer,
    issuedOn: r.issued_on,
    description: r.description,
    dispatcherUnitId: r.dispatcher_unit_id,
    dispatcherUnitName: r.dispatcher_unit_name,
    acceptanceChain: r.acceptance_chain,
    noticeDays: r.notice_days,
    noticeEndAction: r.notice_end_action,
    itemCount: r.item_count,
    version: r.version,
    createdAt: r.created_at,
  };
}
