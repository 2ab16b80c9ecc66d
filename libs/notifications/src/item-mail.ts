import type { EntityManager } from 'typeorm';
import { levelLabel, type AcceptanceLevel } from '#domain';
import type { CommentEvent } from '#items';
import type { ChangeDetails, ChangeEvent, ItemRef } from '#workflow';
import type { MailData } from './templates.js';

/** Who hears of an item event. One event may reach several audiences, each with its own text. */
type Audience =
  | 'lead_officers'
  | 'cooperating_officers'
  | 'dispatchers'
  | 'batch_dispatchers'
  | 'level_verifiers'
  | 'next_level_or_lead'
  | 'returned_to'
  | 'mentioned';

export const ITEM_EVENT_AUDIENCES: Record<string, Audience[]> = {
  'item.assign': ['lead_officers', 'cooperating_officers'],
  'item.urge': ['lead_officers'],
  'item.submit': ['level_verifiers', 'batch_dispatchers'],
  'item.pass': ['next_level_or_lead', 'batch_dispatchers'],
  'item.return': ['returned_to', 'batch_dispatchers'],
  'item.request_extension': ['dispatchers'],
  'item.approve_extension': ['lead_officers'],
  'item.reject_extension': ['lead_officers'],
  'item.reset_deadline': ['lead_officers'],
  'item.reopen': ['lead_officers'],
  'item.uphold_objection': ['lead_officers'],
  'item.close_notice': ['lead_officers', 'batch_dispatchers'],
  'item.sign_off': ['lead_officers', 'batch_dispatchers'],
  'item.comment': ['mentioned'],
  'item.deadline_recomputed': ['lead_officers'],
  'item.withdraw': ['lead_officers', 'cooperating_officers'],
  'item.decline': ['dispatchers', 'batch_dispatchers', 'lead_officers', 'cooperating_officers'],
  'item.cancel': ['lead_officers', 'cooperating_officers'],
  'item.merge': ['lead_officers', 'cooperating_officers'],
};

export interface Recipient {
  id: string;
  name: string;
  email: string;
}

export interface ItemMail {
  template: string;
  recipient: Recipient;
  data: Omit<MailData, 'recipientName'>;
}

interface ItemRow {
  code: string;
  title: string;
  deadline: string | null;
  dispatcher_unit_id: string;
  batch_dispatcher_unit_id: string;
  chain: AcceptanceLevel[];
  lead: string[];
  cooperating: { unitId: string; part: string | null; subDeadline: string | null }[];
  acceptance_units: (string | null)[];
}

/** What the outbox holds about an item: a recorded change, or a comment that mentions people. */
export type ItemEvent = ChangeEvent<ItemRef> | CommentEvent;

/**
 * The e-mails one item event causes: for each audience the recipients and the template, in the
 * order of ITEM_EVENT_AUDIENCES (a person in two audiences is mailed once, with the first). Nobody
 * is mailed about their own action, whichever audience they are in (a person may hold two roles).
 * Acceptance levels are named by their labels (县级自验…), never by their codes.
 */
