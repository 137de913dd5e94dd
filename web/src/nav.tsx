import type { ComponentType } from 'react';
import { ApartmentOutlined, AuditOutlined, CalendarOutlined, HomeOutlined, KeyOutlined, TeamOutlined } from '@ant-design/icons';
import type { MessageKey } from './i18n/index.tsx';

export interface NavEntry {
  /** stable key: the menu test id is `menu-<key>` */
  key: string;
  path: string;
  label: MessageKey;
  /** one line for the quick links on the workbench */
  description?: MessageKey;
  icon: ComponentType;
  /** null: always shown */
  permission: string | null;
}

export const NAV: readonly NavEntry[] = [
  { key: 'home', path: '/', label: 'menu.home', icon: HomeOutlined, permission: null },
  { key: 'orgs', path: '/orgs', label: 'menu.orgs', description: 'home.link.orgs', icon: ApartmentOutlined, permission: 'org.read' },
  { key: 'users', path: '/users', label: 'menu.users', description: 'home.link.users', icon: TeamOutlined, permission: 'user.read' },
  { key: 'api-keys', path: '/api-keys', label: 'menu.apiKeys', description: 'home.link.apiKeys', icon: KeyOutlined, permission: 'apikey.manage' },
  { key: 'audit', path: '/audit', label: 'menu.audit', description: 'home.link.audit', icon: AuditOutlined, permission: 'audit.read' },
  { key: 'calendar', path: '/calendar', label: 'menu.calendar', description: 'home.link.calendar', icon: CalendarOutlined, permission: 'calendar.read' },
];

/** Permissions that unlock the editing buttons of the pages. */
export const PERM = {
  orgRead: 'org.read',
  orgManage: 'org.manage',
  userRead: 'user.read',
  userManage: 'user.manage',
  apiKeyManage: 'apikey.manage',
  auditRead: 'audit.read',
  calendarRead: 'calendar.read',
  calendarManage: 'calendar.manage',
  piiUnmask: 'pii.unmask',
} as const;

/** The menu entry a path belongs to (for the selected menu item). */
export function navKeyFor(pathname: string): string {
  const hit = NAV.filter((n) => n.path !== '/' && (pathname === n.path || pathname.startsWith(n.path + '/')));
  return hit[0]?.key ?? 'home';
}
