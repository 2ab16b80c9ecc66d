import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batches, rectification items and everything hanging off them: units (lead and cooperating
 * parts), deadline versions, extension requests, acceptance records, progress, comments,
 * spot checks, evidence, and the notification outbox.
 *
 * Each item carries scope sets (ids of its units and all their ancestors) so that "what may
 * this unit see" is one GIN-indexed array containment, kept in step by item_refresh_scope()
 * whenever an item's units change or a unit moves in the tree.
 */
export class RectificationItems1764100000000 implements MigrationInterface {
  name = 'RectificationItems1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE batch (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code               text NOT NULL,
        name               text NOT NULL,
        source_type        text NOT NULL CHECK (source_type IN ('central_inspection','central_lookback','provincial_inspection',
                             'special_inspection','warning_film','regional_survey','monitoring_assistance','self_found','complaint')),
        round              integer,
        issuer             text,
        issued_on          date,
        description        text,
        dispatcher_unit_id uuid NOT NULL REFERENCES org_unit(id),
        acceptance_chain   jsonb NOT NULL CHECK (jsonb_typeof(acceptance_chain) = 'array' AND jsonb_array_length(acceptance_chain) >= 1),
        notice_days        integer NOT NULL DEFAULT 0 CHECK (notice_days BETWEEN 0 AND 60),
        created_by         uuid REFERENCES app_user(id),
        version            integer NOT NULL DEFAULT 1,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT batch_code_uq UNIQUE (code)
      )`);

    await q.query(`
      CREATE TABLE item (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id              uuid NOT NULL REFERENCES batch(id),
        code                  text NOT NULL,
        title                 text NOT NULL,
        feedback_text         text NOT NULL DEFAULT '',
        domain                text NOT NULL CHECK (domain IN ('air','water','soil','solid_waste','ecology','noise','radiation','other')),
        county_unit_id        uuid REFERENCES org_unit(id),
        goal                  text NOT NULL DEFAULT '',
        measures              text NOT NULL DEFAULT '',
        type                  text NOT NULL CHECK (type IN ('immediate','deadline','ongoing')),
        responsible_leader    text,
        responsible_person    text,
        responsible_phone     text,
        stage_nodes           jsonb NOT NULL DEFAULT '[]'::jsonb,
        state                 text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','assigned','in_progress','in_acceptance',
                                'public_notice','phase_completed','signed_off','cancelled','merged')),
        version               integer NOT NULL DEFAULT 1,
        dispatcher_unit_id    uuid NOT NULL REFERENCES org_unit(id),
        original_deadline     date,
        current_deadline      date,
        deadline_version      integer NOT NULL DEFAULT 0,
        pending_extension_id  uuid,
        submission_round      integer NOT NULL DEFAULT 0,
        acceptance_level      integer,
        notice_start          date,
        notice_end            date,
        first_signed_off_at   timestamptz,
        last_signed_off_at    timestamptz,
        completed_at          timestamptz,
        reopen_count          integer NOT NULL DEFAULT 0,
        merged_into_id        uuid REFERENCES item(id),
        owner_scope           uuid[] NOT NULL DEFAULT '{}',
        lead_scope            uuid[] NOT NULL DEFAULT '{}',
        dispatcher_scope      uuid[] NOT NULL DEFAULT '{}',
        acceptance_scope      uuid[] NOT NULL DEFAULT '{}',
        created_by            uuid REFERENCES app_user(id),
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT item_code_in_batch_uq UNIQUE (batch_id, code),
        CONSTRAINT item_acceptance_level_only_in_acceptance CHECK ((state = 'in_acceptance') = (acceptance_level IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX item_batch_state_idx ON item (batch_id, state)`);
    await q.query(`CREATE INDEX item_state_deadline_idx ON item (state, current_deadline)`);
    await q.query(`CREATE INDEX item_deadline_idx ON item (current_deadline, id)`);
    await q.query(`CREATE INDEX item_created_idx ON item (created_at, id)`);
    await q.query(`CREATE INDEX item_county_idx ON item (county_unit_id)`);
    await q.query(`CREATE INDEX item_domain_idx ON item (domain)`);
    await q.query(`CREATE INDEX item_owner_scope_idx ON item USING gin (owner_scope)`);
    await q.query(`CREATE INDEX item_lead_scope_idx ON item USING gin (lead_scope)`);
    await q.query(`CREATE INDEX item_dispatcher_scope_idx ON item USING gin (dispatcher_scope)`);
    await q.query(`CREATE INDEX item_acceptance_scope_idx ON item USING gin (acceptance_scope)`);
    // Text search over code, title and the original feedback text (ILIKE '%…%').
    await q.query(`CREATE INDEX item_text_trgm_idx ON item USING gin ((code || ' ' || title || ' ' || feedback_text) gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE item_unit (
        item_id       uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        unit_id       uuid NOT NULL REFERENCES org_unit(id),
        role          text NOT NULL CHECK (role IN ('lead','cooperating')),
        part          text,
        sub_deadline  date,
        status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','in_progress','done')),
        progress      text,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, unit_id)
      )`);
    await q.query(`CREATE INDEX item_unit_unit_idx ON item_unit (unit_id, role)`);

    await q.query(`
      CREATE TABLE item_deadline (
        item_id     uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        version     integer NOT NULL CHECK (version >= 1),
        deadline    date NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('initial','edit','extension')),
        reason      text,
        decided_by  uuid REFERENCES app_user(id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, version)
      )`);

    await q.query(`
      CREATE TABLE item_extension (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id            uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        requested_by       uuid NOT NULL REFERENCES app_user(id),
        requested_at       timestamptz NOT NULL DEFAULT now(),
        from_deadline      date NOT NULL,
        proposed_deadline  date NOT NULL CHECK (proposed_deadline > from_deadline),
        reason             text NOT NULL,
        status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
        decided_by         uuid REFERENCES app_user(id),
        decided_at         timestamptz,
        decision_reason    text
      )`);
    await q.query(`CREATE UNIQUE INDEX item_extension_one_pending_uq ON item_extension (item_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX item_extension_item_idx ON item_extension (item_id, requested_at)`);
    await q.query(
      `ALTER TABLE item ADD CONSTRAINT item_pending_extension_fk FOREIGN KEY (pending_extension_id) REFERENCES item_extension(id)`,
    );

    await q.query(`
      CREATE TABLE item_acceptance (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id           uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        submission_round  integer NOT NULL,
        level_index       integer NOT NULL,
        level             text NOT NULL,
        unit_id           uuid NOT NULL REFERENCES org_unit(id),
        result            text NOT NULL CHECK (result IN ('pass','return')),
        opinion           text,
        signed_by         uuid NOT NULL REFERENCES app_user(id),
        signed_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX item_acceptance_item_idx ON item_acceptance (item_id, id)`);

    await q.query(`
      CREATE TABLE item_progress (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id      uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        unit_id      uuid NOT NULL REFERENCES org_unit(id),
        author_id    uuid NOT NULL REFERENCES app_user(id),
        reported_on  date NOT NULL,
        text         text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX item_progress_item_idx ON item_progress (item_id, reported_on)`);

    await q.query(`
      CREATE TABLE item_comment (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id     uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        author_id   uuid NOT NULL REFERENCES app_user(id),
        text        text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX item_comment_item_idx ON item_comment (item_id, created_at)`);

    await q.query(`
      CREATE TABLE item_spot_check (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id     uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        auditor_id  uuid NOT NULL REFERENCES app_user(id),
        result      text NOT NULL CHECK (result IN ('holds','rebound')),
        note        text NOT NULL,
        checked_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE evidence (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id           uuid NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        unit_id           uuid NOT NULL REFERENCES org_unit(id),
        part_unit_id      uuid REFERENCES org_unit(id),
        acceptance_level  integer,
        progress_id       uuid REFERENCES item_progress(id),
        filename          text NOT NULL,
        content_type      text NOT NULL,
        size_bytes        bigint NOT NULL CHECK (size_bytes > 0),
        sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key       text NOT NULL,
        uploaded_by       uuid NOT NULL REFERENCES app_user(id),
        uploaded_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX evidence_item_idx ON evidence (item_id, uploaded_at)`);

    // Notifications to send, written in the same transaction as the change that causes them.
    await q.query(`
      CREATE TABLE outbox (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind         text NOT NULL,
        dedupe_key   text NOT NULL,
        payload      jsonb NOT NULL,
        status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','enqueued','sent','failed')),
        attempts     integer NOT NULL DEFAULT 0,
        last_error   text,
        available_at timestamptz NOT NULL DEFAULT now(),
        created_at   timestamptz NOT NULL DEFAULT now(),
        sent_at      timestamptz,
        CONSTRAINT outbox_dedupe_uq UNIQUE (dedupe_key)
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (available_at) WHERE status = 'pending'`);

    // Scope sets: the ids in a materialised path, and an item's acceptance bodies level by level.
    await q.query(`
      CREATE FUNCTION path_ids(p text) RETURNS uuid[] LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT coalesce(array_agg(x::uuid), '{}') FROM unnest(string_to_array(trim(both '/' from p), '/')) AS x
      $$`);
    // A level without a unit is the item's county (县级自查), or its first lead unit when it has none.
    await q.query(`
      CREATE FUNCTION item_acceptance_units(p_item uuid) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(coalesce((c.lvl->>'unitId')::uuid, i.county_unit_id,
                 (SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead' ORDER BY iu.unit_id LIMIT 1))
               ORDER BY c.ord), '{}')
          FROM item i JOIN batch b ON b.id = i.batch_id
          CROSS JOIN LATERAL jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS c(lvl, ord)
         WHERE i.id = p_item
      $$`);
    await q.query(`
      CREATE FUNCTION item_refresh_scope(p_item uuid) RETURNS void LANGUAGE sql AS $$
        UPDATE item i SET
          owner_scope = coalesce((SELECT array_agg(DISTINCT a) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                                   CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE iu.item_id = i.id), '{}'),
          lead_scope = coalesce((SELECT array_agg(DISTINCT a) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
                                   CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}'),
          dispatcher_scope = coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = i.dispatcher_unit_id), '{}'),
          acceptance_scope = coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o
                                   CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (item_acceptance_units(i.id))), '{}')
        WHERE i.id = p_item
      $$`);
    // When a unit moves, every item that involves it gets its scope sets recomputed.
    await q.query(`
      CREATE FUNCTION org_unit_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM item_refresh_scope(i.id) FROM item i
          WHERE i.owner_scope @> ARRAY[NEW.id] OR i.dispatcher_scope @> ARRAY[NEW.id] OR i.acceptance_scope @> ARRAY[NEW.id]
             OR i.county_unit_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER org_unit_moved AFTER UPDATE OF path ON org_unit
      FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION org_unit_moved()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER org_unit_moved ON org_unit`);
    await q.query(`DROP FUNCTION org_unit_moved()`);
    await q.query(`DROP FUNCTION item_refresh_scope(uuid)`);
    await q.query(`DROP FUNCTION item_acceptance_units(uuid)`);
    await q.query(`DROP FUNCTION path_ids(text)`);
    await q.query(`DROP TABLE outbox, evidence, item_spot_check, item_comment, item_progress, item_acceptance`);
    await q.query(`ALTER TABLE item DROP CONSTRAINT item_pending_extension_fk`);
    await q.query(`DROP TABLE item_extension, item_deadline, item_unit, item, batch`);
  }
}