export async function itemMails(m: EntityManager, kind: string, event: ItemEvent, link: string): Promise<ItemMail[]> {
  const audiences = ITEM_EVENT_AUDIENCES[kind];
  if (!audiences) return [];
  const [item] = await m.query<ItemRow[]>(
    `SELECT i.code, i.title, to_char(i.current_deadline, 'YYYY-MM-DD') AS deadline, i.dispatcher_unit_id,
            b.dispatcher_unit_id AS batch_dispatcher_unit_id, b.acceptance_chain AS chain,
            coalesce((SELECT array_agg(iu.unit_id) FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'lead'), '{}') AS lead,
            coalesce((SELECT json_agg(json_build_object('unitId', iu.unit_id, 'part', iu.part, 'subDeadline', to_char(iu.sub_deadline, 'YYYY-MM-DD')))
                        FROM item_unit iu WHERE iu.item_id = i.id AND iu.role = 'cooperating'), '[]') AS cooperating,
            item_acceptance_units(i.id) AS acceptance_units
       FROM item i JOIN batch b ON b.id = i.batch_id WHERE i.id = $1`,
    [event.itemId],
  );
  if (!item) return [];
  const change = 'historySeq' in event ? event : null;
  const data: ChangeDetails = change?.details ?? {};
  const label = (index: number | undefined): string | null =>
    index !== undefined && item.chain[index] ? levelLabel(item.chain[index]) : null;
  const actorId = event.actorId;
  const [actor] = change && actorId ? await m.query<{ name: string }[]>(`SELECT name FROM app_user WHERE id = $1`, [actorId]) : [undefined];
  const base: Omit<MailData, 'recipientName'> = {
    itemCode: item.code,
    itemTitle: item.title,
    deadline: item.deadline,
    link,
    actorName: actor?.name ?? null,
    reason: change?.reason ?? null,
    level: label(data.levelIndex),
  };
  const toState = change?.to ?? null;
  const closed = toState === 'signed_off' || toState === 'phase_completed';
  // Units hear of an item from its assignment on: nothing of a draft reaches them (never assigned,
  // or withdrawn or declined, which they were told).
  const unitsKnowIt = kind === 'item.assign' || change?.from !== 'draft';
  // The units' own text of an event, where it differs from the dispatchers'.
  const unitTemplate = kind === 'item.decline' ? 'item.declined' : kind;
  const unitExtra: Partial<MailData> = kind === 'item.merge' ? { mergedInto: data.mergedIntoCode ?? null } : {};
  const mails: ItemMail[] = [];
  const seen = new Set<string>();
  const add = (template: string, recipients: Recipient[], extra: Partial<MailData> = {}): void => {
    for (const recipient of recipients) {
      if (seen.has(recipient.id) || recipient.id === actorId) continue;
      seen.add(recipient.id);
      mails.push({ template, recipient, data: { ...base, ...extra } });
    }
  };
  for (const audience of audiences) {
    switch (audience) {
      case 'lead_officers':
        if (!unitsKnowIt) break;
        add(
          closed || kind === 'item.close_notice' || kind === 'item.sign_off' ? closedTemplate(toState) : unitTemplate,
          await usersIn(m, item.lead, ['unit_officer']),
          unitExtra,
        );
        break;
      case 'cooperating_officers':
        if (!unitsKnowIt) break;
        for (const part of item.cooperating) {
          const officers = await usersIn(m, [part.unitId], ['unit_officer']);
          if (kind === 'item.assign') add('item.assign_part', officers, { part: part.part, partDeadline: part.subDeadline });
          else add(unitTemplate, officers, unitExtra);
        }
        break;
      case 'dispatchers':
        add(kind, await usersIn(m, [item.dispatcher_unit_id], ['dispatcher']), { late: data.late === true });
        break;
      case 'batch_dispatchers': {
        // The dispatchers who own the batch follow every step.
        const owners = await usersIn(m, [item.batch_dispatcher_unit_id], ['dispatcher']);
        if (kind === 'item.submit') add('item.submitted', owners);
        else if (kind === 'item.return') add('item.return', owners, { returnNote: returnNote(item.chain, data) });
        else if (closed || kind === 'item.close_notice' || kind === 'item.sign_off') add(closedTemplate(toState), owners);
        else add(kind, owners);
        break;
      }
      case 'level_verifiers': {
        const index = data.levelIndex ?? 0;
        add('item.submit', await levelVerifiers(m, item.acceptance_units[index]), { resumed: data.resumed === true });
        break;
      }
      case 'next_level_or_lead': {
        const next = data.nextLevelIndex ?? null;
        if (toState === 'in_acceptance' && next !== null) {
          add('item.submit', await levelVerifiers(m, item.acceptance_units[next]), { level: label(next) });
        } else if (closed) {
          add(closedTemplate(toState), await usersIn(m, item.lead, ['unit_officer']));
        } else {
          add('item.pass', await usersIn(m, item.lead, ['unit_officer']));
        }
        break;
      }
      case 'returned_to': {
        // A return to a lower level asks that level again; otherwise the unit reworks.
        if (data.returnTo === 'level' && data.nextLevelIndex !== undefined) {
          add('item.returned_to_level', await levelVerifiers(m, item.acceptance_units[data.nextLevelIndex]), {
            level: label(data.nextLevelIndex),
            returnNote: returnNote(item.chain, data),
          });
        } else {
          add('item.return', await usersIn(m, item.lead, ['unit_officer']), { returnNote: returnNote(item.chain, data) });
        }
        break;
      }
      case 'mentioned': {
        if ('historySeq' in event) break;
        const users = await m.query<Recipient[]>(
          `SELECT id, name, email FROM app_user WHERE active AND (id = ANY($1::uuid[]) OR unit_id = ANY($2::uuid[])) ORDER BY name`,
          [event.mentionedUserIds, event.mentionedUnitIds],
        );
        const [author] = actorId ? await m.query<{ name: string }[]>(`SELECT name FROM app_user WHERE id = $1`, [actorId]) : [];
        add('item.mention', users, { actorName: author?.name ?? null, reason: event.commentText });
        break;
      }
    }
  }
  return mails;
}

