import type { Domain, ItemType, RectificationState, SourceType } from '#domain';
import type { StageNode } from './item-fields.js';

/** One ledger row, with the columns units exchange in their spreadsheets (domain.md). */
export interface LedgerRow {
  code: string;
  batch_name: string;
  source_type: SourceType;
  title: string;
  feedback_text: string;
  domain: Domain;
  county_name: string | null;
  goal: string;
  measures: string;
  lead_units: string | null;
  cooperating_units: string | null;
  responsible_leader: string | null;
  responsible_person: string | null;
  responsible_phone: string | null;
  original_deadline: string | null;
  current_deadline: string | null;
  type: ItemType;
  stage_nodes: StageNode[];
  progress: string | null;
  state: RectificationState;
  overdue: boolean;
  acceptance_levels: string | null;
  acceptance_units: string | null;
  acceptance_date: string | null;
  acceptance_result: string | null;
  notice_start: string | null;
  notice_end: string | null;
  signed_off_on: string | null;
  evidence: string | null;
}

/**
 * The ledger statement over the items `where` (conditions on item i) selects, in `orderBy`: each
 * column set-wise, aggregated once over the selected items' rows of its table and joined by item
 * (no subquery per row). `overdueStates` and `today` are parameter placeholders. Run it with
 * nested loops off: the planner cannot know how many rows the CTEs hold, and a nested loop over two
 * of them would test every pair. The joins are hashed, so each table of a column is read once
 * whole: the cost follows the tables' size, not the selection's.
 */
export function ledgerSql(where: string, orderBy: string, overdueStates: string, today: string): string {
  return `
  WITH sel AS MATERIALIZED (SELECT i.id, i.batch_id, i.county_unit_id FROM item i ${where}),
  units AS (
    SELECT s.id AS item_id, s.batch_id, s.county_unit_id,
           string_agg(o.name, '、' ORDER BY o.name) FILTER (WHERE iu.role = 'lead') AS lead_units,
           string_agg(o.name || coalesce('（' || iu.part || '）', ''), '、' ORDER BY o.name) FILTER (WHERE iu.role = 'cooperating')
             AS cooperating_units,
           array_agg(iu.unit_id ORDER BY iu.unit_id) FILTER (WHERE iu.role = 'lead') AS leads
      FROM sel s LEFT JOIN item_unit iu ON iu.item_id = s.id LEFT JOIN org_unit o ON o.id = iu.unit_id
     GROUP BY s.id, s.batch_id, s.county_unit_id),
  chain AS (
    SELECT b.id AS batch_id, l.ord, l.lvl->>'level' AS level, l.lvl->>'label' AS label
      FROM batch b CROSS JOIN LATERAL jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS l(lvl, ord)
     WHERE b.id IN (SELECT batch_id FROM sel)),
  levels AS (SELECT batch_id, string_agg(label, '→' ORDER BY ord) AS acceptance_levels FROM chain GROUP BY batch_id),
  level_labels AS (SELECT DISTINCT ON (batch_id, level) batch_id, level, label FROM chain ORDER BY batch_id, level, ord),
  -- The acceptance units follow from the batch, the county and the lead units alone: resolved once
  -- per combination. NULLs compare equal inside an array, so the combination is one hashable key.
  acceptance_units AS (
    SELECT k.key,
           (SELECT string_agg(coalesce(u.name, '—'), '→' ORDER BY a.ord)
              FROM unnest(item_acceptance_units_of(b.acceptance_chain, k.county_unit_id, coalesce(k.leads, '{}')))
                     WITH ORDINALITY AS a(unit_id, ord)
              LEFT JOIN org_unit u ON u.id = a.unit_id) AS acceptance_units
      FROM (SELECT DISTINCT ARRAY[batch_id, county_unit_id] || leads AS key, batch_id, county_unit_id, leads FROM units) k
      JOIN batch b ON b.id = k.batch_id),
  progress_log AS (
    SELECT pr.item_id, string_agg(to_char(pr.reported_on, 'YYYY-MM-DD') || ' ' || pr.text, E'\\n' ORDER BY pr.reported_on, pr.created_at)
             AS progress
      FROM item_progress pr WHERE pr.item_id IN (SELECT id FROM sel) GROUP BY pr.item_id),
  last_acceptance AS (
    SELECT DISTINCT ON (a.item_id) a.item_id, a.level, a.result, a.opinion, max(a.signed_at) OVER (PARTITION BY a.item_id) AS signed_at
      FROM item_acceptance a WHERE a.item_id IN (SELECT id FROM sel) ORDER BY a.item_id, a.id DESC),
  evidence_list AS (
    SELECT e.item_id, count(*) || ' 份：' || string_agg(e.filename, '、' ORDER BY e.uploaded_at) AS evidence
      FROM evidence e WHERE e.item_id IN (SELECT id FROM sel) GROUP BY e.item_id)
  SELECT i.code, b.name AS batch_name, b.source_type, i.title, i.feedback_text, i.domain, c.name AS county_name, i.goal, i.measures,
         un.lead_units, un.cooperating_units, i.responsible_leader, i.responsible_person, i.responsible_phone,
         to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline, to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline,
         i.type, i.stage_nodes, pl.progress,
         i.state, (i.state = ANY(${overdueStates}::text[]) AND i.current_deadline < ${today}::date) AS overdue,
         lv.acceptance_levels, au.acceptance_units,
         to_char(la.signed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS acceptance_date,
         coalesce(ll.label, la.level) || CASE la.result WHEN 'pass' THEN ' 通过' ELSE ' 退回' END || coalesce('：' || la.opinion, '')
           AS acceptance_result,
         to_char(i.notice_start, 'YYYY-MM-DD') AS notice_start, to_char(i.notice_end, 'YYYY-MM-DD') AS notice_end,
         to_char(i.last_signed_off_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS signed_off_on,
         ev.evidence
    FROM item i JOIN batch b ON b.id = i.batch_id LEFT JOIN org_unit c ON c.id = i.county_unit_id
    JOIN units un ON un.item_id = i.id
    LEFT JOIN levels lv ON lv.batch_id = i.batch_id
    LEFT JOIN acceptance_units au ON au.key = ARRAY[i.batch_id, i.county_unit_id] || un.leads
    LEFT JOIN progress_log pl ON pl.item_id = i.id
    LEFT JOIN last_acceptance la ON la.item_id = i.id
    LEFT JOIN level_labels ll ON ll.batch_id = i.batch_id AND ll.level = la.level
    LEFT JOIN evidence_list ev ON ev.item_id = i.id
   ${where}
   ORDER BY ${orderBy}`;
}
