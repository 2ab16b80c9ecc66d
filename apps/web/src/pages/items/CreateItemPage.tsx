import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Radio, Row, Select, Space } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { DateField } from '../../components/DateField';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { LABELS } from '../../i18n/messages';
import { today } from '../../lib/today';
import { unitOptions, useUnits } from '../../lib/units';

type CreateItem = components['schemas']['CreateItemDto'];

interface Values {
  batchId: string;
  code: string;
  title: string;
  feedbackText?: string;
  domain: CreateItem['domain'];
  type: CreateItem['type'];
  countyUnitId?: string;
  goal?: string;
  measures?: string;
  leadUnitIds: string[];
  cooperating?: { unitId: string; part?: string; subDeadline?: string }[];
  responsibleLeader?: string;
  responsiblePerson?: string;
  responsiblePhone?: string;
  deadlineBy: 'date' | 'working_days' | 'calendar_days';
  deadline?: string;
  days?: number;
  from?: string;
  event?: string;
}

const blank = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

/** The api's body from the form: the deadline as a date or as N (working) days from an event. */
export function createBody(v: Values): CreateItem {
  return {
    batchId: v.batchId,
    code: v.code.trim(),
    title: v.title.trim(),
    feedbackText: blank(v.feedbackText),
    domain: v.domain,
    type: v.type,
    countyUnitId: (v.countyUnitId ?? undefined) as CreateItem['countyUnitId'],
    goal: blank(v.goal),
    measures: blank(v.measures),
    leadUnitIds: v.leadUnitIds,
    cooperating: (v.cooperating ?? [])
      .filter((c) => c?.unitId)
      .map((c) => ({ unitId: c.unitId, part: blank(c.part), subDeadline: c.subDeadline || undefined })),
    responsibleLeader: blank(v.responsibleLeader),
    responsiblePerson: blank(v.responsiblePerson),
    responsiblePhone: blank(v.responsiblePhone),
    ...(v.deadlineBy === 'date'
      ? { deadline: v.deadline || undefined }
      : { deadlineRule: { kind: v.deadlineBy, days: v.days ?? 0, from: v.from ?? today(), event: blank(v.event) } }),
  };
}

