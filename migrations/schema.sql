CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

COMMENT ON EXTENSION "uuid-ossp" IS 'generate universally unique identifiers (UUIDs)';

CREATE FUNCTION public.complaint_reader_rebuild() RETURNS bigint
    LANGUAGE plpgsql
    AS $$
      DECLARE n bigint;
      BEGIN
        TRUNCATE complaint_reader;
        INSERT INTO complaint_reader SELECT r.* FROM complaint_case c CROSS JOIN LATERAL complaint_reader_rows(c) r;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$;

CREATE FUNCTION public.text_bigrams_per_position(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(DISTINCT lower(substr(t, g, 2))), '{}') FROM generate_series(1, greatest(length(t) - 1, 0)) g $$;

CREATE FUNCTION public.text_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN (COALESCE(length(t), 0) < 2) THEN '{}'::text[] WHEN ((strpos(t, chr(1)) > 0) OR (length(lower(t)) <> length(t))) THEN public.text_bigrams_per_position(t) ELSE (trim_array(string_to_array(regexp_replace(lower(t), '..'::text, ('\&'::text || chr(1)), 'g'::text), chr(1)), 1) || trim_array(string_to_array(regexp_replace(substr(lower(t), 2), '..'::text, ('\&'::text || chr(1)), 'g'::text), chr(1)), 1)) END;

CREATE TABLE public.complaint_case (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    batch_id uuid NOT NULL,
    case_no text NOT NULL,
    team_no text,
    received_on date NOT NULL,
    content text NOT NULL,
    county_unit_id uuid NOT NULL,
    address text DEFAULT ''::text NOT NULL,
    latitude numeric(9,6),
    longitude numeric(9,6),
    pollution_types text[] DEFAULT '{}'::text[] NOT NULL,
    key_case boolean DEFAULT false NOT NULL,
    state text DEFAULT 'received'::text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    dispatcher_unit_id uuid NOT NULL,
    lead_unit_id uuid,
    original_deadline date,
    deadline date,
    deadline_version integer DEFAULT 0 NOT NULL,
    duplicate_of_id uuid,
    committed_date date,
    await_items boolean DEFAULT false NOT NULL,
    transferred_at timestamp with time zone,
    investigated_at timestamp with time zone,
    phase_closed_at timestamp with time zone,
    closed_at timestamp with time zone,
    merged_at timestamp with time zone,
    published_at timestamp with time zone,
    followed_up_at timestamp with time zone,
    archived_at timestamp with time zone,
    owner_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    dispatcher_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    text_pairs text[] GENERATED ALWAYS AS (public.text_bigrams(((((case_no || '
'::text) || content) || '
'::text) || address))) STORED,
    CONSTRAINT complaint_case_case_no_check CHECK (((length(case_no) >= 1) AND (length(case_no) <= 60))),
    CONSTRAINT complaint_case_content_check CHECK (((length(content) >= 1) AND (length(content) <= 10000))),
    CONSTRAINT complaint_case_deadline_after_receipt CHECK (((original_deadline IS NULL) OR (original_deadline >= received_on))),
    CONSTRAINT complaint_case_latitude_check CHECK (((latitude >= ('-90'::integer)::numeric) AND (latitude <= (90)::numeric))),
    CONSTRAINT complaint_case_longitude_check CHECK (((longitude >= ('-180'::integer)::numeric) AND (longitude <= (180)::numeric))),
    CONSTRAINT complaint_case_merged_has_target CHECK (((state = 'merged'::text) = (duplicate_of_id IS NOT NULL))),
    CONSTRAINT complaint_case_pollution_types_check CHECK ((pollution_types <@ ARRAY['water'::text, 'air'::text, 'ecology'::text, 'noise'::text, 'soil'::text, 'solid_waste'::text, 'radiation'::text, 'other'::text])),
    CONSTRAINT complaint_case_state_check CHECK ((state = ANY (ARRAY['received'::text, 'transferred'::text, 'investigated'::text, 'closed'::text, 'phase_closed'::text, 'archived'::text, 'merged'::text]))),
    CONSTRAINT complaint_case_team_no_check CHECK ((length(team_no) <= 60))
);

CREATE TABLE public.complaint_reader (
    case_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    via smallint NOT NULL,
    received_on date NOT NULL,
    case_no text NOT NULL,
    state text NOT NULL,
    county_unit_id uuid NOT NULL,
    lead_unit_id uuid,
    pollution_types text[] NOT NULL,
    key_case boolean NOT NULL,
    verdict text,
    CONSTRAINT complaint_reader_via_check CHECK ((((via >= 1) AND (via <= 3)) OR ((via = 4) AND (unit_id = '00000000-0000-0000-0000-000000000000'::uuid))))
);

CREATE FUNCTION public.complaint_reader_rows(p public.complaint_case) RETURNS SETOF public.complaint_reader
    LANGUAGE sql STABLE
    AS $$
        SELECT p.id, s.unit_id, bit_or(s.via)::smallint, p.received_on, p.case_no, p.state, p.county_unit_id, p.lead_unit_id,
               p.pollution_types, p.key_case,
               (SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = p.id ORDER BY v.seq DESC LIMIT 1)
          FROM (SELECT unnest(p.owner_scope) AS unit_id, 1 AS via UNION ALL SELECT unnest(p.dispatcher_scope), 2
                UNION ALL SELECT '00000000-0000-0000-0000-000000000000'::uuid, 4) s
         GROUP BY s.unit_id
      $$;

CREATE FUNCTION public.complaint_reader_sync() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.owner_scope = NEW.owner_scope AND OLD.dispatcher_scope = NEW.dispatcher_scope THEN
          UPDATE complaint_reader SET received_on = NEW.received_on, case_no = NEW.case_no, state = NEW.state,
                 county_unit_id = NEW.county_unit_id, lead_unit_id = NEW.lead_unit_id, pollution_types = NEW.pollution_types,
                 key_case = NEW.key_case
           WHERE case_id = NEW.id;
        ELSE
          DELETE FROM complaint_reader WHERE case_id = NEW.id;
          INSERT INTO complaint_reader SELECT * FROM complaint_reader_rows(NEW);
        END IF;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.complaint_reader_verdict() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      DECLARE c uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
      BEGIN
        UPDATE complaint_reader SET verdict = (SELECT v.verdict FROM complaint_verdict v WHERE v.case_id = c ORDER BY v.seq DESC LIMIT 1)
         WHERE case_id = c;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.complaint_refresh_scope(p_case uuid) RETURNS void
    LANGUAGE sql
    AS $$
        UPDATE complaint_case c SET
          owner_scope = coalesce((SELECT array_agg(DISTINCT a) FROM complaint_unit cu JOIN org_unit o ON o.id = cu.unit_id
                                   CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE cu.case_id = c.id), '{}'),
          dispatcher_scope = coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = c.dispatcher_unit_id), '{}')
        WHERE c.id = p_case
      $$;

CREATE FUNCTION public.history_is_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        RAISE EXCEPTION 'history is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;

CREATE FUNCTION public.investment_report_is_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        RAISE EXCEPTION 'investment reports are append-only (correct with a new version): % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;

CREATE FUNCTION public.item_acceptance_units(p_item uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE
    AS $$
      BEGIN
        RETURN coalesce((
          SELECT item_acceptance_units_of(b.acceptance_chain, i.county_unit_id,
                   ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'))
            FROM item i JOIN batch b ON b.id = i.batch_id WHERE i.id = p_item), '{}');
      END $$;

CREATE FUNCTION public.item_acceptance_units_of(p_chain jsonb, p_county uuid, p_leads uuid[]) RETURNS uuid[]
    LANGUAGE sql IMMUTABLE
    AS $$
        SELECT coalesce(array_agg(coalesce((c.lvl->>'unitId')::uuid, p_county, (SELECT x FROM unnest(p_leads) x ORDER BY x LIMIT 1))
               ORDER BY c.ord), '{}')
          FROM jsonb_array_elements(p_chain) WITH ORDINALITY AS c(lvl, ord)
      $$;

CREATE FUNCTION public.item_reader_forget() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          TRUNCATE item_reader;
        ELSE
          DELETE FROM item_reader r USING gone g WHERE r.item_id = g.id;
        END IF;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.item_reader_rebuild() RETURNS bigint
    LANGUAGE plpgsql
    AS $$
      DECLARE n bigint;
      BEGIN
        TRUNCATE item_reader;
        INSERT INTO item_reader SELECT r.* FROM item i CROSS JOIN LATERAL item_reader_rows(i) r;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$;

CREATE TABLE public.item (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    batch_id uuid NOT NULL,
    code text NOT NULL,
    title text NOT NULL,
    feedback_text text DEFAULT ''::text NOT NULL,
    domain text NOT NULL,
    county_unit_id uuid,
    goal text DEFAULT ''::text NOT NULL,
    measures text DEFAULT ''::text NOT NULL,
    type text NOT NULL,
    responsible_leader text,
    responsible_person text,
    responsible_phone text,
    stage_nodes jsonb DEFAULT '[]'::jsonb NOT NULL,
    state text DEFAULT 'draft'::text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    dispatcher_unit_id uuid NOT NULL,
    original_deadline date,
    current_deadline date,
    deadline_version integer DEFAULT 0 NOT NULL,
    pending_extension_id uuid,
    submission_round integer DEFAULT 0 NOT NULL,
    acceptance_level integer,
    notice_start date,
    notice_end date,
    first_signed_off_at timestamp with time zone,
    last_signed_off_at timestamp with time zone,
    completed_at timestamp with time zone,
    reopen_count integer DEFAULT 0 NOT NULL,
    merged_into_id uuid,
    owner_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    lead_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    dispatcher_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    acceptance_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deadline_rule jsonb,
    acceptance_since timestamp with time zone,
    extension_count integer DEFAULT 0 NOT NULL,
    close_working_days integer,
    source_document_id uuid,
    source_task jsonb,
    resume_level integer,
    CONSTRAINT item_acceptance_level_only_in_acceptance CHECK (((state = 'in_acceptance'::text) = (acceptance_level IS NOT NULL))),
    CONSTRAINT item_close_working_days_check CHECK ((close_working_days >= 0)),
    CONSTRAINT item_domain_check CHECK ((domain = ANY (ARRAY['air'::text, 'water'::text, 'soil'::text, 'solid_waste'::text, 'ecology'::text, 'noise'::text, 'radiation'::text, 'other'::text]))),
    CONSTRAINT item_extension_count_check CHECK ((extension_count >= 0)),
    CONSTRAINT item_resume_level_check CHECK ((resume_level >= 0)),
    CONSTRAINT item_source_task_with_document CHECK (((source_document_id IS NULL) = (source_task IS NULL))),
    CONSTRAINT item_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'assigned'::text, 'in_progress'::text, 'in_acceptance'::text, 'public_notice'::text, 'phase_completed'::text, 'signed_off'::text, 'cancelled'::text, 'merged'::text]))),
    CONSTRAINT item_type_check CHECK ((type = ANY (ARRAY['immediate'::text, 'deadline'::text, 'ongoing'::text])))
)
WITH (fillfactor='85');

CREATE TABLE public.item_reader (
    item_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    via smallint NOT NULL,
    state text NOT NULL,
    domain text NOT NULL,
    county_unit_id uuid,
    batch_id uuid NOT NULL,
    current_deadline date,
    CONSTRAINT item_reader_via_check CHECK (((via >= 1) AND (via <= 7)))
);

CREATE FUNCTION public.item_reader_rows(p_item public.item) RETURNS SETOF public.item_reader
    LANGUAGE sql IMMUTABLE
    AS $$
        SELECT p_item.id, s.unit_id, bit_or(s.via)::smallint, p_item.state, p_item.domain, p_item.county_unit_id,
               p_item.batch_id, p_item.current_deadline
          FROM (SELECT unnest(p_item.owner_scope) AS unit_id, 1 AS via
                UNION ALL SELECT unnest(p_item.dispatcher_scope), 2
                UNION ALL SELECT unnest(p_item.acceptance_scope), 4) s
         GROUP BY s.unit_id
      $$;

CREATE FUNCTION public.item_reader_sync() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.owner_scope = NEW.owner_scope AND OLD.dispatcher_scope = NEW.dispatcher_scope
           AND OLD.acceptance_scope = NEW.acceptance_scope THEN
          UPDATE item_reader SET state = NEW.state, domain = NEW.domain, county_unit_id = NEW.county_unit_id,
                                 batch_id = NEW.batch_id, current_deadline = NEW.current_deadline
           WHERE item_id = NEW.id;
        ELSE
          DELETE FROM item_reader WHERE item_id = NEW.id;
          INSERT INTO item_reader SELECT * FROM item_reader_rows(NEW);
        END IF;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.item_refresh_scope(p_item uuid) RETURNS void
    LANGUAGE sql
    AS $$
        UPDATE item i SET (owner_scope, lead_scope, dispatcher_scope, acceptance_scope) = (
          SELECT s.owner_scope, s.lead_scope, s.dispatcher_scope, s.acceptance_scope
            FROM item_scope_sets(i.dispatcher_unit_id, ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id),
                                 ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'),
                                 item_acceptance_units(i.id)) s)
         WHERE i.id = p_item
      $$;

CREATE FUNCTION public.item_scope_sets(p_dispatcher uuid, p_units uuid[], p_leads uuid[], p_acceptance uuid[], OUT owner_scope uuid[], OUT lead_scope uuid[], OUT dispatcher_scope uuid[], OUT acceptance_scope uuid[]) RETURNS record
    LANGUAGE sql STABLE
    AS $$
        SELECT coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (p_units)), '{}'),
               coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (p_leads)), '{}'),
               coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = p_dispatcher), '{}'),
               coalesce((SELECT array_agg(DISTINCT a) FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) a WHERE o.id = ANY (p_acceptance)), '{}')
      $$;

