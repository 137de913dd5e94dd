import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import zh_CN from 'antd/locale/zh_CN';
import en_US from 'antd/locale/en_US';
import { I18nProvider, useLocale } from './i18n/index.tsx';
import { AuthProvider, loginPathFor, useAuth } from './auth/AuthContext.tsx';
import { ErrorBoundary, Forbidden, NotFound, PageLoading } from './components/PageStates.tsx';
import { PERM } from './nav.tsx';
import { theme } from './theme.ts';

const AppLayout = lazy(() => import('./layout/AppLayout.tsx'));
const LoginPage = lazy(() => import('./pages/login/LoginPage.tsx'));
const TrackPage = lazy(() => import('./pages/track/TrackPage.tsx'));
const HomePage = lazy(() => import('./pages/home/HomePage.tsx'));
const OrgsPage = lazy(() => import('./pages/orgs/OrgsPage.tsx'));
const UsersPage = lazy(() => import('./pages/users/UsersPage.tsx'));
const ApiKeysPage = lazy(() => import('./pages/api-keys/ApiKeysPage.tsx'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage.tsx'));
const CalendarPage = lazy(() => import('./pages/calendar/CalendarPage.tsx'));
const ProgrammesPage = lazy(() => import('./pages/programmes/ProgrammesPage.tsx'));
const NewApplicationPage = lazy(() => import('./pages/applications/NewApplicationPage.tsx'));
const ApplicationsPage = lazy(() => import('./pages/applications/ApplicationsPage.tsx'));
const ApplicationDetailPage = lazy(() => import('./pages/applications/ApplicationDetailPage.tsx'));
const ImportApplicationsPage = lazy(() => import('./pages/applications/ImportApplicationsPage.tsx'));
const ReviewPage = lazy(() => import('./pages/review/ReviewPage.tsx'));
import { PAGES as CARD_PAGES } from './pages/cards/module.tsx';
import { PAGES as PRODUCTION_PAGES } from './pages/production/module.tsx';
import { PAGES as LOGISTICS_PAGES } from './pages/logistics/module.tsx';
import { PAGES as MAINTENANCE_PAGES } from './pages/maintenance/module.tsx';
import { PAGES as NOTIFY_PAGES } from './pages/notify/module.tsx';
import { PAGES as OPS_PAGES } from './pages/ops/module.tsx';
import { PAGES as REPORT_PAGES } from './pages/reports/module.tsx';
import { PAGES as SETTLEMENT_PAGES } from './pages/settlement/module.tsx';

const MODULE_PAGES = [...CARD_PAGES, ...PRODUCTION_PAGES, ...LOGISTICS_PAGES, ...REPORT_PAGES, ...MAINTENANCE_PAGES, ...NOTIFY_PAGES, ...OPS_PAGES, ...SETTLEMENT_PAGES];

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, signedOut } = useAuth();
  const location = useLocation();
  if (user === undefined) return <PageLoading />;
  if (user === null) return <Navigate to={signedOut ? '/login' : loginPathFor(location.pathname + location.search + location.hash)} replace />;
  return <>{children}</>;
}

function RequirePerm({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

function AppRoutes() {
  return (
    <Suspense fallback={<PageLoading />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/track" element={<TrackPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="orgs" element={<RequirePerm permission={PERM.orgRead}><OrgsPage /></RequirePerm>} />
          <Route path="users" element={<RequirePerm permission={PERM.userRead}><UsersPage /></RequirePerm>} />
          <Route path="api-keys" element={<RequirePerm permission={PERM.apiKeyManage}><ApiKeysPage /></RequirePerm>} />
          <Route path="audit" element={<RequirePerm permission={PERM.auditRead}><AuditPage /></RequirePerm>} />
          <Route path="calendar" element={<RequirePerm permission={PERM.calendarRead}><CalendarPage /></RequirePerm>} />
          <Route path="programmes" element={<RequirePerm permission={PERM.programmeRead}><ProgrammesPage /></RequirePerm>} />
          <Route path="applications" element={<RequirePerm permission={PERM.applicationRead}><ApplicationsPage /></RequirePerm>} />
          <Route path="applications/new" element={<RequirePerm permission={PERM.applicationCreate}><NewApplicationPage /></RequirePerm>} />
          <Route path="applications/import" element={<RequirePerm permission={PERM.applicationCreate}><ImportApplicationsPage /></RequirePerm>} />
          <Route path="applications/:id" element={<RequirePerm permission={PERM.applicationRead}><ApplicationDetailPage /></RequirePerm>} />
          <Route path="review" element={<RequirePerm permission={PERM.applicationReview}><ReviewPage /></RequirePerm>} />
          {MODULE_PAGES.map((p) => (
            <Route key={p.path} path={p.path} element={<RequirePerm permission={p.permission}>{p.element}</RequirePerm>} />
          ))}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function Providers() {
  const [locale] = useLocale();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zh_CN : en_US} theme={theme}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <ErrorBoundary>
              <AppRoutes />
            </ErrorBoundary>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export default function Root() {
  return (
    <I18nProvider>
      <Providers />
    </I18nProvider>
  );
}