/** 新建整改事项 (dispatcher): the ledger fields; the new item opens as a draft, ready to assign. */
export default function CreateItemPage() {
  const { t, locale, label } = useI18n();
  const en = locale === 'en';
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const units = useUnits();
  const batches = useQuery({ queryKey: ['batches'], queryFn: () => unwrap(api.GET('/api/batches')) });
  const deadlineBy = Form.useWatch('deadlineBy', form) ?? 'date';
  const allUnits = unitOptions(units.data);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const item = await unwrap(api.POST('/api/items', { body: createBody(v) }));
      await navigate(`/items/${item.id}`);
    } catch (e) {
      setError(describeError(e, t)); // names each field the api refused
    } finally {
      setBusy(false);
    }
  };

  const options = (kind: 'domain' | 'itemType') => Object.keys(LABELS[kind]).map((value) => ({ value, label: label(kind, value) }));

  return (
    <div className="page">
      <h1 className="page-title">{en ? 'New item' : '新建整改事项'}</h1>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ type: 'deadline', domain: 'other', deadlineBy: 'date', from: today(), cooperating: [] }}
        data-testid="create-item"
      >
        <Card size="small" title={en ? 'Ledger' : '台账信息'}>
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="batchId" label={en ? 'Batch' : '轮次/批次'} rules={[{ required: true }]}>
                <Select
                  id="batchId"
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={batches.isPending}
                  options={(batches.data ?? []).map((b) => ({ value: b.id, label: `${b.code} ${b.name}` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item name="code" label={en ? 'Code' : '编号'} rules={[{ required: true, whitespace: true, max: 50 }]}>
                <Input id="code" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="domain" label={en ? 'Domain' : '领域'} rules={[{ required: true }]}>
                <Select id="domain" showSearch={{ optionFilterProp: 'label' }} options={options('domain')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="type" label={en ? 'Type' : '整改类型'} rules={[{ required: true }]}>
                <Select id="type" showSearch={{ optionFilterProp: 'label' }} options={options('itemType')} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="title" label={en ? 'Title' : '问题摘要'} rules={[{ required: true, whitespace: true, max: 500 }]}>
            <Input id="title" />
          </Form.Item>
          <Form.Item name="feedbackText" label={en ? 'Feedback as written' : '反馈问题原文'}>
            <Input.TextArea id="feedbackText" rows={3} />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="goal" label={en ? 'Goal' : '整改目标'}>
                <Input.TextArea id="goal" rows={2} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="measures" label={en ? 'Measures' : '整改措施'}>
                <Input.TextArea id="measures" rows={2} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={en ? 'Units and people' : '责任单位'} style={{ marginTop: 12 }}>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="leadUnitIds" label={en ? 'Lead units' : '牵头单位'} rules={[{ required: true }]}>
                <Select id="leadUnitIds" mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={allUnits} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="countyUnitId" label={en ? 'County' : '行政区'}>
                <Select
                  id="countyUnitId"
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  options={unitOptions(units.data, 'county')}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.List name="cooperating">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'unitId']} label={en ? 'Cooperating unit' : '配合单位'} rules={[{ required: true }]}>
                      <Select style={{ width: 220 }} showSearch={{ optionFilterProp: 'label' }} options={allUnits} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'part']} label={en ? 'Its part' : '配合任务'}>
                      <Input style={{ width: 260 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'subDeadline']} label={en ? 'Its deadline' : '配合时限'}>
                      <DateField />
                    </Form.Item>
                    <Button
                      type="text"
                      aria-label={en ? 'Remove' : '删除'}
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                    />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {en ? 'Add a cooperating unit' : '添加配合单位'}
                </Button>
              </>
            )}
          </Form.List>
          <Row gutter={12} style={{ marginTop: 12 }}>
            <Col xs={24} md={8}>
              <Form.Item name="responsibleLeader" label={en ? 'Responsible leader' : '责任领导'}>
                <Input id="responsibleLeader" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="responsiblePerson" label={en ? 'Responsible person' : '责任人'}>
                <Input id="responsiblePerson" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="responsiblePhone" label={en ? 'Phone' : '联系电话'}>
                <Input id="responsiblePhone" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={en ? 'Deadline' : '整改时限'} style={{ marginTop: 12 }}>
          <Form.Item name="deadlineBy">
            <Radio.Group
              options={[
                { value: 'date', label: en ? 'A date' : '指定日期' },
                { value: 'working_days', label: en ? 'N working days' : '按工作日' },
                { value: 'calendar_days', label: en ? 'N calendar days' : '按自然日' },
              ]}
            />
          </Form.Item>
          {deadlineBy === 'date' ? (
            <Form.Item name="deadline" label={en ? 'Deadline' : '整改时限'}>
              <DateField id="deadline" style={{ width: 200 }} />
            </Form.Item>
          ) : (
            <Space wrap align="baseline">
              <Form.Item name="days" label={deadlineBy === 'working_days' ? '工作日数' : '天数'} rules={[{ required: true }]}>
                <InputNumber id="days" min={1} max={3650} />
              </Form.Item>
              <Form.Item name="from" label={en ? 'Counted from' : '起算日期'} rules={[{ required: true }]}>
                <DateField id="from" />
              </Form.Item>
              <Form.Item name="event" label={en ? 'Event' : '起算事件'}>
                <Input id="event" placeholder="督察组交办" />
              </Form.Item>
            </Space>
          )}
        </Card>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 12 }} />}
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" htmlType="submit" loading={busy}>
            {en ? 'Create draft' : '创建（草稿）'}
          </Button>
          <Button onClick={() => void navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </div>
  );
}