CREATE FUNCTION public.item_scope_snapshot_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      DECLARE first_from timestamptz;
      BEGIN
        SELECT min(valid_from) INTO first_from FROM item_timeline WHERE item_id = NEW.id;
        IF first_from IS NOT NULL THEN
          PERFORM item_stat_snapshot_invalidate(first_from, '{read}');
        END IF;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.item_stat_bucket(p_dim text, p_deadline date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT CASE WHEN p_dim LIKE 'read\_%' THEN p_deadline ELSE date_trunc('month', p_deadline)::date END
      $$;

CREATE FUNCTION public.item_stat_compact() RETURNS bigint
    LANGUAGE plpgsql
    AS $$
      DECLARE folded bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('item_stat_compact'));
        WITH gone AS (DELETE FROM item_stat_delta RETURNING *),
        fan AS (
          SELECT v.dim, v.key, item_stat_bucket(v.dim, g.deadline) AS deadline_bucket, g.* FROM gone g
          CROSS JOIN LATERAL item_stat_dims(g.batch_id, g.county_unit_id, g.domain, g.lead_unit_ids, g.lead_scope, g.read_owner, g.read_dispatch, g.read_accept) AS v),
        cells AS (
          INSERT INTO item_stat_cell AS c (dim, key, state, deadline_bucket, n, closed_with_original, on_time_original, closed_with_approved,
                                           on_time_approved, close_days_sum, close_days_n, extended_items, extensions, rebound_items, rebounds)
          SELECT dim, key, state, deadline_bucket, sum(n), sum(closed_with_original), sum(on_time_original), sum(closed_with_approved),
                 sum(on_time_approved), sum(close_days_sum), sum(close_days_n), sum(extended_items), sum(extensions),
                 sum(rebound_items), sum(rebounds)
            FROM fan GROUP BY dim, key, state, deadline_bucket
          ON CONFLICT (dim, key, state, deadline_bucket) DO UPDATE SET
            n = c.n + EXCLUDED.n, closed_with_original = c.closed_with_original + EXCLUDED.closed_with_original,
            on_time_original = c.on_time_original + EXCLUDED.on_time_original,
            closed_with_approved = c.closed_with_approved + EXCLUDED.closed_with_approved,
            on_time_approved = c.on_time_approved + EXCLUDED.on_time_approved, close_days_sum = c.close_days_sum + EXCLUDED.close_days_sum,
            close_days_n = c.close_days_n + EXCLUDED.close_days_n, extended_items = c.extended_items + EXCLUDED.extended_items,
            extensions = c.extensions + EXCLUDED.extensions, rebound_items = c.rebound_items + EXCLUDED.rebound_items,
            rebounds = c.rebounds + EXCLUDED.rebounds
          RETURNING 1),
        days AS (
          INSERT INTO item_close_days_cell AS c (dim, key, days, n)
          SELECT dim, key, close_days, sum(n) FROM fan WHERE close_days IS NOT NULL GROUP BY dim, key, close_days
          ON CONFLICT (dim, key, days) DO UPDATE SET n = c.n + EXCLUDED.n
          RETURNING 1)
        SELECT (SELECT count(*) FROM gone) INTO folded FROM (SELECT count(*) FROM cells) a, (SELECT count(*) FROM days) b;
        DELETE FROM item_stat_cell WHERE n = 0 AND close_days_n = 0;
        DELETE FROM item_close_days_cell WHERE n = 0;
        RETURN folded;
      END $$;

CREATE TABLE public.item_timeline (
    id bigint NOT NULL,
    item_id uuid NOT NULL,
    valid_from timestamp with time zone NOT NULL,
    valid_to timestamp with time zone,
    batch_id uuid NOT NULL,
    county_unit_id uuid,
    domain text NOT NULL,
    lead_unit_ids uuid[] NOT NULL,
    lead_scope uuid[] NOT NULL,
    state text NOT NULL,
    original_deadline date,
    current_deadline date,
    extension_count integer NOT NULL,
    first_signed_off_at timestamp with time zone,
    closed_on date,
    close_working_days integer,
    reopen_count integer NOT NULL,
    CONSTRAINT item_timeline_span_ck CHECK (((valid_to IS NULL) OR (valid_to > valid_from)))
);

CREATE FUNCTION public.item_stat_contribution(t public.item_timeline, p_sign integer, p_owner uuid[], p_dispatcher uuid[], p_acceptance uuid[]) RETURNS TABLE(batch_id uuid, county_unit_id uuid, domain text, lead_unit_ids uuid[], lead_scope uuid[], read_owner uuid[], read_dispatch uuid[], read_accept uuid[], state text, deadline date, close_days integer, n integer, closed_with_original integer, on_time_original integer, closed_with_approved integer, on_time_approved integer, close_days_sum bigint, close_days_n integer, extended_items integer, extensions integer, rebound_items integer, rebounds integer)
    LANGUAGE sql IMMUTABLE
    AS $$
        SELECT t.batch_id, t.county_unit_id, t.domain, t.lead_unit_ids, t.lead_scope, p_owner,
               ARRAY(SELECT DISTINCT unnest(p_owner || p_dispatcher)), ARRAY(SELECT DISTINCT unnest(p_owner || p_acceptance)), t.state,
               t.current_deadline, CASE WHEN c.closure THEN t.close_working_days END,
               p_sign,
               p_sign * (c.closure AND t.original_deadline IS NOT NULL)::int,
               p_sign * (c.closure AND coalesce(t.closed_on <= t.original_deadline, false))::int,
               p_sign * (c.closure AND t.current_deadline IS NOT NULL)::int,
               p_sign * (c.closure AND coalesce(t.closed_on <= t.current_deadline, false))::int,
               (p_sign * CASE WHEN c.closure THEN coalesce(t.close_working_days, 0) ELSE 0 END)::bigint,
               p_sign * (c.closure AND t.close_working_days IS NOT NULL)::int,
               p_sign * (c.counted AND t.extension_count > 0)::int,
               p_sign * CASE WHEN c.counted THEN t.extension_count ELSE 0 END,
               p_sign * (c.counted AND t.reopen_count > 0)::int,
               p_sign * CASE WHEN c.counted THEN t.reopen_count ELSE 0 END
          FROM (SELECT t.state NOT IN ('draft','cancelled','merged') AS counted, t.state IN ('signed_off','phase_completed') AS closure) c
      $$;

CREATE FUNCTION public.item_stat_dims(p_batch uuid, p_county uuid, p_domain text, p_leads uuid[], p_lead_scope uuid[], p_read_owner uuid[], p_read_dispatch uuid[], p_read_accept uuid[]) RETURNS TABLE(dim text, key text)
    LANGUAGE sql IMMUTABLE
    AS $$
        SELECT 'all', '' UNION ALL SELECT 'batch', p_batch::text UNION ALL SELECT 'county', coalesce(p_county::text, '')
        UNION ALL SELECT 'domain', p_domain UNION ALL SELECT 'lead', u::text FROM unnest(p_leads) u
        UNION ALL SELECT 'lead_scope', u::text FROM unnest(p_lead_scope) u
        UNION ALL SELECT 'read_owner', u::text FROM unnest(p_read_owner) u
        UNION ALL SELECT 'read_dispatch', u::text FROM unnest(p_read_dispatch) u
        UNION ALL SELECT 'read_accept', u::text FROM unnest(p_read_accept) u
      $$;

