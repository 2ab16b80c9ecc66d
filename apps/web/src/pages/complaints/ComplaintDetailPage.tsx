import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Timeline,
} from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { describeError, ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { unitOptions, useUnits } from '../../lib/units';
import { ComplaintEvidence } from './ComplaintEvidence';
import { ACTION_LABELS, STATE_COLORS, VERDICT_LABELS, type AvailableAction, type ComplaintDetail } from './types';

type Body = Record<string, unknown>;

/** The fields each action's form asks for (the rest need at most a reason). */
const FIELDS: Record<string, string[]> = {
  transfer: ['leadUnitId', 'cooperatingUnitIds', 'deadline'],
  reassign: ['leadUnitId'],
  report_verdict: ['verdict', 'findings', 'handlingSummary', 'handling'],
  apply_closure: ['handlingSummary'],
  phase_close: ['committedDate'],
  request_extension: ['requestedDeadline'],
  follow_up: ['reached', 'satisfaction', 'note'],
};

/** A complaint case: its record, verdicts, duplicates, timeline, and the actions open to you now. */
export default function ComplaintDetailPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const units = useUnits();
  const [open, setOpen] = useState<AvailableAction | null>(null);
  const [form] = Form.useForm<Body>();
  const detail = useQuery({
    queryKey: ['complaint', id],
    queryFn: async () => (await unwrap(api.GET('/api/complaints/{id}', { params: { path: { id } } }))) as unknown as ComplaintDetail,
  });
  const actions = useQuery({
    queryKey: ['complaint-actions', id],
    queryFn: async () =>
      (await unwrap(api.GET('/api/complaints/{id}/actions', { params: { path: { id } } }))) as unknown as AvailableAction[],
  });
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: ['complaint', id] }), qc.invalidateQueries({ queryKey: ['complaint-actions', id] })]);
  if (detail.isError) return <ErrorView error={detail.error} retry={() => void detail.refetch()} />;
  const c = detail.data;
  if (!c) return <div className="page">{t('common.loading')}</div>;

  const take = async (action: string, fields: Body) => {
    const body: Body = { action, version: c.version };
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined || v === null || v === '') continue;
      body[k] = typeof v === 'object' && 'format' in v ? (v as { format: (f: string) => string }).format('YYYY-MM-DD') : v;
    }
    try {
      await unwrap(api.POST('/api/complaints/{id}/transitions', { params: { path: { id } }, body: body as never }));
      void message.success(en ? 'Done' : '已完成');
      setOpen(null);
      form.resetFields();
      await refresh();
    } catch (e) {
      void message.error(describeError(e, t));
    }
  };
  const rejectDuplicate = async (otherId: string) => {
    try {
      await unwrap(api.POST('/api/complaints/{id}/duplicates/{otherId}/reject', { params: { path: { id, otherId } } }));
      await refresh();
    } catch (e) {
      void message.error(describeError(e, t));
    }
  };
  const fields = open ? (FIELDS[open.action] ?? []) : [];

  return (
    <div className="page">
      <h1 className="page-title">
        {en ? 'Complaint' : '信访举报件'} {c.caseNo}{' '}
        <Tag color={STATE_COLORS[c.state]} data-testid="complaint-state" data-state={c.state}>
          {c.stateLabel}
        </Tag>
      </h1>
      <Space wrap style={{ marginBottom: 12 }}>
        {(actions.data ?? []).map((a) => (
          <Button key={a.action} data-action={a.action} disabled={!a.enabled} title={a.blockedBy.join('；')} onClick={() => setOpen(a)}>
            {a.label}
          </Button>
        ))}
      </Space>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={en ? 'Team number' : '督察组交办编号'}>{c.teamNo}</Descriptions.Item>
          <Descriptions.Item label={en ? 'Batch' : '批次'}>{`${c.round} 第${c.batchNo}批`}</Descriptions.Item>
          <Descriptions.Item label={en ? 'Received' : '受理日期'}>{c.receivedOn}</Descriptions.Item>
          <Descriptions.Item label={en ? 'County' : '行政区域'}>{`${c.countyName} ${c.address}`}</Descriptions.Item>
          <Descriptions.Item label={en ? 'Lead unit' : '牵头单位'}>{c.leadUnitName}</Descriptions.Item>
          <Descriptions.Item label={en ? 'Deadline' : '办理时限'}>
            {c.deadline}
            {c.originalDeadline && c.originalDeadline !== c.deadline ? `（${en ? 'originally' : '原定'} ${c.originalDeadline}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={en ? 'Content' : '举报内容'} span={2}>
            {c.content}
          </Descriptions.Item>
          {c.contact && (
            <Descriptions.Item label={en ? 'Complainant' : '举报人'} span={2}>{`${c.contact.name} ${c.contact.phone}`}</Descriptions.Item>
          )}
          {c.mergedCaseNos.length > 0 && (
            <Descriptions.Item label={en ? 'Merged repeats' : '合并的重复件'} span={2}>
              {c.mergedCaseNos.join('、')}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {c.duplicates.length > 0 && (
        <Card size="small" title={en ? 'Possible duplicates' : '疑似重复件'} style={{ marginBottom: 12 }}>
          <Table
            size="small"
            rowKey="otherId"
            pagination={false}
            dataSource={c.duplicates}
            columns={[
              { title: en ? 'Case' : '编号', dataIndex: 'otherCaseNo', width: 110 },
              { title: en ? 'Content' : '内容', dataIndex: 'otherContent', ellipsis: true },
              { title: en ? 'Similarity' : '相似度', dataIndex: 'similarity', width: 80 },
              {
                title: '',
                width: 200,
                render: (_, d) =>
                  d.status === 'proposed' && c.state === 'received' ? (
                    <Space>
                      <Button size="small" onClick={() => void take('merge', { duplicateOfId: d.otherId })}>
                        {en ? 'Merge into it' : '确认合并'}
                      </Button>
                      <Button size="small" onClick={() => void rejectDuplicate(d.otherId)}>
                        {en ? 'Not a duplicate' : '不是重复件'}
                      </Button>
                    </Space>
                  ) : (
                    d.status
                  ),
              },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={en ? 'Verdicts and handling' : '调查核实与处理情况'} style={{ marginBottom: 12 }}>
        {c.verdicts.map((v) => (
          <p key={v.seq}>
            <Tag>{VERDICT_LABELS[v.verdict]}</Tag>
            {v.handlingSummary}
            {v.finesWan ? `；罚款 ${v.finesWan} 万元` : ''}
            {v.review === 'returned' ? <Tag color="error">{`退回：${v.reviewReason ?? ''}`}</Tag> : null}
          </p>
        ))}
      </Card>
      <Card size="small" title={t('evidence.title')} style={{ marginBottom: 12 }}>
        <ComplaintEvidence caseId={id} state={c.state} />
      </Card>
      <Card size="small" title={en ? 'Timeline' : '办理过程'}>
        <Timeline
          items={c.history.map((h) => ({
            children: `${formatDateTime(h.at)} ${h.actor?.name ?? ''} ${ACTION_LABELS[h.action]?.[en ? 1 : 0] ?? h.action}${h.reason ? `：${h.reason}` : ''}`,
          }))}
        />
      </Card>
      <Modal
        open={!!open}
        title={open?.label}
        onCancel={() => setOpen(null)}
        onOk={() => void form.validateFields().then((v) => take(open!.action, v))}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {fields.includes('leadUnitId') && (
            <Form.Item name="leadUnitId" label={en ? 'Lead unit' : '牵头单位'} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" options={unitOptions(units.data)} />
            </Form.Item>
          )}
          {fields.includes('cooperatingUnitIds') && (
            <Form.Item name="cooperatingUnitIds" label={en ? 'Cooperating units' : '配合单位'}>
              <Select mode="multiple" showSearch optionFilterProp="label" options={unitOptions(units.data)} />
            </Form.Item>
          )}
          {fields.includes('deadline') && (
            <Form.Item name="deadline" label={en ? 'Deadline (default: the batch’s rule)' : '办理时限（默认按批次规则）'}>
              <DatePicker />
            </Form.Item>
          )}
          {fields.includes('verdict') && (
            <Form.Item name="verdict" label={en ? 'Verdict' : '调查核实结论'} rules={[{ required: true }]}>
              <Select options={Object.entries(VERDICT_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          )}
          {fields.includes('findings') && (
            <Form.Item name="findings" label={en ? 'Findings' : '核查情况'}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          {fields.includes('handlingSummary') && (
            <Form.Item name="handlingSummary" label={en ? 'Handling' : '处理情况'} rules={[{ required: true }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          {fields.includes('handling') && (
            <Space wrap>
              {(
                [
                  ['ordersIssued', '责令整改'],
                  ['finesWan', '罚款（万元）'],
                  ['casesFiled', '立案'],
                  ['detained', '拘留'],
                  ['summoned', '约谈'],
                  ['accountable', '问责'],
                ] as const
              ).map(([k, label]) => (
                <Form.Item key={k} name={['handling', k]} label={label}>
                  <InputNumber min={0} precision={k === 'finesWan' ? 4 : 0} />
                </Form.Item>
              ))}
            </Space>
          )}
          {fields.includes('committedDate') && (
            <Form.Item name="committedDate" label={en ? 'Committed completion date' : '承诺完成日期'} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          )}
          {fields.includes('requestedDeadline') && (
            <Form.Item name="requestedDeadline" label={en ? 'Requested deadline' : '申请延期至'} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          )}
          {fields.includes('reached') && (
            <Form.Item name="reached" label={en ? 'Complainant reached' : '已联系到举报人'} valuePropName="checked" initialValue={true}>
              <Switch />
            </Form.Item>
          )}
          {fields.includes('satisfaction') && (
            <Form.Item name="satisfaction" label={en ? 'Satisfaction' : '满意度'}>
              <Select
                options={[
                  { value: 'satisfied', label: '满意' },
                  { value: 'basically', label: '基本满意' },
                  { value: 'dissatisfied', label: '不满意' },
                ]}
              />
            </Form.Item>
          )}
          {fields.includes('note') && (
            <Form.Item name="note" label={en ? 'Note' : '备注'}>
              <Input />
            </Form.Item>
          )}
          <Form.Item name="reason" label={en ? 'Reason' : '说明'} rules={[{ required: !!open?.requiresReason }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
