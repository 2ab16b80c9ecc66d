import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import type { Actor, Domain, ItemType } from '#domain';
import { ITEM_ENTITY } from '#items';

/** A new draft item as an import or a decomposition makes it. */
export interface NewItem {
  code: string;
  title: string;
  feedbackText: string;
  domain: Domain;
  countyUnitId: string | null;
  goal: string;
  measures: string;
  type: ItemType;
  responsibleLeader: string | null;
  responsiblePerson: string | null;
  responsiblePhone: string | null;
  stageNodes: { name: string; due: string }[];
  deadline: string | null;
  leadUnitIds: string[];
  cooperatingParts: { unitId: string; part: string | null }[];
  /** Where it came from, recorded in its creation's history row. */
  provenance: Record<string, unknown>;
  sourceDocumentId?: string;
  sourceTask?: Record<string, unknown>;
}

/** Rows per INSERT statement: a few MB of JSON parameter each. */
const ROWS_PER_STATEMENT = 5000;

/**
 * Writes many draft items in a few statements inside the caller's transaction: rows, first
 * deadline versions, units, scopes, and each item's creation as the first row of its history
 * chain (as ItemsService.create writes one item). Returns the new ids in order.
 */
export async function insertItems(
  m: EntityManager,
  actor: Actor,
  target: { batchId: string; dispatcherUnitId: string; at: Date },
  rows: NewItem[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const { batchId, at } = target;
  const ids = rows.map(() => randomUUID());
  // In id order, each index page of the new rows' ids (item, units, history) is visited once rather than at random.
  const items = rows.map((r, i) => ({ ...r, id: ids[i] })).sort((a, b) => (a.id < b.id ? -1 : 1));
  // The history rows' hashes (a quarter of a second of this process's time for 10,000 rows) are
  // computed in slices while PostgreSQL runs the inserts, instead of before or after them.
  // Both settle before either failure is passed on: the caller's rollback must not overtake a statement still to be sent.
  const [chained, written] = await Promise.allSettled([chainCreations(actor, batchId, at, items), writeRows(m, actor, target, items, ids)]);
  if (written.status === 'rejected') throw written.reason;
  if (chained.status === 'rejected') throw chained.reason;
  const history = chained.value;
  for (let i = 0; i < history.length; i += ROWS_PER_STATEMENT) {
    await HistoryService.insertMany(m, history.slice(i, i + ROWS_PER_STATEMENT));
  }
  return ids;
}

/** The items' rows, first deadline versions and units, and what their skipped insert triggers would have done. */
async function writeRows(
  m: EntityManager,
  actor: Actor,
  target: { batchId: string; dispatcherUnitId: string; at: Date },
  items: (NewItem & { id: string })[],
  ids: string[],
): Promise<void> {
  // The item insert triggers stand aside for this set (migration 1766300000000) and their work is
  // done once below; the rows carry their scope sets. A failure rolls the setting back with the transaction.
  // The GIN entries (text search, scope sets) go to the indexes' pending lists for this set, to be
  // merged in one pass after the commit (mergePendingIndexEntries) instead of row by row here; the
  // set's reader rows and roll-up cells are sorted in memory.
  await m.query(
    `SELECT set_config('rectify.bulk_items', 'on', true), set_config('gin_pending_list_limit', '1GB', true), set_config('work_mem', '64MB', true)`,
  );
  const scopes = await scopeSets(m, target, items);
  // Each chunk's parameters (JSON of some MB) are built while PostgreSQL runs the previous chunk's statements.
  let running: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) {
      const statements = chunkStatements(actor, target, items.slice(i, i + ROWS_PER_STATEMENT), scopes);
      await running;
      running = runInOrder(m, statements);
      // Handled here as well: a failure that arrives before the next `await running` must not count as unhandled.
      running.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    // Whatever failed, no statement of this set is sent after this function has ended (and the caller rolled back).
    await running.catch(() => undefined);
  }
  await running;
  await m.query(`SELECT items_created_in_bulk($1::uuid[])`, [ids]);
  await m.query(`SELECT set_config('rectify.bulk_items', 'off', true)`);
}

