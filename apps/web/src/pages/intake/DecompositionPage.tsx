import { InboxOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Result, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { DateField } from '../../components/DateField';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { unitOptions, useUnits } from '../../lib/units';
import { editable, merge, reviewed, take, type EditableDraft, type Role } from './drafts';
import { form, postForm, type DecompositionCreated, type DecompositionResult } from './intakeApi';

const TYPES = { deadline: 'intake.typeDeadline', ongoing: 'intake.typeOngoing', recurring: 'intake.typeRecurring' } as const;
const ROLE_LABEL: Record<Role, 'intake.roleLead' | 'intake.roleCooperating' | 'intake.roleImplementing'> = {
  lead: 'intake.roleLead',
  cooperating: 'intake.roleCooperating',
  implementing: 'intake.roleImplementing',
};

/** 任务分解: a plan document → its numbered tasks as drafts to edit, drop and merge → items of a batch in one step. */
export default function DecompositionPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const batches = useQuery({ queryKey: ['batches'], queryFn: () => unwrap(api.GET('/api/batches')) });
  const units = useUnits();
  const options = unitOptions(units.data);
  const [file, setFile] = useState<File | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [drafts, setDrafts] = useState<EditableDraft[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [batchId, setBatchId] = useState<string>();
  const [created, setCreated] = useState<(DecompositionCreated & { batchId: string }) | null>(null);
  const [busy, setBusy] = useState(false);

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
  const read = (f: File) =>
    run(async () => {
      setFile(f);
      const answer = await postForm<DecompositionResult>('/api/decompositions', form({}, f, f.name));
      setYear(answer.documentYear);
      setDrafts(answer.tasks.map(editable));
      setSelected([]);
    });
  const create = () =>
    run(async () => {
      if (!file || !batchId) return;
      const body = form({ drafts: JSON.stringify(drafts.map(reviewed)) }, file, file.name);
      setCreated({ ...(await postForm<DecompositionCreated>(`/api/batches/${batchId}/decomposition`, body)), batchId });
      void qc.invalidateQueries({ queryKey: ['items'] });
    });
  const edit = (key: string, patch: Partial<EditableDraft>) => setDrafts(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const mergeSelected = () => {
    const [a, b] = drafts.filter((d) => selected.includes(d.key));
    if (!a || !b) return;
    const merged = merge(a, b);
    setDrafts(
      drafts
        .filter((d) => d !== b && d !== a)
        .concat(merged)
        .sort((x, y) => x.span.start - y.span.start),
    );
    setSelected([]);
  };

  if (created) {
    return (
      <div className="page" data-testid="decomposition-result">
        <Result
          status="success"
          title={t('intake.created', { n: created.itemIds.length })}
          extra={
            <Link to={`/items?batchId=${created.batchId}`}>
              <Button type="primary">{t('intake.openList')}</Button>
            </Link>
          }
        />
      </div>
    );
  }

  return (
    <div className="page" data-testid="decomposition">
      <h1 className="page-title">{t('intake.decompose')}</h1>
      <Upload.Dragger accept=".txt,.docx" maxCount={1} beforeUpload={(f) => (void read(f), false)} showUploadList={false} disabled={busy}>
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{file ? file.name : t('intake.planFile')}</p>
      </Upload.Dragger>
      {drafts.length > 0 && (
        <>
          <Space wrap style={{ margin: '12px 0', width: '100%', justifyContent: 'space-between' }}>
            <span data-testid="draft-count">{t('intake.tasks', { n: drafts.length, year: year ?? '—' })}</span>
            <Space wrap>
              <Button disabled={selected.length !== 2} onClick={mergeSelected}>
                {t('intake.merge')}
              </Button>
              <Select
                id="decomposition-batch"
                showSearch={{ optionFilterProp: 'label' }}
                style={{ minWidth: 320 }}
                placeholder={t('intake.chooseBatch')}
                value={batchId}
                onChange={setBatchId}
                options={(batches.data ?? []).map((b) => ({ value: b.id, label: `${b.code} ${b.name}` }))}
              />
              <Button id="decomposition-create" type="primary" disabled={!batchId} loading={busy} onClick={() => void create()}>
                {t('intake.createItems')}
              </Button>
            </Space>
          </Space>
          <Table<EditableDraft>
            data-testid="draft-table"
            rowKey="key"
            size="small"
            pagination={false}
            rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
            dataSource={drafts}
            columns={[
              { title: t('intake.no'), dataIndex: 'label', width: 70 },
              {
                title: t('intake.title'),
                render: (_, d) => (
                  <>
                    <Input.TextArea
                      data-draft-title={d.no}
                      autoSize
                      value={d.title}
                      title={d.text}
                      onChange={(e) => edit(d.key, { title: e.target.value })}
                    />
                    {d.unmatched.map((u) => (
                      <div key={u.name} className="unmatched-name" data-unmatched={u.name}>
                        <Tag color="orange">{t('intake.unmatchedName', { name: u.name, role: t(ROLE_LABEL[u.role]) })}</Tag>
                        {u.suggestions.length > 0 && <span style={{ color: '#595959', whiteSpace: 'nowrap' }}>{t('intake.suggest')}</span>}
                        {u.suggestions.map((x) => (
                          <Button
                            key={x.id}
                            size="small"
                            type="link"
                            data-suggestion={x.name}
                            onClick={() => setDrafts(drafts.map((y) => (y.key === d.key ? take(y, u.name, x.id) : y)))}
                          >
                            {x.name}
                          </Button>
                        ))}
                      </div>
                    ))}
                  </>
                ),
              },
              {
                title: t('intake.lead'),
                width: 220,
                render: (_, d) => (
                  <Select
                    mode="multiple"
                    style={{ width: '100%' }}
                    showSearch={{ optionFilterProp: 'label' }}
                    value={d.leadUnitIds}
                    options={options}
                    onChange={(v: string[]) => edit(d.key, { leadUnitIds: v })}
                  />
                ),
              },
              {
                title: t('intake.cooperating'),
                width: 220,
                render: (_, d) => (
                  <Select
                    mode="multiple"
                    style={{ width: '100%' }}
                    showSearch={{ optionFilterProp: 'label' }}
                    value={d.cooperatingUnitIds}
                    options={options}
                    onChange={(v: string[]) => edit(d.key, { cooperatingUnitIds: v })}
                  />
                ),
              },
              {
                title: t('intake.deadline'),
                width: 150,
                render: (_, d) =>
                  d.type === 'deadline' ? (
                    <DateField
                      value={d.deadline}
                      onChange={(v) => edit(d.key, { deadline: v ?? null })}
                      aria-label={t('intake.deadline')}
                    />
                  ) : (
                    <Tag>{t(TYPES[d.type])}</Tag>
                  ),
              },
              { title: t('intake.stages'), width: 120, render: (_, d) => d.stages.join(' ') },
              {
                width: 70,
                render: (_, d) => (
                  <Button size="small" danger onClick={() => setDrafts(drafts.filter((x) => x.key !== d.key))}>
                    {t('intake.drop')}
                  </Button>
                ),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
