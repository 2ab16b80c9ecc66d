import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key projects (重点工程项目): the project ledger with its responsible units and per-year
 * investment plan, milestones with planned-date versions and evidence, and monthly investment
 * reports. Reports are append-only: a correction is a new version of the month, never an overwrite.
 * Projects carry scope sets like items, kept in step when units change or move.
 */
export class KeyProjects1764700000000 implements MigrationInterface {
  name = 'KeyProjects1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE milestone_template (
        id          integer PRIMARY KEY CHECK (id = 1),
        template    jsonb NOT NULL CHECK (jsonb_typeof(template) = 'array'),
        version     integer NOT NULL DEFAULT 1,
        updated_by  uuid REFERENCES app_user(id),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO milestone_template (id, template) VALUES (1, '[
        {"name": "前期手续/立项", "share": 0}, {"name": "环评批复", "share": 0.1}, {"name": "开工", "share": 0.2},
        {"name": "主体完工", "share": 0.8}, {"name": "竣工验收", "share": 0.95}, {"name": "投运", "share": 1}]')`);

    await q.query(`
      CREATE TABLE project (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code                text NOT NULL,
        name                text NOT NULL,
        category            text NOT NULL CHECK (category IN ('air','water','ecology','risk','supervision','other')),
        county_unit_id      uuid REFERENCES org_unit(id),
        source              text NOT NULL DEFAULT '',
        description         text NOT NULL DEFAULT '',
        planned_investment  numeric(14,2) NOT NULL CHECK (planned_investment >= 0),
        prior_investment    numeric(14,2) NOT NULL DEFAULT 0 CHECK (prior_investment >= 0),
        start_year          integer NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
        end_year            integer NOT NULL CHECK (end_year BETWEEN 2000 AND 2100),
        planned_start       date NOT NULL,
        planned_end         date NOT NULL,
        dispatcher_unit_id  uuid NOT NULL REFERENCES org_unit(id),
        owner_scope         uuid[] NOT NULL DEFAULT '{}',
        dispatcher_scope    uuid[] NOT NULL DEFAULT '{}',
        version             integer NOT NULL DEFAULT 1,
        created_by          uuid REFERENCES app_user(id),
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT project_code_uq UNIQUE (code),
        CONSTRAINT project_years CHECK (end_year >= start_year),
        CONSTRAINT project_period CHECK (planned_end >= planned_start
          AND extract(year FROM planned_start) = start_year AND extract(year FROM planned_end) = end_year)
      )`);
    await q.query(`CREATE INDEX project_owner_scope_idx ON project USING gin (owner_scope)`);
    await q.query(`CREATE INDEX project_dispatcher_scope_idx ON project USING gin (dispatcher_scope)`);
    await q.query(`CREATE INDEX project_category_idx ON project (category, code)`);

    await q.query(`
      CREATE TABLE project_unit (
        project_id  uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        unit_id     uuid NOT NULL REFERENCES org_unit(id),
        PRIMARY KEY (project_id, unit_id)
      )`);
    await q.query(`CREATE INDEX project_unit_unit_idx ON project_unit (unit_id)`);

    await q.query(`
      CREATE TABLE project_year_plan (
        project_id  uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        year        integer NOT NULL,
        amount      numeric(14,2) NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (project_id, year)
      )`);

    // What the figures rest on, as it stood after each create or edit: statistics as of a past day
    // read the revision in force then, so a later edit of the plan does not change last month's figures.
    await q.query(`
      CREATE TABLE project_revision (
        project_id          uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        version             integer NOT NULL,
        category            text NOT NULL,
        county_unit_id      uuid,
        unit_ids            uuid[] NOT NULL,
        planned_investment  numeric(14,2) NOT NULL,
        prior_investment    numeric(14,2) NOT NULL,
        planned_start       date NOT NULL,
        planned_end         date NOT NULL,
        year_plans          jsonb NOT NULL,
        recorded_at         timestamptz NOT NULL,
        PRIMARY KEY (project_id, version)
      )`);

