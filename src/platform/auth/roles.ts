import type { OrgKind } from '../../modules/orgs/schema.ts';

/** Every permission a route or a menu can ask for. */
export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'user.read',
  'user.manage',
  'apikey.manage',
  'audit.read',
  'calendar.read',
  'calendar.manage',
  'pii.unmask',
  'programme.read',
  'programme.manage',
  'application.create',
  'application.read',
  'application.review',
  'reason.manage',
  'bank.match',
  'batch.read',
  'batch.manage',
  'production.report',
  'package.key.manage',
  'card.read',
  'card.receive',
  'card.issue',
  'card.loss',
  'cardevent.read',
  'report.read',
  'maintenance.read',
  'maintenance.manage',
  'asset.manage',
  'ticket.open',
  'ticket.work',
  'sms.read',
  'sms.send',
  'sms.template.manage',
  'sms.template.approve',
  'sms.manage',
  'ops.read',
  'settlement.read',
  'settlement.manage',
  'settlement.approve',
  'settlement.payments',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = [
  'ADMIN',
  'AUTHORITY_MANAGER',
  'AUTHORITY_REVIEWER',
  'AUDITOR',
  'OUTLET_MANAGER',
  'OUTLET_CLERK',
  'PRODUCER_OPERATOR',
  'BANK_OPERATOR',
  'MAINTAINER_ENGINEER',
  'SMS_OPERATOR',
] as const;
export type Role = (typeof ROLES)[number];

interface RoleDefinition {
  /** The kinds of organisation whose people may hold the role. */
  orgKinds: readonly OrgKind[];
  permissions: readonly Permission[];
  /** Roles a holder may hand out (user.manage, API keys), so nobody can mint a stronger account than theirs. */
  grants: readonly Role[];
}

const ALL_BUT_ADMIN_AND_AUDITOR = ROLES.filter((r) => r !== 'ADMIN' && r !== 'AUDITOR');

export const ROLE_DEFINITIONS: Record<Role, RoleDefinition> = {
  ADMIN: { orgKinds: ['AUTHORITY'], permissions: PERMISSIONS, grants: ROLES },
  AUTHORITY_MANAGER: {
    orgKinds: ['AUTHORITY'],
    permissions: [
      'org.read',
      'org.manage',
      'user.read',
      'user.manage',
      'apikey.manage',
      'calendar.read',
      'calendar.manage',
      'pii.unmask',
      'programme.read',
      'programme.manage',
      'application.read',
      'application.review',
      'reason.manage',
      'batch.read',
      'batch.manage',
      'card.read',
      'card.loss',
      'cardevent.read',
      'report.read',
      'maintenance.read',
      'maintenance.manage',
      'asset.manage',
      'ticket.open',
      'sms.read',
      'sms.send',
      'sms.template.manage',
      'sms.template.approve',
      'sms.manage',
      'ops.read',
      'settlement.read',
      'settlement.manage',
      'settlement.approve',
      'settlement.payments',
    ],
    grants: ALL_BUT_ADMIN_AND_AUDITOR,
  },
  AUTHORITY_REVIEWER: {
    orgKinds: ['AUTHORITY'],
    permissions: ['org.read', 'calendar.read', 'programme.read', 'application.read', 'application.review', 'batch.read', 'card.read', 'report.read', 'maintenance.read', 'settlement.read'],
    grants: [],
  },
  // Auditors read the trail and who is who, but change nothing and see no personal data.
  AUDITOR: { orgKinds: ['AUTHORITY'], permissions: ['audit.read', 'org.read', 'user.read', 'calendar.read', 'programme.read', 'batch.read', 'report.read', 'maintenance.read', 'sms.read', 'ops.read', 'settlement.read'], grants: [] },
  OUTLET_MANAGER: {
    orgKinds: ['OUTLET'],
    permissions: ['org.read', 'user.read', 'user.manage', 'programme.read', 'application.create', 'application.read', 'card.read', 'card.receive', 'card.issue', 'card.loss', 'report.read', 'maintenance.read', 'ticket.open'],
    grants: ['OUTLET_MANAGER', 'OUTLET_CLERK'],
  },
  OUTLET_CLERK: {
    orgKinds: ['OUTLET'],
    permissions: ['programme.read', 'application.create', 'application.read', 'card.read', 'card.receive', 'card.issue', 'card.loss', 'maintenance.read', 'ticket.open'],
    grants: [],
  },
  PRODUCER_OPERATOR: { orgKinds: ['PRODUCER'], permissions: ['programme.read', 'batch.read', 'production.report', 'package.key.manage', 'card.read', 'report.read', 'settlement.read'], grants: [] },
  // Bank branches match accounts and, for social security cards, receive and hand over the cards.
  BANK_OPERATOR: { orgKinds: ['BANK'], permissions: ['programme.read', 'bank.match', 'card.read', 'card.receive', 'card.issue', 'card.loss'], grants: [] },
  // Engineers work tickets and keep the ledger; they also take hotline reports (ticket.open), but only the outlet closes a ticket.
  MAINTAINER_ENGINEER: { orgKinds: ['MAINTAINER'], permissions: ['calendar.read', 'maintenance.read', 'ticket.open', 'ticket.work', 'asset.manage', 'settlement.read'], grants: [] },
  // The provider sees its traffic and delivery statistics, with recipients masked like everyone else.
  SMS_OPERATOR: { orgKinds: ['SMS_PROVIDER'], permissions: ['sms.read', 'settlement.read'], grants: [] },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly Role[]): Permission[] {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_DEFINITIONS[role].permissions) out.add(p);
  return PERMISSIONS.filter((p) => out.has(p));
}

export function grantableBy(roles: readonly Role[]): Set<Role> {
  const out = new Set<Role>();
  for (const role of roles) for (const g of ROLE_DEFINITIONS[role].grants) out.add(g);
  return out;
}

export function roleAllowedForKind(role: Role, kind: OrgKind): boolean {
  return ROLE_DEFINITIONS[role].orgKinds.includes(kind);
}
