import { useQuery } from '@tanstack/react-query';
import { ErrorView } from '../components/ErrorView';
import { ItemTable } from '../components/ItemTable';
import { useI18n } from '../i18n/i18n';
import { urgentQuery } from '../lib/dashboardQuery';
import type { ItemQuery } from '../lib/itemQuery';

/** The first ten items of 工作台's first tile. */
export default function DashboardUrgent({ query }: { query: ItemQuery }) {
  const { t } = useI18n();
  const urgent = useQuery(urgentQuery(query));
  if (urgent.isError) return <ErrorView error={urgent.error} retry={() => void urgent.refetch()} />;
  // A narrow screen scrolls the box (the table keeps room for the problem's text), not the table: antd's own horizontal scroll measures every column after
  // rendering (a layout of the whole page, the slowest part of 工作台's first render on a slow PC).
  return (
    <div style={{ overflowX: 'auto' }}>
      <ItemTable
        dataSource={urgent.data?.data ?? []}
        loading={urgent.isPending}
        pagination={false}
        locale={{ emptyText: t('common.none') }}
        scroll={undefined}
        style={{ minWidth: 880 }}
      />
    </div>
  );
}
