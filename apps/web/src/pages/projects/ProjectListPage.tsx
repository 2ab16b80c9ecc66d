import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { can } from '../../auth/can';
import { useMe } from '../../auth/session';
import { download, saveBlob, uploadWithProgress } from '../../auth/token';
import { describeError, ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formatRate, formatWan } from '../../lib/format';
import type { components } from '../../api/schema';

type ProjectSummary = components['schemas']['ProjectSummaryDto'];

export const SCHEDULE: Record<string, [string, string, string]> = {
  not_started: ['未开工', 'Not started', 'default'],
  on_schedule: ['按序时推进', 'On schedule', 'success'],
  ahead: ['超序时', 'Ahead', 'cyan'],
  behind: ['滞后', 'Behind', 'error'],
  completed: ['已完成', 'Completed', 'blue'],
  overdue: ['逾期未完成', 'Overdue', 'error'],
};

export function ScheduleTag({ status }: { status: string | undefined }) {
  const { locale } = useI18n();
  const s = status === undefined ? undefined : SCHEDULE[status];
  return <Tag color={s?.[2] ?? 'default'}>{s ? s[locale === 'en' ? 1 : 0] : status}</Tag>;
}

export default function ProjectListPage() {
  const me = useMe();
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState<string>();
  const [schedule, setSchedule] = useState<string[]>([]);
  const [page, setPage] = useState(1);
  const query = { q, schedule: schedule.length ? schedule : undefined, page, pageSize: 50 };
  const list = useQuery({
    queryKey: ['projects', query],
    queryFn: () => unwrap(api.GET('/api/projects', { params: { query } })),
  });

  const exportXlsx = async () => {
    try {
      const f = await download('/api/projects/export?format=xlsx');
      saveBlob(f.blob, f.name);
    } catch (e) {
      void message.error(describeError(e, t));
    }
  };
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.projects')}</h1>
      <Space wrap style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Input.Search
            aria-label={en ? 'Search' : '搜索'}
            placeholder={en ? 'Code or name' : '编号或名称'}
            allowClear
            onSearch={(v) => (setQ(v || undefined), setPage(1))}
            style={{ width: 220 }}
          />
          <Select
            mode="multiple"
            aria-label={en ? 'Schedule' : '进度状态'}
            placeholder={en ? 'Schedule' : '进度状态'}
            value={schedule}
            onChange={(v: string[]) => (setSchedule(v), setPage(1))}
            options={Object.entries(SCHEDULE).map(([k, v]) => ({ value: k, label: v[en ? 1 : 0] }))}
            style={{ minWidth: 160 }}
          />
        </Space>
        <Space>
          {can(me, 'project.manage') && (
            <Upload
              showUploadList={false}
              accept=".xlsx"
              customRequest={({ file }) => {
                const body = new FormData();
                body.append('file', file as Blob);
                uploadWithProgress('/api/projects/import', body, () => undefined)
                  .then(() => {
                    void message.success(en ? 'Imported' : '导入完成');
                    void qc.invalidateQueries({ queryKey: ['projects'] });
                  })
                  .catch((e: unknown) => void message.error(describeError(e, t)));
              }}
            >
              <Button>{en ? 'Import (.xlsx)' : '导入 (.xlsx)'}</Button>
            </Upload>
          )}
          <Button onClick={() => void exportXlsx()}>{t('common.export')} (.xlsx)</Button>
        </Space>
      </Space>
      {list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Table<ProjectSummary>
          size="small"
          className="dense"
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data?.data ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page,
            pageSize: 50,
            total: list.data?.total ?? 0,
            onChange: setPage,
            showTotal: (n) => t('common.total', { n }),
            showSizeChanger: false,
          }}
          columns={[
            {
              title: en ? 'Code' : '编号',
              dataIndex: 'code',
              width: 110,
              render: (v: string, r) => <Link to={`/projects/${r.id}`}>{v}</Link>,
            },
            {
              title: en ? 'Project' : '项目名称',
              dataIndex: 'name',
              ellipsis: true,
              render: (v: string, r) => <Link to={`/projects/${r.id}`}>{v}</Link>,
            },
            { title: en ? 'Category' : '类别', dataIndex: 'categoryLabel', width: 70 },
            { title: en ? 'County' : '区县', dataIndex: 'countyName', width: 80 },
            {
              title: en ? 'Responsible' : '责任单位',
              width: 140,
              ellipsis: true,
              render: (_, r) => r.responsibleUnits.map((u) => u.name).join('、'),
            },
            {
              title: en ? 'Planned investment' : '计划总投资',
              dataIndex: 'plannedInvestment',
              width: 120,
              align: 'right',
              render: (v: string) => formatWan(v, locale),
            },
            { title: en ? 'Years' : '建设年限', width: 100, render: (_, r) => `${r.startYear}–${r.endYear}` },
            { title: en ? 'Schedule' : '序时进度', width: 110, render: (_, r) => <ScheduleTag status={r.schedule?.status} /> },
            { title: en ? 'Invested' : '投资完成率', width: 90, align: 'right', render: (_, r) => formatRate(r.investment?.totalShare) },
          ]}
        />
      )}
    </div>
  );
}
