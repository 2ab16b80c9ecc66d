import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Space, Tooltip, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { uploadWithProgress } from '../../auth/token';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { formFor, missingFields, transitionBody, type ActionName, type ActionValues } from '../../lib/actionForms';
import type { ItemDetail } from './types';

interface Available {
  action: ActionName;
  label: string;
  enabled: boolean;
  blockedBy: string[];
  requiresReason: boolean;
}

const PRIMARY = new Set(['accept', 'submit', 'pass', 'assign', 'approve_extension', 'report_progress']);

/** Buttons for exactly the actions GET /api/items/{id}/actions offers this user now, each with its form. */
export function ActionPanel({ item, actions }: { item: ItemDetail; actions: Available[] }) {
  const { t, label, locale } = useI18n();
  const en = locale === 'en';
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState<Available | null>(null);
  const [values, setValues] = useState<ActionValues>({});
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!actions.length) return null;
  const form = open ? formFor(open.action, open.requiresReason) : null;
  const missing = form ? missingFields(form, values, files.length) : [];

  const close = () => {
    setOpen(null);
    setValues({});
    setFiles([]);
    setError(null);
    setProgress(null);
  };

  const submit = async () => {
    if (!open || !form || missing.length) return;
    setBusy(true);
    setError(null);
    try {
      // Files first: a guard such as "evidence uploaded" sees them when the action is taken.
      for (const f of files) {
        const body = new FormData();
        body.append('file', f.originFileObj as Blob, f.name);
        setProgress(0);
        await uploadWithProgress(`/api/items/${item.id}/evidence`, body, setProgress);
      }
      await unwrap(
        api.POST('/api/items/{id}/transitions', {
          params: { path: { id: item.id } },
          body: transitionBody(open.action, item.version, values),
        }),
      );
      void message.success(`${label('action', open.action)}${en ? ': done' : '：已完成'}`);
      close();
    } catch (e) {
      setError(describeError(e, t));
      if (e instanceof ApiError && e.status === 409) void qc.invalidateQueries({ queryKey: ['item', item.id] });
    } finally {
      setBusy(false);
      setProgress(null);
      void qc.invalidateQueries({ queryKey: ['item', item.id] });
      void qc.invalidateQueries({ queryKey: ['items'] });
    }
  };

  const required = (f: string) => form?.required.includes(f as never) ?? false;
  return (
    <>
      <Space wrap size={6} data-testid="item-actions">
        {actions.map((a) => {
          const button = (
            <Button
              key={a.action}
              type={PRIMARY.has(a.action) ? 'primary' : 'default'}
              disabled={!a.enabled}
              onClick={() => setOpen(a)}
              data-action={a.action}
            >
              {label('action', a.action) || a.label}
            </Button>
          );
          return a.enabled ? (
            button
          ) : (
            <Tooltip key={a.action} title={a.blockedBy.join('；')}>
              <span>{button}</span>
            </Tooltip>
          );
        })}
      </Space>
      <Modal
        open={open !== null}
        title={open ? `${label('action', open.action) || open.label}：${item.code}` : ''}
        onCancel={close}
        onOk={() => void submit()}
        okText={t('common.submit')}
        okButtonProps={{ disabled: missing.length > 0, id: 'action-submit' }}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form layout="vertical" onFinish={() => void submit()}>
          {form?.fields.includes('proposedDeadline') && (
            <Form.Item label={en ? 'New deadline' : '申请延期至'} required htmlFor="proposedDeadline">
              <DatePicker
                id="proposedDeadline"
                style={{ width: '100%' }}
                onChange={(d) => setValues((v) => ({ ...v, proposedDeadline: d ? d.format('YYYY-MM-DD') : undefined }))}
              />
            </Form.Item>
          )}
          {form?.fields.includes('partStatus') && (
            <Form.Item label={en ? 'My part' : '本单位分项'} required>
              <Radio.Group
                value={values.partStatus}
                onChange={(e) => setValues((v) => ({ ...v, partStatus: e.target.value as 'in_progress' | 'done' }))}
                options={[
                  { value: 'in_progress', label: en ? 'In progress' : '进行中' },
                  { value: 'done', label: en ? 'Done' : '已完成' },
                ]}
              />
            </Form.Item>
          )}
          {form?.fields.includes('spotCheckResult') && (
            <Form.Item label={en ? 'Result' : '抽查结论'} required>
              <Radio.Group
                value={values.spotCheckResult}
                onChange={(e) => setValues((v) => ({ ...v, spotCheckResult: e.target.value as 'holds' | 'rebound' }))}
                options={[
                  { value: 'holds', label: en ? 'Holds' : '整改成效巩固' },
                  { value: 'rebound', label: en ? 'Rebound' : '问题反弹' },
                ]}
              />
            </Form.Item>
          )}
          {form?.fields.includes('returnTo') && (
            <Form.Item label={en ? 'Return to' : '退回至'}>
              <Radio.Group
                value={values.returnTo ?? 'unit'}
                onChange={(e) => setValues((v) => ({ ...v, returnTo: e.target.value as string }))}
                options={[
                  { value: 'unit', label: en ? 'The unit; resubmission resumes at this level' : '责任单位（重新提请后从本级继续验收）' },
                  { value: 'recheck', label: en ? 'The unit; acceptance starts again' : '责任单位（重新提请后从第一级重新验收）' },
                ]}
              />
            </Form.Item>
          )}
          {form?.fields.includes('mergeIntoId') && (
            <Form.Item label={en ? 'Merge into (item id)' : '并入事项（ID）'} required htmlFor="mergeIntoId">
              <Input
                id="mergeIntoId"
                value={values.mergeIntoId}
                onChange={(e) => setValues((v) => ({ ...v, mergeIntoId: e.target.value }))}
              />
            </Form.Item>
          )}
          {form?.fields.includes('text') && (
            <Form.Item label={en ? 'Progress' : '进展情况'} required={required('text')} htmlFor="action-text">
              <Input.TextArea
                id="action-text"
                rows={4}
                maxLength={20000}
                value={values.text}
                onChange={(e) => setValues((v) => ({ ...v, text: e.target.value }))}
              />
            </Form.Item>
          )}
          {form?.fields.includes('reason') && (
            <Form.Item label={en ? 'Reason / comment' : '理由 / 意见'} required={required('reason')} htmlFor="action-reason">
              <Input.TextArea
                id="action-reason"
                rows={3}
                maxLength={5000}
                value={values.reason}
                onChange={(e) => setValues((v) => ({ ...v, reason: e.target.value }))}
              />
            </Form.Item>
          )}
          {form?.fields.includes('evidence') && (
            <Form.Item label={en ? 'Evidence (PDF, photos, documents)' : '佐证材料（PDF、照片、文档）'}>
              <Upload
                multiple
                fileList={files}
                beforeUpload={() => false}
                onChange={({ fileList }) => setFiles(fileList)}
                accept="image/*,application/pdf,.doc,.docx,.xls,.xlsx,.wps,.et"
              >
                <Button icon={<UploadOutlined />}>{en ? 'Choose or take a photo' : '选择文件或拍照'}</Button>
              </Upload>
              {progress !== null && <div role="status">{en ? `Uploading ${progress}%` : `正在上传 ${progress}%`}</div>}
            </Form.Item>
          )}
          {error && <Alert type="error" showIcon title={error} role="alert" />}
        </Form>
      </Modal>
    </>
  );
}