CREATE FUNCTION public.item_stat_rebuild() RETURNS bigint
    LANGUAGE plpgsql
    AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('item_stat_compact'));
        DELETE FROM item_stat_delta;
        DELETE FROM item_stat_cell;
        DELETE FROM item_close_days_cell;
        PERFORM item_stat_record(t.id, 1, i.owner_scope, i.dispatcher_scope, i.acceptance_scope)
           FROM item_timeline t JOIN item i ON i.id = t.item_id WHERE t.valid_to IS NULL;
        RETURN item_stat_compact();
      END $$;

CREATE FUNCTION public.item_stat_record(p_stretch bigint, p_sign integer, p_owner uuid[], p_dispatcher uuid[], p_acceptance uuid[]) RETURNS void
    LANGUAGE sql
    AS $$
        INSERT INTO item_stat_delta (batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, read_owner, read_dispatch, read_accept, state, deadline, close_days, n, closed_with_original, on_time_original, closed_with_approved, on_time_approved, close_days_sum, close_days_n, extended_items, extensions, rebound_items, rebounds)
        SELECT c.* FROM item_timeline t CROSS JOIN LATERAL item_stat_contribution(t, p_sign, p_owner, p_dispatcher, p_acceptance) c
         WHERE t.id = p_stretch
      $$;

CREATE FUNCTION public.item_stat_snapshot_invalidate(p_from timestamp with time zone, p_kinds text[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
      BEGIN
        -- Held to the end of the transaction; a builder registering its snapshot waits for it (and it for the builder).
        PERFORM pg_advisory_xact_lock_shared(hashtext('item_stat_snapshot'));
        UPDATE item_stat_snapshot SET invalidated_at = clock_timestamp()
         WHERE at > p_from AND kind = ANY(p_kinds) AND invalidated_at IS NULL;
      END $$;

CREATE FUNCTION public.item_timeline_snapshot_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM item_stat_snapshot_invalidate(NEW.valid_from, '{main,read}');
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM item_stat_snapshot_invalidate(OLD.valid_from, '{main,read}');
        ELSIF to_jsonb(OLD) - 'valid_to' = to_jsonb(NEW) - 'valid_to' THEN
          IF OLD.valid_to IS DISTINCT FROM NEW.valid_to THEN
            PERFORM item_stat_snapshot_invalidate(least(OLD.valid_to, NEW.valid_to), '{main,read}');
          END IF;
        ELSE
          PERFORM item_stat_snapshot_invalidate(least(OLD.valid_from, NEW.valid_from), '{main,read}');
        END IF;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.item_timeline_track() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      DECLARE
        open_id   bigint;
        open_from timestamptz;
        leads     uuid[];
        closed    date := (NEW.completed_at AT TIME ZONE 'Asia/Shanghai')::date;
      BEGIN
        SELECT coalesce(array_agg(unit_id ORDER BY unit_id), '{}') INTO leads
          FROM item_unit WHERE item_id = NEW.id AND role = 'lead';
        SELECT id, valid_from INTO open_id, open_from FROM item_timeline WHERE item_id = NEW.id AND valid_to IS NULL FOR UPDATE;
        -- The open stretch mirrors the item before this change (OLD): take it out of the roll-ups.
        IF open_id IS NOT NULL THEN
          PERFORM item_stat_record(open_id, -1, OLD.owner_scope, OLD.dispatcher_scope, OLD.acceptance_scope);
        END IF;
        IF open_id IS NOT NULL AND open_from >= NEW.updated_at THEN
          UPDATE item_timeline SET batch_id = NEW.batch_id, county_unit_id = NEW.county_unit_id, domain = NEW.domain,
                 lead_unit_ids = leads, lead_scope = NEW.lead_scope, state = NEW.state, original_deadline = NEW.original_deadline,
                 current_deadline = NEW.current_deadline, extension_count = NEW.extension_count,
                 first_signed_off_at = NEW.first_signed_off_at, closed_on = closed, close_working_days = NEW.close_working_days,
                 reopen_count = NEW.reopen_count
           WHERE id = open_id;
          PERFORM item_stat_record(open_id, 1, NEW.owner_scope, NEW.dispatcher_scope, NEW.acceptance_scope);
          RETURN NULL;
        END IF;
        IF open_id IS NOT NULL THEN
          UPDATE item_timeline SET valid_to = NEW.updated_at WHERE id = open_id;
        END IF;
        INSERT INTO item_timeline (item_id, valid_from, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, state,
                                   original_deadline, current_deadline, extension_count, first_signed_off_at, closed_on,
                                   close_working_days, reopen_count)
        VALUES (NEW.id, NEW.updated_at, NEW.batch_id, NEW.county_unit_id, NEW.domain, leads, NEW.lead_scope, NEW.state,
                NEW.original_deadline, NEW.current_deadline, NEW.extension_count, NEW.first_signed_off_at, closed,
                NEW.close_working_days, NEW.reopen_count)
        RETURNING id INTO open_id;
        PERFORM item_stat_record(open_id, 1, NEW.owner_scope, NEW.dispatcher_scope, NEW.acceptance_scope);
        RETURN NULL;
      END $$;

CREATE FUNCTION public.items_created_in_bulk(p_items uuid[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
      DECLARE first_from timestamptz;
      BEGIN
        INSERT INTO item_timeline (item_id, valid_from, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, state,
                                   original_deadline, current_deadline, extension_count, first_signed_off_at, closed_on,
                                   close_working_days, reopen_count)
        SELECT i.id, i.updated_at, i.batch_id, i.county_unit_id, i.domain,
               coalesce((SELECT array_agg(iu.unit_id ORDER BY iu.unit_id) FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}'),
               i.lead_scope, i.state, i.original_deadline, i.current_deadline, i.extension_count, i.first_signed_off_at,
               (i.completed_at AT TIME ZONE 'Asia/Shanghai')::date, i.close_working_days, i.reopen_count
          FROM item i WHERE i.id = ANY (p_items);
        INSERT INTO item_stat_delta (batch_id, county_unit_id, domain, lead_unit_ids, lead_scope, read_owner, read_dispatch, read_accept, state, deadline, close_days, n, closed_with_original, on_time_original, closed_with_approved, on_time_approved, close_days_sum, close_days_n, extended_items, extensions, rebound_items, rebounds)
        SELECT c.batch_id, c.county_unit_id, c.domain, c.lead_unit_ids, c.lead_scope, c.read_owner, c.read_dispatch, c.read_accept, c.state,
               c.deadline, c.close_days, sum(c.n), sum(c.closed_with_original), sum(c.on_time_original), sum(c.closed_with_approved),
               sum(c.on_time_approved), sum(c.close_days_sum), sum(c.close_days_n), sum(c.extended_items), sum(c.extensions),
               sum(c.rebound_items), sum(c.rebounds)
          FROM item_timeline t JOIN item i ON i.id = t.item_id
         CROSS JOIN LATERAL item_stat_contribution(t, 1, i.owner_scope, i.dispatcher_scope, i.acceptance_scope) c
         WHERE t.item_id = ANY (p_items) AND t.valid_to IS NULL
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
        INSERT INTO item_reader SELECT r.* FROM item i CROSS JOIN LATERAL item_reader_rows(i) r WHERE i.id = ANY (p_items)
         ORDER BY r.unit_id, r.current_deadline, r.item_id;
        SELECT min(updated_at) INTO first_from FROM item WHERE id = ANY (p_items);
        IF first_from IS NOT NULL THEN
          PERFORM item_stat_snapshot_invalidate(first_from, '{main,read}');
        END IF;
      END $$;

CREATE FUNCTION public.org_unit_moved() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        PERFORM item_refresh_scope(i.id) FROM item i
          WHERE i.owner_scope @> ARRAY[NEW.id] OR i.dispatcher_scope @> ARRAY[NEW.id] OR i.acceptance_scope @> ARRAY[NEW.id]
             OR i.county_unit_id = NEW.id;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.org_unit_moved_complaints() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        PERFORM complaint_refresh_scope(c.id) FROM complaint_case c
          WHERE c.owner_scope @> ARRAY[NEW.id] OR c.dispatcher_scope @> ARRAY[NEW.id];
        RETURN NULL;
      END $$;

CREATE FUNCTION public.org_unit_moved_projects() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        PERFORM project_refresh_scope(p.id) FROM project p
          WHERE p.owner_scope @> ARRAY[NEW.id] OR p.dispatcher_scope @> ARRAY[NEW.id];
        RETURN NULL;
      END $$;

CREATE FUNCTION public.path_ids(p text) RETURNS uuid[]
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
        SELECT coalesce(array_agg(x::uuid), '{}') FROM unnest(string_to_array(trim(both '/' from p), '/')) AS x
      $$;

CREATE FUNCTION public.project_refresh_scope(p_project uuid) RETURNS void
    LANGUAGE sql
    AS $$
        UPDATE project p SET
          owner_scope = coalesce((SELECT array_agg(DISTINCT a) FROM (
                            SELECT unit_id FROM project_unit WHERE project_id = p.id
                            UNION SELECT responsible_unit_id FROM milestone WHERE project_id = p.id) u
                          JOIN org_unit o ON o.id = u.unit_id CROSS JOIN LATERAL unnest(path_ids(o.path)) a), '{}'),
          dispatcher_scope = coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = p.dispatcher_unit_id), '{}')
        WHERE p.id = p_project
      $$;

CREATE TABLE public.app_user (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    phone text,
    unit_id uuid NOT NULL,
    roles text[] DEFAULT '{}'::text[] NOT NULL,
    active boolean DEFAULT true NOT NULL,
    password_hash text,
    last_login_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    digest_only boolean DEFAULT false NOT NULL,
    must_change_password boolean DEFAULT false NOT NULL,
    password_changed_at timestamp with time zone,
    CONSTRAINT app_user_roles_known CHECK ((roles <@ ARRAY['admin'::text, 'dispatcher'::text, 'unit_officer'::text, 'verifier'::text, 'auditor'::text]))
);

CREATE TABLE public.auth_refresh_token (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    family_id uuid NOT NULL,
    user_id uuid NOT NULL,
    secret_hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    rotated_at timestamp with time zone,
    revoked_at timestamp with time zone,
    revoked_reason text,
    user_agent text,
    ip text
);

CREATE TABLE public.batch (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    source_type text NOT NULL,
    round integer,
    issuer text,
    issued_on date,
    description text,
    dispatcher_unit_id uuid NOT NULL,
    acceptance_chain jsonb NOT NULL,
    notice_days integer DEFAULT 0 NOT NULL,
    created_by uuid,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    notice_end_action text DEFAULT 'remind'::text NOT NULL,
    CONSTRAINT batch_acceptance_chain_check CHECK (((jsonb_typeof(acceptance_chain) = 'array'::text) AND (jsonb_array_length(acceptance_chain) >= 1))),
    CONSTRAINT batch_notice_days_check CHECK (((notice_days >= 0) AND (notice_days <= 60))),
    CONSTRAINT batch_notice_end_action_check CHECK ((notice_end_action = ANY (ARRAY['remind'::text, 'sign_off'::text]))),
    CONSTRAINT batch_source_type_check CHECK ((source_type = ANY (ARRAY['central_inspection'::text, 'central_lookback'::text, 'provincial_inspection'::text, 'special_inspection'::text, 'warning_film'::text, 'regional_survey'::text, 'monitoring_assistance'::text, 'self_found'::text, 'complaint'::text])))
);

CREATE TABLE public.calendar_entry (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    day date NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_by uuid,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT calendar_entry_kind_check CHECK ((kind = ANY (ARRAY['off'::text, 'work'::text])))
);

CREATE TABLE public.calendar_year (
    year integer NOT NULL,
    version integer NOT NULL,
    notice_text text NOT NULL,
    days jsonb NOT NULL,
    confirmed_by uuid,
    confirmed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT calendar_year_version_check CHECK ((version >= 1)),
    CONSTRAINT calendar_year_year_check CHECK (((year >= 2000) AND (year <= 2100)))
);

CREATE TABLE public.complaint_batch (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    round text NOT NULL,
    batch_no integer NOT NULL,
    received_on date NOT NULL,
    issuer text DEFAULT ''::text NOT NULL,
    deadline_days integer NOT NULL,
    deadline_kind text NOT NULL,
    dispatcher_unit_id uuid NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT complaint_batch_batch_no_check CHECK (((batch_no >= 1) AND (batch_no <= 10000))),
    CONSTRAINT complaint_batch_deadline_days_check CHECK (((deadline_days >= 1) AND (deadline_days <= 365))),
    CONSTRAINT complaint_batch_deadline_kind_check CHECK ((deadline_kind = ANY (ARRAY['calendar'::text, 'working'::text]))),
    CONSTRAINT complaint_batch_round_check CHECK (((length(round) >= 1) AND (length(round) <= 200)))
);

CREATE TABLE public.complaint_contact (
    case_id uuid NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    phone text DEFAULT ''::text NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    CONSTRAINT complaint_contact_name_check CHECK ((length(name) <= 100)),
    CONSTRAINT complaint_contact_note_check CHECK ((length(note) <= 500)),
    CONSTRAINT complaint_contact_phone_check CHECK ((length(phone) <= 40))
);

CREATE TABLE public.complaint_deadline (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    deadline date NOT NULL,
    kind text NOT NULL,
    rule text DEFAULT ''::text NOT NULL,
    reason text,
    decided_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT complaint_deadline_kind_check CHECK ((kind = ANY (ARRAY['initial'::text, 'extension'::text, 'reassign'::text]))),
    CONSTRAINT complaint_deadline_version_check CHECK ((version >= 1))
);

CREATE TABLE public.complaint_duplicate (
    case_id uuid NOT NULL,
    other_id uuid NOT NULL,
    similarity real NOT NULL,
    status text DEFAULT 'proposed'::text NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    CONSTRAINT complaint_duplicate_not_self CHECK ((case_id <> other_id)),
    CONSTRAINT complaint_duplicate_similarity_check CHECK (((similarity >= (0)::double precision) AND (similarity <= (1)::double precision))),
    CONSTRAINT complaint_duplicate_status_check CHECK ((status = ANY (ARRAY['proposed'::text, 'confirmed'::text, 'rejected'::text])))
);

CREATE TABLE public.complaint_evidence (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    case_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    verdict_seq integer,
    filename text NOT NULL,
    content_type text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text NOT NULL,
    storage_key text NOT NULL,
    uploaded_by uuid NOT NULL,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    removed_by uuid,
    removed_at timestamp with time zone,
    CONSTRAINT complaint_evidence_filename_check CHECK (((length(filename) >= 1) AND (length(filename) <= 200))),
    CONSTRAINT complaint_evidence_removed_by CHECK (((removed_at IS NULL) = (removed_by IS NULL))),
    CONSTRAINT complaint_evidence_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT complaint_evidence_size_bytes_check CHECK ((size_bytes > 0)),
    CONSTRAINT complaint_evidence_verdict_seq_check CHECK ((verdict_seq >= 1))
);

CREATE TABLE public.complaint_extension (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    case_id uuid NOT NULL,
    requested_deadline date NOT NULL,
    reason text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    requested_by uuid NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    decision_reason text,
    CONSTRAINT complaint_extension_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text])))
);

