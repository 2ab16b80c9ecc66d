import { Descriptions, Table, Tag, Tooltip } from 'antd';
import { useI18n } from '../../i18n/i18n';
import { formatDate, formatDateTime, formatDays } from '../../lib/format';
import { DeadlineCell, StateTag } from '../../components/ItemTable';
import type { ItemDetail } from './types';

/** Names must not wrap in the narrow person columns. */
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

/** Every ledger field of the item (整改台账 columns), then its deadlines, units and acceptances. */
export function ItemFields({ item }: { item: ItemDetail }) {
  const { label, locale } = useI18n();
  const en = locale === 'en';
  const d = (v: string | null | undefined) => formatDate(v, locale);
  const rule = item.deadlineRule as { kind: 'working_days' | 'calendar_days'; from: string; days: number } | null;
  return (
    <>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
        items={[
          { key: 'code', label: en ? 'No.' : '编号', children: item.code },
          { key: 'batch', label: en ? 'Batch' : '批次', children: item.batchName },
          { key: 'source', label: en ? 'Source' : '问题来源', children: label('source', item.sourceType) },
          { key: 'domain', label: en ? 'Domain' : '领域', children: label('domain', item.domain) },
          { key: 'type', label: en ? 'Type' : '整改类型', children: label('itemType', item.type) },
          { key: 'county', label: en ? 'County' : '所属区县', children: item.countyName ?? '—' },
          { key: 'dispatcher', label: en ? 'Dispatching unit' : '交办单位', children: item.dispatcherUnitName },
          { key: 'leader', label: en ? 'Responsible leader' : '责任领导', children: item.responsibleLeader ?? '—' },
          {
            key: 'person',
            label: en ? 'Responsible person' : '责任人',
            children: `${item.responsiblePerson ?? '—'} ${item.responsiblePhone ?? ''}`,
          },
          {
            key: 'deadline',
            label: en ? 'Deadline' : '整改时限',
            children: (
              <span>
                <DeadlineCell item={item} /> {item.currentDeadline && <span>（{d(item.currentDeadline)}）</span>}
                {rule && (
                  <Tooltip title={en ? 'Counted on the work calendar' : '按工作日历计算'}>
                    <Tag style={{ marginInlineStart: 4 }}>
                      {en
                        ? `${formatDays(rule.days, rule.kind, locale)} from ${d(rule.from)}`
                        : `自${d(rule.from)}起${formatDays(rule.days, rule.kind, locale)}`}
                    </Tag>
                  </Tooltip>
                )}
              </span>
            ),
          },
          { key: 'state', label: en ? 'State' : '整改状态', children: <StateTag state={item.state} /> },
          { key: 'created', label: en ? 'Created' : '创建时间', children: formatDateTime(item.createdAt) },
          {
            key: 'feedback',
            label: en ? 'Feedback text' : '反馈问题',
            span: 'filled',
            children: <div style={{ whiteSpace: 'pre-wrap' }}>{item.feedbackText || '—'}</div>,
          },
          {
            key: 'goal',
            label: en ? 'Goal' : '整改目标',
            span: 'filled',
            children: <div style={{ whiteSpace: 'pre-wrap' }}>{item.goal || '—'}</div>,
          },
          {
            key: 'measures',
            label: en ? 'Measures' : '整改措施',
            span: 'filled',
            children: <div style={{ whiteSpace: 'pre-wrap' }}>{item.measures || '—'}</div>,
          },
          {
            key: 'stages',
            label: en ? 'Stage nodes' : '阶段节点',
            span: 'filled',
            children: item.stageNodes.length ? item.stageNodes.map((s) => `${d(s.due)} ${s.name}`).join('；') : '—',
          },
        ]}
      />
      <h2 className="page-title" style={{ marginTop: 16 }}>
        {en ? 'Units and parts' : '责任单位'}
      </h2>
      <Table<ItemDetail['units'][number]>
        size="small"
        rowKey={(u) => `${u.unitId}-${u.role}`}
        pagination={false}
        dataSource={item.units}
        columns={[
          { title: en ? 'Unit' : '单位', dataIndex: 'unitName' },
          {
            title: en ? 'Role' : '职责',
            dataIndex: 'role',
            width: 90,
            render: (r: string) => (r === 'lead' ? (en ? 'Lead' : '牵头') : en ? 'Cooperating' : '配合'),
          },
          { title: en ? 'Part' : '承担内容', dataIndex: 'part', render: (v: string | null) => v ?? '—' },
          {
            title: en ? 'Own deadline' : '分项时限',
            dataIndex: 'subDeadline',
            width: 120,
            render: (v: string | null) => (v ? formatDate(v, locale, 'short') : '—'),
          },
          { title: en ? 'Status' : '进展', dataIndex: 'status', width: 90, render: (s: string) => label('partStatus', s) },
        ]}
      />
      <h2 className="page-title" style={{ marginTop: 16 }}>
        {en ? 'Deadline versions' : '整改时限变更'}
      </h2>
      <div data-testid="deadline-versions">
        <Table<ItemDetail['deadlines'][number]>
          size="small"
          rowKey="version"
          pagination={false}
          dataSource={item.deadlines}
          columns={[
            { title: en ? 'Version' : '版本', dataIndex: 'version', width: 60 },
            { title: en ? 'Deadline' : '时限', dataIndex: 'deadline', width: 140, render: (v: string) => d(v) },
            { title: en ? 'How' : '来源', dataIndex: 'kind', width: 130, render: (k: string) => label('deadlineKind', k) },
            { title: en ? 'Reason' : '理由', dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
            { title: en ? 'Decided by' : '决定人', width: 150, onCell: nowrap, render: (_, v) => v.decider?.name ?? '—' },
            { title: en ? 'When' : '时间', dataIndex: 'createdAt', width: 140, render: (v: string) => formatDateTime(v) },
          ]}
        />
      </div>
      {item.acceptanceChain.length > 0 && (
        <>
          <h2 className="page-title" style={{ marginTop: 16 }}>
            {en ? 'Acceptance' : '验收'}
          </h2>
          <div style={{ marginBottom: 8 }}>
            {item.acceptanceChain.map((l, i) => (
              <Tag key={l.level} color={item.acceptanceLevel === i && item.state === 'in_acceptance' ? 'purple' : undefined}>
                {i + 1}. {l.label}
                {l.unitName ? `（${l.unitName}）` : ''}
              </Tag>
            ))}
            {item.noticeStart && (
              <Tag color="cyan">
                {en ? 'Public notice' : '公示'} {d(item.noticeStart)} – {d(item.noticeEnd)}
              </Tag>
            )}
          </div>
          {item.acceptances.length > 0 && (
            <Table<ItemDetail['acceptances'][number]>
              size="small"
              rowKey={(a) => `${a.submissionRound}-${a.level}-${a.signedAt}`}
              pagination={false}
              dataSource={item.acceptances}
              columns={[
                { title: en ? 'Round' : '轮次', dataIndex: 'submissionRound', width: 60 },
                { title: en ? 'Level' : '层级', dataIndex: 'unitName' },
                {
                  title: en ? 'Result' : '结论',
                  dataIndex: 'result',
                  width: 90,
                  render: (r: string) =>
                    r === 'pass' ? (
                      <Tag color="success">{en ? 'Passed' : '通过'}</Tag>
                    ) : (
                      <Tag color="warning">{en ? 'Returned' : '退回'}</Tag>
                    ),
                },
                { title: en ? 'Opinion' : '意见', dataIndex: 'opinion', render: (v: string | null) => v ?? '—' },
                { title: en ? 'Signed by' : '签署人', width: 150, onCell: nowrap, render: (_, a) => a.signer?.name ?? '—' },
                { title: en ? 'When' : '时间', dataIndex: 'signedAt', width: 140, render: (v: string) => formatDateTime(v) },
              ]}
            />
          )}
        </>
      )}
    </>
  );
}
