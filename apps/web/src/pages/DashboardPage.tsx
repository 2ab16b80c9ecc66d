import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Skeleton, Space, Statistic, Tooltip } from 'antd';
import { Link } from 'react-router';
import { useMe } from '../auth/session';
import { ErrorView } from '../components/ErrorView';
import { useI18n } from '../i18n/i18n';
import DashboardUrgent from './DashboardUrgent';
import { dashboardQuery, seesClosureFigures, summaryQuery, tilesOf, type Tile } from '../lib/dashboardQuery';
import { asWritten } from '../lib/figures';
import { formatDate, formatRate } from '../lib/format';
import { paramsFromQuery, queryFromApi } from '../lib/itemQuery';

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

/** The closure figures' card: its frame shows with the page, the figures (and their as-of date) when they come. */
function ClosureFigures() {
  const { locale, t } = useI18n();
  const summary = useQuery(summaryQuery);
  const figures = (
    (summary.data?.figures ?? []) as { key: string; label: string; kind: string; value: number | null; display: string; formula: string }[]
  ).filter((f) => ['total', 'signedOff', 'completed', 'overdueOpen', 'signOffRate', 'completionRate'].includes(f.key));
  return (
    <Card
      size="small"
      title={locale === 'en' ? 'Closure figures' : '整改完成情况'}
      extra={summary.data && `${t('common.asOf')} ${formatDate(summary.data.statDate, locale)}`}
    >
      {summary.isError ? (
        <ErrorView error={summary.error} retry={() => void summary.refetch()} />
      ) : !summary.data ? (
        <Skeleton active title={false} paragraph={{ rows: 2 }} />
      ) : (
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
      )}
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
          <DashboardUrgent query={firstQuery} />
        </Card>
      )}
    </div>
  );
}
