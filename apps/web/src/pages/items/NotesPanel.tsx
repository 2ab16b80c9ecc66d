import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, List, Space } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError, ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formatDate, formatDateTime } from '../../lib/format';

export function ProgressList({ itemId }: { itemId: string }) {
  const { t, locale } = useI18n();
  const q = useQuery({
    queryKey: ['item', itemId, 'progress'],
    queryFn: () => unwrap(api.GET('/api/items/{id}/progress', { params: { path: { id: itemId } } })),
  });
  if (q.isError) return <ErrorView error={q.error} retry={() => void q.refetch()} />;
  return (
    <List
      size="small"
      loading={q.isPending}
      dataSource={q.data ?? []}
      locale={{ emptyText: t('common.none') }}
      renderItem={(p) => (
        <List.Item>
          <div>
            <div style={{ color: '#595959', fontSize: 12 }}>
              {formatDate(p.reportedOn, locale)} · {p.unitName} · {p.author?.name ?? p.authorName}
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }}>{p.text}</div>
          </div>
        </List.Item>
      )}
    />
  );
}

export function Comments({ itemId }: { itemId: string }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const q = useQuery({
    queryKey: ['item', itemId, 'comments'],
    queryFn: () => unwrap(api.GET('/api/items/{id}/comments', { params: { path: { id: itemId } } })),
  });
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/items/{id}/comments', { params: { path: { id: itemId } }, body: { text: text.trim() } })),
    onSuccess: () => {
      setText('');
      void qc.invalidateQueries({ queryKey: ['item', itemId, 'comments'] });
    },
    onError: (e) => void message.error(describeError(e, t)),
  });
  if (q.isError) return <ErrorView error={q.error} retry={() => void q.refetch()} />;
  return (
    <>
      <List
        size="small"
        loading={q.isPending}
        dataSource={q.data ?? []}
        locale={{ emptyText: t('common.none') }}
        renderItem={(c) => (
          <List.Item>
            <div>
              <div style={{ color: '#595959', fontSize: 12 }}>
                {formatDateTime(c.createdAt)} · {c.author?.name ?? c.authorName}
              </div>
              <div style={{ whiteSpace: 'pre-wrap' }}>{c.text}</div>
            </div>
          </List.Item>
        )}
      />
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input.TextArea
          aria-label={locale === 'en' ? 'Comment' : '评论'}
          rows={2}
          maxLength={5000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={locale === 'en' ? 'Add a comment' : '添加评论'}
        />
        <Button type="primary" disabled={!text.trim()} loading={add.isPending} onClick={() => add.mutate()}>
          {t('common.submit')}
        </Button>
      </Space.Compact>
    </>
  );
}
