import { useQuery } from '@tanstack/react-query';
import { ErrorView } from '../components/ErrorView';
import { ItemTable } from '../components/ItemTable';
import { useI18n } from '../i18n/i18n';
import { urgentQuery } from '../lib/dashboardQuery';
import type { ItemQuery } from '../lib/itemQuery';

/** The first ten items of 工作台's first tile: its own chunk, so the table's code never delays the counts. */
export default function DashboardUrgent({ query }: { query: ItemQuery }) {
  const { t } = useI18n();
  const urgent = useQuery(urgentQuery(query));
  if (urgent.isError) return <ErrorView error={urgent.error} retry={() => void urgent.refetch()} />;
  return (
    <ItemTable
      dataSource={urgent.data?.data ?? []}
      loading={urgent.isPending}
      pagination={false}
      locale={{ emptyText: t('common.none') }}
    />
  );
}
