import { randomUUID } from 'node:crypto';
import { anyOf } from '../../platform/db/any-of.ts';
import { and, asc, eq, like, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { orgInScope } from '../../platform/auth/principal.ts';
import { grantableBy, isRole, roleAllowedForKind, type Role } from '../../platform/auth/roles.ts';
import { assertPasswordPolicy, hashPassword } from '../../platform/auth/passwords.ts';
import { assertRegionCode, findRegion } from '../../platform/validators/region.ts';
import { checkCreditCode } from '../../platform/validators/credit-code.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { encryptField, decryptField } from '../../platform/crypto/field-cipher.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import { organisations, users, type OrgKind } from './schema.ts';
import { childPath, parentAllowed, regionRequired } from './rules.ts';

export type OrgRow = typeof organisations.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export function orgView(o: OrgRow) {
  return {
    id: o.id,
    name: o.name,
    kind: o.kind,
    parentId: o.parentId,
    regionCode: o.regionCode,
    regionName: o.regionCode ? (findRegion(o.regionCode)?.fullName ?? null) : null,
    creditCode: o.creditCode,
    createdAt: o.createdAt.toISOString(),
  };
}

export function userView(u: UserRow, orgName: string) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    orgId: u.orgId,
    orgName,
    roles: u.roles,
    status: u.status,
    lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    phoneMasked: u.phoneMasked,
    createdAt: u.createdAt.toISOString(),
  };
}

function scopeCondition(principal: Principal) {
  return principal.scope === 'subtree'
    ? like(organisations.path, `${principal.orgPath}%`)
    : eq(organisations.path, principal.orgPath);
}

/**
 * The ids of the organisations a principal may see, as a subquery: other modules filter their rows by
 * `inArray(theirTable.orgId, orgIdsInScope(...))` instead of reading this module's table themselves.
 */
export function orgIdsInScope(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm) {
  return q.select({ id: organisations.id }).from(organisations).where(scopeCondition(principal));
}

/** Organisations by id (missing ids are simply absent), for other modules' names, kinds and paths. */
export async function orgsByIds(ctx: AppContext, ids: Iterable<string>, q: Queryable = ctx.db.orm): Promise<Map<string, OrgRow>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, OrgRow>();
  for (let i = 0; i < unique.length; i += 5000) {
    for (const o of await q.select().from(organisations).where(anyOf(organisations.id, unique.slice(i, i + 5000)))) out.set(o.id, o);
  }
  return out;
}

/** Display names of users by id (missing ids are simply absent), for other modules' "done by" columns. */
export async function userNamesByIds(ctx: AppContext, ids: Iterable<string | null>, q: Queryable = ctx.db.orm): Promise<Map<string, string>> {
  const list = [...new Set([...ids].filter((i): i is string => i !== null))];
  if (list.length === 0) return new Map();
  const rows = await q.select({ id: users.id, name: users.displayName }).from(users).where(anyOf(users.id, list));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Active users of one organisation holding a role, id → display name (e.g. a maintainer's engineers). */
export async function activeUsersWithRole(ctx: AppContext, orgId: string, role: Role, q: Queryable = ctx.db.orm): Promise<Map<string, string>> {
  const rows = await q
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.status, 'ACTIVE'), sql`${role} = any(${users.roles})`));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findOrg(ctx: AppContext, id: string, q: Queryable = ctx.db.orm): Promise<OrgRow | null> {
  const rows = await q.select().from(organisations).where(eq(organisations.id, id));
  return rows[0] ?? null;
}

/** The organisation if the principal may see it; otherwise the same answer as a missing one. */
export async function getOrgInScope(ctx: AppContext, principal: Principal, id: string): Promise<OrgRow> {
  const org = await findOrg(ctx, id);
  if (!org || !orgInScope(principal, org.path)) throw new AppError('OUT_OF_SCOPE');
  return org;
}

export async function listOrgs(ctx: AppContext, principal: Principal): Promise<OrgRow[]> {
  return ctx.db.orm.select().from(organisations).where(scopeCondition(principal)).orderBy(asc(organisations.path));
}

export interface CreateOrgInput {
  name: string;
  kind: OrgKind;
  parentId: string;
  regionCode?: string | null;
  creditCode?: string | null;
}

