import type { ComponentType } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  FileAddOutlined,
  HomeOutlined,
  KeyOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { MessageKey } from './i18n/index.tsx';
import { NAV_ENTRIES as CARD_NAV } from './pages/cards/module.tsx';
import { NAV_ENTRIES as PRODUCTION_NAV } from './pages/production/module.tsx';
import { NAV_ENTRIES as LOGISTICS_NAV } from './pages/logistics/module.tsx';
import { NAV_ENTRIES as REPORT_NAV } from './pages/reports/module.tsx';
import { NAV_ENTRIES as MAINTENANCE_NAV } from './pages/maintenance/module.tsx';
import { NAV_ENTRIES as NOTIFY_NAV } from './pages/notify/module.tsx';
import { NAV_ENTRIES as OPS_NAV } from './pages/ops/module.tsx';
import { NAV_ENTRIES as SETTLEMENT_NAV } from './pages/settlement/module.tsx';

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
  /** menu group; absent = the system administration group */
  group?: 'business';
}

export const NAV: readonly NavEntry[] = [
  { key: 'home', path: '/', label: 'menu.home', icon: HomeOutlined, permission: null },
  { key: 'application-new', path: '/applications/new', label: 'menu.applicationNew', description: 'home.link.applicationNew', icon: FileAddOutlined, permission: 'application.create', group: 'business' },
  { key: 'applications', path: '/applications', label: 'menu.applications', description: 'home.link.applications', icon: UnorderedListOutlined, permission: 'application.read', group: 'business' },
  { key: 'review', path: '/review', label: 'menu.review', description: 'home.link.review', icon: SafetyCertificateOutlined, permission: 'application.review', group: 'business' },
  { key: 'application-import', path: '/applications/import', label: 'menu.applicationImport', description: 'home.link.applicationImport', icon: CloudUploadOutlined, permission: 'application.create', group: 'business' },
  ...CARD_NAV,
  ...PRODUCTION_NAV,
  ...LOGISTICS_NAV,
  ...REPORT_NAV,
  ...MAINTENANCE_NAV,
  ...NOTIFY_NAV,
  ...SETTLEMENT_NAV,
  { key: 'programmes', path: '/programmes', label: 'menu.programmes', description: 'home.link.programmes', icon: ProfileOutlined, permission: 'programme.read', group: 'business' },
  { key: 'orgs', path: '/orgs', label: 'menu.orgs', description: 'home.link.orgs', icon: ApartmentOutlined, permission: 'org.read' },
  { key: 'users', path: '/users', label: 'menu.users', description: 'home.link.users', icon: TeamOutlined, permission: 'user.read' },
  { key: 'api-keys', path: '/api-keys', label: 'menu.apiKeys', description: 'home.link.apiKeys', icon: KeyOutlined, permission: 'apikey.manage' },
  { key: 'audit', path: '/audit', label: 'menu.audit', description: 'home.link.audit', icon: AuditOutlined, permission: 'audit.read' },
  { key: 'calendar', path: '/calendar', label: 'menu.calendar', description: 'home.link.calendar', icon: CalendarOutlined, permission: 'calendar.read' },
  ...OPS_NAV,
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
  programmeRead: 'programme.read',
  programmeManage: 'programme.manage',
  applicationCreate: 'application.create',
  applicationRead: 'application.read',
  applicationReview: 'application.review',
  reasonManage: 'reason.manage',
} as const;

/** The menu entry a path belongs to (for the selected menu item): the longest matching path wins. */
export function navKeyFor(pathname: string): string {
  const hit = NAV.filter((n) => n.path !== '/' && (pathname === n.path || pathname.startsWith(n.path + '/'))).sort((a, b) => b.path.length - a.path.length);
  return hit[0]?.key ?? 'home';
}