CREATE TABLE public.complaint_follow_up (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    case_id uuid NOT NULL,
    visited_on date NOT NULL,
    reached boolean NOT NULL,
    satisfaction text,
    note text DEFAULT ''::text NOT NULL,
    visited_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT complaint_follow_up_reached_has_satisfaction CHECK ((reached = (satisfaction IS NOT NULL))),
    CONSTRAINT complaint_follow_up_satisfaction_check CHECK ((satisfaction = ANY (ARRAY['satisfied'::text, 'basically'::text, 'dissatisfied'::text])))
);

CREATE TABLE public.complaint_item (
    case_id uuid NOT NULL,
    item_id uuid NOT NULL,
    awaited boolean DEFAULT false NOT NULL
);

CREATE TABLE public.complaint_unit (
    case_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    role text NOT NULL,
    CONSTRAINT complaint_unit_role_check CHECK ((role = ANY (ARRAY['lead'::text, 'cooperating'::text])))
);

CREATE TABLE public.complaint_verdict (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    case_id uuid NOT NULL,
    seq integer NOT NULL,
    verdict text NOT NULL,
    findings text DEFAULT ''::text NOT NULL,
    handling_summary text NOT NULL,
    orders_issued integer DEFAULT 0 NOT NULL,
    fines_wan numeric(14,4) DEFAULT 0 NOT NULL,
    cases_filed integer DEFAULT 0 NOT NULL,
    detained integer DEFAULT 0 NOT NULL,
    accountable integer DEFAULT 0 NOT NULL,
    summoned integer DEFAULT 0 NOT NULL,
    reported_by uuid,
    reported_at timestamp with time zone DEFAULT now() NOT NULL,
    review text,
    review_reason text,
    reviewed_by uuid,
    reviewed_at timestamp with time zone,
    CONSTRAINT complaint_verdict_accountable_check CHECK ((accountable >= 0)),
    CONSTRAINT complaint_verdict_cases_filed_check CHECK ((cases_filed >= 0)),
    CONSTRAINT complaint_verdict_detained_check CHECK ((detained >= 0)),
    CONSTRAINT complaint_verdict_fines_wan_check CHECK ((fines_wan >= (0)::numeric)),
    CONSTRAINT complaint_verdict_handling_summary_check CHECK (((length(handling_summary) >= 1) AND (length(handling_summary) <= 10000))),
    CONSTRAINT complaint_verdict_orders_issued_check CHECK ((orders_issued >= 0)),
    CONSTRAINT complaint_verdict_review_check CHECK ((review = ANY (ARRAY['accepted'::text, 'returned'::text]))),
    CONSTRAINT complaint_verdict_seq_check CHECK ((seq >= 1)),
    CONSTRAINT complaint_verdict_summoned_check CHECK ((summoned >= 0)),
    CONSTRAINT complaint_verdict_verdict_check CHECK ((verdict = ANY (ARRAY['substantiated'::text, 'mostly'::text, 'partly'::text, 'unfounded'::text])))
);

CREATE TABLE public.evidence (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    item_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    part_unit_id uuid,
    acceptance_level integer,
    progress_id uuid,
    filename text NOT NULL,
    content_type text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text NOT NULL,
    storage_key text NOT NULL,
    uploaded_by uuid NOT NULL,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT evidence_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT evidence_size_bytes_check CHECK ((size_bytes > 0))
);

CREATE TABLE public.history (
    id bigint NOT NULL,
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    seq integer NOT NULL,
    action text NOT NULL,
    from_state text,
    to_state text,
    actor_id uuid,
    at timestamp with time zone NOT NULL,
    reason text,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    prev_hash text,
    hash text NOT NULL,
    CONSTRAINT history_seq_check CHECK ((seq >= 1))
);

ALTER TABLE public.history ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.investment_report (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    month date NOT NULL,
    version integer NOT NULL,
    amount numeric(14,2) NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    reason text,
    reported_by uuid NOT NULL,
    reported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT investment_report_amount_check CHECK ((amount >= (0)::numeric)),
    CONSTRAINT investment_report_correction_has_reason CHECK (((version = 1) OR (reason IS NOT NULL))),
    CONSTRAINT investment_report_month_check CHECK ((EXTRACT(day FROM month) = (1)::numeric)),
    CONSTRAINT investment_report_version_check CHECK ((version >= 1))
);

CREATE TABLE public.item_acceptance (
    id bigint NOT NULL,
    item_id uuid NOT NULL,
    submission_round integer NOT NULL,
    level_index integer NOT NULL,
    level text NOT NULL,
    unit_id uuid NOT NULL,
    result text NOT NULL,
    opinion text,
    signed_by uuid NOT NULL,
    signed_at timestamp with time zone DEFAULT now() NOT NULL,
    return_to text,
    return_level_index integer,
    CONSTRAINT item_acceptance_result_check CHECK ((result = ANY (ARRAY['pass'::text, 'return'::text]))),
    CONSTRAINT item_acceptance_return_to_check CHECK ((return_to = ANY (ARRAY['unit'::text, 'recheck'::text, 'level'::text])))
);

ALTER TABLE public.item_acceptance ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.item_acceptance_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.item_close_days_cell (
    dim text NOT NULL,
    key text NOT NULL,
    days integer NOT NULL,
    n bigint NOT NULL
);

