import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaint cases (信访举报件) forwarded during an inspection in daily batches: the case with its
 * units, deadline versions and extension requests, verdicts with handling results (one row per
 * report, so a return keeps the earlier one), follow-up visits, duplicate proposals and links,
 * and the rectification items a case spawned. The complainant's contact lives in its own table,
 * read only by the dispatcher's queries. State changes are in `history` (entity 'complaint').
 */
export class ComplaintCases1766200000000 implements MigrationInterface {
  name = 'ComplaintCases1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE complaint_batch (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round               text NOT NULL CHECK (length(round) BETWEEN 1 AND 200),
        batch_no            integer NOT NULL CHECK (batch_no BETWEEN 1 AND 10000),
        received_on         date NOT NULL,
        issuer              text NOT NULL DEFAULT '',
        deadline_days       integer NOT NULL CHECK (deadline_days BETWEEN 1 AND 365),
        deadline_kind       text NOT NULL CHECK (deadline_kind IN ('calendar', 'working')),
        dispatcher_unit_id  uuid NOT NULL REFERENCES org_unit(id),
        created_by          uuid REFERENCES app_user(id),
        created_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT complaint_batch_no_uq UNIQUE (round, batch_no)
      )`);

    await q.query(`
      CREATE TABLE complaint_case (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id            uuid NOT NULL REFERENCES complaint_batch(id),
        case_no             text NOT NULL CHECK (length(case_no) BETWEEN 1 AND 60),
        team_no             text CHECK (length(team_no) <= 60),
        received_on         date NOT NULL,
        content             text NOT NULL CHECK (length(content) BETWEEN 1 AND 10000),
        county_unit_id      uuid NOT NULL REFERENCES org_unit(id),
        address             text NOT NULL DEFAULT '',
        latitude            numeric(9,6) CHECK (latitude BETWEEN -90 AND 90),
        longitude           numeric(9,6) CHECK (longitude BETWEEN -180 AND 180),
        pollution_types     text[] NOT NULL DEFAULT '{}'
          CHECK (pollution_types <@ ARRAY['water','air','ecology','noise','soil','solid_waste','radiation','other']),
        key_case            boolean NOT NULL DEFAULT false,
        state               text NOT NULL DEFAULT 'received'
          CHECK (state IN ('received','transferred','investigated','closed','phase_closed','archived','merged')),
        version             integer NOT NULL DEFAULT 1,
        dispatcher_unit_id  uuid NOT NULL REFERENCES org_unit(id),
        lead_unit_id        uuid REFERENCES org_unit(id),
        original_deadline   date,
        deadline            date,
        deadline_version    integer NOT NULL DEFAULT 0,
        duplicate_of_id     uuid REFERENCES complaint_case(id),
        committed_date      date,
        await_items         boolean NOT NULL DEFAULT false,
        transferred_at      timestamptz,
        investigated_at     timestamptz,
        phase_closed_at     timestamptz,
        closed_at           timestamptz,
        merged_at           timestamptz,
        published_at        timestamptz,
        followed_up_at      timestamptz,
        archived_at         timestamptz,
        owner_scope         uuid[] NOT NULL DEFAULT '{}',
        dispatcher_scope    uuid[] NOT NULL DEFAULT '{}',
        created_by          uuid REFERENCES app_user(id),
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT complaint_case_no_uq UNIQUE (batch_id, case_no),
        CONSTRAINT complaint_case_deadline_after_receipt CHECK (original_deadline IS NULL OR original_deadline >= received_on),
        CONSTRAINT complaint_case_merged_has_target CHECK ((state = 'merged') = (duplicate_of_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX complaint_case_owner_scope_idx ON complaint_case USING gin (owner_scope)`);
    await q.query(`CREATE INDEX complaint_case_dispatcher_scope_idx ON complaint_case USING gin (dispatcher_scope)`);
    await q.query(`CREATE INDEX complaint_case_list_idx ON complaint_case (received_on DESC, case_no DESC)`);
    await q.query(`CREATE INDEX complaint_case_batch_idx ON complaint_case (batch_id, case_no)`);
    // Duplicate detection: same county within a window, then trigram similarity of the content.
    await q.query(`CREATE INDEX complaint_case_county_received_idx ON complaint_case (county_unit_id, received_on)`);
    await q.query(`CREATE INDEX complaint_case_content_trgm_idx ON complaint_case USING gin (content gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE complaint_contact (
        case_id  uuid PRIMARY KEY REFERENCES complaint_case(id) ON DELETE CASCADE,
        name     text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
        phone    text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
        note     text NOT NULL DEFAULT '' CHECK (length(note) <= 500)
      )`);

    await q.query(`
      CREATE TABLE complaint_unit (
        case_id  uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        unit_id  uuid NOT NULL REFERENCES org_unit(id),
        role     text NOT NULL CHECK (role IN ('lead', 'cooperating')),
        PRIMARY KEY (case_id, unit_id)
      )`);
    await q.query(`CREATE INDEX complaint_unit_unit_idx ON complaint_unit (unit_id)`);

    await q.query(`
      CREATE TABLE complaint_deadline (
        case_id     uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        version     integer NOT NULL CHECK (version >= 1),
        deadline    date NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('initial', 'extension', 'reassign')),
        rule        text NOT NULL DEFAULT '',
        reason      text,
        decided_by  uuid REFERENCES app_user(id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, version)
      )`);

    await q.query(`
      CREATE TABLE complaint_extension (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id             uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        requested_deadline  date NOT NULL,
        reason              text NOT NULL,
        status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        requested_by        uuid NOT NULL REFERENCES app_user(id),
        requested_at        timestamptz NOT NULL DEFAULT now(),
        decided_by          uuid REFERENCES app_user(id),
        decided_at          timestamptz,
        decision_reason     text
      )`);
    await q.query(`CREATE UNIQUE INDEX complaint_extension_one_pending ON complaint_extension (case_id) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE complaint_verdict (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id           uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        seq               integer NOT NULL CHECK (seq >= 1),
        verdict           text NOT NULL CHECK (verdict IN ('substantiated', 'mostly', 'partly', 'unfounded')),
        findings          text NOT NULL DEFAULT '',
        handling_summary  text NOT NULL CHECK (length(handling_summary) BETWEEN 1 AND 10000),
        orders_issued     integer NOT NULL DEFAULT 0 CHECK (orders_issued >= 0),
        fines_wan         numeric(14,4) NOT NULL DEFAULT 0 CHECK (fines_wan >= 0),
        cases_filed       integer NOT NULL DEFAULT 0 CHECK (cases_filed >= 0),
        detained          integer NOT NULL DEFAULT 0 CHECK (detained >= 0),
        accountable       integer NOT NULL DEFAULT 0 CHECK (accountable >= 0),
        summoned          integer NOT NULL DEFAULT 0 CHECK (summoned >= 0),
        reported_by       uuid REFERENCES app_user(id),
        reported_at       timestamptz NOT NULL DEFAULT now(),
        review            text CHECK (review IN ('accepted', 'returned')),
        review_reason     text,
        reviewed_by       uuid REFERENCES app_user(id),
        reviewed_at       timestamptz,
        CONSTRAINT complaint_verdict_seq_uq UNIQUE (case_id, seq)
      )`);

    await q.query(`
      CREATE TABLE complaint_follow_up (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id       uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        visited_on    date NOT NULL,
        reached       boolean NOT NULL,
        satisfaction  text CHECK (satisfaction IN ('satisfied', 'basically', 'dissatisfied')),
        note          text NOT NULL DEFAULT '',
        visited_by    uuid REFERENCES app_user(id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT complaint_follow_up_reached_has_satisfaction CHECK (reached = (satisfaction IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX complaint_follow_up_case_idx ON complaint_follow_up (case_id, visited_on)`);

    // A proposal pairs a newer case with an earlier one; the dispatcher confirms (merge) or rejects it.
    await q.query(`
      CREATE TABLE complaint_duplicate (
        case_id      uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        other_id     uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        similarity   real NOT NULL CHECK (similarity BETWEEN 0 AND 1),
        status       text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'rejected')),
        decided_by   uuid REFERENCES app_user(id),
        decided_at   timestamptz,
        PRIMARY KEY (case_id, other_id),
        CONSTRAINT complaint_duplicate_not_self CHECK (case_id <> other_id)
      )`);
    await q.query(`CREATE INDEX complaint_duplicate_other_idx ON complaint_duplicate (other_id)`);

    await q.query(`
      CREATE TABLE complaint_item (
        case_id  uuid NOT NULL REFERENCES complaint_case(id) ON DELETE CASCADE,
        item_id  uuid NOT NULL REFERENCES item(id),
        awaited  boolean NOT NULL DEFAULT false,
        PRIMARY KEY (case_id, item_id)
      )`);
    await q.query(`CREATE INDEX complaint_item_item_idx ON complaint_item (item_id)`);

    await q.query(`
      CREATE FUNCTION complaint_refresh_scope(p_case uuid) RETURNS void LANGUAGE sql AS $$
        UPDATE complaint_case c SET
          owner_scope = coalesce((SELECT array_agg(DISTINCT a) FROM complaint_unit cu JOIN org_unit o ON o.id = cu.unit_id
                                   CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE cu.case_id = c.id), '{}'),
          dispatcher_scope = coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = c.dispatcher_unit_id), '{}')
        WHERE c.id = p_case
      $$`);
    await q.query(`
      CREATE FUNCTION org_unit_moved_complaints() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM complaint_refresh_scope(c.id) FROM complaint_case c
          WHERE c.owner_scope @> ARRAY[NEW.id] OR c.dispatcher_scope @> ARRAY[NEW.id];
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER org_unit_moved_complaints AFTER UPDATE OF path ON org_unit
      FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION org_unit_moved_complaints()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER org_unit_moved_complaints ON org_unit`);
    await q.query(`DROP FUNCTION org_unit_moved_complaints()`);
    await q.query(`DROP FUNCTION complaint_refresh_scope(uuid)`);
    await q.query(
      `DROP TABLE complaint_item, complaint_duplicate, complaint_follow_up, complaint_verdict, complaint_extension,
                  complaint_deadline, complaint_unit, complaint_contact, complaint_case, complaint_batch`,
    );
  }
}
