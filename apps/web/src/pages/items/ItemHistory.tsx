import { Timeline } from 'antd';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { useUnitNames } from '../../lib/units';
import type { ItemHistory as History, Row } from './types';

/** The item's history as a record: who (name and unit), what, when, from → to, the reason. */
export function ItemHistory({ history }: { history: History }) {
  const { label, locale } = useI18n();
  const names = useUnitNames();
  const en = locale === 'en';
  const rows = [...(history as { seq: number }[])].reverse() as History;
  return (
    <Timeline
      data-testid="history"
      items={rows.map((h: Row) => {
        const actor = h.actor as { name: string; unitName?: string; unitId?: string } | null | undefined;
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
                <strong>{label('action', h.action) || h.action}</strong> {move && <span style={{ color: '#595959' }}>{move}</span>}
              </div>
              <div style={{ color: '#595959', fontSize: 12 }}>
                {formatDateTime(h.at)} · {who}
                {!actor && h.data?.unitId ? ` ${names.get(h.data.unitId) ?? ''}` : ''}
              </div>
              {h.reason && <div style={{ whiteSpace: 'pre-wrap' }}>{h.reason}</div>}
              {h.data?.text && <div style={{ whiteSpace: 'pre-wrap' }}>{h.data.text}</div>}
              {h.data?.proposedDeadline && <div>{(en ? 'Proposed deadline: ' : '申请延期至：') + h.data.proposedDeadline}</div>}
            </div>
          ),
        };
      })}
    />
  );
}
