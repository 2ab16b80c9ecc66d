import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Org units, their aliases, users, sign-in sessions and the append-only history. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_unit (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code        text NOT NULL,
        name        text NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('city','department','county','section','enterprise','other')),
        parent_id   uuid REFERENCES org_unit(id) ON DELETE RESTRICT,
        path        text NOT NULL,
        sort_order  integer NOT NULL DEFAULT 0,
        active      boolean NOT NULL DEFAULT true,
        version     integer NOT NULL DEFAULT 1,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT org_unit_code_uq UNIQUE (code),
        CONSTRAINT org_unit_root_has_no_parent CHECK ((parent_id IS NULL) = (path = '/' || id || '/'))
      )`);
    // Subtree lookups are prefix matches on the materialised path.
    await q.query(`CREATE INDEX org_unit_path_idx ON org_unit (path text_pattern_ops)`);
    await q.query(`CREATE INDEX org_unit_parent_idx ON org_unit (parent_id)`);
    await q.query(
      `CREATE UNIQUE INDEX org_unit_sibling_name_uq ON org_unit (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name)`,
    );

    await q.query(`
      CREATE TABLE org_unit_alias (
        alias       text PRIMARY KEY,
        unit_id     uuid NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX org_unit_alias_unit_idx ON org_unit_alias (unit_id)`);

    await q.query(`
      CREATE TABLE app_user (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name           text NOT NULL,
        email          text NOT NULL,
        phone          text,
        unit_id        uuid NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,
        roles          text[] NOT NULL DEFAULT '{}',
        active         boolean NOT NULL DEFAULT true,
        password_hash  text,
        last_login_at  timestamptz,
        version        integer NOT NULL DEFAULT 1,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_roles_known CHECK (roles <@ ARRAY['admin','dispatcher','unit_officer','verifier','auditor']::text[])
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_uq ON app_user (lower(email))`);
    await q.query(`CREATE INDEX app_user_unit_idx ON app_user (unit_id)`);

    // A sign-in session: refresh tokens rotate within a family; reuse of a rotated token revokes the family.
    await q.query(`
      CREATE TABLE auth_refresh_token (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id       uuid NOT NULL,
        user_id         uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        secret_hash     text NOT NULL,
        expires_at      timestamptz NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        rotated_at      timestamptz,
        revoked_at      timestamptz,
        revoked_reason  text,
        user_agent      text,
        ip              text
      )`);
    await q.query(`CREATE INDEX auth_refresh_token_family_idx ON auth_refresh_token (family_id)`);
    await q.query(`CREATE INDEX auth_refresh_token_user_idx ON auth_refresh_token (user_id)`);
    await q.query(`CREATE INDEX auth_refresh_token_expires_idx ON auth_refresh_token (expires_at)`);

    // History: append-only, each row hash-chained to the previous row of the same entity.
    await q.query(`
      CREATE TABLE history (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entity_type  text NOT NULL,
        entity_id    uuid NOT NULL,
        seq          integer NOT NULL CHECK (seq >= 1),
        action       text NOT NULL,
        from_state   text,
        to_state     text,
        actor_id     uuid,
        at           timestamptz NOT NULL,
        reason       text,
        data         jsonb NOT NULL DEFAULT '{}'::jsonb,
        prev_hash    text,
        hash         text NOT NULL,
        CONSTRAINT history_entity_seq_uq UNIQUE (entity_type, entity_id, seq)
      )`);
    await q.query(`CREATE INDEX history_at_idx ON history (at)`);
    await q.query(`
      CREATE FUNCTION history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'history is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER history_no_update_delete BEFORE UPDATE OR DELETE ON history
      FOR EACH ROW EXECUTE FUNCTION history_is_append_only()`);
    await q.query(`
      CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
      FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE history`);
    await q.query(`DROP FUNCTION history_is_append_only()`);
    await q.query(`DROP TABLE auth_refresh_token`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP TABLE org_unit_alias`);
    await q.query(`DROP TABLE org_unit`);
  }
}
