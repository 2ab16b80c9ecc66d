import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Select, Table, Tooltip } from 'antd';
import { useMemo, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { QueryOf } from '../../api/types';
import { Chart } from '../../components/Chart';
import { ErrorView } from '../../components/ErrorView';
import { COMPLAINT_FIGURE_EN } from '../../i18n/complaintMessages';
import { useI18n } from '../../i18n/i18n';
import { formatDate } from '../../lib/format';
import { FigureTile, percent, shown, type Figure, type GroupRow } from './figures';

type Dimension = QueryOf<'/api/complaints/statistics/breakdown', 'get'>['dimension'];

const COUNTS = ['received', 'valid', 'transferred', 'closed', 'phaseClosed', 'open', 'keyCases'];
const RATES = ['closureRate', 'closureRateWithPhase', 'feedbackRate', 'substantiatedShare', 'onTimeRateOriginal', 'onTimeRateApproved'];
const HANDLING = ['finesWan', 'ordersIssued', 'casesFiled', 'detained', 'summoned', 'accountable'];
const COLUMNS = ['received', 'valid', 'closed', 'phaseClosed', 'closureRateWithPhase', 'feedbackRate', 'substantiatedShare', 'finesWan'];

// Batch and unit names are long: slanted, cut to a width, the whole name in the tooltip.
const AXIS_LABEL = { rotate: 30, interval: 0, width: 110, overflow: 'truncate' } as const;
const GROUP_HEADING = { fontSize: 14, margin: '4px 0 8px' } as const;

/** The complaint figures (信访举报件) as of a day: tiles with formulas, a breakdown as charts and a table. */
export function ComplaintFigures({ asOf }: { asOf?: string }) {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const [dimension, setDimension] = useState<Dimension>('batch');
  const summary = useQuery({
    queryKey: ['complaint-statistics', 'summary', asOf],
    queryFn: () => unwrap(api.GET('/api/complaints/statistics/summary', { params: { query: { asOf } } })),
  });
  const breakdown = useQuery({
    queryKey: ['complaint-statistics', 'breakdown', dimension, asOf],
    queryFn: () => unwrap(api.GET('/api/complaints/statistics/breakdown', { params: { query: { dimension, asOf } } })),
  });
  const figures = (summary.data?.figures ?? []) as Figure[];
  const defs = new Map<string, Figure>(figures.map((f) => [f.key, f]));
  const nameOf = (key: string) => (en ? (COMPLAINT_FIGURE_EN[key] ?? key) : (defs.get(key)?.label ?? key));
  const rows = (breakdown.data?.rows ?? []) as GroupRow[];
  const cell = (r: GroupRow, key: string) => r.figures.find((f) => f.key === key);

  const countsOption = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 80 },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: AXIS_LABEL },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { key: 'closed', color: '#237804' },
        { key: 'phaseClosed', color: '#08979c' },
        { key: 'open', color: '#ad5b00' },
      ].map(({ key, color }) => ({
        type: 'bar',
        stack: 'cases',
        name: nameOf(key),
        data: rows.map((r) => cell(r, key)?.value ?? 0),
        itemStyle: { color },
      })),
    }),
    [breakdown.data, summary.data, en],
  );
  const ratesOption = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 80 },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: AXIS_LABEL },
      yAxis: { type: 'value', max: 100 },
      series: [
        { key: 'closureRate', color: '#1454c8' },
        { key: 'closureRateWithPhase', color: '#7cb305' },
        { key: 'feedbackRate', color: '#9254de' },
      ].map(({ key, color }) => ({
        type: 'bar',
        name: nameOf(key),
        data: rows.map((r) => percent(cell(r, key)?.value)),
        itemStyle: { color },
      })),
    }),
    [breakdown.data, summary.data, en],
  );

  const tiles = (keys: string[], span: Record<string, number>) => (
    <Row gutter={[12, 12]}>
      {keys
        .map((k) => defs.get(k))
        .filter((f): f is Figure => !!f)
        .map((f) => (
          <FigureTile key={f.key} f={f} label={nameOf(f.key)} testId={`complaint-${f.key}`} span={span} locale={locale} />
        ))}
    </Row>
  );

  return (
    <div data-testid="complaint-figures">
      {summary.isError ? (
        <ErrorView error={summary.error} retry={() => void summary.refetch()} />
      ) : (
        <Card
          size="small"
          loading={summary.isPending}
          title={`${t('common.asOf')}：${formatDate(summary.data?.asOf, locale)}`}
          style={{ marginBottom: 12 }}
        >
          <h2 style={GROUP_HEADING}>{t('cstats.counts')}</h2>
          {tiles(COUNTS, { xs: 12, sm: 6, lg: 3 })}
          <h2 style={GROUP_HEADING}>{t('cstats.rates')}</h2>
          {tiles(RATES, { xs: 12, sm: 8, lg: 4 })}
          <h2 style={GROUP_HEADING}>{t('cstats.handling')}</h2>
          {tiles(HANDLING, { xs: 12, sm: 8, lg: 4 })}
        </Card>
      )}
      <Card
        size="small"
        title={t('cstats.breakdown')}
        extra={
          <Select<Dimension>
            aria-label={t('cstats.groupBy')}
            value={dimension}
            onChange={setDimension}
            style={{ width: 120 }}
            options={[
              { value: 'batch', label: t('cstats.byBatch') },
              { value: 'county', label: t('cstats.byCounty') },
              { value: 'pollutionType', label: t('cstats.byPollution') },
              { value: 'leadUnit', label: t('cstats.byLeadUnit') },
            ]}
          />
        }
        style={{ marginBottom: 12 }}
      >
        {breakdown.isError ? (
          <ErrorView error={breakdown.error} retry={() => void breakdown.refetch()} />
        ) : (
          <>
            <Row gutter={12}>
              <Col xs={24} lg={12}>
                <Chart option={countsOption} label={t('cstats.countsChart')} />
              </Col>
              <Col xs={24} lg={12}>
                <Chart option={ratesOption} label={t('cstats.ratesChart')} />
              </Col>
            </Row>
            <div data-testid="complaint-breakdown">
              <Table<GroupRow>
                size="small"
                className="dense"
                rowKey="key"
                loading={breakdown.isPending}
                dataSource={rows}
                pagination={false}
                scroll={{ x: 'max-content' }}
                columns={[
                  { title: t('cstats.group'), dataIndex: 'label', fixed: 'left' },
                  ...COLUMNS.map((k) => ({
                    key: k,
                    title: (
                      <Tooltip title={defs.get(k)?.formula}>
                        <span>{nameOf(k)}</span>
                      </Tooltip>
                    ),
                    render: (_: unknown, r: GroupRow) => {
                      const f = cell(r, k);
                      return f ? shown({ ...f, kind: defs.get(k)?.kind }, locale) : '';
                    },
                  })),
                ]}
              />
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
