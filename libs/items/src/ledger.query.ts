import type { Domain, ItemType, RectificationState, SourceType } from '#domain';
import type { StageNode } from './item-fields.js';

/** One ledger row, with the columns units exchange in their spreadsheets (domain.md). */
export interface LedgerRow {
  id: string;
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
  deadline_version: number;
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

export const LEDGER_SQL = `
  SELECT i.id, i.code, b.name AS batch_name, b.source_type, i.title, i.feedback_text, i.domain, c.name AS county_name, i.goal, i.measures,
         (SELECT string_agg(o.name, '、' ORDER BY o.name) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
           WHERE iu.item_id = i.id AND iu.role = 'lead') AS lead_units,
         (SELECT string_agg(o.name || coalesce('（' || iu.part || '）', ''), '、' ORDER BY o.name) FROM item_unit iu JOIN org_unit o ON o.id = iu.unit_id
           WHERE iu.item_id = i.id AND iu.role = 'cooperating') AS cooperating_units,
         i.responsible_leader, i.responsible_person, i.responsible_phone,
         to_char(i.original_deadline, 'YYYY-MM-DD') AS original_deadline, to_char(i.current_deadline, 'YYYY-MM-DD') AS current_deadline,
         i.deadline_version, i.type, i.stage_nodes,
         (SELECT string_agg(to_char(pr.reported_on, 'YYYY-MM-DD') || ' ' || pr.text, E'\n' ORDER BY pr.reported_on, pr.created_at)
            FROM item_progress pr WHERE pr.item_id = i.id) AS progress,
         i.state, (i.state = ANY($OVERDUE::text[]) AND i.current_deadline < $TODAY::date) AS overdue,
         (SELECT string_agg(l.lvl->>'label', '→' ORDER BY l.ord) FROM jsonb_array_elements(b.acceptance_chain) WITH ORDINALITY AS l(lvl, ord))
           AS acceptance_levels,
         (SELECT string_agg(coalesce(u.name, '—'), '→' ORDER BY a.ord)
            FROM unnest(item_acceptance_units_of(b.acceptance_chain, i.county_unit_id,
                          ARRAY(SELECT iu.unit_id FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'))) WITH ORDINALITY AS a(unit_id, ord)
            LEFT JOIN org_unit u ON u.id = a.unit_id) AS acceptance_units,
         (SELECT to_char(max(a.signed_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM item_acceptance a WHERE a.item_id = i.id) AS acceptance_date,
         (SELECT coalesce((SELECT l.lvl->>'label' FROM jsonb_array_elements(b.acceptance_chain) AS l(lvl) WHERE l.lvl->>'level' = a.level LIMIT 1), a.level)
                 || CASE a.result WHEN 'pass' THEN ' 通过' ELSE ' 退回' END || coalesce('：' || a.opinion, '')
            FROM item_acceptance a WHERE a.item_id = i.id ORDER BY a.id DESC LIMIT 1) AS acceptance_result,
         to_char(i.notice_start, 'YYYY-MM-DD') AS notice_start, to_char(i.notice_end, 'YYYY-MM-DD') AS notice_end,
         to_char(i.last_signed_off_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS signed_off_on,
         (SELECT count(*) || ' 份：' || string_agg(e.filename, '、' ORDER BY e.uploaded_at) FROM evidence e WHERE e.item_id = i.id) AS evidence
    FROM item i JOIN batch b ON b.id = i.batch_id LEFT JOIN org_unit c ON c.id = i.county_unit_id`;
