import { useQuery } from '@tanstack/react-query';
import { Button, Card, List, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorView } from '../components/ErrorView';
import { useAction } from '../components/useAction';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/format';

/** The notifications the system e-mailed to this user, readable here, each linking to its item or project. */
export default function MessagesPage() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useQuery({
    queryKey: ['messages', page, unreadOnly],
    queryFn: () => unwrap(api.GET('/api/me/messages', { params: { query: { page, pageSize: 20, unreadOnly } } })),
  });
  const read = useAction(
    (id: string) => unwrap(api.POST('/api/me/messages/{id}/read', { params: { path: { id } } })),
    ['messages'],
    en ? 'Marked read' : '已标为已读',
  );
  const readAll = useAction(() => unwrap(api.POST('/api/me/messages/read-all')), ['messages'], en ? 'All read' : '已全部标为已读');
  return (
    <div className="page">
      <Space style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          {t('nav.messages')}
        </h1>
        <Space>
          <Switch checked={unreadOnly} onChange={(v) => (setUnreadOnly(v), setPage(1))} aria-label={en ? 'Unread only' : '只看未读'} />
          <span>{en ? 'Unread only' : '只看未读'}</span>
          <Button onClick={() => readAll.mutate(undefined)} disabled={!list.data?.unread}>
            {en ? 'Mark all read' : '全部已读'}
          </Button>
        </Space>
      </Space>
      {list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Card size="small">
          <List
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: t('common.none') }}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, size: 'small' }}
            renderItem={(m) => (
              <List.Item
                actions={[
                  m.itemId && <Link to={`/items/${m.itemId}`}>{en ? 'Open item' : '查看事项'}</Link>,
                  m.projectId && <Link to={`/projects/${m.projectId}`}>{en ? 'Open project' : '查看项目'}</Link>,
                  !m.readAt && (
                    <a role="button" onClick={() => read.mutate(m.id)}>
                      {en ? 'Mark read' : '标为已读'}
                    </a>
                  ),
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  title={
                    <Space>
                      {!m.readAt && <Tag color="red">{en ? 'new' : '未读'}</Tag>}
                      <span style={{ fontWeight: m.readAt ? 400 : 600 }}>{m.subject}</span>
                    </Space>
                  }
                  description={
                    <div>
                      <div style={{ fontSize: 12 }}>{formatDateTime(m.createdAt)}</div>
                      <div style={{ whiteSpace: 'pre-wrap', color: '#262626' }}>{m.text}</div>
                    </div>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      )}
    </div>
  );
}