    await q.query(`
      CREATE TABLE milestone (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id             uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        seq                    integer NOT NULL,
        name                   text NOT NULL,
        responsible_unit_id    uuid NOT NULL REFERENCES org_unit(id),
        state                  text NOT NULL DEFAULT 'planned' CHECK (state IN ('planned','in_progress','reported','verified')),
        version                integer NOT NULL DEFAULT 1,
        planned_date           date NOT NULL,
        original_planned_date  date NOT NULL,
        plan_version           integer NOT NULL DEFAULT 1,
        actual_date            date,
        reported_at            timestamptz,
        verified_at            timestamptz,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT milestone_name_uq UNIQUE (project_id, name),
        CONSTRAINT milestone_verified_has_date CHECK ((state = 'verified') = (verified_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX milestone_project_idx ON milestone (project_id, seq)`);
    await q.query(`CREATE INDEX milestone_open_planned_idx ON milestone (planned_date) WHERE state IN ('planned','in_progress')`);

    await q.query(`
      CREATE TABLE milestone_plan (
        milestone_id  uuid NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
        version       integer NOT NULL CHECK (version >= 1),
        planned_date  date NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('initial','replan')),
        reason        text,
        decided_by    uuid REFERENCES app_user(id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (milestone_id, version)
      )`);

    await q.query(`
      CREATE TABLE milestone_evidence (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        milestone_id  uuid NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
        unit_id       uuid NOT NULL REFERENCES org_unit(id),
        filename      text NOT NULL,
        content_type  text NOT NULL,
        size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
        sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key   text NOT NULL,
        uploaded_by   uuid NOT NULL REFERENCES app_user(id),
        uploaded_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX milestone_evidence_milestone_idx ON milestone_evidence (milestone_id, uploaded_at)`);

    // 月报: completed investment of one month. Version 1 is the report, later versions corrections.
    await q.query(`
      CREATE TABLE investment_report (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id   uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        month        date NOT NULL CHECK (extract(day FROM month) = 1),
        version      integer NOT NULL CHECK (version >= 1),
        amount       numeric(14,2) NOT NULL CHECK (amount >= 0),
        note         text NOT NULL DEFAULT '',
        reason       text,
        reported_by  uuid NOT NULL REFERENCES app_user(id),
        reported_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT investment_report_version_uq UNIQUE (project_id, month, version),
        CONSTRAINT investment_report_correction_has_reason CHECK (version = 1 OR reason IS NOT NULL)
      )`);
    await q.query(`
      CREATE FUNCTION investment_report_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'investment reports are append-only (correct with a new version): % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    // Deleting a whole project (cascade) is allowed; changing or deleting a report on its own is not.
    await q.query(`
      CREATE TRIGGER investment_report_no_update BEFORE UPDATE ON investment_report
      FOR EACH ROW EXECUTE FUNCTION investment_report_is_append_only()`);

    await q.query(`
      CREATE FUNCTION project_refresh_scope(p_project uuid) RETURNS void LANGUAGE sql AS $$
        UPDATE project p SET
          owner_scope = coalesce((SELECT array_agg(DISTINCT a) FROM (
                            SELECT unit_id FROM project_unit WHERE project_id = p.id
                            UNION SELECT responsible_unit_id FROM milestone WHERE project_id = p.id) u
                          JOIN org_unit o ON o.id = u.unit_id CROSS JOIN LATERAL unnest(path_ids(o.path)) a), '{}'),
          dispatcher_scope = coalesce((SELECT path_ids(o.path) FROM org_unit o WHERE o.id = p.dispatcher_unit_id), '{}')
        WHERE p.id = p_project
      $$`);
    await q.query(`
      CREATE FUNCTION org_unit_moved_projects() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM project_refresh_scope(p.id) FROM project p
          WHERE p.owner_scope @> ARRAY[NEW.id] OR p.dispatcher_scope @> ARRAY[NEW.id];
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER org_unit_moved_projects AFTER UPDATE OF path ON org_unit
      FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION org_unit_moved_projects()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER org_unit_moved_projects ON org_unit`);
    await q.query(`DROP FUNCTION org_unit_moved_projects()`);
    await q.query(`DROP FUNCTION project_refresh_scope(uuid)`);
    await q.query(
      `DROP TABLE investment_report, milestone_evidence, milestone_plan, milestone, project_revision, project_year_plan, project_unit, project`,
    );
    await q.query(`DROP FUNCTION investment_report_is_append_only()`);
    await q.query(`DROP TABLE milestone_template`);
  }
}