export async function createOrg(ctx: AppContext, principal: Principal, input: CreateOrgInput): Promise<OrgRow> {
  const parent = await getOrgInScope(ctx, principal, input.parentId);
  if (!parentAllowed(input.kind, parent.kind)) {
    throw new AppError('ORG_PARENT_INVALID', { params: { reason: `${input.kind} ⟵ ${parent.kind}` } });
  }
  const regionCode = input.regionCode ? assertRegionCode(input.regionCode).code : null;
  if (regionRequired(input.kind) && !regionCode) throw new AppError('ORG_REGION_REQUIRED');
  const creditCode = input.creditCode ? checkCreditCode(input.creditCode, 'entry').code : null;
  const id = randomUUID();
  const [row] = await ctx.db.orm
    .insert(organisations)
    .values({ id, parentId: parent.id, path: childPath(parent.path, id), name: input.name.trim(), kind: input.kind, regionCode, creditCode })
    .returning();
  return row!;
}

export async function updateOrg(ctx: AppContext, principal: Principal, id: string, patch: { name?: string; regionCode?: string | null }): Promise<OrgRow> {
  const org = await getOrgInScope(ctx, principal, id);
  const regionCode = patch.regionCode === undefined ? org.regionCode : patch.regionCode ? assertRegionCode(patch.regionCode).code : null;
  if (regionRequired(org.kind) && !regionCode) throw new AppError('ORG_REGION_REQUIRED');
  const [row] = await ctx.db.orm
    .update(organisations)
    .set({ name: patch.name?.trim() ?? org.name, regionCode, updatedAt: new Date() })
    .where(eq(organisations.id, id))
    .returning();
  return row!;
}

/** The platform's root organisation, created on first start. */
export async function ensureRootOrg(ctx: AppContext): Promise<OrgRow> {
  const roots = await ctx.db.orm.select().from(organisations).where(sql`${organisations.parentId} is null`).orderBy(asc(organisations.createdAt)).limit(1);
  if (roots[0]) return roots[0];
  const id = randomUUID();
  const [row] = await ctx.db.orm
    .insert(organisations)
    .values({ id, parentId: null, path: `/${id}/`, name: 'cardflow 平台管理', kind: 'AUTHORITY' })
    .returning();
  return row!;
}

// ---- users ----

export interface CreateUserInput {
  username: string;
  displayName: string;
  orgId: string;
  roles: string[];
  password: string;
  phone?: string | null;
}

function assertRolesGrantable(principal: Principal, roles: string[], kind: OrgKind): Role[] {
  const grantable = grantableBy(principal.roles);
  const out: Role[] = [];
  for (const role of new Set(roles)) {
    if (!isRole(role)) throw new AppError('VALIDATION_FAILED', { params: { reason: `unknown role ${role}` } });
    if (!roleAllowedForKind(role, kind)) throw new AppError('ROLE_NOT_ALLOWED', { params: { role, kind } });
    if (!grantable.has(role)) throw new AppError('FORBIDDEN', { details: { role } });
    out.push(role);
  }
  if (out.length === 0) throw new AppError('VALIDATION_FAILED', { params: { reason: 'roles' } });
  return out;
}

function phoneColumns(ctx: AppContext, phone: string | null | undefined) {
  if (!phone) return { phoneEnc: null, phoneIdx: null, phoneMasked: null };
  const normalised = normaliseMobile(phone);
  return {
    phoneEnc: encryptField(ctx.keyring, normalised),
    phoneIdx: blindIndex(ctx.keyring, 'phone', normalised),
    phoneMasked: maskPhone(normalised),
  };
}

export async function listUsers(ctx: AppContext, principal: Principal, filter: { orgId?: string }) {
  const conditions = [scopeCondition(principal)];
  if (filter.orgId) conditions.push(eq(users.orgId, filter.orgId));
  const rows = await ctx.db.orm
    .select({ user: users, orgName: organisations.name })
    .from(users)
    .innerJoin(organisations, eq(users.orgId, organisations.id))
    .where(and(...conditions))
    .orderBy(asc(users.username));
  return rows.map((r) => userView(r.user, r.orgName));
}

export async function getUserInScope(ctx: AppContext, principal: Principal, id: string): Promise<{ user: UserRow; org: OrgRow }> {
  const rows = await ctx.db.orm
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(users.orgId, organisations.id))
    .where(eq(users.id, id));
  const row = rows[0];
  if (!row || !orgInScope(principal, row.org.path)) throw new AppError('OUT_OF_SCOPE');
  return row;
}

