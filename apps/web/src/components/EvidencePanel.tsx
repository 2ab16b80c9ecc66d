import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal, Popconfirm, Progress, Space, Table, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { errorFrom } from '../api/errors';
import { authFetch, download, saveBlob, uploadWithProgress } from '../auth/token';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/format';
import { describeError, ErrorView } from './ErrorView';

/** What every evidence list answers, whatever the files are evidence for. */
export interface EvidenceFile {
  id: string;
  filename: string;
  contentType: string;
  unitName: string;
  sizeBytes: number;
  uploadedAt: string;
  uploadedBy: { name: string } | null;
}

const size = (n: number) => (n > 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

export interface EvidencePanelProps<T extends EvidenceFile> {
  /** The collection's URL: GET lists, POST uploads, GET/DELETE {url}/{id} downloads and withdraws. */
  url: string;
  queryKey: readonly unknown[];
  load: () => Promise<T[]>;
  canUpload: boolean;
  /** Invalidated after a change (e.g. the owner's detail with its counts). */
  changed?: readonly unknown[];
  /** Files that may be withdrawn (DELETE); none when absent. */
  canWithdraw?: (file: T) => boolean;
  extraColumns?: ColumnsType<T>;
}

/** Evidence files: upload with progress, preview of PDFs and images in the page, download, withdrawal. */
export function EvidencePanel<T extends EvidenceFile>({
  url,
  queryKey,
  load,
  canUpload,
  changed,
  canWithdraw,
  extraColumns = [],
}: EvidencePanelProps<T>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [preview, setPreview] = useState<{ url: string; type: string; name: string } | null>(null);
  const list = useQuery({ queryKey, queryFn: load });
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview.url);
    },
    [preview],
  );
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey }), changed && qc.invalidateQueries({ queryKey: changed })]);

  const open = async (e: T, save: boolean) => {
    try {
      const file = await download(`${url}/${e.id}`);
      if (save || !(e.contentType.startsWith('image/') || e.contentType === 'application/pdf')) saveBlob(file.blob, e.filename);
      else setPreview({ url: URL.createObjectURL(new Blob([file.blob], { type: e.contentType })), type: e.contentType, name: e.filename });
    } catch (err) {
      void message.error(describeError(err, t));
    }
  };
  const withdraw = async (e: T) => {
    try {
      const res = await authFetch(new Request(`${url}/${e.id}`, { method: 'DELETE' }));
      if (!res.ok) throw await errorFrom(res);
      void message.success(t('evidence.withdrawn'));
      await refresh();
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
              uploadWithProgress(url, body, setProgress)
                .then((r) => {
                  onSuccess?.(r);
                  void message.success(t('evidence.uploaded'));
                  void refresh();
                })
                .catch((err: unknown) => {
                  onError?.(err as Error);
                  void message.error(describeError(err, t));
                })
                .finally(() => setProgress(null));
            }}
          >
            <Button>{t('evidence.upload')}</Button>
          </Upload>
          {progress !== null && <Progress percent={progress} size="small" style={{ width: 160 }} />}
        </Space>
      )}
      <Table<T>
        size="small"
        rowKey="id"
        pagination={false}
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('evidence.file'), dataIndex: 'filename', render: (v: string, e) => <a onClick={() => void open(e, false)}>{v}</a> },
          { title: t('evidence.unit'), dataIndex: 'unitName', width: 140 },
          { title: t('evidence.by'), width: 90, render: (_, e) => e.uploadedBy?.name ?? '—' },
          { title: t('evidence.size'), dataIndex: 'sizeBytes', width: 80, render: (n: number) => size(n) },
          { title: t('evidence.when'), dataIndex: 'uploadedAt', width: 140, render: (v: string) => formatDateTime(v) },
          ...extraColumns,
          {
            title: '',
            width: canWithdraw ? 110 : 60,
            render: (_, e) => (
              <Space size="small">
                <a onClick={() => void open(e, true)}>{t('common.download')}</a>
                {canWithdraw?.(e) && (
                  <Popconfirm title={t('evidence.withdrawConfirm')} onConfirm={() => void withdraw(e)}>
                    <a>{t('evidence.withdraw')}</a>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
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
