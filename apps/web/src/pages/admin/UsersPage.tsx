import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorView } from '../../components/ErrorView';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { LABELS } from '../../i18n/messages';
import { formatDateTime } from '../../lib/format';
import type { ResponseOf } from '../../api/types';

type User = ResponseOf<'/api/users', 'get'>['data'][number];
type Role = User['roles'][number];

/** Users and their roles: change roles, deactivate, reset a password (forces a change at next sign-in). */
export default function UsersPage() {
  const { t, label, locale } = useI18n();
  const en = locale === 'en';
  const [q, setQ] = useState<string>();
  const [page, setPage] = useState(1);
  const [reset, setReset] = useState<User | null>(null);
  const [temp, setTemp] = useState('');
  const list = useQuery({
    queryKey: ['users', q, page],
    queryFn: () => unwrap(api.GET('/api/users', { params: { query: { q, page, pageSize: 50 } } })),
  });
  const update = useAction(
    (v: { user: User; roles?: Role[]; active?: boolean }) =>
      unwrap(
        api.PATCH('/api/users/{id}', {
          params: { path: { id: v.user.id } },
          body: { roles: v.roles, active: v.active, version: v.user.version },
        }),
      ),
    ['users'],
  );
  const resetPw = useAction(
    (v: { id: string; password: string }) =>
      unwrap(api.POST('/api/users/{id}/reset-password', { params: { path: { id: v.id } }, body: { temporaryPassword: v.password } })),
    ['users'],
    en ? 'Password reset' : '密码已重置',
  );
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.users')}</h1>
      <Input.Search
        aria-label={en ? 'Search' : '搜索'}
        placeholder={en ? 'Name or e-mail' : '姓名或邮箱'}
        allowClear
        onSearch={(v) => (setQ(v || undefined), setPage(1))}
        style={{ width: 240, marginBottom: 8 }}
      />
      {list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Card size="small">
          <Table<User>
            size="small"
            className="dense"
            rowKey="id"
            loading={list.isPending}
            dataSource={list.data?.data ?? []}
            scroll={{ x: 'max-content' }}
            pagination={{
              current: page,
              pageSize: 50,
              total: list.data?.total ?? 0,
              onChange: setPage,
              showSizeChanger: false,
              showTotal: (n) => t('common.total', { n }),
            }}
            columns={[
              { title: en ? 'Name' : '姓名', dataIndex: 'name', width: 90 },
              { title: en ? 'E-mail' : '邮箱', dataIndex: 'email', width: 220 },
              { title: en ? 'Unit' : '单位', dataIndex: 'unitName', width: 150 },
              {
                title: en ? 'Roles' : '角色',
                width: 300,
                render: (_, u) => (
                  <Select<Role[]>
                    mode="multiple"
                    aria-label={`${u.name} ${en ? 'roles' : '角色'}`}
                    value={u.roles}
                    style={{ width: '100%' }}
                    onChange={(roles) => roles.length && update.mutate({ user: u, roles })}
                    options={Object.keys(LABELS.role).map((r) => ({ value: r as Role, label: label('role', r) }))}
                  />
                ),
              },
              {
                title: en ? 'Active' : '启用',
                width: 60,
                render: (_, u) => (
                  <Switch
                    size="small"
                    checked={u.active}
                    aria-label={en ? 'Active' : '启用'}
                    onChange={(active) => update.mutate({ user: u, active })}
                  />
                ),
              },
              {
                title: en ? 'Last sign-in' : '最近登录',
                dataIndex: 'lastLoginAt',
                width: 130,
                render: (v: string | null) => (v ? formatDateTime(v) : <Tag>{en ? 'never' : '未登录'}</Tag>),
              },
              {
                title: '',
                width: 90,
                render: (_, u) => (
                  <Button size="small" onClick={() => setReset(u)}>
                    {en ? 'Reset password' : '重置密码'}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
      <Modal
        open={reset !== null}
        title={`${en ? 'Reset password of' : '重置密码：'} ${reset?.name ?? ''}`}
        onCancel={() => (setReset(null), setTemp(''))}
        onOk={() => reset && resetPw.mutate({ id: reset.id, password: temp }, { onSuccess: () => (setReset(null), setTemp('')) })}
        okButtonProps={{ disabled: temp.length < 10 }}
        confirmLoading={resetPw.isPending}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>{en ? 'A temporary password; the user must change it at the next sign-in.' : '临时密码；用户下次登录时须修改。'}</span>
          <Input.Password
            aria-label={en ? 'Temporary password' : '临时密码'}
            value={temp}
            onChange={(e) => setTemp(e.target.value)}
            autoComplete="new-password"
          />
        </Space>
      </Modal>
    </div>
  );
}
