import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Skeleton, Statistic, Tooltip } from 'antd';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { can, useMe, type Me } from '../auth/session';
import { ErrorView } from '../components/ErrorView';
import { ItemTable } from '../components/ItemTable';
import { useI18n } from '../i18n/i18n';
import { formatDate, formatRate } from '../lib/format';
import { paramsFromQuery, type ItemQuery } from '../lib/itemQuery';
import { useWorkingDayWindow } from '../lib/today';

interface Tile {
  key: string;
  title: string;
  query: ItemQuery;
  danger?: boolean;
}

/** Each tile is an item-list query: its count is that list's total, and a click opens the list. */
function tilesFor(me: Me, en: boolean, dueDays: number | undefined): Tile[] {
  const tiles: Tile[] = [];
  const roles = new Set(me.roles);
  const add = (t: Tile) => !tiles.some((x) => x.key === t.key) && tiles.push(t);
  if (roles.has('unit_officer') || roles.has('admin')) {
    add({ key: 'overdue', title: en ? 'Overdue' : '已逾期', query: { overdue: true }, danger: true });
    if (dueDays !== undefined)
      add({
        key: 'due5',
        title: en ? 'Due within 5 working days' : '5个工作日内到期',
        query: { dueWithinDays: dueDays, state: ['assigned', 'in_progress'] },
      });
    add({ key: 'toAccept', title: en ? 'Waiting for me to accept' : '待签收', query: { state: ['assigned'] } });
    add({ key: 'inProgress', title: en ? 'In progress' : '整改中', query: { state: ['in_progress'] } });
  }
  if (roles.has('dispatcher')) {
    add({ key: 'open', title: en ? 'Dispatched, open' : '已交办未完成', query: { state: ['assigned', 'in_progress'] } });
    add({ key: 'overdue', title: en ? 'Overdue' : '已逾期', query: { overdue: true }, danger: true });
    add({ key: 'drafts', title: en ? 'Drafts to assign' : '待交办', query: { state: ['draft'] } });
    add({ key: 'acceptance', title: en ? 'In acceptance' : '验收中', query: { state: ['in_acceptance', 'public_notice'] } });
  }
  if (roles.has('verifier')) {
    add({ key: 'acceptance', title: en ? 'In acceptance' : '验收中', query: { state: ['in_acceptance'] } });
    add({ key: 'notice', title: en ? 'Public notice' : '公示中', query: { state: ['public_notice'] } });
  }
  return tiles;
}

function CountTile({ tile }: { tile: Tile }) {
  const count = useQuery({
    queryKey: ['items', { ...tile.query, pageSize: 1 }],
    queryFn: () => unwrap(api.GET('/api/items', { params: { query: { ...tile.query, pageSize: 1 } } })),
  });
  const value = count.data ? (count.data.totalIsExact ? count.data.total : `${count.data.total}+`) : undefined;
  return (
    <Link to={`/items?${paramsFromQuery(tile.query).toString()}`} data-testid={`tile-${tile.key}`}>
      <Card size="small" hoverable>
        <Statistic
          title={tile.title}
          value={value ?? '—'}
          loading={count.isPending}
          styles={{ content: { color: tile.danger && Number(count.data?.total) > 0 ? '#a8071a' : undefined } }}
        />
      </Card>
    </Link>
  );
}

function ClosureFigures() {
  const { locale, t } = useI18n();
  const summary = useQuery({ queryKey: ['statistics', 'summary', {}], queryFn: () => unwrap(api.GET('/api/statistics/summary', {})) });
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
                <Statistic title={f.label} value={f.kind === 'rate' ? formatRate(f.value) : f.display} />
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
  const window5 = useWorkingDayWindow(5);
  const tiles = tilesFor(me, en, window5.data);
  const first = tiles[0];
  const urgent = useQuery({
    queryKey: ['items', { ...first?.query, pageSize: 10 }],
    queryFn: () => unwrap(api.GET('/api/items', { params: { query: { ...first?.query, pageSize: 10 } } })),
    enabled: Boolean(first),
  });
  const showFigures = me.roles.includes('auditor') || me.roles.includes('dispatcher') || me.roles.includes('admin');
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.dashboard')}</h1>
      {tiles.length > 0 && (
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
          {tiles.map((tile) => (
            <Col key={tile.key} xs={12} md={6}>
              <CountTile tile={tile} />
            </Col>
          ))}
        </Row>
      )}
      {showFigures && can(me, 'item.read') && (
        <div style={{ marginBottom: 12 }}>
          <ClosureFigures />
        </div>
      )}
      {first && (
        <Card
          size="small"
          title={first.title}
          extra={<Link to={`/items?${paramsFromQuery(first.query).toString()}`}>{en ? 'All' : '全部'}</Link>}
        >
          {urgent.isError ? (
            <ErrorView error={urgent.error} retry={() => void urgent.refetch()} />
          ) : (
            <ItemTable
              dataSource={urgent.data?.data ?? []}
              loading={urgent.isPending}
              pagination={false}
              locale={{ emptyText: t('common.none') }}
            />
          )}
        </Card>
      )}
    </div>
  );
}
