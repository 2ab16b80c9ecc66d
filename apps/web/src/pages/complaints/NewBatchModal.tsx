import { useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { BodyOf } from '../../api/types';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { today } from '../../lib/today';

type NewBatch = Omit<BodyOf<'/api/complaint-batches', 'post'>, 'receivedOn'> & { receivedOn: Dayjs };

/** 新建批次: a batch (第N批) the inspection team forwarded, with its deadline rule. */
export function NewBatchButton() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<NewBatch>();
  const submit = async () => {
    const { receivedOn, ...rest } = await form.validateFields();
    setSaving(true);
    try {
      await unwrap(api.POST('/api/complaint-batches', { body: { ...rest, receivedOn: receivedOn.format('YYYY-MM-DD') } }));
      await qc.invalidateQueries({ queryKey: ['complaint-batches'] });
      void message.success(t('batch.created'));
      setOpen(false);
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <Button data-testid="new-batch" onClick={() => setOpen(true)}>
        {t('batch.new')}
      </Button>
      <Modal
        open={open}
        title={t('batch.new')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ receivedOn: dayjs(today()), deadlineDays: 10, deadlineKind: 'calendar', batchNo: 1 }}
        >
          <Form.Item name="round" label={t('batch.round')} rules={[{ required: true, whitespace: true }]}>
            <Input placeholder="第三轮中央生态环境保护督察" />
          </Form.Item>
          <Form.Item name="batchNo" label={t('batch.no')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10000} precision={0} />
          </Form.Item>
          <Form.Item name="receivedOn" label={t('batch.receivedOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') > today()} />
          </Form.Item>
          <Form.Item name="issuer" label={t('batch.issuer')}>
            <Input />
          </Form.Item>
          <Form.Item name="deadlineDays" label={t('batch.deadlineDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} precision={0} />
          </Form.Item>
          <Form.Item name="deadlineKind" label={t('batch.deadlineKind')} rules={[{ required: true }]}>
            <Select
              options={[
                { value: 'calendar', label: t('batch.calendar') },
                { value: 'working', label: t('batch.working') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
