import { InboxOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Result, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { unitOptions, useUnits } from '../../lib/units';
import { form, postForm, type LedgerImportResult, type LedgerPreview } from './intakeApi';

type Row = LedgerPreview['rows'][number];
type RowError = LedgerPreview['errors'][number];
type Unmatched = LedgerPreview['unmatchedUnits'][number];

const ACTION_COLORS = { create: 'green', update: 'blue', unchanged: 'default' } as const;
const ACTION_LABELS = { create: 'intake.create', update: 'intake.update', unchanged: 'intake.unchanged' } as const;

/** 台账导入: a batch, an .xlsx, a preview that writes nothing (with unmatched names mapped), then confirm. */
export default function LedgerImportPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const batchId = params.get('batchId') ?? undefined;
  const batches = useQuery({ queryKey: ['batches'], queryFn: () => unwrap(api.GET('/api/batches')) });
  const units = useUnits();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [saveAliases, setSaveAliases] = useState(false);
  const [preview, setPreview] = useState<LedgerPreview | null>(null);
  const [result, setResult] = useState<LedgerImportResult | null>(null);
  const [busy, setBusy] = useState(false);

  const fields = (extra: Record<string, string> = {}) => ({ mapping: JSON.stringify(mapping), saveAliases: String(saveAliases), ...extra });
  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    try {
      await step();
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () =>
    run(async () => {
      if (!batchId || !file) return;
      setPreview(await postForm<LedgerPreview>(`/api/batches/${batchId}/ledger-import/preview`, form(fields(), file, file.name)));
    });
  const doConfirm = () =>
    run(async () => {
      if (!batchId || !file || !preview) return;
      const body = form(fields({ previewId: preview.previewId }), file, file.name);
      setResult(await postForm<LedgerImportResult>(`/api/batches/${batchId}/ledger-import`, body));
      void qc.invalidateQueries({ queryKey: ['items'] });
    });
  const reset = () => (setFile(null), setPreview(null), setResult(null), setMapping({}));

  if (result) {
    return (
      <div className="page" data-testid="ledger-import-result">
        <Result
          status="success"
          title={t('intake.imported', { created: result.created, updated: result.updated, unchanged: result.unchanged })}
          subTitle={result.aliasesSaved.length ? t('intake.aliasesSaved', { names: result.aliasesSaved.join('、') }) : undefined}
          extra={[
            <Link key="list" to={`/items?batchId=${result.batchId}`}>
              <Button type="primary">{t('intake.openList')}</Button>
            </Link>,
            <Button key="again" onClick={reset}>
              {t('intake.again')}
            </Button>,
          ]}
        />
      </div>
    );
  }

  const actionTag = (a: Row['action']) => <Tag color={ACTION_COLORS[a]}>{t(ACTION_LABELS[a])}</Tag>;
  const s = preview?.summary;
  return (
    <div className="page" data-testid="ledger-import">
      <h1 className="page-title">{t('intake.import')}</h1>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('intake.batch')}</span>
        <Select
          id="import-batch"
          showSearch={{ optionFilterProp: 'label' }}
          style={{ minWidth: 320 }}
          placeholder={t('intake.chooseBatch')}
          value={batchId}
          loading={batches.isPending}
          onChange={(v: string) => (setParams({ batchId: v }), setPreview(null))}
          options={(batches.data ?? []).map((b) => ({ value: b.id, label: `${b.code} ${b.name}` }))}
        />
      </Space>
      <Upload.Dragger
        accept=".xlsx"
        maxCount={1}
        beforeUpload={(f) => (setFile(f), setPreview(null), setMapping({}), false)}
        onRemove={() => (setFile(null), setPreview(null))}
        fileList={file ? [{ uid: 'ledger', name: file.name, status: 'done' }] : []}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{t('intake.file')} (.xlsx)</p>
      </Upload.Dragger>
      <Space style={{ margin: '12px 0' }}>
        <Button id="import-preview" disabled={!batchId || !file} loading={busy} onClick={() => void doPreview()}>
          {t('intake.preview')}
        </Button>
        {preview && (
          <Button id="import-confirm" type="primary" disabled={!preview.confirmable} loading={busy} onClick={() => void doConfirm()}>
            {t('intake.confirm')}
          </Button>
        )}
      </Space>
      {preview && s && (
        <>
          <Alert
            data-testid="import-summary"
            type={preview.confirmable ? 'success' : 'warning'}
            title={t('intake.summary', { ...s, unmatched: s.unmatchedUnits })}
            description={preview.confirmable ? undefined : t('intake.notConfirmable')}
            style={{ marginBottom: 12 }}
          />
          {preview.unmatchedUnits.length > 0 && (
            <section data-testid="import-unmatched">
              <h2>{t('intake.unmatched')}</h2>
              <Table<Unmatched>
                rowKey="name"
                size="small"
                pagination={false}
                dataSource={preview.unmatchedUnits}
                columns={[
                  { title: t('intake.unitName'), dataIndex: 'name' },
                  { title: t('intake.row'), render: (_, u) => u.rows.join(', ') },
                  {
                    title: t('intake.suggested'),
                    render: (_, u) =>
                      u.suggestions.length === 0 ? (
                        '—'
                      ) : (
                        <Space size={4} wrap>
                          {u.suggestions.slice(0, 3).map((x) => (
                            <Button
                              key={x.id}
                              size="small"
                              type={mapping[u.name] === x.id ? 'primary' : 'default'}
                              data-suggestion={x.name}
                              onClick={() => setMapping({ ...mapping, [u.name]: x.id })}
                            >
                              {x.name}
                            </Button>
                          ))}
                        </Space>
                      ),
                  },
                  {
                    title: t('intake.mapTo'),
                    render: (_, u) => (
                      <Select
                        data-unmatched={u.name}
                        placeholder={t('intake.chooseUnit')}
                        showSearch={{ optionFilterProp: 'label' }}
                        style={{ minWidth: 260 }}
                        value={mapping[u.name]}
                        onChange={(v: string) => setMapping({ ...mapping, [u.name]: v })}
                        options={[
                          ...u.suggestions.map((x) => ({ value: x.id, label: `${x.name}（${x.matched}）` })),
                          ...unitOptions(units.data).filter((o) => !u.suggestions.some((x) => x.id === o.value)),
                        ]}
                      />
                    ),
                  },
                ]}
              />
              <Space style={{ margin: '8px 0 16px' }}>
                <Checkbox checked={saveAliases} onChange={(e) => setSaveAliases(e.target.checked)}>
                  {t('intake.saveAliases')}
                </Checkbox>
                <Button id="import-repreview" loading={busy} onClick={() => void doPreview()}>
                  {t('intake.repreview')}
                </Button>
              </Space>
            </section>
          )}
          {preview.errors.length > 0 && (
            <section data-testid="import-errors">
              <h2>{t('intake.errors')}</h2>
              <Table<RowError>
                rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
                size="small"
                pagination={false}
                dataSource={preview.errors}
                columns={[
                  { title: t('intake.row'), dataIndex: 'row', width: 70 },
                  { title: t('intake.column'), dataIndex: 'column' },
                  { title: t('intake.value'), dataIndex: 'value' },
                  { title: t('intake.why'), dataIndex: 'message' },
                ]}
              />
            </section>
          )}
          <h2>{t('intake.rows')}</h2>
          <Table<Row>
            data-testid="import-rows"
            rowKey="row"
            size="small"
            dataSource={preview.rows}
            columns={[
              { title: t('intake.row'), dataIndex: 'row', width: 70 },
              { title: t('intake.code'), dataIndex: 'code', width: 120 },
              { title: t('intake.action'), dataIndex: 'action', width: 90, render: actionTag },
              {
                title: t('intake.changes'),
                render: (_, r) => (
                  <>
                    {r.changes.map((c) => (
                      <div key={c.field}>
                        {c.field}: <del>{c.from}</del> → {c.to}
                      </div>
                    ))}
                    {r.kept.map((c) => (
                      <div key={`kept-${c.field}`} title={c.reason}>
                        <Tag>{t('intake.kept')}</Tag>
                        {c.field}: {c.from}
                      </div>
                    ))}
                  </>
                ),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
