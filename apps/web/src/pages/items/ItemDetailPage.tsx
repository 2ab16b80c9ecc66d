import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton, Space, Tabs } from 'antd';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorView } from '../../components/ErrorView';
import { StateTag } from '../../components/ItemTable';
import { useI18n } from '../../i18n/i18n';
import NotFoundPage from '../NotFoundPage';
import { ActionPanel } from './ActionPanel';
import { EvidencePanel } from './EvidencePanel';
import { ItemFields } from './ItemFields';
import { ItemHistory } from './ItemHistory';
import { Comments, ProgressList } from './NotesPanel';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function ItemDetailPage() {
  const { id = '' } = useParams();
  const { locale } = useI18n();
  const en = locale === 'en';
  const valid = UUID.test(id);
  const item = useQuery({
    queryKey: ['item', id],
    queryFn: () => unwrap(api.GET('/api/items/{id}', { params: { path: { id } } })),
    enabled: valid,
  });
  const actions = useQuery({
    queryKey: ['item', id, 'actions'],
    queryFn: () => unwrap(api.GET('/api/items/{id}/actions', { params: { path: { id } } })),
    enabled: valid && item.isSuccess,
  });
  const history = useQuery({
    queryKey: ['item', id, 'history'],
    queryFn: () => unwrap(api.GET('/api/items/{id}/history', { params: { path: { id } } })),
    enabled: valid && item.isSuccess,
  });

  // Not there and not yours look the same (the api answers 404 for both).
  if (!valid || (item.error instanceof ApiError && (item.error.status === 404 || item.error.status === 400))) return <NotFoundPage />;
  if (item.isError)
    return (
      <div className="page">
        <ErrorView error={item.error} retry={() => void item.refetch()} />
      </div>
    );
  if (!item.data)
    return (
      <div className="page">
        <Skeleton active paragraph={{ rows: 10 }} />
      </div>
    );
  const it = item.data;
  return (
    <div className="page">
      <Space align="center" wrap style={{ marginBottom: 8 }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          {it.code} {it.title}
        </h1>
        <span data-testid="item-state" data-state={it.state}>
          <StateTag state={it.state} />
        </span>
      </Space>
      <div style={{ marginBottom: 12 }}>
        <ActionPanel item={it} actions={actions.data?.actions ?? []} />
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <ItemFields item={it} />
      </Card>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'history',
              label: en ? 'History' : '办理记录',
              children: history.isError ? (
                <ErrorView error={history.error} />
              ) : history.data ? (
                <ItemHistory history={history.data} />
              ) : (
                <Skeleton active />
              ),
            },
            { key: 'progress', label: en ? 'Progress reports' : '进展报送', children: <ProgressList itemId={id} /> },
            {
              key: 'evidence',
              label: `${en ? 'Evidence' : '佐证材料'} (${it.evidenceCount})`,
              children: <EvidencePanel itemId={id} canUpload={['assigned', 'in_progress', 'in_acceptance'].includes(it.state)} />,
            },
            { key: 'comments', label: en ? 'Comments' : '评论', children: <Comments itemId={id} /> },
          ]}
        />
      </Card>
    </div>
  );
}