/** Rows hashed per turn of the event loop, so that the statements' answers are taken up meanwhile. */
const ROWS_PER_SLICE = 500;

/** Each item's creation, the first row of its history chain, in slices. */
async function chainCreations(
  actor: Actor,
  batchId: string,
  at: Date,
  items: (NewItem & { id: string })[],
): Promise<ReturnType<typeof HistoryService.chained>[]> {
  const rows: ReturnType<typeof HistoryService.chained>[] = [];
  for (let i = 0; i < items.length; i += ROWS_PER_SLICE) {
    await new Promise((resolve) => setImmediate(resolve));
    for (const r of items.slice(i, i + ROWS_PER_SLICE)) {
      rows.push(
        HistoryService.chained(null, {
          entityType: ITEM_ENTITY,
          entityId: r.id,
          action: 'create',
          actorId: actor.userId,
          toState: 'draft',
          at,
          data: {
            code: r.code,
            title: r.title,
            batchId,
            deadline: r.deadline,
            deadlineRule: null,
            leadUnitIds: r.leadUnitIds,
            ...r.provenance,
          },
        }),
      );
    }
  }
  return rows;
}

/**
 * Merges the GIN pending lists of the item tables after a bulk insert committed, in the background:
 * until then searches also read the pending entries (found all the same), and the next single
 * insert does not pay for the whole set. A failure (another session merging) is of no consequence.
 */
export function mergePendingIndexEntries(ds: DataSource): void {
  void ds
    .query(
      `SELECT gin_clean_pending_list(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_am a ON a.oid = c.relam
        WHERE a.amname = 'gin' AND x.indrelid IN ('item'::regclass, 'item_timeline'::regclass)`,
    )
    .catch(() => undefined);
}

interface Statement {
  sql: string;
  params: unknown[];
}

async function runInOrder(m: EntityManager, statements: Statement[]): Promise<void> {
  for (const { sql, params } of statements) await m.query(sql, params);
}

/** The scope sets of the items' unit combinations, and which combination each item has. */
interface ScopeSets {
  keyOf: Map<string, number>;
  /** JSON: [{key, owner_scope, lead_scope, dispatcher_scope, acceptance_scope}]. */
  sets: string;
}

/**
 * Items of a ledger share a few unit combinations (some hundreds in 10,000 rows): their scope sets
 * are computed once per combination for the whole set, and every chunk's rows take them by key.
 */
async function scopeSets(
  m: EntityManager,
  target: { batchId: string; dispatcherUnitId: string },
  items: (NewItem & { id: string })[],
): Promise<ScopeSets> {
  const keys = new Map<string, number>();
  const keyOf = new Map<string, number>();
  const combinations: { key: number; county_unit_id: string | null; unit_ids: string[]; lead_ids: string[] }[] = [];
  for (const r of items) {
    const unitIds = [...r.leadUnitIds, ...r.cooperatingParts.map((c) => c.unitId)];
    const text = JSON.stringify([r.countyUnitId, unitIds, r.leadUnitIds]);
    let key = keys.get(text);
    if (key === undefined) {
      key = combinations.length;
      keys.set(text, key);
      combinations.push({ key, county_unit_id: r.countyUnitId, unit_ids: unitIds, lead_ids: r.leadUnitIds });
    }
    keyOf.set(r.id, key);
  }
  const [{ sets }] = await m.query<{ sets: unknown[] }[]>(
    `SELECT coalesce(jsonb_agg(jsonb_build_object('key', c.key, 'owner_scope', x.owner_scope, 'lead_scope', x.lead_scope,
                                                  'dispatcher_scope', x.dispatcher_scope, 'acceptance_scope', x.acceptance_scope)), '[]') AS sets
       FROM jsonb_to_recordset($1::jsonb) AS c(key int, county_unit_id uuid, unit_ids uuid[], lead_ids uuid[])
      CROSS JOIN (SELECT acceptance_chain FROM batch WHERE id = $2) b
      CROSS JOIN LATERAL item_scope_sets($3, c.unit_ids, c.lead_ids, item_acceptance_units_of(b.acceptance_chain, c.county_unit_id, c.lead_ids)) x`,
    [JSON.stringify(combinations), target.batchId, target.dispatcherUnitId],
  );
  return { keyOf, sets: JSON.stringify(sets) };
}

