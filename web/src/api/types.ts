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

/* ------------------------------------------------------------------------------------------------
 * Programmes and applications. SOURCE OF TRUTH: src/modules/programmes/routes.ts and
 * src/modules/applications/routes.ts (server). Every shape the console assumes lives here.
 * ---------------------------------------------------------------------------------------------- */

export type ProgrammeKind = 'RESIDENCE_PERMIT' | 'SOCIAL_SECURITY_CARD';
export const PROGRAMME_KINDS: readonly ProgrammeKind[] = ['RESIDENCE_PERMIT', 'SOCIAL_SECURITY_CARD'];

export type DeadlineUnit = 'CALENDAR_DAYS' | 'WORKING_DAYS';
export const DEADLINE_UNITS: readonly DeadlineUnit[] = ['CALENDAR_DAYS', 'WORKING_DAYS'];

export interface Deadline {
  amount: number;
  unit: DeadlineUnit;
}

export type PackingOrder = 'BY_UNIT' | 'BY_SSN';
export const PACKING_ORDERS: readonly PackingOrder[] = ['BY_UNIT', 'BY_SSN'];

export interface OrgRef {
  id: string;
  name: string;
}

export interface Programme {
  id: string;
  kind: ProgrammeKind;
  name: string;
  authorityOrgId: string;
  authorityOrgName: string;
  producers: OrgRef[];
  receivers: (OrgRef & { kind: string })[];
  productionDeadline: Deadline;
  deliveryDeadline: Deadline | null;
  productionRegionPrefix: string;
  batchSizeLimit: number;
  personalisationRetentionHours: number;
  closedApplicationRetentionDays: number;
  packingOrder: PackingOrder;
  createdAt: string;
  updatedAt?: string;
}

/** Body of POST /programmes. */
export interface ProgrammeInput {
  kind: ProgrammeKind;
  name: string;
  authorityOrgId: string;
  producerOrgIds: string[];
  receiverOrgIds: string[];
  productionDeadline: Deadline;
  deliveryDeadline: Deadline | null;
  productionRegionPrefix: string;
  batchSizeLimit: number;
  personalisationRetentionHours: number;
  closedApplicationRetentionDays?: number;
  packingOrder: PackingOrder;
}
/** Body of PATCH /programmes/:id: kind and authority never change. */
export type ProgrammePatch = Partial<Omit<ProgrammeInput, 'kind' | 'authorityOrgId'>>;

/** Server limits (src/modules/programmes/routes.ts). */
export const PROGRAMME_LIMITS = { deadlineMax: 365, batchSizeMax: 100_000, retentionHoursMax: 720, closedRetentionDaysMin: 30, closedRetentionDaysMax: 3650 } as const;

export type ApplicationKind = 'NEW' | 'REPLACEMENT' | 'RENEWAL' | 'ENDORSEMENT' | 'PREFABRICATED';
export const APPLICATION_KINDS: readonly ApplicationKind[] = ['NEW', 'REPLACEMENT', 'RENEWAL', 'ENDORSEMENT', 'PREFABRICATED'];
/** Kinds a programme of this kind accepts: ENDORSEMENT for residence permits only, PREFABRICATED for social security cards only. */
export function applicationKindsFor(kind: ProgrammeKind | undefined): ApplicationKind[] {
  return APPLICATION_KINDS.filter((k) => (k === 'PREFABRICATED' ? kind === 'SOCIAL_SECURITY_CARD' : k === 'ENDORSEMENT' ? kind === 'RESIDENCE_PERMIT' : true));
}

export type PermitBasis = 'EMPLOYMENT' | 'RESIDENCE' | 'STUDY';
export const PERMIT_BASES: readonly PermitBasis[] = ['EMPLOYMENT', 'RESIDENCE', 'STUDY'];

/** Source of truth: APPLICATION_STATUSES in src/modules/applications/schema.ts. */
export const APPLICATION_STATUSES = ['SUBMITTED', 'APPROVED', 'MATCHED', 'IN_PRODUCTION', 'READY', 'ISSUED', 'REJECTED', 'BANK_REJECTED', 'ENDORSED', 'CANCELLED'] as const;

export type Sex = 'M' | 'F';

/** Body of POST /applications (flat: the applicant's fields sit next to programmeId). */
export interface ApplicationInput {
  programmeId: string;
  kind: ApplicationKind;
  name: string;
  sex: Sex;
  /** GB/T 3304 two-digit code */
  ethnicity: string;
  birthDate: string;
  citizenId: string;
  phone: string;
  hukouAddress?: string | null;
  residenceAddress?: string | null;
  basis?: PermitBasis | null;
  bankOrgId?: string | null;
  /** the JPEG's bytes as plain base64 (no data: prefix) */
  photoJpegBase64?: string | null;
}

export interface Application {
  id: string;
  applicationNo: string;
  programmeId: string;
  programmeName: string;
  cardKind: ProgrammeKind;
  outletOrgId: string;
  outletName: string;
  bankOrgId: string | null;
  kind: ApplicationKind;
  basis: PermitBasis | null;
  status: string;
  nameMasked: string;
  citizenIdMasked: string;
  phoneMasked: string;
  sex: Sex;
  ethnicity: string;
  hasPhoto: boolean;
  /** COUNTER or IMPORT */
  source: string;
  createdAt: string;
  decidedAt: string | null;
}

export interface ApplicationEvent {
  /** the status reached: SUBMITTED, ENDORSED, APPROVED, REJECTED */
  type: string;
  at: string;
  actorName: string | null;
  /** REJECTED: {reasons: code[], note} */
  details: unknown;
}

export interface ApplicationCard {
  id: string;
  attemptNo: number;
  mode: string;
  status: string;
  cardNo: string | null;
  wasteCause: string | null;
  batchNo: string | null;
  shipmentNo: string | null;
  productionDueAt: string | null;
  issuedAt: string | null;
  updatedAt: string;
}

export interface ApplicationDetail extends Application {
  hukouAddressMasked: string | null;
  residenceAddressMasked: string | null;
  events: ApplicationEvent[];
  /** Card attempts, oldest first (a remake is attempt 2, …). */
  cards?: ApplicationCard[];
  /** not sent by the server today; shown when present */
  birthDate?: string;
}

export interface PagedResponse<T> {
  items: T[];
  total: number;
}

export interface RejectionReason {
  code: string;
  zh: string;
  en: string;
  active: boolean;
}

export interface ValidationProblem {
  field: string;
  problem: string;
}

export interface ImportRowError {
  row: number;
  field: string | null;
  error: string;
}
