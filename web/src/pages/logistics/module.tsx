import { lazy } from 'react';
import { ExceptionOutlined, IdcardOutlined, InboxOutlined, SendOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const ShippingPage = lazy(() => import('./ShippingPage.tsx'));
const ReceiptPage = lazy(() => import('./ReceiptPage.tsx'));
const DiscrepanciesPage = lazy(() => import('./DiscrepanciesPage.tsx'));
const IssuancePage = lazy(() => import('./IssuancePage.tsx'));

/** Pages (shipments, receipt, issuance and loss) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'shipping', permission: 'production.report', element: <ShippingPage /> },
  { path: 'receipt', permission: 'card.receive', element: <ReceiptPage /> },
  { path: 'discrepancies', permission: 'card.read', element: <DiscrepanciesPage /> },
  { path: 'issuance', permission: 'card.issue', element: <IssuancePage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'shipping', path: '/shipping', label: 'logistics.menu.shipping', description: 'logistics.link.shipping', icon: SendOutlined, permission: 'production.report', group: 'business' },
  { key: 'receipt', path: '/receipt', label: 'logistics.menu.receipt', description: 'logistics.link.receipt', icon: InboxOutlined, permission: 'card.receive', group: 'business' },
  { key: 'discrepancies', path: '/discrepancies', label: 'logistics.menu.discrepancies', description: 'logistics.link.discrepancies', icon: ExceptionOutlined, permission: 'card.read', group: 'business' },
  { key: 'issuance', path: '/issuance', label: 'logistics.menu.issuance', description: 'logistics.link.issuance', icon: IdcardOutlined, permission: 'card.issue', group: 'business' },
];
