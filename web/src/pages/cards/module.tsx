import { lazy } from 'react';
import { BankOutlined, CheckSquareOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const ProductionResultsPage = lazy(() => import('./ProductionResultsPage.tsx'));
const BankMatchingPage = lazy(() => import('./BankMatchingPage.tsx'));

/** Pages (production results and bank matching) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'production-results', permission: 'production.report', element: <ProductionResultsPage /> },
  { path: 'bank-matching', permission: 'bank.match', element: <BankMatchingPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'production-results', path: '/production-results', label: 'cards.menu.results', description: 'cards.link.results', icon: CheckSquareOutlined, permission: 'production.report', group: 'business' },
  { key: 'bank-matching', path: '/bank-matching', label: 'cards.menu.bankMatching', description: 'cards.link.bankMatching', icon: BankOutlined, permission: 'bank.match', group: 'business' },
];