CREATE TABLE public.item_comment (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    item_id uuid NOT NULL,
    author_id uuid NOT NULL,
    text text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.item_deadline (
    item_id uuid NOT NULL,
    version integer NOT NULL,
    deadline date NOT NULL,
    kind text NOT NULL,
    reason text,
    decided_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT item_deadline_kind_check CHECK ((kind = ANY (ARRAY['initial'::text, 'edit'::text, 'extension'::text, 'reset'::text, 'calendar'::text]))),
    CONSTRAINT item_deadline_version_check CHECK ((version >= 1))
);

CREATE TABLE public.item_extension (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    item_id uuid NOT NULL,
    requested_by uuid NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    from_deadline date NOT NULL,
    proposed_deadline date NOT NULL,
    reason text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    decision_reason text,
    late boolean DEFAULT false NOT NULL,
    CONSTRAINT item_extension_check CHECK ((proposed_deadline > from_deadline)),
    CONSTRAINT item_extension_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text])))
);

CREATE TABLE public.item_progress (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    item_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    author_id uuid NOT NULL,
    reported_on date NOT NULL,
    text text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.item_spot_check (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    item_id uuid NOT NULL,
    auditor_id uuid NOT NULL,
    result text NOT NULL,
    note text NOT NULL,
    checked_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT item_spot_check_result_check CHECK ((result = ANY (ARRAY['holds'::text, 'rebound'::text])))
);

CREATE TABLE public.item_stat_cell (
    dim text NOT NULL,
    key text NOT NULL,
    state text NOT NULL,
    deadline_bucket date,
    n bigint NOT NULL,
    closed_with_original bigint NOT NULL,
    on_time_original bigint NOT NULL,
    closed_with_approved bigint NOT NULL,
    on_time_approved bigint NOT NULL,
    close_days_sum bigint NOT NULL,
    close_days_n bigint NOT NULL,
    extended_items bigint NOT NULL,
    extensions bigint NOT NULL,
    rebound_items bigint NOT NULL,
    rebounds bigint NOT NULL,
    CONSTRAINT item_stat_cell_dim_check CHECK ((dim = ANY (ARRAY['all'::text, 'batch'::text, 'county'::text, 'domain'::text, 'lead'::text, 'lead_scope'::text, 'read_owner'::text, 'read_dispatch'::text, 'read_accept'::text])))
);

CREATE TABLE public.item_stat_delta (
    id bigint NOT NULL,
    batch_id uuid NOT NULL,
    county_unit_id uuid,
    domain text NOT NULL,
    lead_unit_ids uuid[] NOT NULL,
    lead_scope uuid[] NOT NULL,
    read_owner uuid[] NOT NULL,
    read_dispatch uuid[] NOT NULL,
    read_accept uuid[] NOT NULL,
    state text NOT NULL,
    deadline date,
    close_days integer,
    n integer NOT NULL,
    closed_with_original integer NOT NULL,
    on_time_original integer NOT NULL,
    closed_with_approved integer NOT NULL,
    on_time_approved integer NOT NULL,
    close_days_sum bigint NOT NULL,
    close_days_n integer NOT NULL,
    extended_items integer NOT NULL,
    extensions integer NOT NULL,
    rebound_items integer NOT NULL,
    rebounds integer NOT NULL
);

CREATE VIEW public.item_stat_delta_cells AS
 SELECT d.id,
    v.dim,
    v.key,
    d.state,
    public.item_stat_bucket(v.dim, d.deadline) AS deadline_bucket,
    d.close_days,
    d.n,
    d.closed_with_original,
    d.on_time_original,
    d.closed_with_approved,
    d.on_time_approved,
    d.close_days_sum,
    d.close_days_n,
    d.extended_items,
    d.extensions,
    d.rebound_items,
    d.rebounds
   FROM (public.item_stat_delta d
     CROSS JOIN LATERAL public.item_stat_dims(d.batch_id, d.county_unit_id, d.domain, d.lead_unit_ids, d.lead_scope, d.read_owner, d.read_dispatch, d.read_accept) v(dim, key));

ALTER TABLE public.item_stat_delta ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.item_stat_delta_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.item_stat_snapshot (
    id bigint NOT NULL,
    kind text NOT NULL,
    month_end date NOT NULL,
    at timestamp with time zone NOT NULL,
    built_at timestamp with time zone,
    invalidated_at timestamp with time zone,
    CONSTRAINT item_stat_snapshot_kind_check CHECK ((kind = ANY (ARRAY['main'::text, 'read'::text])))
);

CREATE TABLE public.item_stat_snapshot_cell (
    snapshot_id bigint NOT NULL,
    dim text NOT NULL,
    key text NOT NULL,
    state text NOT NULL,
    deadline_bucket date,
    n bigint NOT NULL,
    closed_with_original bigint NOT NULL,
    on_time_original bigint NOT NULL,
    closed_with_approved bigint NOT NULL,
    on_time_approved bigint NOT NULL,
    close_days_sum bigint NOT NULL,
    close_days_n bigint NOT NULL,
    extended_items bigint NOT NULL,
    extensions bigint NOT NULL,
    rebound_items bigint NOT NULL,
    rebounds bigint NOT NULL
);

CREATE TABLE public.item_stat_snapshot_days (
    snapshot_id bigint NOT NULL,
    dim text NOT NULL,
    key text NOT NULL,
    days integer NOT NULL,
    n bigint NOT NULL
);

ALTER TABLE public.item_stat_snapshot ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.item_stat_snapshot_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE public.item_timeline ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.item_timeline_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.item_unit (
    item_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    role text NOT NULL,
    part text,
    sub_deadline date,
    status text DEFAULT 'pending'::text NOT NULL,
    progress text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT item_unit_role_check CHECK ((role = ANY (ARRAY['lead'::text, 'cooperating'::text]))),
    CONSTRAINT item_unit_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'in_progress'::text, 'done'::text])))
);

CREATE TABLE public.milestone (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    seq integer NOT NULL,
    name text NOT NULL,
    responsible_unit_id uuid NOT NULL,
    state text DEFAULT 'planned'::text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    planned_date date NOT NULL,
    original_planned_date date NOT NULL,
    plan_version integer DEFAULT 1 NOT NULL,
    actual_date date,
    reported_at timestamp with time zone,
    verified_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT milestone_state_check CHECK ((state = ANY (ARRAY['planned'::text, 'in_progress'::text, 'reported'::text, 'verified'::text]))),
    CONSTRAINT milestone_verified_has_date CHECK (((state = 'verified'::text) = (verified_at IS NOT NULL)))
);

CREATE TABLE public.milestone_evidence (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    milestone_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    filename text NOT NULL,
    content_type text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text NOT NULL,
    storage_key text NOT NULL,
    uploaded_by uuid NOT NULL,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT milestone_evidence_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT milestone_evidence_size_bytes_check CHECK ((size_bytes > 0))
);

CREATE TABLE public.milestone_plan (
    milestone_id uuid NOT NULL,
    version integer NOT NULL,
    planned_date date NOT NULL,
    kind text NOT NULL,
    reason text,
    decided_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT milestone_plan_kind_check CHECK ((kind = ANY (ARRAY['initial'::text, 'replan'::text]))),
    CONSTRAINT milestone_plan_version_check CHECK ((version >= 1))
);

CREATE TABLE public.milestone_template (
    id integer NOT NULL,
    template jsonb NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_by uuid,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT milestone_template_id_check CHECK ((id = 1)),
    CONSTRAINT milestone_template_template_check CHECK ((jsonb_typeof(template) = 'array'::text))
);

CREATE TABLE public.org_unit (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    parent_id uuid,
    path text NOT NULL,
    sort_order integer DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT org_unit_kind_check CHECK ((kind = ANY (ARRAY['city'::text, 'department'::text, 'county'::text, 'section'::text, 'enterprise'::text, 'other'::text]))),
    CONSTRAINT org_unit_root_has_no_parent CHECK (((parent_id IS NULL) = (path = (('/'::text || id) || '/'::text))))
);

CREATE TABLE public.org_unit_alias (
    alias text NOT NULL,
    unit_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.outbox (
    id bigint NOT NULL,
    kind text NOT NULL,
    dedupe_key text NOT NULL,
    payload jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_error text,
    available_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    read_at timestamp with time zone,
    CONSTRAINT outbox_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'enqueued'::text, 'sent'::text, 'failed'::text])))
);

ALTER TABLE public.outbox ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.project (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    category text NOT NULL,
    county_unit_id uuid,
    source text DEFAULT ''::text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    planned_investment numeric(14,2) NOT NULL,
    prior_investment numeric(14,2) DEFAULT 0 NOT NULL,
    start_year integer NOT NULL,
    end_year integer NOT NULL,
    planned_start date NOT NULL,
    planned_end date NOT NULL,
    dispatcher_unit_id uuid NOT NULL,
    owner_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    dispatcher_scope uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_category_check CHECK ((category = ANY (ARRAY['air'::text, 'water'::text, 'ecology'::text, 'risk'::text, 'supervision'::text, 'other'::text]))),
    CONSTRAINT project_end_year_check CHECK (((end_year >= 2000) AND (end_year <= 2100))),
    CONSTRAINT project_period CHECK (((planned_end >= planned_start) AND (EXTRACT(year FROM planned_start) = (start_year)::numeric) AND (EXTRACT(year FROM planned_end) = (end_year)::numeric))),
    CONSTRAINT project_planned_investment_check CHECK ((planned_investment >= (0)::numeric)),
    CONSTRAINT project_prior_investment_check CHECK ((prior_investment >= (0)::numeric)),
    CONSTRAINT project_start_year_check CHECK (((start_year >= 2000) AND (start_year <= 2100))),
    CONSTRAINT project_years CHECK ((end_year >= start_year))
);

CREATE TABLE public.project_revision (
    project_id uuid NOT NULL,
    version integer NOT NULL,
    category text NOT NULL,
    county_unit_id uuid,
    unit_ids uuid[] NOT NULL,
    planned_investment numeric(14,2) NOT NULL,
    prior_investment numeric(14,2) NOT NULL,
    planned_start date NOT NULL,
    planned_end date NOT NULL,
    year_plans jsonb NOT NULL,
    recorded_at timestamp with time zone NOT NULL
);

CREATE TABLE public.project_unit (
    project_id uuid NOT NULL,
    unit_id uuid NOT NULL
);

CREATE TABLE public.project_year_plan (
    project_id uuid NOT NULL,
    year integer NOT NULL,
    amount numeric(14,2) NOT NULL,
    CONSTRAINT project_year_plan_amount_check CHECK ((amount >= (0)::numeric))
);

CREATE TABLE public.reminder_policy (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    scope text NOT NULL,
    policy jsonb NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_by uuid,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reminder_policy_scope_check CHECK (((scope = 'default'::text) OR (scope = ANY (ARRAY['central_inspection'::text, 'central_lookback'::text, 'provincial_inspection'::text, 'special_inspection'::text, 'warning_film'::text, 'regional_survey'::text, 'monitoring_assistance'::text, 'self_found'::text, 'complaint'::text]))))
);

