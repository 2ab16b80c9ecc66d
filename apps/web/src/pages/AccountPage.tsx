import { Alert, Button, Card, Form, Input } from 'antd';
import { api, unwrap } from '../api/client';
import { useAction } from '../components/useAction';
import { useMe } from '../auth/session';
import { useI18n } from '../i18n/i18n';

/** Change one's own password (the api checks the policy and answers 422 naming what is wrong). */
export default function AccountPage() {
  const me = useMe();
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; repeat: string }>();
  const change = useAction(
    (v: { currentPassword: string; newPassword: string }) => unwrap(api.POST('/api/auth/password', { body: v })),
    ['me'],
    en ? 'Password changed' : '密码已修改',
  );
  return (
    <div className="page">
      <h1 className="page-title">{t('auth.changePassword')}</h1>
      {me.mustChangePassword && <Alert type="warning" showIcon title={t('auth.mustChange')} style={{ marginBottom: 12, maxWidth: 480 }} />}
      <Card size="small" style={{ maxWidth: 480 }}>
        <Form form={form} layout="vertical" onFinish={(v) => change.mutate(v, { onSuccess: () => form.resetFields() })}>
          <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('auth.newPassword')}
            extra={
              en
                ? 'At least 10 characters, three of: upper case, lower case, digits, symbols'
                : '至少 10 位，包含大写字母、小写字母、数字、符号中的三类'
            }
            rules={[{ required: true }, { min: 10 }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={en ? 'Repeat the new password' : '再次输入新密码'}
            dependencies={['newPassword']}
            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(en ? 'Does not match' : '两次输入不一致')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
