import { lazy } from 'react';
import { DashboardOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const StatusPage = lazy(() => import('./StatusPage.tsx'));

/** The operators' system status page and its menu entry (system administration group); App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [{ path: 'ops/status', permission: 'ops.read', element: <StatusPage /> }];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'ops-status', path: '/ops/status', label: 'ops.menu.status', description: 'ops.link.status', icon: DashboardOutlined, permission: 'ops.read' },
];
