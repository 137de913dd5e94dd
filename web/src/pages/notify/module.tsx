import { lazy } from 'react';
import { AccountBookOutlined, AuditOutlined, FileTextOutlined, MessageOutlined, SafetyOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const TemplatesPage = lazy(() => import('./TemplatesPage.tsx'));
const SendPage = lazy(() => import('./SendPage.tsx'));
const MessagesPage = lazy(() => import('./MessagesPage.tsx'));
const StatementsPage = lazy(() => import('./StatementsPage.tsx'));
const HoldsPage = lazy(() => import('./HoldsPage.tsx'));
const WordListsPage = lazy(() => import('./WordListsPage.tsx'));
const ProviderDutiesPage = lazy(() => import('./ProviderDutiesPage.tsx'));

/** SMS pages (templates and approval, sending, the message list) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'sms/templates', permission: 'sms.read', element: <TemplatesPage /> },
  { path: 'sms/send', permission: 'sms.send', element: <SendPage /> },
  { path: 'sms/messages', permission: 'sms.read', element: <MessagesPage /> },
  { path: 'sms/statements', permission: 'sms.read', element: <StatementsPage /> },
  { path: 'sms/holds', permission: 'sms.read', element: <HoldsPage /> },
  { path: 'sms/word-lists', permission: 'sms.read', element: <WordListsPage /> },
  { path: 'sms/duties', permission: 'sms.read', element: <ProviderDutiesPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'sms-send', path: '/sms/send', label: 'sms.menu.send', description: 'sms.link.send', icon: SendOutlined, permission: 'sms.send', group: 'business' },
  { key: 'sms-templates', path: '/sms/templates', label: 'sms.menu.templates', description: 'sms.link.templates', icon: FileTextOutlined, permission: 'sms.read', group: 'business' },
  { key: 'sms-messages', path: '/sms/messages', label: 'sms.menu.messages', description: 'sms.link.messages', icon: MessageOutlined, permission: 'sms.read', group: 'business' },
  { key: 'sms-statements', path: '/sms/statements', label: 'sms.menu.statements', description: 'sms.link.statements', icon: AccountBookOutlined, permission: 'sms.read', group: 'business' },
  { key: 'sms-holds', path: '/sms/holds', label: 'sms.menu.holds', description: 'sms.link.holds', icon: StopOutlined, permission: 'sms.read', group: 'business' },
  { key: 'sms-words', path: '/sms/word-lists', label: 'sms.menu.words', description: 'sms.link.words', icon: SafetyOutlined, permission: 'sms.read', group: 'business' },
  { key: 'sms-duties', path: '/sms/duties', label: 'sms.menu.duties', description: 'sms.link.duties', icon: AuditOutlined, permission: 'sms.read', group: 'business' },
];