export async function createUser(ctx: AppContext, principal: Principal, input: CreateUserInput) {
  const org = await getOrgInScope(ctx, principal, input.orgId);
  const roles = assertRolesGrantable(principal, input.roles, org.kind);
  assertPasswordPolicy(input.password, input.username);
  const taken = await ctx.db.orm.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${input.username})`);
  if (taken.length) throw new AppError('USERNAME_TAKEN', { params: { username: input.username } });
  const [row] = await ctx.db.orm
    .insert(users)
    .values({
      orgId: org.id,
      username: input.username,
      displayName: input.displayName.trim(),
      passwordHash: await hashPassword(input.password),
      roles,
      ...phoneColumns(ctx, input.phone),
    })
    .returning();
  return userView(row!, org.name);
}

export async function updateUser(
  ctx: AppContext,
  principal: Principal,
  id: string,
  patch: { displayName?: string; roles?: string[]; status?: 'ACTIVE' | 'DISABLED'; phone?: string | null },
) {
  const { user, org } = await getUserInScope(ctx, principal, id);
  const set: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (patch.displayName !== undefined) set.displayName = patch.displayName.trim();
  if (patch.roles !== undefined) {
    // Changing someone's roles needs the right to grant both what they had and what they get.
    assertRolesGrantable(principal, user.roles, org.kind);
    set.roles = assertRolesGrantable(principal, patch.roles, org.kind);
  }
  if (patch.status !== undefined) {
    if (user.id === principal.id && patch.status === 'DISABLED') throw new AppError('FORBIDDEN', { details: { reason: 'cannot disable yourself' } });
    set.status = patch.status;
  }
  if (patch.phone !== undefined) Object.assign(set, phoneColumns(ctx, patch.phone));
  const [row] = await ctx.db.orm.update(users).set(set).where(eq(users.id, id)).returning();
  return userView(row!, org.name);
}

export async function resetPassword(ctx: AppContext, principal: Principal, id: string, password: string): Promise<void> {
  const { user, org } = await getUserInScope(ctx, principal, id);
  assertRolesGrantable(principal, user.roles, org.kind);
  await setPassword(ctx, id, password);
}

/** Sets a password and clears any lock; the caller has checked who may do it. Sessions end. */
export async function setPassword(ctx: AppContext, userId: string, password: string): Promise<void> {
  const [user] = await ctx.db.orm.select({ username: users.username }).from(users).where(eq(users.id, userId));
  assertPasswordPolicy(password, user?.username);
  await ctx.db.orm
    .update(users)
    .set({ passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null, passwordChangedAt: new Date(), updatedAt: new Date() })
    .where(eq(users.id, userId));
}

export async function revealUserPhone(ctx: AppContext, principal: Principal, id: string): Promise<string | null> {
  const { user } = await getUserInScope(ctx, principal, id);
  return user.phoneEnc ? decryptField(ctx.keyring, user.phoneEnc) : null;
}

export async function findUserForLogin(ctx: AppContext, username: string) {
  const rows = await ctx.db.orm
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(users.orgId, organisations.id))
    .where(sql`lower(${users.username}) = lower(${username})`);
  return rows[0] ?? null;
}

export async function findUserWithOrg(ctx: AppContext, id: string) {
  const rows = await ctx.db.orm
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(users.orgId, organisations.id))
    .where(eq(users.id, id));
  return rows[0] ?? null;
}

export async function findUserByUsername(ctx: AppContext, username: string): Promise<UserRow | null> {
  return (await findUserForLogin(ctx, username))?.user ?? null;
}

export async function recordLoginFailure(ctx: AppContext, userId: string): Promise<Date | null> {
  const { loginMaxFailures, loginLockMinutes } = ctx.config;
  // After a lock has run out the count starts again, so one more mistake does not relock at once.
  const failures = sql`(case when ${users.lockedUntil} is not null and ${users.lockedUntil} <= now() then 0 else ${users.failedLogins} end) + 1`;
  const [row] = await ctx.db.orm
    .update(users)
    .set({
      failedLogins: failures,
      lockedUntil: sql`case when ${failures} >= ${loginMaxFailures} then now() + make_interval(mins => ${loginLockMinutes}) else null end`,
    })
    .where(eq(users.id, userId))
    .returning({ lockedUntil: users.lockedUntil });
  return row?.lockedUntil ?? null;
}

export async function recordLoginSuccess(ctx: AppContext, userId: string): Promise<void> {
  await ctx.db.orm.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() }).where(eq(users.id, userId));
}

/** Creates the first administrator on an empty database; returns the password if it was generated. */
export async function bootstrapAdmin(ctx: AppContext, password: string): Promise<boolean> {
  const root = await ensureRootOrg(ctx);
  const existing = await ctx.db.orm.select({ id: users.id }).from(users).limit(1);
  if (existing.length) return false;
  assertPasswordPolicy(password, 'admin');
  await ctx.db.orm.insert(users).values({
    orgId: root.id,
    username: 'admin',
    displayName: '系统管理员',
    passwordHash: await hashPassword(password),
    roles: ['ADMIN'],
  });
  return true;
}
