import { useQuery } from '@tanstack/react-query';
import { Card, Tabs } from 'antd';
import { api, unwrap } from '../api/client';
import { ErrorView } from '../components/ErrorView';
import { ItemTable } from '../components/ItemTable';
import { useI18n } from '../i18n/i18n';
import type { ItemQuery } from '../lib/itemQuery';

function Queue({ query }: { query: ItemQuery }) {
  const { t } = useI18n();
  const list = useQuery({ queryKey: ['items', query], queryFn: () => unwrap(api.GET('/api/items', { params: { query } })) });
  if (list.isError) return <ErrorView error={list.error} retry={() => void list.refetch()} />;
  return (
    <ItemTable
      columnKeys={['code', 'title', 'batchName', 'leadUnits', 'currentDeadline', 'state', 'updatedAt']}
      dataSource={list.data?.data ?? []}
      loading={list.isPending}
      pagination={{ pageSize: 50, total: list.data?.total, showTotal: (n) => t('common.total', { n }) }}
      locale={{ emptyText: t('common.none') }}
    />
  );
}

/** The verifier's queue: items waiting for acceptance, and those in public notice. Pass or return from the item's page. */
export default function AcceptancePage() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.acceptance')}</h1>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'queue',
              label: en ? 'Waiting for acceptance' : '待验收',
              children: <Queue query={{ state: ['in_acceptance'], sort: 'updatedAt' }} />,
            },
            { key: 'notice', label: en ? 'Public notice' : '公示中', children: <Queue query={{ state: ['public_notice'] }} /> },
          ]}
        />
      </Card>
    </div>
  );
}
