import { lazy } from 'react';
import { BarChartOutlined, ClockCircleOutlined, CloudDownloadOutlined, MessageOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const SlaPage = lazy(() => import('./SlaPage.tsx'));
const StatsPage = lazy(() => import('./StatsPage.tsx'));
const WritebackPage = lazy(() => import('./WritebackPage.tsx'));
const OutboxPage = lazy(() => import('./OutboxPage.tsx'));

/** Pages (write-back feed, SLA, reports, notification outbox) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'sla', permission: 'report.read', element: <SlaPage /> },
  { path: 'reports', permission: 'report.read', element: <StatsPage /> },
  { path: 'write-back', permission: 'cardevent.read', element: <WritebackPage /> },
  { path: 'notifications', permission: 'report.read', element: <OutboxPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'sla', path: '/sla', label: 'reports.menu.sla', description: 'reports.link.sla', icon: ClockCircleOutlined, permission: 'report.read', group: 'business' },
  { key: 'reports', path: '/reports', label: 'reports.menu.stats', description: 'reports.link.stats', icon: BarChartOutlined, permission: 'report.read', group: 'business' },
  { key: 'write-back', path: '/write-back', label: 'reports.menu.writeback', description: 'reports.link.writeback', icon: CloudDownloadOutlined, permission: 'cardevent.read', group: 'business' },
  { key: 'notifications', path: '/notifications', label: 'reports.menu.outbox', description: 'reports.link.outbox', icon: MessageOutlined, permission: 'report.read', group: 'business' },
];
