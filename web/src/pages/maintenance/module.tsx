import { lazy } from 'react';
import { AlertOutlined, CalendarOutlined, ClockCircleOutlined, TeamOutlined, DatabaseOutlined, FileTextOutlined, InboxOutlined, SafetyCertificateOutlined, SettingOutlined, ToolOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const TicketsPage = lazy(() => import('./TicketsPage.tsx'));
const TicketDetailPage = lazy(() => import('./TicketDetailPage.tsx'));
const AssetsPage = lazy(() => import('./AssetsPage.tsx'));
const BreachesPage = lazy(() => import('./BreachesPage.tsx'));
const SetupPage = lazy(() => import('./SetupPage.tsx'));
const VisitsPage = lazy(() => import('./VisitsPage.tsx'));
const VisitFormPage = lazy(() => import('./VisitFormPage.tsx'));
const ReportsPage = lazy(() => import('./ReportsPage.tsx'));
const SparesPage = lazy(() => import('./SparesPage.tsx'));
const InspectionsPage = lazy(() => import('./InspectionsPage.tsx'));
const InspectionFormPage = lazy(() => import('./InspectionFormPage.tsx'));
const StaffPage = lazy(() => import('./StaffPage.tsx'));
const MyShiftsPage = lazy(() => import('./MyShiftsPage.tsx'));

/** Pages (fault tickets, equipment ledger, breach register, contract and outlet setup) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'maintenance/tickets', permission: 'maintenance.read', element: <TicketsPage /> },
  { path: 'maintenance/tickets/:id', permission: 'maintenance.read', element: <TicketDetailPage /> },
  { path: 'maintenance/assets', permission: 'maintenance.read', element: <AssetsPage /> },
  { path: 'maintenance/breaches', permission: 'maintenance.read', element: <BreachesPage /> },
  { path: 'maintenance/setup', permission: 'maintenance.manage', element: <SetupPage /> },
  { path: 'maintenance/visits', permission: 'maintenance.read', element: <VisitsPage /> },
  { path: 'maintenance/visits/:id', permission: 'maintenance.read', element: <VisitFormPage /> },
  { path: 'maintenance/reports', permission: 'maintenance.read', element: <ReportsPage /> },
  { path: 'maintenance/spares', permission: 'maintenance.read', element: <SparesPage /> },
  { path: 'maintenance/inspections', permission: 'maintenance.read', element: <InspectionsPage /> },
  { path: 'maintenance/inspections/:id', permission: 'maintenance.read', element: <InspectionFormPage /> },
  { path: 'maintenance/staff', permission: 'maintenance.read', element: <StaffPage /> },
  { path: 'maintenance/shifts', permission: 'ticket.work', element: <MyShiftsPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'maint-tickets', path: '/maintenance/tickets', label: 'maint.menu.tickets', description: 'maint.link.tickets', icon: ToolOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-assets', path: '/maintenance/assets', label: 'maint.menu.assets', description: 'maint.link.assets', icon: DatabaseOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-breaches', path: '/maintenance/breaches', label: 'maint.menu.breaches', description: 'maint.link.breaches', icon: AlertOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-setup', path: '/maintenance/setup', label: 'maint.menu.setup', description: 'maint.link.setup', icon: SettingOutlined, permission: 'maintenance.manage', group: 'business' },
  { key: 'maint-visits', path: '/maintenance/visits', label: 'maint.menu.visits', description: 'maint.link.visits', icon: CalendarOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-reports', path: '/maintenance/reports', label: 'maint.menu.reports', description: 'maint.link.reports', icon: FileTextOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-spares', path: '/maintenance/spares', label: 'maint.menu.spares', description: 'maint.link.spares', icon: InboxOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-inspections', path: '/maintenance/inspections', label: 'maint.menu.inspections', description: 'maint.link.inspections', icon: SafetyCertificateOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-staff', path: '/maintenance/staff', label: 'maint.menu.staff', description: 'maint.link.staff', icon: TeamOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-shifts', path: '/maintenance/shifts', label: 'maint.menu.shifts', description: 'maint.link.shifts', icon: ClockCircleOutlined, permission: 'ticket.work', group: 'business' },
];
