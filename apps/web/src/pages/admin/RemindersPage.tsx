import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, InputNumber, Select } from 'antd';
import { api, unwrap } from '../../api/client';
import { ErrorView } from '../../components/ErrorView';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';

interface Policy {
  beforeDays: number[];
  escalateEveryDays: number;
  escalateMaxLevels: number;
  acceptancePendingDays: number;
}

/** Reminder policies by scope (working days before the deadline, escalation, acceptance waits). */
export default function RemindersPage() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const list = useQuery({ queryKey: ['reminder-policies'], queryFn: () => unwrap(api.GET('/api/admin/reminder-policies')) });
  const save = useAction(
    (v: { scope: string; policy: Policy }) =>
      unwrap(
        api.PUT('/api/admin/reminder-policies/{scope}', {
          params: { path: { scope: v.scope } },
          body: { ...v.policy, beforeDays: v.policy.beforeDays.map(String) },
        }),
      ),
    ['reminder-policies'],
  );
  if (list.isError)
    return (
      <div className="page">
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      </div>
    );
  const policies = Object.entries((list.data ?? {}) as Record<string, Policy>);
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.reminders')}</h1>
      {policies.map(([scope, p]) => (
        <Card
          key={scope}
          size="small"
          title={scope === 'default' ? (en ? 'Default' : '默认策略') : scope}
          style={{ marginBottom: 12, maxWidth: 640 }}
          loading={list.isPending}
        >
          <Form
            layout="vertical"
            initialValues={{ ...p, beforeDays: p.beforeDays.map(String) }}
            onFinish={(v: Policy) => save.mutate({ scope, policy: { ...v, beforeDays: v.beforeDays.map(Number) } })}
          >
            <Form.Item
              name="beforeDays"
              label={en ? 'Remind the lead unit N working days before the deadline' : '截止前 N 个工作日提醒牵头单位'}
            >
              <Select mode="tags" aria-label={en ? 'Days before' : '提前天数'} />
            </Form.Item>
            <Form.Item name="escalateEveryDays" label={en ? 'Escalate every N working days overdue' : '逾期后每 N 个工作日向上一级提醒'}>
              <InputNumber min={1} max={60} />
            </Form.Item>
            <Form.Item name="escalateMaxLevels" label={en ? 'Levels up at most' : '最多上报层级'}>
              <InputNumber min={0} max={5} />
            </Form.Item>
            <Form.Item
              name="acceptancePendingDays"
              label={en ? 'Remind verifiers after N working days waiting' : '验收等待 N 个工作日后提醒验收单位'}
            >
              <InputNumber min={1} max={60} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      ))}
    </div>
  );
}