/** The statements that write a chunk of items: rows (with their scope sets), first deadline versions, units. */
function chunkStatements(
  actor: Actor,
  target: { batchId: string; dispatcherUnitId: string; at: Date },
  items: (NewItem & { id: string })[],
  scopes: ScopeSets,
): Statement[] {
  const { batchId, dispatcherUnitId, at } = target;
  const rows: Statement = {
    sql: `INSERT INTO item (id, batch_id, code, title, feedback_text, domain, county_unit_id, goal, measures, type, responsible_leader,
                       responsible_person, responsible_phone, stage_nodes, dispatcher_unit_id, original_deadline, current_deadline,
                       deadline_version, created_by, created_at, updated_at, source_document_id, source_task,
                       owner_scope, lead_scope, dispatcher_scope, acceptance_scope)
     SELECT r.id, $2, r.code, r.title, r.feedback_text, r.domain, r.county_unit_id, r.goal, r.measures, r.type, r.responsible_leader,
            r.responsible_person, r.responsible_phone, r.stage_nodes, $3, r.deadline, r.deadline,
            CASE WHEN r.deadline IS NULL THEN 0 ELSE 1 END, $4, $5, $5, r.source_document_id, r.source_task,
            s.owner_scope, s.lead_scope, s.dispatcher_scope, s.acceptance_scope
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, code text, title text, feedback_text text, domain text, county_unit_id uuid,
            goal text, measures text, type text, responsible_leader text, responsible_person text, responsible_phone text,
            stage_nodes jsonb, deadline date, source_document_id uuid, source_task jsonb, scope int)
       JOIN jsonb_to_recordset($6::jsonb) AS s(key int, owner_scope uuid[], lead_scope uuid[], dispatcher_scope uuid[], acceptance_scope uuid[])
         ON s.key = r.scope`,
    params: [
      JSON.stringify(
        items.map((r) => ({
          id: r.id,
          code: r.code.trim(),
          title: r.title.trim(),
          feedback_text: r.feedbackText,
          domain: r.domain,
          county_unit_id: r.countyUnitId,
          goal: r.goal,
          measures: r.measures,
          type: r.type,
          responsible_leader: r.responsibleLeader,
          responsible_person: r.responsiblePerson,
          responsible_phone: r.responsiblePhone,
          stage_nodes: r.stageNodes,
          deadline: r.deadline,
          source_document_id: r.sourceDocumentId ?? null,
          source_task: r.sourceTask ?? null,
          scope: scopes.keyOf.get(r.id),
        })),
      ),
      batchId,
      dispatcherUnitId,
      actor.userId,
      at,
      scopes.sets,
    ],
  };
  const deadlines: Statement = {
    sql: `INSERT INTO item_deadline (item_id, version, deadline, kind, decided_by, created_at)
     SELECT r.id, 1, r.deadline, 'initial', $2, $3 FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, deadline date) WHERE r.deadline IS NOT NULL`,
    params: [JSON.stringify(items.map((r) => ({ id: r.id, deadline: r.deadline }))), actor.userId, at],
  };
  // A unit named twice for an item counts once, in its first role (a plain INSERT, no ON CONFLICT per row).
  const units = items.flatMap((r) => {
    const named = [
      ...r.leadUnitIds.map((u) => ({ item_id: r.id, unit_id: u, role: 'lead', part: null as string | null })),
      ...r.cooperatingParts.map((c) => ({ item_id: r.id, unit_id: c.unitId, role: 'cooperating', part: c.part })),
    ];
    return named.filter((u, i) => named.findIndex((v) => v.unit_id === u.unit_id) === i);
  });
  const unitRows: Statement = {
    sql: `INSERT INTO item_unit (item_id, unit_id, role, part, updated_at)
     SELECT r.item_id, r.unit_id, r.role, r.part, $2 FROM jsonb_to_recordset($1::jsonb) AS r(item_id uuid, unit_id uuid, role text, part text)`,
    params: [JSON.stringify(units), at],
  };
  return [rows, deadlines, unitRows];
}
