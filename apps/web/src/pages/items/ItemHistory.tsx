import { Timeline } from 'antd';
import { useI18n } from '../../i18n/i18n';
import { LABELS } from '../../i18n/messages';
import { formatDateTime } from '../../lib/format';
import { useUnitNames } from '../../lib/units';
import type { ItemHistory as History } from './types';

/** `data` is free-form in the schema: take a field only when it is a string. */
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The item's history as a record: who (name and unit), what, when, from → to, the reason. */
export function ItemHistory({ history }: { history: History }) {
  const { label, locale } = useI18n();
  const names = useUnitNames();
  const en = locale === 'en';
  const rows = [...history].reverse();
  const actionLabel = (a: string) => (a in LABELS.itemEvent ? label('itemEvent', a) : label('action', a));
  return (
    <Timeline
      data-testid="history"
      items={rows.map((h) => {
        const actor = h.actor;
        const data = { unitId: str(h.data.unitId), text: str(h.data.text), proposedDeadline: str(h.data.proposedDeadline) };
        const who = actor
          ? `${actor.name}${actor.unitName ? `（${actor.unitName}）` : ''}`
          : h.actorId
            ? en
              ? 'a user'
              : '用户'
            : en
              ? 'system'
              : '系统';
        const move =
          h.fromState && h.toState && h.fromState !== h.toState ? `${label('state', h.fromState)} → ${label('state', h.toState)}` : '';
        return {
          key: String(h.seq),
          color: h.action === 'return' || h.action === 'reject_extension' ? 'red' : h.toState === 'signed_off' ? 'green' : 'blue',
          content: (
            <div>
              <div>
                <strong>{actionLabel(h.action)}</strong> {move && <span style={{ color: '#595959' }}>{move}</span>}
              </div>
              <div style={{ color: '#595959', fontSize: 12 }}>
                {formatDateTime(h.at)} · {who}
                {!actor && data.unitId ? ` ${names.get(data.unitId) ?? ''}` : ''}
              </div>
              {h.reason && <div style={{ whiteSpace: 'pre-wrap' }}>{h.reason}</div>}
              {data.text && <div style={{ whiteSpace: 'pre-wrap' }}>{data.text}</div>}
              {data.proposedDeadline && <div>{(en ? 'Proposed deadline: ' : '申请延期至：') + data.proposedDeadline}</div>}
            </div>
          ),
        };
      })}
    />
  );
}
