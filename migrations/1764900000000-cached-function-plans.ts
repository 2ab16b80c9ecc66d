import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * item_acceptance_units() is called once per transition (the item's snapshot) and per e-mailed
 * event. As a SQL function with an aggregate it cannot be inlined and was planned again on every
 * call (about 1 ms); in PL/pgSQL its plan is cached for the session. Same statement, same result.
 */
export class CachedFunctionPlans1764900000000 implements MigrationInterface {
  name = 'CachedFunctionPlans1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION item_acceptance_units(p_item uuid) RETURNS uuid[] LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN (
          SELECT coalesce(array_agg(coalesce((c.lvl->>'unitId')::uuid, i.county_unit_id,
                   (SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead' ORDER BY iu.unit_id LIMIT 1))
                 ORDER BY c.ord), '{}')
            FROM item i JOIN batch b ON b.id = i.batch_id
            CROSS JOIN LATERAL jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS c(lvl, ord)
           WHERE i.id = p_item);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION item_acceptance_units(p_item uuid) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(coalesce((c.lvl->>'unitId')::uuid, i.county_unit_id,
                 (SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead' ORDER BY iu.unit_id LIMIT 1))
               ORDER BY c.ord), '{}')
          FROM item i JOIN batch b ON b.id = i.batch_id
          CROSS JOIN LATERAL jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS c(lvl, ord)
         WHERE i.id = p_item
      $$`);
  }
}
