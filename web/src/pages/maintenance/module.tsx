import { lazy } from 'react';
import { AlertOutlined, DatabaseOutlined, ToolOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const TicketsPage = lazy(() => import('./TicketsPage.tsx'));
const TicketDetailPage = lazy(() => import('./TicketDetailPage.tsx'));
const AssetsPage = lazy(() => import('./AssetsPage.tsx'));
const BreachesPage = lazy(() => import('./BreachesPage.tsx'));

/** Pages (fault tickets, equipment ledger, breach register) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'maintenance/tickets', permission: 'maintenance.read', element: <TicketsPage /> },
  { path: 'maintenance/tickets/:id', permission: 'maintenance.read', element: <TicketDetailPage /> },
  { path: 'maintenance/assets', permission: 'maintenance.read', element: <AssetsPage /> },
  { path: 'maintenance/breaches', permission: 'maintenance.read', element: <BreachesPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'maint-tickets', path: '/maintenance/tickets', label: 'maint.menu.tickets', description: 'maint.link.tickets', icon: ToolOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-assets', path: '/maintenance/assets', label: 'maint.menu.assets', description: 'maint.link.assets', icon: DatabaseOutlined, permission: 'maintenance.read', group: 'business' },
  { key: 'maint-breaches', path: '/maintenance/breaches', label: 'maint.menu.breaches', description: 'maint.link.breaches', icon: AlertOutlined, permission: 'maintenance.read', group: 'business' },
];
