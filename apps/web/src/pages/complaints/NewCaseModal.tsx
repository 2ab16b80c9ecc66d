import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { BodyOf } from '../../api/types';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { unitOptions, useUnits } from '../../lib/units';

type NewCase = BodyOf<'/api/complaint-batches/{id}/cases', 'post'> & { batchId: string };

const POLLUTION: [string, string, string][] = [
  ['water', '水', 'Water'],
  ['air', '大气', 'Air'],
  ['ecology', '生态', 'Ecology'],
  ['noise', '噪声', 'Noise'],
  ['soil', '土壤', 'Soil'],
  ['solid_waste', '固废', 'Solid waste'],
  ['radiation', '辐射', 'Radiation'],
  ['other', '其他', 'Other'],
];

/** 受理新件: a dispatcher receives one case of a batch; the duplicates it raises are decided on the case's page. */
export function NewCaseButton() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const units = useUnits();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<NewCase>();
  const batches = useQuery({
    queryKey: ['complaint-batches'],
    enabled: open,
    queryFn: async () => (await unwrap(api.GET('/api/complaint-batches'))) as { id: string; round: string; batchNo: number }[],
  });
  const submit = async () => {
    const { batchId, ...body } = await form.validateFields();
    if (!body.contact?.name && !body.contact?.phone) delete body.contact;
    setSaving(true);
    try {
      const created = (await unwrap(api.POST('/api/complaint-batches/{id}/cases', { params: { path: { id: batchId } }, body }))) as {
        id: string;
      };
      await qc.invalidateQueries({ queryKey: ['complaints'] });
      setOpen(false);
      await navigate(`/complaints/${created.id}`);
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <Button type="primary" data-testid="new-case" onClick={() => setOpen(true)}>
        {t('case.new')}
      </Button>
      <Modal
        open={open}
        title={t('case.new')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ pollutionTypes: [], keyCase: false }}>
          <Form.Item name="batchId" label={t('daily.batch')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={batches.isPending}
              options={(batches.data ?? []).map((b) => ({ value: b.id, label: `${b.round} 第${b.batchNo}批` }))}
            />
          </Form.Item>
          <Form.Item name="caseNo" label={t('daily.caseNo')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="teamNo" label={t('daily.teamNo')}>
            <Input />
          </Form.Item>
          <Form.Item name="content" label={t('case.content')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="countyUnitId" label={t('daily.county')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={unitOptions(units.data, 'county')} />
          </Form.Item>
          <Form.Item name="address" label={t('case.address')}>
            <Input />
          </Form.Item>
          <Form.Item name="pollutionTypes" label={t('cstats.byPollution')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={POLLUTION.map(([value, zh, enLabel]) => ({ value, label: en ? enLabel : zh }))}
            />
          </Form.Item>
          <Form.Item name="keyCase" label={t('case.keyCase')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name={['contact', 'name']} label={t('case.contactName')}>
            <Input />
          </Form.Item>
          <Form.Item name={['contact', 'phone']} label={t('case.contactPhone')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
