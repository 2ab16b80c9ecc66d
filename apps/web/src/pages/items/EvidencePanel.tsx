import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal, Progress, Space, Table, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { download, saveBlob, uploadWithProgress } from '../../auth/token';
import { describeError, ErrorView } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import type { Evidence } from './types';

const size = (n: number) => (n > 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** Evidence files: upload with progress, preview of PDFs and images in the page, download. */
export function EvidencePanel({ itemId, canUpload }: { itemId: string; canUpload: boolean }) {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [preview, setPreview] = useState<{ url: string; type: string; name: string } | null>(null);
  const list = useQuery({
    queryKey: ['item', itemId, 'evidence'],
    queryFn: () => unwrap(api.GET('/api/items/{id}/evidence', { params: { path: { id: itemId } } })),
  });
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview.url);
    },
    [preview],
  );

  const open = async (e: Evidence, save: boolean) => {
    try {
      const file = await download(`/api/items/${itemId}/evidence/${e.id}`);
      if (save || !(e.contentType.startsWith('image/') || e.contentType === 'application/pdf')) saveBlob(file.blob, e.filename);
      else setPreview({ url: URL.createObjectURL(new Blob([file.blob], { type: e.contentType })), type: e.contentType, name: e.filename });
    } catch (err) {
      void message.error(describeError(err, t));
    }
  };

  if (list.isError) return <ErrorView error={list.error} retry={() => void list.refetch()} />;
  return (
    <>
      {canUpload && (
        <Space style={{ marginBottom: 8 }}>
          <Upload
            showUploadList={false}
            accept="image/*,application/pdf,.doc,.docx,.xls,.xlsx,.wps,.et"
            customRequest={({ file, onSuccess, onError }) => {
              const body = new FormData();
              body.append('file', file as Blob);
              setProgress(0);
              uploadWithProgress(`/api/items/${itemId}/evidence`, body, setProgress)
                .then((r) => {
                  onSuccess?.(r);
                  void message.success(en ? 'Uploaded' : '已上传');
                  void qc.invalidateQueries({ queryKey: ['item', itemId] });
                })
                .catch((err: unknown) => {
                  onError?.(err as Error);
                  void message.error(describeError(err, t));
                })
                .finally(() => setProgress(null));
            }}
          >
            <Button>{en ? 'Upload evidence' : '上传佐证材料'}</Button>
          </Upload>
          {progress !== null && <Progress percent={progress} size="small" style={{ width: 160 }} />}
        </Space>
      )}
      <Table<Evidence>
        size="small"
        rowKey="id"
        pagination={false}
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: en ? 'File' : '文件', dataIndex: 'filename', render: (v: string, e) => <a onClick={() => void open(e, false)}>{v}</a> },
          { title: en ? 'Unit' : '单位', dataIndex: 'unitName', width: 140 },
          { title: en ? 'By' : '上传人', width: 90, render: (_, e) => e.uploadedBy?.name ?? '—' },
          { title: en ? 'Size' : '大小', dataIndex: 'sizeBytes', width: 80, render: (n: number) => size(n) },
          { title: en ? 'When' : '时间', dataIndex: 'uploadedAt', width: 140, render: (v: string) => formatDateTime(v) },
          { title: '', width: 60, render: (_, e) => <a onClick={() => void open(e, true)}>{t('common.download')}</a> },
        ]}
      />
      <Modal open={preview !== null} title={preview?.name} onCancel={() => setPreview(null)} footer={null} width="80vw" destroyOnHidden>
        {preview?.type === 'application/pdf' ? (
          <iframe src={preview.url} title={preview.name} style={{ width: '100%', height: '70vh', border: 0 }} />
        ) : (
          preview && <img src={preview.url} alt={preview.name} style={{ maxWidth: '100%' }} />
        )}
      </Modal>
    </>
  );
}
