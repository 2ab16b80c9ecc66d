import { useQuery } from '@tanstack/react-query';
import { App, Button, Checkbox, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { can } from '../../auth/can';
import { useMe } from '../../auth/session';
import { download, saveBlob } from '../../auth/token';
import { describeError, ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { NewBatchButton } from './NewBatchModal';
import { NewCaseButton } from './NewCaseModal';
import { STATE_COLORS, VERDICT_LABELS, type ComplaintPage, type ComplaintRow } from './types';

const STATES: [string, string][] = [
  ['received', '已受理'],
  ['transferred', '已转办'],
  ['investigated', '待审核'],
  ['closed', '已办结'],
  ['phase_closed', '阶段性办结'],
  ['archived', '已归档'],
  ['merged', '已合并'],
];

/** 信访举报件: the cases you may read, with the duplicate proposals to decide. */
export default function ComplaintListPage() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const me = useMe();
  const [q, setQ] = useState<string>();
  const [state, setState] = useState<string[]>([]);
  const [proposals, setProposals] = useState(false);
  const [page, setPage] = useState(1);
  const query = {
    q,
    state: state.length ? (state as ('received' | 'transferred')[]) : undefined,
    duplicateProposals: proposals || undefined,
    page,
    pageSize: 50,
  };
  const list = useQuery({
    queryKey: ['complaints', query],
    queryFn: async () => (await unwrap(api.GET('/api/complaints', { params: { query } }))) as ComplaintPage,
  });
  const exportXlsx = async () => {
    try {
      const f = await download(`/api/complaints/export${state.length ? `?state=${state.join(',')}` : ''}`);
      saveBlob(f.blob, f.name);
    } catch (e) {
      void message.error(describeError(e, t));
    }
  };
  return (
    <div className="page">
      <h1 className="page-title">{en ? 'Complaint cases' : '信访举报件'}</h1>
      <Space wrap style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Input.Search
            aria-label={en ? 'Search' : '搜索'}
            placeholder={en ? 'Number, content or address' : '编号、内容或地址'}
            allowClear
            onSearch={(v) => (setQ(v || undefined), setPage(1))}
            style={{ width: 240 }}
          />
          <Select
            mode="multiple"
            aria-label={en ? 'State' : '状态'}
            placeholder={en ? 'State' : '状态'}
            value={state}
            onChange={(v: string[]) => (setState(v), setPage(1))}
            options={STATES.map(([value, label]) => ({ value, label }))}
            style={{ minWidth: 160 }}
          />
          <Checkbox checked={proposals} onChange={(e) => (setProposals(e.target.checked), setPage(1))}>
            {en ? 'Duplicate proposals to decide' : '待确认的重复件'}
          </Checkbox>
        </Space>
        <Space>
          {can(me, 'complaint.create') && <NewBatchButton />}
          {can(me, 'complaint.create') && <NewCaseButton />}
          <Button onClick={() => void exportXlsx()}>{t('common.export')} (.xlsx)</Button>
        </Space>
      </Space>
      {list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Table<ComplaintRow>
          size="small"
          className="dense"
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data?.data ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{ current: page, pageSize: 50, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            {
              title: en ? 'Case' : '受理编号',
              dataIndex: 'caseNo',
              width: 110,
              render: (v: string, r) => <Link to={`/complaints/${r.id}`}>{v}</Link>,
            },
            { title: en ? 'Batch' : '批次', width: 70, render: (_, r) => `第${r.batchNo}批` },
            { title: en ? 'Received' : '受理日期', dataIndex: 'receivedOn', width: 100 },
            { title: en ? 'Content' : '举报内容', dataIndex: 'content', ellipsis: true, width: 320 },
            { title: en ? 'County' : '行政区域', dataIndex: 'countyName', width: 80 },
            { title: en ? 'Lead unit' : '牵头单位', dataIndex: 'leadUnitName', width: 120 },
            {
              title: en ? 'Deadline' : '办理时限',
              width: 110,
              render: (_, r) => (r.overdue ? <Tag color="error">{r.deadline}</Tag> : r.deadline),
            },
            { title: en ? 'Verdict' : '调查核实结论', width: 90, render: (_, r) => (r.verdict ? VERDICT_LABELS[r.verdict] : '') },
            { title: en ? 'State' : '状态', width: 100, render: (_, r) => <Tag color={STATE_COLORS[r.state]}>{r.stateLabel}</Tag> },
            {
              title: en ? 'Duplicates' : '重复件',
              width: 80,
              render: (_, r) =>
                r.openProposals ? <Tag color="warning">{en ? `${r.openProposals} to decide` : `${r.openProposals} 待确认`}</Tag> : '',
            },
          ]}
        />
      )}
    </div>
  );
}
