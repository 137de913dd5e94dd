import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, like, lt, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors/app-error.ts';
import { sm3 } from '../crypto/sm.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { apiKeys, sessions } from './schema.ts';
import { bumpCounterStatement, fixedWindow } from './rate-limit.ts';
import { isRole, permissionsOf, grantableBy, roleAllowedForKind, type Role } from './roles.ts';
import type { Principal } from './principal.ts';
import {
  findUserForLogin,
  findUserWithOrg,
  getOrgInScope,
  recordLoginFailure,
  recordLoginSuccess,
  type OrgRow,
  type UserRow,
} from '../../modules/orgs/service.ts';
import { organisations } from '../../modules/orgs/schema.ts';

const tokenHash = (token: string) => sm3(token).toString('hex');

export function principalFor(user: Pick<UserRow, 'id' | 'username' | 'roles'>, org: OrgRow, type: Principal['type'] = 'USER'): Principal {
  const roles = user.roles.filter(isRole);
  return {
    type,
    id: user.id,
    name: user.username,
    orgId: org.id,
    orgName: org.name,
    orgKind: org.kind,
    orgPath: org.path,
    roles,
    permissions: new Set(permissionsOf(roles)),
    scope: org.kind === 'AUTHORITY' ? 'subtree' : 'own',
  };
}

export function meView(user: UserRow, org: OrgRow) {
  const roles = user.roles.filter(isRole);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    orgId: org.id,
    orgName: org.name,
    orgKind: org.kind,
    roles,
    permissions: permissionsOf(roles),
    phoneMasked: user.phoneMasked,
  };
}

/**
 * Counts one request of `purpose` against the caller's address in a fixed window shared by every API
 * process; refuses with RATE_LIMITED once the window's budget is spent.
 */
export async function throttleIp(ctx: AppContext, purpose: string, ip: string, limit: number, windowSeconds: number): Promise<void> {
  const throttle = ipThrottle(purpose, ip, limit, windowSeconds);
  const [row] = await ctx.db.rows<{ attempts: number }>(null, throttle.bump);
  throttle.enforce(Number(row?.attempts ?? 0));
}

/**
 * throttleIp in two halves, for a caller that runs the count in the same statement as its own read:
 * `bump` returns the new count as `attempts`; `enforce` refuses once it is over the budget.
 */
export function ipThrottle(purpose: string, ip: string, limit: number, windowSeconds: number): { bump: SQL; enforce: (attempts: number) => void } {
  return {
    bump: bumpCounterStatement(purpose, ip, fixedWindow(Date.now(), windowSeconds).start),
    enforce: (attempts) => {
      if (attempts > limit) throw new AppError('RATE_LIMITED');
    },
  };
}

/** Counts a sign-in attempt against the caller's address. */
export async function throttleLogin(ctx: AppContext, ip: string): Promise<void> {
  await throttleIp(ctx, 'login', ip, ctx.config.loginIpLimitPerWindow, ctx.config.loginIpWindowSeconds);
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: UserRow;
  org: OrgRow;
  expiresAt: Date;
}

export async function login(ctx: AppContext, username: string, password: string, client: { ip: string; userAgent?: string }): Promise<LoginResult> {
  await throttleLogin(ctx, client.ip);
  const found = await findUserForLogin(ctx, username);
  if (!found) {
    await burnPasswordCheck(password);
    throw new AppError('AUTH_INVALID_CREDENTIALS', { details: { username } });
  }
  const { user, org } = found;
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    throw new AppError('AUTH_ACCOUNT_LOCKED', { params: { until: formatLocal(user.lockedUntil) }, details: { lockedUntil: user.lockedUntil.toISOString() } });
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    const lockedUntil = await recordLoginFailure(ctx, user.id);
    if (lockedUntil && lockedUntil > new Date()) {
      throw new AppError('AUTH_ACCOUNT_LOCKED', { params: { until: formatLocal(lockedUntil) }, details: { lockedUntil: lockedUntil.toISOString() } });
    }
    throw new AppError('AUTH_INVALID_CREDENTIALS', { details: { username } });
  }
  if (user.status !== 'ACTIVE') throw new AppError('AUTH_ACCOUNT_DISABLED');
  await recordLoginSuccess(ctx, user.id);
  // A fresh token on every sign-in: a token planted before login (fixation) is worthless.
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ctx.config.sessionTtlMinutes * 60_000);
  await ctx.db.orm.insert(sessions).values({ tokenHash: tokenHash(token), userId: user.id, csrfToken, ip: client.ip, userAgent: client.userAgent?.slice(0, 300), expiresAt });
  return { token, csrfToken, user, org, expiresAt };
}

