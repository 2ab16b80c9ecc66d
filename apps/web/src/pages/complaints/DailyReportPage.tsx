import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Input, Select, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { download, saveBlob } from '../../auth/token';
import { describeError, ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formatDate } from '../../lib/format';
import { today } from '../../lib/today';
import { VERDICT_LABELS } from './types';

interface BatchRow {
  id: string;
  round: string;
  batchNo: number;
  receivedOn: string;
  cases: number;
}
interface ReportLine {
  caseNo: string;
  teamNo: string | null;
  county: string;
  leadUnit: string | null;
  verdict: string | null;
  line: string;
}
interface DailyReport {
  title: string;
  asOf: string;
  lines: ReportLine[];
  text: string;
}

/** 每日办理情况: a batch's report to the inspection team, one line per case, as a table, text to copy and .xlsx. */
export default function DailyReportPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const batchId = params.get('batch') ?? undefined;
  const [asOf, setAsOf] = useState<Dayjs>(() => dayjs(today()));
  const day = asOf.format('YYYY-MM-DD');
  const batches = useQuery({
    queryKey: ['complaint-batches'],
    queryFn: async () => (await unwrap(api.GET('/api/complaint-batches'))) as BatchRow[],
  });
  const report = useQuery({
    queryKey: ['daily-report', batchId, day],
    enabled: !!batchId,
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/complaint-batches/{id}/daily-report', { params: { path: { id: batchId! }, query: { asOf: day } } }),
      )) as DailyReport,
  });

  const downloadXlsx = async () => {
    try {
      const f = await download(`/api/complaint-batches/${batchId}/daily-report?format=xlsx&asOf=${day}`);
      saveBlob(f.blob, f.name);
    } catch (e) {
      void message.error(describeError(e, t));
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(report.data?.text ?? '');
      void message.success(t('daily.copied'));
    } catch {
      void message.warning(t('daily.copyFailed'));
    }
  };

  return (
    <div className="page">
      <h1 className="page-title">{t('nav.dailyReport')}</h1>
      <Space wrap style={{ marginBottom: 12 }}>
        <span id="daily-batch-label">{t('daily.batch')}</span>
        <Select
          id="daily-batch"
          aria-labelledby="daily-batch-label"
          showSearch
          optionFilterProp="label"
          placeholder={t('daily.chooseBatch')}
          loading={batches.isPending}
          value={batchId}
          onChange={(v: string) => setParams({ batch: v }, { replace: true })}
          style={{ minWidth: 320 }}
          notFoundContent={t('daily.noBatches')}
          options={(batches.data ?? []).map((b) => ({
            value: b.id,
            label: t('daily.batchLabel', { round: b.round, n: b.batchNo, date: formatDate(b.receivedOn, locale), cases: b.cases }),
          }))}
        />
        <span>{t('daily.date')}</span>
        <DatePicker
          aria-label={t('daily.date')}
          value={asOf}
          allowClear={false}
          onChange={(d) => d && setAsOf(d)}
          disabledDate={(d) => d.format('YYYY-MM-DD') > today()}
        />
        <Button disabled={!report.data} onClick={() => void downloadXlsx()} data-testid="daily-xlsx">
          {t('daily.download')}
        </Button>
        <Button type="primary" disabled={!report.data} onClick={() => void copy()} data-testid="daily-copy">
          {t('daily.copy')}
        </Button>
      </Space>
      {batches.isError && <ErrorView error={batches.error} retry={() => void batches.refetch()} />}
      {!batchId ? (
        <Empty description={t('daily.chooseBatch')} />
      ) : report.isError ? (
        <ErrorView error={report.error} retry={() => void report.refetch()} />
      ) : (
        <>
          <Card size="small" title={report.data?.title} loading={report.isPending} style={{ marginBottom: 12 }}>
            <div data-testid="daily-lines">
              <Table<ReportLine & { no: number }>
                size="small"
                className="dense"
                rowKey="caseNo"
                pagination={false}
                dataSource={(report.data?.lines ?? []).map((l, i) => ({ ...l, no: i + 1 }))}
                columns={[
                  { title: t('daily.no'), dataIndex: 'no', width: 56 },
                  { title: t('daily.teamNo'), dataIndex: 'teamNo', width: 130 },
                  { title: t('daily.caseNo'), dataIndex: 'caseNo', width: 110 },
                  { title: t('daily.county'), dataIndex: 'county', width: 90 },
                  { title: t('daily.leadUnit'), dataIndex: 'leadUnit', width: 140 },
                  {
                    title: t('daily.verdict'),
                    width: 100,
                    render: (_, l) => (l.verdict ? <Tag>{VERDICT_LABELS[l.verdict] ?? l.verdict}</Tag> : ''),
                  },
                  { title: t('daily.line'), dataIndex: 'line' },
                ]}
              />
            </div>
          </Card>
          <Card size="small" title={<label htmlFor="daily-text">{t('daily.text')}</label>} loading={report.isPending}>
            <Input.TextArea id="daily-text" readOnly value={report.data?.text ?? ''} autoSize={{ minRows: 4, maxRows: 20 }} />
          </Card>
        </>
      )}
    </div>
  );
}
