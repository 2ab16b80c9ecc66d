import { App, Button, Input, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { describeError } from '../../components/ErrorView';
import type { ItemRow } from '../../components/ItemTable';
import { useI18n } from '../../i18n/i18n';

type Action = 'assign' | 'urge';

/** Assign or urge the selected items; each goes through the one transition, and each answer is shown. */
export function BulkActions({ selected, actions, onDone }: { selected: ItemRow[]; actions: Action[]; onDone: () => void }) {
  const { t, label, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const [action, setAction] = useState<Action | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<{ row: ItemRow; result: components['schemas']['BulkResultDto'] }[] | null>(null);

  const run = async () => {
    if (!action) return;
    setBusy(true);
    try {
      const res = await unwrap(
        api.POST('/api/items/bulk-transitions', {
          body: { action, items: selected.map((r) => ({ id: r.id, version: r.version })), comment: comment.trim() || undefined },
        }),
      );
      const byId = new Map(selected.map((r) => [r.id, r]));
      setResults(res.results.map((result) => ({ row: byId.get(result.id)!, result })));
      setAction(null);
      setComment('');
      onDone();
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (!actions.length) return null;
  const ok = results?.filter((r) => r.result.ok).length ?? 0;
  return (
    <>
      <Space size={4}>
        {actions.map((a) => (
          <Button key={a} disabled={!selected.length || selected.length > 200} onClick={() => setAction(a)} data-testid={`bulk-${a}`}>
            {en ? `${label('action', a)} (${selected.length})` : `批量${label('action', a)}（${selected.length}）`}
          </Button>
        ))}
      </Space>
      <Modal
        open={action !== null}
        title={
          action
            ? en
              ? `${label('action', action)} ${selected.length} items`
              : `批量${label('action', action)} ${selected.length} 项`
            : ''
        }
        onCancel={() => setAction(null)}
        onOk={() => void run()}
        okText={t('common.submit')}
        confirmLoading={busy}
      >
        <Input.TextArea
          aria-label={en ? 'Comment' : '说明'}
          placeholder={en ? 'Comment (optional)' : '说明（可选）'}
          rows={3}
          maxLength={5000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </Modal>
      <Modal
        open={results !== null}
        title={en ? `${ok} done, ${(results?.length ?? 0) - ok} refused` : `成功 ${ok} 项，未成功 ${(results?.length ?? 0) - ok} 项`}
        onCancel={() => setResults(null)}
        onOk={() => setResults(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        width={720}
      >
        <Table
          size="small"
          rowKey={(r) => r.row.id}
          pagination={false}
          dataSource={results ?? []}
          data-testid="bulk-results"
          columns={[
            { title: en ? 'No.' : '编号', render: (_, r) => r.row.code, width: 90 },
            { title: en ? 'Problem' : '问题', render: (_, r) => r.row.title, ellipsis: true },
            {
              title: en ? 'Result' : '结果',
              width: 260,
              render: (_, r) =>
                r.result.ok ? (
                  <Tag color="success">{en ? 'done' : '成功'}</Tag>
                ) : (
                  <span style={{ color: '#a8071a' }}>{r.result.message}</span>
                ),
            },
          ]}
        />
      </Modal>
    </>
  );
}
