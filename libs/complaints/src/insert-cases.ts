import type { EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import { DomainError, type Actor } from '#domain';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '#persistence';
import type { BatchSimilarity } from './batch-similarity.js';
import { COMPLAINT_ENTITY, type BatchRef, type CaseInput } from './complaint-intake.service.js';

/**
 * Writes many new cases of a batch in a few statements inside the caller's transaction: the rows,
 * their contacts, each case's first history row and their duplicate proposals, as
 * ComplaintIntakeService.insertCase writes one case.
 */
export async function insertCases(
  m: EntityManager,
  actor: Actor,
  batch: BatchRef,
  cases: (CaseInput & { id: string })[],
  pairs: BatchSimilarity['pairs'],
  at: Date,
): Promise<void> {
  if (cases.length === 0) return;
  try {
    await m.query(
      `INSERT INTO complaint_case (id, batch_id, case_no, team_no, received_on, content, county_unit_id, address, latitude, longitude,
                                   pollution_types, key_case, dispatcher_unit_id, dispatcher_scope, created_by, created_at, updated_at)
       SELECT r.id, $2, r.case_no, r.team_no, r.received_on, r.content, r.county_unit_id, r.address, r.latitude, r.longitude,
              r.pollution_types, r.key_case, $3, (SELECT path_ids(o.path) FROM org_unit o WHERE o.id = $3), $4, $5, $5
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, case_no text, team_no text, received_on date, content text, county_unit_id uuid,
              address text, latitude numeric, longitude numeric, pollution_types text[], key_case boolean)`,
      [
        JSON.stringify(
          cases.map((c) => ({
            id: c.id,
            case_no: c.caseNo,
            team_no: c.teamNo ?? null,
            received_on: c.receivedOn ?? batch.receivedOn,
            content: c.content,
            county_unit_id: c.countyUnitId,
            address: c.address ?? '',
            latitude: c.latitude ?? null,
            longitude: c.longitude ?? null,
            pollution_types: c.pollutionTypes,
            key_case: c.keyCase ?? false,
          })),
        ),
        batch.id,
        batch.dispatcherUnitId,
        actor.userId,
        at,
      ],
    );
  } catch (e) {
    if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) {
      throw new DomainError('conflict', 'CASE_NO_TAKEN', 'A case number of the file is already in this batch', {
        fields: [{ field: 'caseNo', messages: ['is already in this batch'] }],
      });
    }
    throw e;
  }
  const contacts = cases
    .filter((c) => c.contact && (c.contact.name || c.contact.phone || c.contact.note))
    .map((c) => ({ case_id: c.id, name: c.contact!.name ?? '', phone: c.contact!.phone ?? '', note: c.contact!.note ?? '' }));
  if (contacts.length > 0) {
    await m.query(
      `INSERT INTO complaint_contact (case_id, name, phone, note)
       SELECT r.case_id, r.name, r.phone, r.note FROM jsonb_to_recordset($1::jsonb) AS r(case_id uuid, name text, phone text, note text)`,
      [JSON.stringify(contacts)],
    );
  }
  const history = cases.map((c) =>
    HistoryService.chained(null, {
      entityType: COMPLAINT_ENTITY,
      entityId: c.id,
      action: 'receive',
      actorId: actor.userId,
      toState: 'received',
      data: { batchId: batch.id, caseNo: c.caseNo },
      at,
    }),
  );
  await HistoryService.insertMany(m, history);
  if (pairs.length > 0) {
    await m.query(
      `INSERT INTO complaint_duplicate (case_id, other_id, similarity)
       SELECT r.case_id, r.other_id, r.similarity FROM jsonb_to_recordset($1::jsonb) AS r(case_id uuid, other_id uuid, similarity real)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(pairs.map((p) => ({ case_id: p.caseId, other_id: p.otherId, similarity: p.similarity })))],
    );
  }
}
