import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Radio, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorView } from '../../components/ErrorView';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { formatDate } from '../../lib/format';

/**
 * A day of GET /api/calendar/days. The OpenAPI document leaves its rows free-form (`additionalProperties`),
 * so this names the fields the page reads (the api's CalendarDayView).
 */
type Day = { date: string; working: boolean; name: string | null; source: string; entryId: string | null; version: number | null };

/** The work calendar of a year: statutory holidays, 调休 and administrators' entries (next year's schedule). */
export default function CalendarPage() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const [year, setYear] = useState<Dayjs>(dayjs());
  const from = year.startOf('year').format('YYYY-MM-DD');
  const to = year.endOf('year').format('YYYY-MM-DD');
  const days = useQuery({
    queryKey: ['calendar', from],
    queryFn: () => unwrap(api.GET('/api/calendar/days', { params: { query: { from, to } } })),
  });
  const special = ((days.data ?? []) as Day[]).filter((d) => d.source !== 'weekend' && (d.name || d.source === 'entry' || d.entryId));
  const set = useAction(
    (v: { day: Dayjs; kind: 'off' | 'work'; name: string }) => {
      const existing = special.find((d) => d.date === v.day.format('YYYY-MM-DD'));
      return unwrap(
        api.PUT('/api/calendar/days/{day}', {
          params: { path: { day: v.day.format('YYYY-MM-DD') } },
          body: { kind: v.kind, name: v.name, version: existing?.version ?? undefined },
        }),
      );
    },
    ['calendar'],
  );
  const remove = useAction(
    (d: Day) => unwrap(api.DELETE('/api/calendar/days/{day}', { params: { path: { day: d.date }, query: { version: d.version ?? 0 } } })),
    ['calendar'],
    en ? 'Removed' : '已删除',
  );
  return (
    <div className="page">
      <Space style={{ marginBottom: 8 }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          {t('nav.calendar')}
        </h1>
        <DatePicker picker="year" value={year} onChange={(v) => v && setYear(v)} allowClear={false} aria-label={en ? 'Year' : '年份'} />
      </Space>
      <Card size="small" title={en ? 'Add or change a day' : '添加或修改'} style={{ marginBottom: 12 }}>
        <Form
          layout="inline"
          onFinish={(v: { day: Dayjs; kind: 'off' | 'work'; name: string }) => set.mutate(v)}
          initialValues={{ kind: 'off' }}
        >
          <Form.Item name="day" rules={[{ required: true }]}>
            <DatePicker aria-label={en ? 'Day' : '日期'} />
          </Form.Item>
          <Form.Item name="kind">
            <Radio.Group
              options={[
                { value: 'off', label: en ? 'Day off' : '休息日' },
                { value: 'work', label: en ? 'Working day (调休)' : '调休上班' },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" rules={[{ required: true, max: 50 }]}>
            <Input placeholder={en ? 'Name, e.g. 春节' : '名称，如 春节'} aria-label={en ? 'Name' : '名称'} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={set.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
      {days.isError ? (
        <ErrorView error={days.error} retry={() => void days.refetch()} />
      ) : (
        <Card size="small">
          <Table<Day>
            size="small"
            rowKey="date"
            loading={days.isPending}
            dataSource={special}
            pagination={false}
            columns={[
              { title: en ? 'Day' : '日期', dataIndex: 'date', width: 160, render: (v: string) => formatDate(v, locale) },
              { title: en ? 'Name' : '名称', dataIndex: 'name' },
              {
                title: en ? 'Working' : '是否上班',
                dataIndex: 'working',
                width: 100,
                render: (w: boolean) => (w ? <Tag color="blue">{en ? 'working' : '上班'}</Tag> : <Tag>{en ? 'off' : '休息'}</Tag>),
              },
              {
                title: en ? 'Source' : '来源',
                dataIndex: 'source',
                width: 110,
                render: (s: string) => (s === 'statutory' ? (en ? 'State Council' : '国务院安排') : en ? 'Administrator' : '管理员'),
              },
              {
                title: '',
                width: 70,
                render: (_, d) =>
                  d.entryId && (
                    <Button size="small" danger onClick={() => remove.mutate(d)}>
                      {t('common.delete')}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