function closedTemplate(toState: string | null): string {
  return toState === 'phase_completed' ? 'item.phase_completed' : 'item.signed_off';
}

/** Where a return sent the item, in words: 退回责任单位整改，重新报送后由省级验收继续 / 退回市级验收重新审核. */
function returnNote(chain: AcceptanceLevel[], data: ChangeDetails): string | null {
  const name = (i: number | undefined): string => (i !== undefined && chain[i] ? levelLabel(chain[i]) : '');
  switch (data.returnTo) {
    case 'unit':
      return `退回责任单位整改，整改完成重新申请验收后从${name(data.resumeLevelIndex)}继续，此前各级验收结论保留。`;
    case 'recheck':
      return `退回责任单位整改，重新申请验收后从${name(0)}起逐级重新验收。`;
    case 'level':
      return `退回${name(data.nextLevelIndex)}重新审核。`;
    default:
      return null;
  }
}

export function usersIn(m: EntityManager, unitIds: (string | null)[], roles: string[]): Promise<Recipient[]> {
  const ids = unitIds.filter((u): u is string => !!u);
  if (ids.length === 0) return Promise.resolve([]);
  return m.query<Recipient[]>(
    `SELECT id, name, email FROM app_user WHERE active AND roles && $2::text[] AND unit_id = ANY($1::uuid[]) ORDER BY name`,
    [ids, roles],
  );
}

/**
 * The verifiers of an acceptance level: those of its unit, or, when it has none, of the nearest
 * unit above it that has some (verifiers above a unit may accept for it), so a level is never silent.
 */
export async function levelVerifiers(m: EntityManager, unitId: string | null | undefined): Promise<Recipient[]> {
  if (!unitId) return [];
  return m.query<Recipient[]>(
    `WITH anc AS (SELECT a.id, a.ord FROM org_unit o CROSS JOIN LATERAL unnest(path_ids(o.path)) WITH ORDINALITY AS a(id, ord) WHERE o.id = $1),
          nearest AS (SELECT anc.id FROM anc WHERE EXISTS (SELECT 1 FROM app_user u WHERE u.unit_id = anc.id AND u.active AND 'verifier' = ANY(u.roles))
                       ORDER BY anc.ord DESC LIMIT 1)
     SELECT u.id, u.name, u.email FROM app_user u JOIN nearest ON u.unit_id = nearest.id
      WHERE u.active AND 'verifier' = ANY(u.roles) ORDER BY u.name`,
    [unitId],
  );
}