function formatLocal(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface SessionInfo {
  principal: Principal;
  csrfToken: string;
  user: UserRow;
  org: OrgRow;
}

/** Resolves a session cookie; expired or idle sessions are deleted and reported as expired. */
export async function resolveSession(ctx: AppContext, token: string): Promise<SessionInfo> {
  const hash = tokenHash(token);
  const [session] = await ctx.db.orm.select().from(sessions).where(eq(sessions.tokenHash, hash));
  if (!session) throw new AppError('AUTH_SESSION_EXPIRED');
  const now = Date.now();
  const idleLimit = session.lastSeenAt.getTime() + ctx.config.sessionIdleMinutes * 60_000;
  if (session.expiresAt.getTime() <= now || idleLimit <= now) {
    await ctx.db.orm.delete(sessions).where(eq(sessions.tokenHash, hash));
    throw new AppError('AUTH_SESSION_EXPIRED');
  }
  const found = await findUserWithOrg(ctx, session.userId);
  if (!found || found.user.status !== 'ACTIVE' || found.user.passwordChangedAt > session.createdAt) {
    await ctx.db.orm.delete(sessions).where(eq(sessions.tokenHash, hash));
    throw new AppError('AUTH_SESSION_EXPIRED');
  }
  // Touch at most once a minute: the idle timer needs no more precision than that.
  if (now - session.lastSeenAt.getTime() > 60_000) {
    await ctx.db.orm.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.tokenHash, hash));
  }
  return { principal: principalFor(found.user, found.org), csrfToken: session.csrfToken, user: found.user, org: found.org };
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.orm.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

export async function purgeExpiredSessions(ctx: AppContext): Promise<number> {
  const rows = await ctx.db.orm.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ t: sessions.tokenHash });
  return rows.length;
}

// ---- API keys: "cfk_<prefix>_<secret>", only the prefix and an SM3 hash are stored ----

export function apiKeyView(k: typeof apiKeys.$inferSelect, orgName: string) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    orgId: k.orgId,
    orgName,
    roles: k.roles,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(ctx: AppContext, principal: Principal, input: { name: string; orgId: string; roles: string[] }) {
  const org = await getOrgInScope(ctx, principal, input.orgId);
  const grantable = grantableBy(principal.roles);
  const roles: Role[] = [];
  for (const role of new Set(input.roles)) {
    if (!isRole(role)) throw new AppError('VALIDATION_FAILED', { params: { reason: `unknown role ${role}` } });
    if (!roleAllowedForKind(role, org.kind)) throw new AppError('ROLE_NOT_ALLOWED', { params: { role, kind: org.kind } });
    if (!grantable.has(role)) throw new AppError('FORBIDDEN', { details: { role } });
    roles.push(role);
  }
  if (roles.length === 0) throw new AppError('VALIDATION_FAILED', { params: { reason: 'roles' } });
  const prefix = randomBytes(8).toString('hex').slice(0, 10);
  const secret = `cfk_${prefix}_${randomBytes(32).toString('base64url')}`;
  const [row] = await ctx.db.orm
    .insert(apiKeys)
    .values({ orgId: org.id, name: input.name.trim(), prefix, secretHash: tokenHash(secret), roles, createdBy: principal.type === 'USER' ? principal.id : null })
    .returning();
  return { apiKey: apiKeyView(row!, org.name), secret };
}

export async function listApiKeys(ctx: AppContext, principal: Principal) {
  const scope = principal.scope === 'subtree' ? like(organisations.path, `${principal.orgPath}%`) : eq(organisations.path, principal.orgPath);
  const rows = await ctx.db.orm
    .select({ key: apiKeys, orgName: organisations.name })
    .from(apiKeys)
    .innerJoin(organisations, eq(apiKeys.orgId, organisations.id))
    .where(scope)
    .orderBy(asc(apiKeys.createdAt));
  return rows.map((r) => apiKeyView(r.key, r.orgName));
}

export async function revokeApiKey(ctx: AppContext, principal: Principal, idOrPrefix: string) {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const rows = await ctx.db.orm
    .select({ key: apiKeys, org: organisations })
    .from(apiKeys)
    .innerJoin(organisations, eq(apiKeys.orgId, organisations.id))
    .where(isUuid ? eq(apiKeys.id, idOrPrefix) : eq(apiKeys.prefix, idOrPrefix));
  const row = rows[0];
  if (!row || !(principal.scope === 'subtree' ? row.org.path.startsWith(principal.orgPath) : row.org.path === principal.orgPath)) {
    throw new AppError('OUT_OF_SCOPE');
  }
  const [updated] = await ctx.db.orm
    .update(apiKeys)
    .set({ revokedAt: row.key.revokedAt ?? new Date() })
    .where(eq(apiKeys.id, row.key.id))
    .returning();
  return apiKeyView(updated!, row.org.name);
}

export async function resolveApiKey(ctx: AppContext, secret: string): Promise<Principal> {
  const match = /^cfk_([a-z0-9]{10})_[A-Za-z0-9_-]{20,}$/.exec(secret);
  if (!match) throw new AppError('AUTH_API_KEY_INVALID');
  const rows = await ctx.db.orm
    .select({ key: apiKeys, org: organisations })
    .from(apiKeys)
    .innerJoin(organisations, eq(apiKeys.orgId, organisations.id))
    .where(and(eq(apiKeys.prefix, match[1]!), isNull(apiKeys.revokedAt)));
  const row = rows[0];
  if (!row || row.key.secretHash !== tokenHash(secret)) throw new AppError('AUTH_API_KEY_INVALID');
  const lastUsed = row.key.lastUsedAt?.getTime() ?? 0;
  if (Date.now() - lastUsed > 60_000) await ctx.db.orm.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.key.id));
  return principalFor({ id: row.key.id, username: row.key.name, roles: row.key.roles }, row.org, 'API_KEY');
}
