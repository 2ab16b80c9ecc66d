import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Select, Statistic, Table, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { QueryOf } from '../../api/types';
import { Chart } from '../../components/Chart';
import { ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formatDate } from '../../lib/format';
import { asWritten, shown, type Figure, type GroupRow } from './figures';

type By = QueryOf<'/api/statistics/breakdown', 'get'>['by'];

/** The figures report sentences name (GET /api/statistics/report-figures). */
const REPORTED = [
  'signedOffAtProvince',
  'rectified',
  'reboundRate',
  'closeVsOriginalDeadline',
  'closeVsApprovedDeadline',
  'lateExtensionRequests',
];
const SHOWN = ['total', 'signedOff', 'completed', 'awaitingAcceptance', 'inProgress', 'overdueOpen', 'signOffRate', 'completionRate'];

/** The rectification item figures as of a day: summary, report figures, breakdown and monthly trend. */
export function ItemFigures({ asOf }: { asOf: Dayjs | null }) {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const [by, setBy] = useState<By>('leadUnit');
  const asOfParam = asOf ? asOf.format('YYYY-MM-DD') : undefined;
  const summary = useQuery({
    queryKey: ['statistics', 'summary', asOfParam],
    queryFn: () => unwrap(api.GET('/api/statistics/summary', { params: { query: { asOf: asOfParam } } })),
  });
  const reported = useQuery({
    queryKey: ['statistics', 'report-figures', asOfParam],
    queryFn: () => unwrap(api.GET('/api/statistics/report-figures', { params: { query: { asOf: asOfParam } } })),
  });
  const breakdown = useQuery({
    queryKey: ['statistics', 'breakdown', by, asOfParam],
    queryFn: () => unwrap(api.GET('/api/statistics/breakdown', { params: { query: { by, asOf: asOfParam } } })),
  });
  const to = (asOf ?? dayjs()).endOf('month').format('YYYY-MM-DD');
  const from = (asOf ?? dayjs()).subtract(11, 'month').startOf('month').format('YYYY-MM-DD');
  const trend = useQuery({
    queryKey: ['statistics', 'trend', from, to],
    queryFn: () => unwrap(api.GET('/api/statistics/trend', { params: { query: { interval: 'month', from, to } } })),
  });

  const defs = new Map<string, Figure>(((summary.data?.figures ?? []) as Figure[]).map((f) => [f.key, f]));
  const rows = (breakdown.data?.rows ?? []) as GroupRow[];
  const cell = (r: GroupRow, key: string) => r.figures.find((f) => f.key === key);

  const barOption = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      grid: { left: 40, right: 10, top: 20, bottom: 80 },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: 'value', max: 100 },
      series: [
        {
          type: 'bar',
          name: en ? 'Sign-off rate' : '销号率',
          data: rows.map((r) => Math.round((cell(r, 'signOffRate')?.value ?? 0) * 1000) / 10),
          itemStyle: { color: '#1454c8' },
        },
      ],
    }),
    [breakdown.data, en],
  );
  const points = (trend.data?.points ?? []) as { periodEnd: string; figures: Figure[] }[];
  const lineOption = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: points.map((p) => p.periodEnd.slice(0, 7)) },
      yAxis: { type: 'value', max: 100 },
      series: ['signOffRate', 'completionRate'].map((key) => ({
        type: 'line',
        name: defs.get(key)?.label ?? key,
        data: points.map((p) => Math.round((p.figures.find((f) => f.key === key)?.value ?? 0) * 1000) / 10),
      })),
    }),
    [trend.data, summary.data],
  );

  return (
    <>
      {summary.isError ? (
        <ErrorView error={summary.error} retry={() => void summary.refetch()} />
      ) : (
        <Card
          size="small"
          loading={summary.isPending}
          title={`${t('common.asOf')}：${formatDate(summary.data?.statDate, locale)}`}
          style={{ marginBottom: 12 }}
        >
          <Row gutter={[12, 12]}>
            {SHOWN.map((k) => defs.get(k))
              .filter(Boolean)
              .map((f) => (
                <Col key={f!.key} xs={12} sm={6} lg={3}>
                  <Tooltip title={f!.formula}>
                    <div tabIndex={0} data-testid={`stat-${f!.key}`}>
                      <Statistic title={f!.label} value={shown(f!)} formatter={asWritten} />
                    </div>
                  </Tooltip>
                </Col>
              ))}
          </Row>
        </Card>
      )}
      {reported.isError ? (
        <ErrorView error={reported.error} />
      ) : (
        <Card size="small" loading={reported.isPending} title={en ? 'Report figures' : '通报口径'} style={{ marginBottom: 12 }}>
          <Row gutter={[12, 12]}>
            {REPORTED.map((k) => ((reported.data?.figures ?? []) as Figure[]).find((f) => f.key === k))
              .filter(Boolean)
              .map((f) => (
                <Col key={f!.key} xs={12} sm={8} lg={4}>
                  <Tooltip title={f!.formula}>
                    <div tabIndex={0} data-testid={`report-${f!.key}`}>
                      <Statistic title={f!.label} value={shown(f!)} formatter={asWritten} />
                    </div>
                  </Tooltip>
                </Col>
              ))}
          </Row>
        </Card>
      )}
      <Row gutter={12}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={en ? 'Breakdown' : '分组统计'}
            extra={
              <Select<By>
                aria-label={en ? 'Group by' : '分组'}
                value={by}
                onChange={setBy}
                style={{ width: 120 }}
                options={[
                  { value: 'leadUnit', label: en ? 'Lead unit' : '牵头单位' },
                  { value: 'county', label: en ? 'County' : '区县' },
                  { value: 'domain', label: en ? 'Domain' : '领域' },
                  { value: 'sourceType', label: en ? 'Source' : '问题来源' },
                  { value: 'batch', label: en ? 'Batch' : '批次' },
                ]}
              />
            }
            style={{ marginBottom: 12 }}
          >
            {breakdown.isError ? (
              <ErrorView error={breakdown.error} />
            ) : (
              <Chart option={barOption} label={en ? 'Sign-off rate by group' : '各组销号率'} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={en ? 'Trend by month' : '月度趋势'} style={{ marginBottom: 12 }}>
            {trend.isError ? <ErrorView error={trend.error} /> : <Chart option={lineOption} label={en ? 'Rates by month' : '各月完成率'} />}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={breakdown.data?.note}>
        <Table<GroupRow>
          size="small"
          className="dense"
          rowKey="key"
          loading={breakdown.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: en ? 'Group' : '分组', dataIndex: 'label', fixed: 'left' },
            ...SHOWN.map((k) => ({
              key: k,
              title: (
                <Tooltip title={defs.get(k)?.formula}>
                  <span>{defs.get(k)?.label ?? k}</span>
                </Tooltip>
              ),
              render: (_: unknown, r: GroupRow) => {
                const f = cell(r, k);
                return f ? shown({ ...f, kind: defs.get(k)?.kind }) : '';
              },
            })),
          ]}
        />
      </Card>
    </>
  );
}