CREATE TABLE public.saved_filter (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL,
    query jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT saved_filter_name_check CHECK (((length(name) >= 1) AND (length(name) <= 100)))
);

CREATE TABLE public.schema_migrations (
    id integer NOT NULL,
    "timestamp" bigint NOT NULL,
    name character varying NOT NULL
);

CREATE SEQUENCE public.schema_migrations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.schema_migrations_id_seq OWNED BY public.schema_migrations.id;

CREATE TABLE public.source_document (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    batch_id uuid NOT NULL,
    filename text NOT NULL,
    content_type text NOT NULL,
    size_bytes integer NOT NULL,
    sha256 text NOT NULL,
    storage_key text NOT NULL,
    document_year integer,
    text text NOT NULL,
    uploaded_by uuid NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT source_document_size_bytes_check CHECK ((size_bytes > 0))
);

ALTER TABLE ONLY public.schema_migrations ALTER COLUMN id SET DEFAULT nextval('public.schema_migrations_id_seq'::regclass);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT "PK_62441bec32630ced9e4cccae336" PRIMARY KEY (id);

ALTER TABLE ONLY public.app_user
    ADD CONSTRAINT app_user_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.auth_refresh_token
    ADD CONSTRAINT auth_refresh_token_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.batch
    ADD CONSTRAINT batch_code_uq UNIQUE (code);

ALTER TABLE ONLY public.batch
    ADD CONSTRAINT batch_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.calendar_entry
    ADD CONSTRAINT calendar_entry_day_uq UNIQUE (day);

ALTER TABLE ONLY public.calendar_entry
    ADD CONSTRAINT calendar_entry_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.calendar_year
    ADD CONSTRAINT calendar_year_pkey PRIMARY KEY (year, version);

ALTER TABLE ONLY public.complaint_batch
    ADD CONSTRAINT complaint_batch_no_uq UNIQUE (round, batch_no);

ALTER TABLE ONLY public.complaint_batch
    ADD CONSTRAINT complaint_batch_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_no_uq UNIQUE (batch_id, case_no);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.complaint_contact
    ADD CONSTRAINT complaint_contact_pkey PRIMARY KEY (case_id);

ALTER TABLE ONLY public.complaint_deadline
    ADD CONSTRAINT complaint_deadline_pkey PRIMARY KEY (case_id, version);

ALTER TABLE ONLY public.complaint_duplicate
    ADD CONSTRAINT complaint_duplicate_pkey PRIMARY KEY (case_id, other_id);

ALTER TABLE ONLY public.complaint_evidence
    ADD CONSTRAINT complaint_evidence_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.complaint_extension
    ADD CONSTRAINT complaint_extension_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.complaint_follow_up
    ADD CONSTRAINT complaint_follow_up_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.complaint_item
    ADD CONSTRAINT complaint_item_pkey PRIMARY KEY (case_id, item_id);

ALTER TABLE ONLY public.complaint_reader
    ADD CONSTRAINT complaint_reader_pkey PRIMARY KEY (case_id, unit_id);

ALTER TABLE ONLY public.complaint_unit
    ADD CONSTRAINT complaint_unit_pkey PRIMARY KEY (case_id, unit_id);

ALTER TABLE ONLY public.complaint_verdict
    ADD CONSTRAINT complaint_verdict_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.complaint_verdict
    ADD CONSTRAINT complaint_verdict_seq_uq UNIQUE (case_id, seq);

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.history
    ADD CONSTRAINT history_entity_seq_uq UNIQUE (entity_type, entity_id, seq);

ALTER TABLE ONLY public.history
    ADD CONSTRAINT history_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.investment_report
    ADD CONSTRAINT investment_report_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.investment_report
    ADD CONSTRAINT investment_report_version_uq UNIQUE (project_id, month, version);

ALTER TABLE ONLY public.item_acceptance
    ADD CONSTRAINT item_acceptance_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_close_days_cell
    ADD CONSTRAINT item_close_days_cell_pkey PRIMARY KEY (dim, key, days);

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_code_in_batch_uq UNIQUE (batch_id, code);

ALTER TABLE ONLY public.item_comment
    ADD CONSTRAINT item_comment_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_deadline
    ADD CONSTRAINT item_deadline_pkey PRIMARY KEY (item_id, version);

ALTER TABLE ONLY public.item_extension
    ADD CONSTRAINT item_extension_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_progress
    ADD CONSTRAINT item_progress_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_reader
    ADD CONSTRAINT item_reader_pkey PRIMARY KEY (item_id, unit_id);

ALTER TABLE ONLY public.item_spot_check
    ADD CONSTRAINT item_spot_check_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_stat_cell
    ADD CONSTRAINT item_stat_cell_uq UNIQUE NULLS NOT DISTINCT (dim, key, state, deadline_bucket);

ALTER TABLE ONLY public.item_stat_delta
    ADD CONSTRAINT item_stat_delta_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_stat_snapshot_days
    ADD CONSTRAINT item_stat_snapshot_days_pkey PRIMARY KEY (snapshot_id, dim, key, days);

ALTER TABLE ONLY public.item_stat_snapshot
    ADD CONSTRAINT item_stat_snapshot_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_timeline
    ADD CONSTRAINT item_timeline_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.item_unit
    ADD CONSTRAINT item_unit_pkey PRIMARY KEY (item_id, unit_id);

ALTER TABLE ONLY public.milestone_evidence
    ADD CONSTRAINT milestone_evidence_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.milestone
    ADD CONSTRAINT milestone_name_uq UNIQUE (project_id, name);

ALTER TABLE ONLY public.milestone
    ADD CONSTRAINT milestone_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.milestone_plan
    ADD CONSTRAINT milestone_plan_pkey PRIMARY KEY (milestone_id, version);

ALTER TABLE ONLY public.milestone_template
    ADD CONSTRAINT milestone_template_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.org_unit_alias
    ADD CONSTRAINT org_unit_alias_pkey PRIMARY KEY (alias);

ALTER TABLE ONLY public.org_unit
    ADD CONSTRAINT org_unit_code_uq UNIQUE (code);

ALTER TABLE ONLY public.org_unit
    ADD CONSTRAINT org_unit_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_dedupe_uq UNIQUE (dedupe_key);

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_code_uq UNIQUE (code);

ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.project_revision
    ADD CONSTRAINT project_revision_pkey PRIMARY KEY (project_id, version);

ALTER TABLE ONLY public.project_unit
    ADD CONSTRAINT project_unit_pkey PRIMARY KEY (project_id, unit_id);

ALTER TABLE ONLY public.project_year_plan
    ADD CONSTRAINT project_year_plan_pkey PRIMARY KEY (project_id, year);

ALTER TABLE ONLY public.reminder_policy
    ADD CONSTRAINT reminder_policy_id_key UNIQUE (id);

ALTER TABLE ONLY public.reminder_policy
    ADD CONSTRAINT reminder_policy_pkey PRIMARY KEY (scope);

ALTER TABLE ONLY public.saved_filter
    ADD CONSTRAINT saved_filter_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.source_document
    ADD CONSTRAINT source_document_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX app_user_email_uq ON public.app_user USING btree (lower(email));

CREATE INDEX app_user_unit_idx ON public.app_user USING btree (unit_id);

CREATE INDEX auth_refresh_token_expires_idx ON public.auth_refresh_token USING btree (expires_at);

CREATE INDEX auth_refresh_token_family_idx ON public.auth_refresh_token USING btree (family_id);

CREATE INDEX auth_refresh_token_user_idx ON public.auth_refresh_token USING btree (user_id);

CREATE INDEX complaint_case_batch_idx ON public.complaint_case USING btree (batch_id, case_no);

CREATE INDEX complaint_case_committed_idx ON public.complaint_case USING btree (committed_date) WHERE (state = 'phase_closed'::text);

CREATE INDEX complaint_case_content_trgm_idx ON public.complaint_case USING gin (content public.gin_trgm_ops);

CREATE INDEX complaint_case_county_received_idx ON public.complaint_case USING btree (county_unit_id, received_on);

CREATE INDEX complaint_case_deadline_open_idx ON public.complaint_case USING btree (deadline) WHERE (state = 'transferred'::text);

CREATE INDEX complaint_case_dispatcher_scope_idx ON public.complaint_case USING gin (dispatcher_scope);

CREATE INDEX complaint_case_duplicate_idx ON public.complaint_case USING gist (county_unit_id, received_on, content public.gist_trgm_ops);

CREATE INDEX complaint_case_list_idx ON public.complaint_case USING btree (received_on DESC, case_no DESC);

CREATE INDEX complaint_case_owner_scope_idx ON public.complaint_case USING gin (owner_scope);

CREATE INDEX complaint_case_text_pairs_idx ON public.complaint_case USING gin (text_pairs COLLATE "C");

