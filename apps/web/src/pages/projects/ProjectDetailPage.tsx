import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Skeleton, Table, Tabs, Tag } from 'antd';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formatDate, formatDateTime, formatRate, formatWan } from '../../lib/format';
import type { components } from '../../api/schema';

type Milestone = components['schemas']['MilestoneDto'];
type InvestmentReport = components['schemas']['InvestmentReportAnswerDto'];
import NotFoundPage from '../NotFoundPage';
import { ScheduleTag } from './ProjectListPage';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = 86_400_000;

/** Milestones on one time axis: planned (outline) against actual (filled), Gantt-like. */
function MilestoneTimeline({ milestones, start, end }: { milestones: Milestone[]; start: string; end: string }) {
  const { locale } = useI18n();
  const en = locale === 'en';
  const dates = milestones.flatMap((m) => [m.plannedDate, m.actualDate, m.originalPlannedDate].filter(Boolean) as string[]);
  const min = Math.min(Date.parse(start), ...dates.map(Date.parse));
  const max = Math.max(Date.parse(end), Date.now(), ...dates.map(Date.parse));
  const pos = (d: string) => `${(((Date.parse(d) - min) / (max - min || DAY)) * 100).toFixed(2)}%`;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div role="list" aria-label={en ? 'Milestones' : '里程碑'}>
      {milestones.map((m) => (
        <div
          key={m.id}
          role="listitem"
          style={{ display: 'flex', alignItems: 'center', borderBottom: '1px solid #f0f0f0', padding: '4px 0' }}
        >
          <div style={{ width: 200, flex: 'none', paddingRight: 8 }}>
            {m.seq}. {m.name}
            <div style={{ fontSize: 12, color: '#595959' }}>
              {en ? 'planned' : '计划'} {formatDate(m.plannedDate, locale, 'short')}
              {m.actualDate ? ` · ${en ? 'actual' : '实际'} ${formatDate(m.actualDate, locale, 'short')}` : ''}
            </div>
          </div>
          <div style={{ position: 'relative', flex: 1, height: 22, background: '#fafafa' }}>
            <div
              title={en ? 'today' : '今天'}
              style={{ position: 'absolute', left: pos(today), top: 0, bottom: 0, borderLeft: '1px dashed #a8071a' }}
            />
            <div
              title={`${en ? 'planned' : '计划'} ${m.plannedDate}`}
              style={{
                position: 'absolute',
                left: pos(m.plannedDate),
                top: 3,
                width: 12,
                height: 12,
                marginLeft: -6,
                border: '2px solid #1454c8',
                borderRadius: 2,
                background: '#fff',
              }}
            />
            {m.actualDate && (
              <div
                title={`${en ? 'actual' : '实际'} ${m.actualDate}`}
                style={{
                  position: 'absolute',
                  left: pos(m.actualDate),
                  top: 5,
                  width: 10,
                  height: 10,
                  marginLeft: -5,
                  borderRadius: 5,
                  background: m.delayed ? '#a8071a' : '#389e0d',
                }}
              />
            )}
          </div>
          <div style={{ width: 90, flex: 'none', textAlign: 'right' }}>
            <Tag color={m.delayed ? 'error' : m.state === 'verified' ? 'success' : 'default'}>{m.stateLabel ?? m.state}</Tag>
          </div>
        </div>
      ))}
    </div>
  );
}

export default function ProjectDetailPage() {
  const { id = '' } = useParams();
  const { locale } = useI18n();
  const en = locale === 'en';
  const valid = UUID.test(id);
  const project = useQuery({
    queryKey: ['project', id],
    queryFn: () => unwrap(api.GET('/api/projects/{id}', { params: { path: { id } } })),
    enabled: valid,
  });
  const milestones = useQuery({
    queryKey: ['project', id, 'milestones'],
    queryFn: () => unwrap(api.GET('/api/projects/{id}/milestones', { params: { path: { id } } })),
    enabled: project.isSuccess,
  });
  const reports = useQuery({
    queryKey: ['project', id, 'investment'],
    queryFn: () => unwrap(api.GET('/api/projects/{id}/investment', { params: { path: { id } } })),
    enabled: project.isSuccess,
  });
  if (!valid || (project.error instanceof ApiError && project.error.status === 404)) return <NotFoundPage />;
  if (project.isError)
    return (
      <div className="page">
        <ErrorView error={project.error} retry={() => void project.refetch()} />
      </div>
    );
  if (!project.data)
    return (
      <div className="page">
        <Skeleton active />
      </div>
    );
  const p = project.data;
  const inv = p.investment;
  return (
    <div className="page">
      <h1 className="page-title">
        {p.code} {p.name} <ScheduleTag status={p.schedule?.status} />
      </h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2, lg: 3 }}
          items={[
            { key: 'cat', label: en ? 'Category' : '类别', children: p.categoryLabel },
            { key: 'county', label: en ? 'County' : '区县', children: p.countyName ?? '—' },
            {
              key: 'units',
              label: en ? 'Responsible' : '责任单位',
              children: p.responsibleUnits.map((u) => u.name).join('、'),
            },
            { key: 'inv', label: en ? 'Planned investment' : '计划总投资', children: formatWan(p.plannedInvestment, locale) },
            {
              key: 'years',
              label: en ? 'Period' : '建设期限',
              children: `${formatDate(p.plannedStart, locale)} – ${formatDate(p.plannedEnd, locale)}`,
            },
            { key: 'source', label: en ? 'Source plan' : '来源规划', children: p.source },
            { key: 'expected', label: en ? 'Time elapsed (序时进度)' : '序时进度', children: formatRate(p.schedule?.expectedShare) },
            { key: 'actual', label: en ? 'Milestones done' : '里程碑完成', children: formatRate(p.schedule?.actualShare) },
            {
              key: 'invested',
              label: en ? 'Invested of plan' : '投资完成率',
              children: `${formatRate(inv?.totalShare)}（${en ? 'expected' : '序时'} ${formatRate(inv?.expectedShare)}）`,
            },
          ]}
        />
      </Card>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'milestones',
              label: en ? 'Milestones' : '里程碑',
              children: milestones.data ? (
                <MilestoneTimeline milestones={milestones.data} start={p.plannedStart} end={p.plannedEnd} />
              ) : (
                <Skeleton active />
              ),
            },
            {
              key: 'reports',
              label: en ? 'Monthly investment' : '月度投资',
              children: (
                <Table<InvestmentReport>
                  size="small"
                  rowKey="id"
                  loading={reports.isPending}
                  dataSource={reports.data ?? []}
                  pagination={{ pageSize: 24 }}
                  columns={[
                    { title: en ? 'Month' : '月份', dataIndex: 'month', width: 90 },
                    {
                      title: en ? 'Amount' : '完成投资',
                      dataIndex: 'amount',
                      align: 'right',
                      width: 120,
                      render: (v: string) => formatWan(v, locale),
                    },
                    { title: en ? 'Note' : '说明', dataIndex: 'note' },
                    {
                      title: en ? 'Correction' : '更正',
                      width: 120,
                      render: (_, r) =>
                        r.superseded ? <Tag>{en ? 'superseded' : '已更正'}</Tag> : r.version > 1 ? `v${r.version} ${r.reason ?? ''}` : '',
                    },
                    { title: en ? 'Reported by' : '填报人', dataIndex: 'reportedByName', width: 90 },
                    { title: en ? 'When' : '时间', dataIndex: 'reportedAt', width: 140, render: (v: string) => formatDateTime(v) },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
