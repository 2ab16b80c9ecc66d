import {
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  DashboardOutlined,
  FileTextOutlined,
  ProfileOutlined,
  SettingOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, ConfigProvider, Dropdown, Layout, Menu, Space, Tag, type MenuProps } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, useMemo, useSyncExternalStore } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { can } from '../auth/can';
import { useMe, useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { THEME } from './theme';
import 'virtual:antd.css';

const { Header, Sider, Content } = Layout;
const DAILY_REPORT = '/complaints/daily-report';
// No click ripple on buttons and boxes: each one measured the element (a forced layout) on a slow PC's every click.
const WAVE = { disabled: true };

// Below antd's md breakpoint the menu moves into the header. Read at the first render (Grid.useBreakpoint answers
// only after it, so a desktop's first render drew the header menu too, then the side one).
const NARROW = '(max-width: 767.98px)';
const onNarrowChange = (notify: () => void) => {
  const query = window.matchMedia(NARROW);
  query.addEventListener('change', notify);
  return () => query.removeEventListener('change', notify);
};
const useNarrow = () => useSyncExternalStore(onNarrowChange, () => window.matchMedia(NARROW).matches);

function useMenu(): MenuProps['items'] {
  const me = useMe();
  const { t } = useI18n();
  return useMemo(() => {
    const link = (to: string, label: string) => <Link to={to}>{label}</Link>;
    const items: MenuProps['items'] = [{ key: '/', icon: <DashboardOutlined />, label: link('/', t('nav.dashboard')) }];
    if (can(me, 'item.read')) items.push({ key: '/items', icon: <FileTextOutlined />, label: link('/items', t('nav.items')) });
    if (can(me, 'item.verify'))
      items.push({ key: '/acceptance', icon: <AuditOutlined />, label: link('/acceptance', t('nav.acceptance')) });
    if (can(me, 'item.read'))
      items.push({ key: '/statistics', icon: <BarChartOutlined />, label: link('/statistics', t('nav.statistics')) });
    if (can(me, 'project.read')) items.push({ key: '/projects', icon: <AppstoreOutlined />, label: link('/projects', t('nav.projects')) });
    if (can(me, 'complaint.read'))
      items.push({ key: '/complaints', icon: <AppstoreOutlined />, label: link('/complaints', t('nav.complaints')) });
    // The daily report is read by the batch's dispatching unit, auditors and administrators (the api's rule).
    if (can(me, 'complaint.create') || me.roles.includes('auditor'))
      items.push({ key: DAILY_REPORT, icon: <ProfileOutlined />, label: link(DAILY_REPORT, t('nav.dailyReport')) });
    items.push({ key: '/messages', icon: <BellOutlined />, label: link('/messages', t('nav.messages')) });
    const admin: NonNullable<MenuProps['items']> = [];
    if (can(me, 'org.manage')) admin.push({ key: '/admin/units', label: link('/admin/units', t('nav.units')) });
    if (can(me, 'user.manage')) admin.push({ key: '/admin/users', label: link('/admin/users', t('nav.users')) });
    if (can(me, 'calendar.manage')) admin.push({ key: '/admin/calendar', label: link('/admin/calendar', t('nav.calendar')) });
    if (can(me, 'notifications.manage')) {
      admin.push({ key: '/admin/reminders', label: link('/admin/reminders', t('nav.reminders')) });
      admin.push({ key: '/admin/outbox', label: link('/admin/outbox', t('nav.outbox')) });
    }
    if (admin.length) items.push({ key: 'admin', icon: <SettingOutlined />, label: t('nav.admin'), children: admin });
    return items;
  }, [me, t]);
}

function UserBox() {
  const me = useMe();
  const { signOut } = useSession();
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const unitName = me.unit.name;
  const menu: MenuProps = {
    items: [
      { key: 'account', label: t('auth.changePassword') },
      { key: 'out', label: t('auth.signOut') },
    ],
    onClick: ({ key }) => {
      if (key === 'account') void navigate('/account');
      else void signOut().then(() => navigate('/login'));
    },
  };
  return (
    <Dropdown menu={menu} trigger={['click']}>
      <Button type="text" style={{ color: '#fff' }} data-testid="user-menu">
        <UserOutlined />
        <span>{me.name}</span>
        <span className="hide-narrow" style={{ opacity: 0.85 }}>
          {unitName}
        </span>
        <span className="hide-narrow">
          {me.roles.map((r) => (
            <Tag key={r} color="blue" style={{ marginInlineEnd: 2 }}>
              {label('role', r)}
            </Tag>
          ))}
        </span>
      </Button>
    </Dropdown>
  );
}

function UnreadBell() {
  const { t } = useI18n();
  const unread = useQuery({
    queryKey: ['messages', 'unread'],
    queryFn: () => unwrap(api.GET('/api/me/messages/unread-count')),
    refetchInterval: 60_000,
    retry: false,
  });
  return (
    <Link to="/messages" aria-label={`${t('nav.messages')} ${unread.data?.unread ?? 0}`} data-testid="unread">
      <Badge count={unread.data?.unread ?? 0} size="small" overflowCount={99}>
        <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
      </Badge>
    </Link>
  );
}

export default function AppLayout() {
  const { t, locale, setLocale } = useI18n();
  const menu = useMenu();
  const location = useLocation();
  const narrow = useNarrow();
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  const selected = location.pathname.startsWith(DAILY_REPORT)
    ? DAILY_REPORT
    : '/' +
      location.pathname
        .split('/')
        .filter(Boolean)
        .slice(0, location.pathname.startsWith('/admin') ? 2 : 1)
        .join('/');

  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} componentSize="small" theme={THEME} wave={WAVE}>
      <AntApp>
        <Layout style={{ minHeight: '100vh' }}>
          <Header
            style={{ display: 'flex', alignItems: 'center', background: '#0a3d91', padding: '0 12px', height: 48, lineHeight: '48px' }}
          >
            <Link to="/" className="app-logo">
              {t('app.name')}
            </Link>
            {narrow && (
              <Menu
                theme="dark"
                mode="horizontal"
                selectedKeys={[selected]}
                items={menu}
                style={{ flex: 1, minWidth: 0, background: 'transparent' }}
              />
            )}
            <div style={{ flex: 1 }} />
            <Space size={12}>
              <UnreadBell />
              <Button type="link" style={{ color: '#fff' }} onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
                {t('common.language')}
              </Button>
              <UserBox />
            </Space>
          </Header>
          <Layout>
            {!narrow && (
              <Sider width={176} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
                <nav aria-label={t('app.name')}>
                  <Menu mode="inline" selectedKeys={[selected]} defaultOpenKeys={['admin']} items={menu} style={{ borderInlineEnd: 0 }} />
                </nav>
              </Sider>
            )}
            <Content>
              <Suspense fallback={<div className="page">{t('common.loading')}</div>}>
                <Outlet />
              </Suspense>
            </Content>
          </Layout>
        </Layout>
      </AntApp>
    </ConfigProvider>
  );
}
