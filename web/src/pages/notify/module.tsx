import { lazy } from 'react';
import { AccountBookOutlined, FileTextOutlined, MessageOutlined, SendOutlined } from '@ant-design/icons';
import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

const TemplatesPage = lazy(() => import('./TemplatesPage.tsx'));
const SendPage = lazy(() => import('./SendPage.tsx'));
const MessagesPage = lazy(() => import('./MessagesPage.tsx'));
const StatementsPage = lazy(() => import('./StatementsPage.tsx'));

/** SMS pages (templates and approval, sending, the message list) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [
  { path: 'sms/templates', permission: 'sms.read', element: <TemplatesPage /> },
  { path: 'sms/send', permission: 'sms.send', element: <SendPage /> },
  { path: 'sms/messages', permission: 'sms.read', element: <MessagesPage /> },
  { path: 'sms/statements', permission: 'sms.read', element: <StatementsPage /> },
];
export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'sms-send', path: '/sms/send', label: 'sms.menu.send', description: 'sms.link.send', icon: SendOutlined, permission: 'sms.send', group: 'business' },
  { key: 'sms-templates', path: '/sms/templates', label: 'sms.menu.templates', description: 'sms.link.templates', icon: FileTextOutlined, permission: 'sms.read', group: 'business' },
  { key: 'sms-messages', path: '/sms/messages', label: 'sms.menu.messages', description: 'sms.link.messages', icon: MessageOutlined, permission: 'sms.read', group: 'business' },
  { key: 'sms-statements', path: '/sms/statements', label: 'sms.menu.statements', description: 'sms.link.statements', icon: AccountBookOutlined, permission: 'sms.read', group: 'business' },
];
