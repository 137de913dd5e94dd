import { lazy } from 'react';
import { AccountBookOutlined, LineChartOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const ContractsPage = lazy(() => import('./ContractsPage.tsx'));
const ContractPage = lazy(() => import('./ContractPage.tsx'));
const StatementPage = lazy(() => import('./StatementPage.tsx'));
const DashboardPage = lazy(() => import('./DashboardPage.tsx'));

/** Settlement pages (contracts, statements, the spend dashboard) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'settlement/contracts', permission: 'settlement.read', element: <ContractsPage /> },
  { path: 'settlement/contracts/new', permission: 'settlement.manage', element: <ContractPage /> },
  { path: 'settlement/contracts/:id', permission: 'settlement.read', element: <ContractPage /> },
  { path: 'settlement/statements/:id', permission: 'settlement.read', element: <StatementPage /> },
  { path: 'settlement/dashboard', permission: 'settlement.read', element: <DashboardPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'settle-contracts', path: '/settlement/contracts', label: 'settle.menu.contracts', description: 'settle.link.contracts', icon: AccountBookOutlined, permission: 'settlement.read', group: 'business' },
  { key: 'settle-dashboard', path: '/settlement/dashboard', label: 'settle.menu.dashboard', description: 'settle.link.dashboard', icon: LineChartOutlined, permission: 'settlement.read', group: 'business' },
];