CREATE INDEX complaint_case_text_trgm_idx ON public.complaint_case USING gin ((((((case_no || '
'::text) || content) || '
'::text) || address)) public.gin_trgm_ops);

CREATE INDEX complaint_duplicate_other_idx ON public.complaint_duplicate USING btree (other_id);

CREATE INDEX complaint_evidence_case_idx ON public.complaint_evidence USING btree (case_id, uploaded_at) WHERE (removed_at IS NULL);

CREATE UNIQUE INDEX complaint_extension_one_pending ON public.complaint_extension USING btree (case_id) WHERE (status = 'pending'::text);

CREATE INDEX complaint_follow_up_case_idx ON public.complaint_follow_up USING btree (case_id, visited_on);

CREATE INDEX complaint_item_item_idx ON public.complaint_item USING btree (item_id);

CREATE INDEX complaint_reader_county_idx ON public.complaint_reader USING btree (unit_id, county_unit_id, received_on DESC, case_no DESC, case_id DESC) INCLUDE (via, state, lead_unit_id, pollution_types, key_case, verdict);

CREATE INDEX complaint_reader_list_idx ON public.complaint_reader USING btree (unit_id, received_on DESC, case_no DESC, case_id DESC) INCLUDE (via, state, county_unit_id, lead_unit_id, pollution_types, key_case, verdict);

CREATE INDEX complaint_reader_state_idx ON public.complaint_reader USING btree (unit_id, state, received_on DESC, case_no DESC, case_id DESC) INCLUDE (via, county_unit_id, lead_unit_id, pollution_types, key_case, verdict);

CREATE INDEX complaint_unit_unit_idx ON public.complaint_unit USING btree (unit_id);

CREATE INDEX evidence_item_idx ON public.evidence USING btree (item_id, uploaded_at);

CREATE INDEX history_recent_idx ON public.history USING btree (entity_type, at) INCLUDE (entity_id);

CREATE INDEX item_acceptance_item_idx ON public.item_acceptance USING btree (item_id, id);

CREATE INDEX item_acceptance_scope_idx ON public.item USING gin (acceptance_scope);

CREATE INDEX item_acceptance_since_idx ON public.item USING btree (acceptance_since) WHERE (state = 'in_acceptance'::text);

CREATE INDEX item_batch_state_idx ON public.item USING btree (batch_id, state);

CREATE INDEX item_comment_item_idx ON public.item_comment USING btree (item_id, created_at);

CREATE INDEX item_county_state_deadline_idx ON public.item USING btree (county_unit_id, state, current_deadline, id);

CREATE INDEX item_created_idx ON public.item USING btree (created_at, id);

CREATE INDEX item_deadline_idx ON public.item USING btree (current_deadline, id);

CREATE INDEX item_dispatcher_scope_idx ON public.item USING gin (dispatcher_scope);

CREATE INDEX item_domain_state_deadline_idx ON public.item USING btree (domain, state, current_deadline);

CREATE INDEX item_extension_item_idx ON public.item_extension USING btree (item_id, requested_at);

CREATE UNIQUE INDEX item_extension_one_pending_uq ON public.item_extension USING btree (item_id) WHERE (status = 'pending'::text);

CREATE INDEX item_lead_scope_idx ON public.item USING gin (lead_scope);

CREATE INDEX item_open_deadline_idx ON public.item USING btree (current_deadline) INCLUDE (lead_scope, owner_scope, dispatcher_scope, acceptance_scope) WHERE (state = ANY (ARRAY['assigned'::text, 'in_progress'::text]));

CREATE INDEX item_open_first_idx ON public.item USING btree (((state = ANY (ARRAY['signed_off'::text, 'phase_completed'::text, 'cancelled'::text, 'merged'::text]))), current_deadline, id);

CREATE INDEX item_owner_scope_idx ON public.item USING gin (owner_scope);

CREATE INDEX item_progress_item_idx ON public.item_progress USING btree (item_id, reported_on);

CREATE INDEX item_reader_deadline_idx ON public.item_reader USING btree (unit_id, current_deadline, item_id) INCLUDE (via, state, domain, county_unit_id, batch_id);

CREATE INDEX item_reader_open_first_idx ON public.item_reader USING btree (unit_id, ((state = ANY (ARRAY['signed_off'::text, 'phase_completed'::text, 'cancelled'::text, 'merged'::text]))), current_deadline, item_id) INCLUDE (via, state, domain, county_unit_id, batch_id);

CREATE INDEX item_reader_state_idx ON public.item_reader USING btree (unit_id, state, current_deadline, item_id) INCLUDE (via, domain, county_unit_id, batch_id);

CREATE INDEX item_stat_snapshot_at_idx ON public.item_stat_snapshot USING btree (at) WHERE (invalidated_at IS NULL);

CREATE INDEX item_stat_snapshot_cell_idx ON public.item_stat_snapshot_cell USING btree (snapshot_id, dim, key);

CREATE UNIQUE INDEX item_stat_snapshot_month_uq ON public.item_stat_snapshot USING btree (kind, month_end) WHERE (invalidated_at IS NULL);

CREATE INDEX item_state_deadline_idx ON public.item USING btree (state, current_deadline);

CREATE INDEX item_text_bigram_idx ON public.item USING gin (public.text_bigrams(((((code || ' '::text) || title) || ' '::text) || feedback_text)) COLLATE "C");

CREATE INDEX item_timeline_closed_from_idx ON public.item_timeline USING btree (valid_from) INCLUDE (valid_to, item_id, state, batch_id, county_unit_id, domain, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count, lead_unit_ids, lead_scope) WHERE (valid_to IS NOT NULL);

CREATE INDEX item_timeline_closed_idx ON public.item_timeline USING btree (valid_to, valid_from) INCLUDE (item_id, state, batch_id, county_unit_id, domain, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count, lead_unit_ids, lead_scope) WHERE (valid_to IS NOT NULL);

CREATE INDEX item_timeline_item_idx ON public.item_timeline USING btree (item_id, valid_from);

CREATE INDEX item_timeline_open_batch_idx ON public.item_timeline USING btree (batch_id, domain, county_unit_id) INCLUDE (state, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count) WHERE (valid_to IS NULL);

CREATE INDEX item_timeline_open_deadline_idx ON public.item_timeline USING btree (current_deadline) INCLUDE (state, batch_id, county_unit_id, domain, lead_unit_ids, lead_scope) WHERE (valid_to IS NULL);

CREATE INDEX item_timeline_open_from_idx ON public.item_timeline USING btree (valid_from) INCLUDE (item_id, state, batch_id, county_unit_id, domain, original_deadline, current_deadline, extension_count, closed_on, close_working_days, reopen_count, lead_unit_ids, lead_scope) WHERE (valid_to IS NULL);

CREATE INDEX item_timeline_open_lead_idx ON public.item_timeline USING gin (lead_scope) WHERE (valid_to IS NULL);

CREATE UNIQUE INDEX item_timeline_open_uq ON public.item_timeline USING btree (item_id) WHERE (valid_to IS NULL);

CREATE INDEX item_unit_open_part_idx ON public.item_unit USING btree (sub_deadline) WHERE ((role = 'cooperating'::text) AND (status <> 'done'::text));

CREATE INDEX item_unit_unit_idx ON public.item_unit USING btree (unit_id, role);

CREATE INDEX milestone_evidence_milestone_idx ON public.milestone_evidence USING btree (milestone_id, uploaded_at);

CREATE INDEX milestone_open_planned_idx ON public.milestone USING btree (planned_date) WHERE (state = ANY (ARRAY['planned'::text, 'in_progress'::text]));

CREATE INDEX milestone_project_idx ON public.milestone USING btree (project_id, seq);

CREATE INDEX org_unit_alias_unit_idx ON public.org_unit_alias USING btree (unit_id);

CREATE INDEX org_unit_parent_idx ON public.org_unit USING btree (parent_id);

CREATE INDEX org_unit_path_idx ON public.org_unit USING btree (path text_pattern_ops);

CREATE UNIQUE INDEX org_unit_sibling_name_uq ON public.org_unit USING btree (COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name);

CREATE INDEX outbox_email_recipient_idx ON public.outbox USING btree ((((payload ->> 'userId'::text))::uuid), id DESC) WHERE (kind = 'email'::text);

CREATE INDEX outbox_email_unread_idx ON public.outbox USING btree ((((payload ->> 'userId'::text))::uuid)) WHERE ((kind = 'email'::text) AND (read_at IS NULL));

CREATE INDEX outbox_enqueued_idx ON public.outbox USING btree (available_at) WHERE (status = 'enqueued'::text);

CREATE INDEX outbox_failed_idx ON public.outbox USING btree (id) WHERE (status = 'failed'::text);

CREATE INDEX outbox_pending_idx ON public.outbox USING btree (available_at) WHERE (status = 'pending'::text);

CREATE INDEX project_category_idx ON public.project USING btree (category, code);

CREATE INDEX project_dispatcher_scope_idx ON public.project USING gin (dispatcher_scope);

CREATE INDEX project_owner_scope_idx ON public.project USING gin (owner_scope);

CREATE INDEX project_unit_unit_idx ON public.project_unit USING btree (unit_id);

CREATE UNIQUE INDEX saved_filter_user_name_uq ON public.saved_filter USING btree (user_id, lower(name));

CREATE INDEX source_document_batch_idx ON public.source_document USING btree (batch_id);

CREATE TRIGGER complaint_reader_insert AFTER INSERT ON public.complaint_case FOR EACH ROW EXECUTE FUNCTION public.complaint_reader_sync();

CREATE TRIGGER complaint_reader_update AFTER UPDATE OF received_on, case_no, state, county_unit_id, lead_unit_id, pollution_types, key_case, owner_scope, dispatcher_scope ON public.complaint_case FOR EACH ROW WHEN (((old.received_on IS DISTINCT FROM new.received_on) OR (old.case_no IS DISTINCT FROM new.case_no) OR (old.state IS DISTINCT FROM new.state) OR (old.county_unit_id IS DISTINCT FROM new.county_unit_id) OR (old.lead_unit_id IS DISTINCT FROM new.lead_unit_id) OR (old.pollution_types IS DISTINCT FROM new.pollution_types) OR (old.key_case IS DISTINCT FROM new.key_case) OR (old.owner_scope IS DISTINCT FROM new.owner_scope) OR (old.dispatcher_scope IS DISTINCT FROM new.dispatcher_scope))) EXECUTE FUNCTION public.complaint_reader_sync();

CREATE TRIGGER complaint_reader_verdict AFTER INSERT OR DELETE OR UPDATE OF verdict, seq, case_id ON public.complaint_verdict FOR EACH ROW EXECUTE FUNCTION public.complaint_reader_verdict();

CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON public.history FOR EACH STATEMENT EXECUTE FUNCTION public.history_is_append_only();

CREATE TRIGGER history_no_update_delete BEFORE DELETE OR UPDATE ON public.history FOR EACH ROW EXECUTE FUNCTION public.history_is_append_only();

CREATE TRIGGER investment_report_no_update BEFORE UPDATE ON public.investment_report FOR EACH ROW EXECUTE FUNCTION public.investment_report_is_append_only();

CREATE TRIGGER item_reader_forget AFTER DELETE ON public.item REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION public.item_reader_forget();

CREATE TRIGGER item_reader_forget_all AFTER TRUNCATE ON public.item FOR EACH STATEMENT EXECUTE FUNCTION public.item_reader_forget();

CREATE TRIGGER item_reader_insert AFTER INSERT ON public.item FOR EACH ROW WHEN ((current_setting('rectify.bulk_items'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION public.item_reader_sync();

CREATE TRIGGER item_reader_update AFTER UPDATE OF state, domain, county_unit_id, batch_id, current_deadline, owner_scope, dispatcher_scope, acceptance_scope ON public.item FOR EACH ROW WHEN (((old.state IS DISTINCT FROM new.state) OR (old.domain IS DISTINCT FROM new.domain) OR (old.county_unit_id IS DISTINCT FROM new.county_unit_id) OR (old.batch_id IS DISTINCT FROM new.batch_id) OR (old.current_deadline IS DISTINCT FROM new.current_deadline) OR (old.owner_scope IS DISTINCT FROM new.owner_scope) OR (old.dispatcher_scope IS DISTINCT FROM new.dispatcher_scope) OR (old.acceptance_scope IS DISTINCT FROM new.acceptance_scope))) EXECUTE FUNCTION public.item_reader_sync();

CREATE TRIGGER item_scope_snapshot_guard AFTER UPDATE ON public.item FOR EACH ROW WHEN (((old.owner_scope IS DISTINCT FROM new.owner_scope) OR (old.dispatcher_scope IS DISTINCT FROM new.dispatcher_scope) OR (old.acceptance_scope IS DISTINCT FROM new.acceptance_scope))) EXECUTE FUNCTION public.item_scope_snapshot_guard();

CREATE TRIGGER item_timeline_insert AFTER INSERT ON public.item FOR EACH ROW WHEN ((current_setting('rectify.bulk_items'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION public.item_timeline_track();

CREATE TRIGGER item_timeline_snapshot_guard AFTER INSERT OR DELETE OR UPDATE ON public.item_timeline FOR EACH ROW WHEN ((current_setting('rectify.bulk_items'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION public.item_timeline_snapshot_guard();

CREATE TRIGGER item_timeline_update AFTER UPDATE ON public.item FOR EACH ROW WHEN (((old.state IS DISTINCT FROM new.state) OR (old.current_deadline IS DISTINCT FROM new.current_deadline) OR (old.original_deadline IS DISTINCT FROM new.original_deadline) OR (old.extension_count IS DISTINCT FROM new.extension_count) OR (old.first_signed_off_at IS DISTINCT FROM new.first_signed_off_at) OR (old.completed_at IS DISTINCT FROM new.completed_at) OR (old.close_working_days IS DISTINCT FROM new.close_working_days) OR (old.reopen_count IS DISTINCT FROM new.reopen_count) OR (old.lead_scope IS DISTINCT FROM new.lead_scope) OR (old.county_unit_id IS DISTINCT FROM new.county_unit_id) OR (old.domain IS DISTINCT FROM new.domain) OR (old.batch_id IS DISTINCT FROM new.batch_id) OR (old.owner_scope IS DISTINCT FROM new.owner_scope) OR (old.dispatcher_scope IS DISTINCT FROM new.dispatcher_scope) OR (old.acceptance_scope IS DISTINCT FROM new.acceptance_scope))) EXECUTE FUNCTION public.item_timeline_track();

CREATE TRIGGER org_unit_moved AFTER UPDATE OF path ON public.org_unit FOR EACH ROW WHEN ((old.path IS DISTINCT FROM new.path)) EXECUTE FUNCTION public.org_unit_moved();

CREATE TRIGGER org_unit_moved_complaints AFTER UPDATE OF path ON public.org_unit FOR EACH ROW WHEN ((old.path IS DISTINCT FROM new.path)) EXECUTE FUNCTION public.org_unit_moved_complaints();

CREATE TRIGGER org_unit_moved_projects AFTER UPDATE OF path ON public.org_unit FOR EACH ROW WHEN ((old.path IS DISTINCT FROM new.path)) EXECUTE FUNCTION public.org_unit_moved_projects();

ALTER TABLE ONLY public.app_user
    ADD CONSTRAINT app_user_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id) ON DELETE RESTRICT;

ALTER TABLE ONLY public.auth_refresh_token
    ADD CONSTRAINT auth_refresh_token_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.app_user(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.batch
    ADD CONSTRAINT batch_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.batch
    ADD CONSTRAINT batch_dispatcher_unit_id_fkey FOREIGN KEY (dispatcher_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.calendar_entry
    ADD CONSTRAINT calendar_entry_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.calendar_year
    ADD CONSTRAINT calendar_year_confirmed_by_fkey FOREIGN KEY (confirmed_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_batch
    ADD CONSTRAINT complaint_batch_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_batch
    ADD CONSTRAINT complaint_batch_dispatcher_unit_id_fkey FOREIGN KEY (dispatcher_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.complaint_batch(id);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_county_unit_id_fkey FOREIGN KEY (county_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_dispatcher_unit_id_fkey FOREIGN KEY (dispatcher_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_duplicate_of_id_fkey FOREIGN KEY (duplicate_of_id) REFERENCES public.complaint_case(id);

ALTER TABLE ONLY public.complaint_case
    ADD CONSTRAINT complaint_case_lead_unit_id_fkey FOREIGN KEY (lead_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.complaint_contact
    ADD CONSTRAINT complaint_contact_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_deadline
    ADD CONSTRAINT complaint_deadline_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_deadline
    ADD CONSTRAINT complaint_deadline_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_duplicate
    ADD CONSTRAINT complaint_duplicate_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_duplicate
    ADD CONSTRAINT complaint_duplicate_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_duplicate
    ADD CONSTRAINT complaint_duplicate_other_id_fkey FOREIGN KEY (other_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_evidence
    ADD CONSTRAINT complaint_evidence_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_evidence
    ADD CONSTRAINT complaint_evidence_removed_by_fkey FOREIGN KEY (removed_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_evidence
    ADD CONSTRAINT complaint_evidence_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.complaint_evidence
    ADD CONSTRAINT complaint_evidence_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_extension
    ADD CONSTRAINT complaint_extension_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_extension
    ADD CONSTRAINT complaint_extension_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_extension
    ADD CONSTRAINT complaint_extension_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_follow_up
    ADD CONSTRAINT complaint_follow_up_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_follow_up
    ADD CONSTRAINT complaint_follow_up_visited_by_fkey FOREIGN KEY (visited_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_item
    ADD CONSTRAINT complaint_item_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_item
    ADD CONSTRAINT complaint_item_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id);

ALTER TABLE ONLY public.complaint_reader
    ADD CONSTRAINT complaint_reader_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_unit
    ADD CONSTRAINT complaint_unit_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_unit
    ADD CONSTRAINT complaint_unit_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.complaint_verdict
    ADD CONSTRAINT complaint_verdict_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.complaint_case(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.complaint_verdict
    ADD CONSTRAINT complaint_verdict_reported_by_fkey FOREIGN KEY (reported_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.complaint_verdict
    ADD CONSTRAINT complaint_verdict_reviewed_by_fkey FOREIGN KEY (reviewed_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_part_unit_id_fkey FOREIGN KEY (part_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_progress_id_fkey FOREIGN KEY (progress_id) REFERENCES public.item_progress(id);

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.evidence
    ADD CONSTRAINT evidence_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.investment_report
    ADD CONSTRAINT investment_report_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.investment_report
    ADD CONSTRAINT investment_report_reported_by_fkey FOREIGN KEY (reported_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_acceptance
    ADD CONSTRAINT item_acceptance_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_acceptance
    ADD CONSTRAINT item_acceptance_signed_by_fkey FOREIGN KEY (signed_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_acceptance
    ADD CONSTRAINT item_acceptance_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.batch(id);

ALTER TABLE ONLY public.item_comment
    ADD CONSTRAINT item_comment_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_comment
    ADD CONSTRAINT item_comment_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_county_unit_id_fkey FOREIGN KEY (county_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_deadline
    ADD CONSTRAINT item_deadline_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_deadline
    ADD CONSTRAINT item_deadline_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_dispatcher_unit_id_fkey FOREIGN KEY (dispatcher_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.item_extension
    ADD CONSTRAINT item_extension_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_extension
    ADD CONSTRAINT item_extension_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_extension
    ADD CONSTRAINT item_extension_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_merged_into_id_fkey FOREIGN KEY (merged_into_id) REFERENCES public.item(id);

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_pending_extension_fk FOREIGN KEY (pending_extension_id) REFERENCES public.item_extension(id);

ALTER TABLE ONLY public.item_progress
    ADD CONSTRAINT item_progress_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_progress
    ADD CONSTRAINT item_progress_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_progress
    ADD CONSTRAINT item_progress_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.item
    ADD CONSTRAINT item_source_document_id_fkey FOREIGN KEY (source_document_id) REFERENCES public.source_document(id);

ALTER TABLE ONLY public.item_spot_check
    ADD CONSTRAINT item_spot_check_auditor_id_fkey FOREIGN KEY (auditor_id) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.item_spot_check
    ADD CONSTRAINT item_spot_check_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_stat_snapshot_cell
    ADD CONSTRAINT item_stat_snapshot_cell_snapshot_id_fkey FOREIGN KEY (snapshot_id) REFERENCES public.item_stat_snapshot(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_stat_snapshot_days
    ADD CONSTRAINT item_stat_snapshot_days_snapshot_id_fkey FOREIGN KEY (snapshot_id) REFERENCES public.item_stat_snapshot(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_timeline
    ADD CONSTRAINT item_timeline_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_unit
    ADD CONSTRAINT item_unit_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.item(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.item_unit
    ADD CONSTRAINT item_unit_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.milestone_evidence
    ADD CONSTRAINT milestone_evidence_milestone_id_fkey FOREIGN KEY (milestone_id) REFERENCES public.milestone(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.milestone_evidence
    ADD CONSTRAINT milestone_evidence_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.milestone_evidence
    ADD CONSTRAINT milestone_evidence_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.milestone_plan
    ADD CONSTRAINT milestone_plan_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.milestone_plan
    ADD CONSTRAINT milestone_plan_milestone_id_fkey FOREIGN KEY (milestone_id) REFERENCES public.milestone(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.milestone
    ADD CONSTRAINT milestone_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.milestone
    ADD CONSTRAINT milestone_responsible_unit_id_fkey FOREIGN KEY (responsible_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.milestone_template
    ADD CONSTRAINT milestone_template_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.org_unit_alias
    ADD CONSTRAINT org_unit_alias_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.org_unit
    ADD CONSTRAINT org_unit_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.org_unit(id) ON DELETE RESTRICT;

ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_county_unit_id_fkey FOREIGN KEY (county_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_dispatcher_unit_id_fkey FOREIGN KEY (dispatcher_unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.project_revision
    ADD CONSTRAINT project_revision_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.project_unit
    ADD CONSTRAINT project_unit_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.project_unit
    ADD CONSTRAINT project_unit_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);

ALTER TABLE ONLY public.project_year_plan
    ADD CONSTRAINT project_year_plan_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.reminder_policy
    ADD CONSTRAINT reminder_policy_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.app_user(id);

ALTER TABLE ONLY public.saved_filter
    ADD CONSTRAINT saved_filter_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.app_user(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.source_document
    ADD CONSTRAINT source_document_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.batch(id);

ALTER TABLE ONLY public.source_document
    ADD CONSTRAINT source_document_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.app_user(id);
