/** Shapes of the cardflow HTTP API (/api/v1) as the console uses them. */

export type RoleCode =
  | 'ADMIN'
  | 'AUTHORITY_MANAGER'
  | 'AUTHORITY_REVIEWER'
  | 'AUDITOR'
  | 'OUTLET_MANAGER'
  | 'OUTLET_CLERK'
  | 'PRODUCER_OPERATOR'
  | 'BANK_OPERATOR'
  | 'MAINTAINER_ENGINEER'
  | 'SMS_OPERATOR';

export type OrgKind = 'AUTHORITY' | 'OUTLET' | 'PRODUCER' | 'BANK' | 'MAINTAINER' | 'SMS_PROVIDER';

export const ORG_KINDS: readonly OrgKind[] = ['AUTHORITY', 'OUTLET', 'PRODUCER', 'BANK', 'MAINTAINER', 'SMS_PROVIDER'];
/**
 * Kinds whose organisations must carry a region code; every other kind may leave it empty or clear it.
 * Source of truth: regionRequired() in src/modules/orgs/rules.ts (and the organisations_region_required
 * check in src/modules/orgs/schema.ts).
 */
export const KINDS_NEEDING_REGION: readonly OrgKind[] = ['OUTLET', 'PRODUCER'];

export function regionRequired(kind: string | undefined): boolean {
  return !!kind && KINDS_NEEDING_REGION.includes(kind as OrgKind);
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  roles: string[];
  permissions: string[];
  phoneMasked: string | null;
}

export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

export interface Org {
  id: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  regionCode: string | null;
  regionName: string | null;
  creditCode: string | null;
  createdAt: string;
}

export interface RoleInfo {
  role: string;
  orgKinds: string[];
  permissions: string[];
  /** whether the signed-in user may hand this role out (users, API keys); absent = unknown */
  grantable?: boolean;
}

export type UserStatus = 'ACTIVE' | 'DISABLED';

export interface User {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgName: string;
  roles: string[];
  status: UserStatus;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  phoneMasked: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  orgId: string;
  orgName: string;
  roles: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type AuditOutcome = 'SUCCESS' | 'DENIED' | 'FAILED';

export interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actorUsername: string | null;
  orgName: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  actorType?: string | null;
  details: unknown;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

export interface CalendarYear {
  year: number;
  published: boolean;
  holidays: number;
  makeupWorkdays: number;
}

export type DayKind = 'HOLIDAY' | 'MAKEUP_WORKDAY';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string;
  source: string;
}

export interface ListResponse<T> {
  items: T[];
}
