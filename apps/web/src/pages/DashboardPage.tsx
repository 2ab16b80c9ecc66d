import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Col, Row, Skeleton, Space, Statistic, Tooltip } from 'antd';
import { lazy, Suspense, useEffect } from 'react';
import { Link } from 'react-router';
import type { components } from '../api/schema';
import { useMe } from '../auth/session';
import { ErrorView } from '../components/ErrorView';
import { useI18n } from '../i18n/i18n';
import { dashboardQuery, seesClosureFigures, summaryQuery, urgentQuery } from '../lib/dashboardQuery';
import { asWritten } from '../lib/figures';
import { formatDate, formatRate } from '../lib/format';
import { paramsFromQuery, queryFromApi } from '../lib/itemQuery';

// The table (antd Table, Select, Tree…) is most of the page's code: loaded after the counts show.
const DashboardUrgent = lazy(() => import('./DashboardUrgent'));

type Dashboard = components['schemas']['DashboardDto'];
type TileAnswer = components['schemas']['DashboardTileDto'];

interface Tile {
  key: string;
  title: string;
  tile: TileAnswer;
  danger?: boolean;
}

/** The tiles of GET /api/me/dashboard, per role the user has (a tile two roles share shows once). */
function tilesOf(d: Dashboard, en: boolean): Tile[] {
  const tiles: Tile[] = [];
  const add = (key: string, zh: string, enTitle: string, tile: TileAnswer | undefined, danger = false) => {
    if (tile && !tiles.some((x) => x.key === key)) tiles.push({ key, title: en ? enTitle : zh, tile, danger });
  };
  add('overdue', '已逾期', 'Overdue', d.officer?.overdue, true);
  add('due5', '5个工作日内到期', 'Due within 5 working days', d.officer?.dueSoon);
  add('returned', '被退回待整改', 'Returned to me', d.officer?.returned, true);
  add('toAccept', '待签收', 'Waiting for me to accept', d.officer?.toAccept);
  add('partsOwed', '配合任务未完成', 'Cooperating parts I owe', d.officer?.partsOwed);
  add('open', '已交办未完成', 'Dispatched, open', d.dispatcher?.dispatchedOpen);
  add('dispatchedOverdue', '交办事项已逾期', 'Dispatched, overdue', d.dispatcher?.overdue, true);
  add('extensions', '延期申请待审批', 'Extension requests', d.dispatcher?.extensionRequests);
  add('acceptance', '验收中', 'In acceptance', d.dispatcher?.inAcceptance);
  add('queue', '待我验收', 'Waiting for my acceptance', d.verifier?.acceptanceQueue);
  add('allOpen', '未完成', 'Open', d.overview?.open);
  add('allOverdue', '已逾期', 'Overdue', d.overview?.overdue, true);
  add('inAcceptance', '验收及公示中', 'In acceptance or notice', d.overview?.inAcceptance);
  add('signedOff', '已销号', 'Signed off', d.overview?.signedOff);
  return tiles;
}

const listLink = (query: Record<string, unknown>) => `/items?${paramsFromQuery(queryFromApi(query)).toString()}`;

function CountTile({ tile }: { tile: Tile }) {
  const { count, countIsExact, query } = tile.tile;
  return (
    <Link to={listLink(query)} data-testid={`tile-${tile.key}`}>
      <Card size="small" hoverable>
        <Statistic
          title={tile.title}
          value={countIsExact ? count : `${count}+`}
          formatter={asWritten}
          styles={{ content: { color: tile.danger && count > 0 ? '#a8071a' : undefined } }}
        />
      </Card>
    </Link>
  );
}

function ClosureFigures() {
  const { locale, t } = useI18n();
  const summary = useQuery(summaryQuery);
  if (summary.isError) return <ErrorView error={summary.error} retry={() => void summary.refetch()} />;
  if (!summary.data) return <Skeleton active paragraph={{ rows: 2 }} />;
  const figures = (
    summary.data.figures as { key: string; label: string; kind: string; value: number | null; display: string; formula: string }[]
  ).filter((f) => ['total', 'signedOff', 'completed', 'overdueOpen', 'signOffRate', 'completionRate'].includes(f.key));
  return (
    <Card
      size="small"
      title={`${locale === 'en' ? 'Closure figures' : '整改完成情况'}（${t('common.asOf')} ${formatDate(summary.data.statDate, locale)}）`}
    >
      <Row gutter={[12, 12]}>
        {figures.map((f) => (
          <Col key={f.key} xs={12} sm={8} lg={4}>
            <Tooltip title={f.formula}>
              <div data-testid={`figure-${f.key}`}>
                <Statistic title={f.label} value={f.kind === 'rate' ? formatRate(f.value) : f.display} formatter={asWritten} />
              </div>
            </Tooltip>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

export default function DashboardPage() {
  const me = useMe();
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const dashboard = useQuery(dashboardQuery);
  const tiles = dashboard.data ? tilesOf(dashboard.data, en) : [];
  const first = tiles[0];
  const firstQuery = first ? queryFromApi(first.tile.query) : undefined;
  const queryClient = useQueryClient();
  // The table's rows are asked for while its code loads (the query is a new object each render: keyed by value).
  const firstKey = JSON.stringify(firstQuery ?? null);
  useEffect(() => {
    if (firstQuery) void queryClient.prefetchQuery(urgentQuery(firstQuery));
  }, [queryClient, firstKey]);
  const byUnit = dashboard.data?.dispatcher?.overdueByUnit ?? [];
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.dashboard')}</h1>
      {dashboard.isError && <ErrorView error={dashboard.error} retry={() => void dashboard.refetch()} />}
      {dashboard.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
      {tiles.length > 0 && (
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
          {tiles.map((tile) => (
            <Col key={tile.key} xs={12} md={6}>
              <CountTile tile={tile} />
            </Col>
          ))}
        </Row>
      )}
      {byUnit.length > 0 && (
        <Card size="small" title={en ? 'Overdue by lead unit' : '逾期事项（按牵头单位）'} style={{ marginBottom: 12 }}>
          <Space wrap data-testid="overdue-by-unit">
            {byUnit.map((u) => (
              <Link key={u.unitId} to={listLink(u.query)}>
                {u.unitName}：{u.countIsExact ? u.count : `${u.count}+`}
              </Link>
            ))}
          </Space>
        </Card>
      )}
      {seesClosureFigures(me) && (
        <div style={{ marginBottom: 12 }}>
          <ClosureFigures />
        </div>
      )}
      {first && firstQuery && (
        <Card size="small" title={first.title} extra={<Link to={listLink(first.tile.query)}>{en ? 'All' : '全部'}</Link>}>
          <Suspense fallback={<Skeleton active paragraph={{ rows: 4 }} />}>
            <DashboardUrgent query={firstQuery} />
          </Suspense>
        </Card>
      )}
    </div>
  );
}
