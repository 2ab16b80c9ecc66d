import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table } from 'antd';
import { api, unwrap } from '../../api/client';
import { ErrorView } from '../../components/ErrorView';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';

/** A failed e-mail. The OpenAPI document leaves the rows free-form, so this names the fields the api sends. */
type FailedEmail = {
  id: string;
  to: string | null;
  template: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
};

/** E-mails that failed for good (bad address, 5xx), with the reason and a retry. */
export default function OutboxPage() {
  const { t, label, locale } = useI18n();
  const en = locale === 'en';
  const list = useQuery({ queryKey: ['outbox-failed'], queryFn: () => unwrap(api.GET('/api/admin/outbox/failed', {})) });
  const retry = useAction(
    (id: string) => unwrap(api.POST('/api/admin/outbox/{id}/retry', { params: { path: { id } } })),
    ['outbox-failed'],
    en ? 'Queued again' : '已重新发送',
  );
  const rows = (Array.isArray(list.data) ? list.data : (list.data?.data ?? [])) as FailedEmail[];
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.outbox')}</h1>
      {list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Card size="small">
          <Table<FailedEmail>
            size="small"
            rowKey="id"
            loading={list.isPending}
            dataSource={rows}
            locale={{ emptyText: en ? 'No failed e-mails' : '没有发送失败的邮件' }}
            columns={[
              { title: en ? 'To' : '收件人', dataIndex: 'to', width: 200 },
              {
                title: en ? 'Template' : '类型',
                dataIndex: 'template',
                width: 160,
                render: (v: string | null) => label('mailTemplate', v),
              },
              { title: en ? 'Attempts' : '尝试次数', dataIndex: 'attempts', width: 80 },
              { title: en ? 'Reason' : '失败原因', dataIndex: 'lastError', ellipsis: true },
              { title: en ? 'When' : '时间', dataIndex: 'createdAt', width: 140, render: (v: string) => formatDateTime(v) },
              {
                title: '',
                width: 80,
                render: (_, r) => (
                  <Button size="small" loading={retry.isPending && retry.variables === r.id} onClick={() => retry.mutate(r.id)}>
                    {en ? 'Retry' : '重试'}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
