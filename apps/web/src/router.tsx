import { Navigate, Outlet, RouterProvider, createBrowserRouter, useLocation, type RouteObject } from 'react-router';
import { useSession } from './auth/session';
import { useI18n } from './i18n/i18n';
import { SignInPage } from './pages/SignInPage';

/** Pages load on first visit (`lazy`): the sign-in page carries neither antd nor the pages. */
const page = (load: () => Promise<{ default: React.ComponentType }>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

function RequireSession() {
  const { state } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (state.status === 'loading') return <div className="boot">{t('common.loading')}</div>;
  if (state.status === 'signed-out') {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

const routes: RouteObject[] = [
  { path: '/login', Component: SignInPage },
  {
    Component: RequireSession,
    children: [
      {
        ...page(() => import('./layout/AppLayout')),
        children: [
          { index: true, ...page(() => import('./pages/DashboardPage')) },
          { path: 'items', ...page(() => import('./pages/items/ItemListPage')) },
          { path: 'items/new', ...page(() => import('./pages/items/CreateItemPage')) },
          { path: 'items/import', ...page(() => import('./pages/intake/LedgerImportPage')) },
          { path: 'items/decompose', ...page(() => import('./pages/intake/DecompositionPage')) },
          { path: 'items/:id', ...page(() => import('./pages/items/ItemDetailPage')) },
          { path: 'acceptance', ...page(() => import('./pages/AcceptancePage')) },
          { path: 'statistics', ...page(() => import('./pages/statistics/StatisticsPage')) },
          { path: 'projects', ...page(() => import('./pages/projects/ProjectListPage')) },
          { path: 'projects/:id', ...page(() => import('./pages/projects/ProjectDetailPage')) },
          { path: 'complaints', ...page(() => import('./pages/complaints/ComplaintListPage')) },
          { path: 'complaints/daily-report', ...page(() => import('./pages/complaints/DailyReportPage')) },
          { path: 'complaints/:id', ...page(() => import('./pages/complaints/ComplaintDetailPage')) },
          { path: 'messages', ...page(() => import('./pages/MessagesPage')) },
          { path: 'admin/units', ...page(() => import('./pages/admin/UnitsPage')) },
          { path: 'admin/users', ...page(() => import('./pages/admin/UsersPage')) },
          { path: 'admin/calendar', ...page(() => import('./pages/admin/CalendarPage')) },
          { path: 'admin/reminders', ...page(() => import('./pages/admin/RemindersPage')) },
          { path: 'admin/outbox', ...page(() => import('./pages/admin/OutboxPage')) },
          { path: 'account', ...page(() => import('./pages/AccountPage')) },
          { path: '*', ...page(() => import('./pages/NotFoundPage')) },
        ],
      },
    ],
  },
];

const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
