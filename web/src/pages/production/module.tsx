import { lazy } from 'react';
import { BuildOutlined, FieldTimeOutlined, InboxOutlined, LockOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const BatchesPage = lazy(() => import('./BatchesPage.tsx'));
const BatchRulesPage = lazy(() => import('./BatchRulesPage.tsx'));
const ProducerTasksPage = lazy(() => import('./ProducerTasksPage.tsx'));
const PackageKeysPage = lazy(() => import('./PackageKeysPage.tsx'));

/** Pages (batches, packages, package keys) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'batches', permission: 'batch.read', element: <BatchesPage /> },
  { path: 'batch-rules', permission: 'batch.manage', element: <BatchRulesPage /> },
  { path: 'production-tasks', permission: 'production.report', element: <ProducerTasksPage /> },
  { path: 'package-keys', permission: 'package.key.manage', element: <PackageKeysPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'batches', path: '/batches', label: 'production.menu.batches', description: 'production.link.batches', icon: BuildOutlined, permission: 'batch.read', group: 'business' },
  { key: 'batch-rules', path: '/batch-rules', label: 'production.menu.rules', description: 'production.link.rules', icon: FieldTimeOutlined, permission: 'batch.manage', group: 'business' },
  { key: 'production-tasks', path: '/production-tasks', label: 'production.menu.tasks', description: 'production.link.tasks', icon: InboxOutlined, permission: 'production.report', group: 'business' },
  { key: 'package-keys', path: '/package-keys', label: 'production.menu.keys', description: 'production.link.keys', icon: LockOutlined, permission: 'package.key.manage', group: 'business' },
];
