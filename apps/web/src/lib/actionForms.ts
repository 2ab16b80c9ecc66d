import type { BodyOf } from '../api/types';

/** POST /api/items/{id}/transitions, as the generated client types it. */
export type TransitionBody = BodyOf<'/api/items/{id}/transitions', 'post'>;
export type ActionName = TransitionBody['action'];

export type ActionField =
  'reason' | 'text' | 'proposedDeadline' | 'partStatus' | 'mergeIntoId' | 'spotCheckResult' | 'returnTo' | 'evidence';

/** What each action's form asks for, beyond what the api says it requires (`requiresReason`). */
const FIELDS: Partial<Record<ActionName, ActionField[]>> = {
  report_progress: ['text', 'evidence'],
  report_part: ['text', 'partStatus', 'evidence'],
  request_extension: ['proposedDeadline', 'reason'],
  approve_extension: ['reason'],
  reject_extension: ['reason'],
  submit: ['evidence', 'reason'],
  pass: ['reason'],
  return: ['returnTo', 'reason'],
  uphold_objection: ['reason'],
  decline: ['reason'],
  withdraw: ['reason'],
  cancel: ['reason'],
  reopen: ['reason'],
  merge: ['mergeIntoId', 'reason'],
  spot_check: ['spotCheckResult', 'reason'],
  urge: ['reason'],
  assign: ['reason'],
  accept: ['reason'],
  close_notice: ['reason'],
  sign_off: ['reason'],
};

export interface ActionForm {
  fields: ActionField[];
  required: ActionField[];
}

export function formFor(action: ActionName, requiresReason: boolean): ActionForm {
  const fields = FIELDS[action] ?? ['reason'];
  const required: ActionField[] = [];
  if (requiresReason && fields.includes('reason')) required.push('reason');
  if (action === 'report_progress' || action === 'report_part') required.push('text');
  if (action === 'request_extension') required.push('proposedDeadline', 'reason');
  if (action === 'report_part') required.push('partStatus');
  if (action === 'merge') required.push('mergeIntoId');
  if (action === 'spot_check') required.push('spotCheckResult');
  return { fields, required: fields.filter((f) => required.includes(f)) };
}

export interface ActionValues {
  reason?: string;
  text?: string;
  proposedDeadline?: string;
  partStatus?: 'in_progress' | 'done';
  mergeIntoId?: string;
  spotCheckResult?: 'holds' | 'rebound';
  /** return: 'unit' (resume at this level), 'recheck' (start again at the first level) or a lower level's code */
  returnTo?: string;
}

/** The request body: only the fields this action's form has, trimmed, empty ones left out. */
export function transitionBody(action: ActionName, version: number, values: ActionValues): TransitionBody {
  const { fields } = formFor(action, false);
  const body: TransitionBody = { action, version };
  const text = (v?: string) => (v && v.trim() ? v.trim() : undefined);
  if (fields.includes('reason') && text(values.reason)) body.reason = text(values.reason);
  if (fields.includes('text') && text(values.text)) body.text = text(values.text);
  if (fields.includes('proposedDeadline') && values.proposedDeadline) body.proposedDeadline = values.proposedDeadline;
  if (fields.includes('partStatus') && values.partStatus) body.partStatus = values.partStatus;
  if (fields.includes('mergeIntoId') && text(values.mergeIntoId)) body.mergeIntoId = text(values.mergeIntoId);
  if (fields.includes('spotCheckResult') && values.spotCheckResult) body.spotCheckResult = values.spotCheckResult;
  if (fields.includes('returnTo') && values.returnTo) body.returnTo = values.returnTo;
  return body;
}

/** Which fields are still missing (the form shows them before sending anything). */
export function missingFields(form: ActionForm, values: ActionValues, files: number): ActionField[] {
  return form.required.filter((f) => (f === 'evidence' ? files === 0 : !values[f]?.toString().trim()));
}
