import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence files of complaint cases (the same content-addressed storage as item evidence). A file
 * uploaded during the investigation is attached to the verdict reported next (verdict_seq); a
 * removed file keeps its row (removed_at/by) so the record shows what was withdrawn.
 */
export class ComplaintEvidence1766410000000 implements MigrationInterface {
  name = 'ComplaintEvidence1766410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE complaint_evidence (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id       uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        unit_id       uuid NOT NULL REFERENCES org_unit(id),
        verdict_seq   integer CHECK (verdict_seq >= 1),
        filename      text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
        content_type  text NOT NULL,
        size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
        sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key   text NOT NULL,
        uploaded_by   uuid NOT NULL REFERENCES app_user(id),
        uploaded_at   timestamptz NOT NULL DEFAULT now(),
        removed_by    uuid REFERENCES app_user(id),
        removed_at    timestamptz,
        CONSTRAINT complaint_evidence_removed_by CHECK ((removed_at IS NULL) = (removed_by IS NULL))
      )`);
    await q.query(`CREATE INDEX complaint_evidence_case_idx ON complaint_evidence (case_id, uploaded_at) WHERE removed_at IS NULL`);
    // The sweep finds phase-closed cases by their committed completion date.
    await q.query(`CREATE INDEX complaint_case_committed_idx ON complaint_case (committed_date) WHERE state = 'phase_closed'`);
    await q.query(`CREATE INDEX complaint_case_deadline_open_idx ON complaint_case (deadline) WHERE state = 'transferred'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX complaint_case_deadline_open_idx`);
    await q.query(`DROP INDEX complaint_case_committed_idx`);
    await q.query(`DROP TABLE complaint_evidence`);
  }
}
