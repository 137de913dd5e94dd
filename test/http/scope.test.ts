import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/platform/auth/schema.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { messages } from '../../src/platform/errors/messages.ts';
import { organisations, users } from '../../src/modules/orgs/schema.ts';
import { seedCity, USER_PASSWORD, useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, countRows, expectError } from '../helpers/http.ts';

const h = useHarness();

type City = Awaited<ReturnType<typeof seedCity>>;
let city: City;
const sessions = {} as Record<'OUTLET_MANAGER' | 'AUTHORITY_MANAGER' | 'AUTHORITY_REVIEWER', Session>;
const ids = {} as Record<'clerkA' | 'clerkB' | 'admin' | 'auditor', string>;

async function userId(username: string) {
  const [row] = await h().ctx.db.orm.select({ id: users.id }).from(users).where(eq(users.username, username));
  return row!.id;
}

/** Users, organisations and API keys as they are: out-of-scope attempts must leave them exactly so. */
async function fingerprint() {
  const { orm } = h().ctx.db;
  return JSON.stringify([
    await orm.select().from(users).orderBy(asc(users.id)),
    await orm.select().from(organisations).orderBy(asc(organisations.id)),
    await orm.select().from(apiKeys).orderBy(asc(apiKeys.id)),
  ]);
}

const newUser = (orgId: string, roles: Role[], username = `u_${randomUUID().slice(0, 8)}`) => ({
  username,
  displayName: '新用户',
  orgId,
  roles,
  password: 'Fresh-password-2',
});

beforeAll(async () => {
  city = await seedCity(h().ctx);
  for (const role of ['OUTLET_MANAGER', 'AUTHORITY_MANAGER', 'AUTHORITY_REVIEWER'] as const) sessions[role] = await h().login(city.usernames[role], USER_PASSWORD);
  ids.clerkA = await userId(city.usernames.OUTLET_CLERK);
  ids.clerkB = await userId('clerk_b');
  ids.admin = await userId(city.usernames.ADMIN);
  ids.auditor = await userId(city.usernames.AUDITOR);
});

const itemsOf = <T>(res: { json(): unknown }) => (res.json() as { items: T[] }).items;

describe('an outlet manager sees its own outlet only', () => {
  it('listing users of outlet B returns none of them', async () => {
    const res = await h().request('GET', `/api/v1/users?orgId=${city.outletB.id}`, { session: sessions.OUTLET_MANAGER });
    expect(res.statusCode).toBe(200);
    expect(itemsOf(res)).toEqual([]);
    expect(res.body).not.toContain('clerk_b');
  });

  it('listing without a filter returns outlet A users only', async () => {
    const res = await h().request('GET', '/api/v1/users', { session: sessions.OUTLET_MANAGER });
    const items = itemsOf<{ id: string; orgId: string }>(res);
    expect(items.map((u) => u.id)).toContain(ids.clerkA);
    expect(new Set(items.map((u) => u.orgId))).toEqual(new Set([city.outletA.id]));
  });

  it('asking for an outlet B user gives exactly the answer for an id that does not exist', async () => {
    const real = await h().request('GET', `/api/v1/users/${ids.clerkB}`, { session: sessions.OUTLET_MANAGER });
    const missing = await h().request('GET', `/api/v1/users/${randomUUID()}`, { session: sessions.OUTLET_MANAGER });
    const error = expectError(real, 404, 'OUT_OF_SCOPE');
    expect(error.message).toBe(messages.NOT_FOUND.zh);
    expect(real.json()).toEqual(missing.json());
  });
});

describe('authorities see their subtree', () => {
  it.each([
    ['AUTHORITY_REVIEWER', (c: City) => [c.district, c.outletA, c.outletB], (c: City) => [c.producer, c.city, c.root]],
    ['AUTHORITY_MANAGER', (c: City) => [c.city, c.district, c.outletA, c.outletB, c.producer, c.bank, c.branch, c.maintainer, c.sms], (c: City) => [c.root]],
  ] as const)('%s lists exactly its subtree', async (role, inside, outside) => {
    const res = await h().request('GET', '/api/v1/orgs', { session: sessions[role] });
    const seen = itemsOf<{ id: string }>(res).map((o) => o.id);
    expect(seen.sort()).toEqual(inside(city).map((o) => o.id).sort());
    for (const o of outside(city)) expect(seen).not.toContain(o.id);
  });
});

type Attempt = [string, keyof typeof sessions, string, (c: City) => string, unknown];
const outOfScope: Attempt[] = [
  ['outlet manager reads an outlet B user', 'OUTLET_MANAGER', 'GET', () => `/api/v1/users/${ids.clerkB}`, undefined],
  ['outlet manager renames an outlet B user', 'OUTLET_MANAGER', 'PATCH', () => `/api/v1/users/${ids.clerkB}`, { displayName: '被改名', status: 'DISABLED' }],
  ['outlet manager resets an outlet B password', 'OUTLET_MANAGER', 'POST', () => `/api/v1/users/${ids.clerkB}/reset-password`, { password: 'Taken-over-123' }],
  ['outlet manager creates a clerk in outlet B', 'OUTLET_MANAGER', 'POST', () => '/api/v1/users', 'outletB-clerk'],
  ['outlet manager reads outlet B', 'OUTLET_MANAGER', 'GET', (c) => `/api/v1/orgs/${c.outletB.id}`, undefined],
  ['district reviewer reads the producer under the city', 'AUTHORITY_REVIEWER', 'GET', (c) => `/api/v1/orgs/${c.producer.id}`, undefined],
  ['city manager reads the root organisation', 'AUTHORITY_MANAGER', 'GET', (c) => `/api/v1/orgs/${c.root.id}`, undefined],
  ['city manager renames the root organisation', 'AUTHORITY_MANAGER', 'PATCH', (c) => `/api/v1/orgs/${c.root.id}`, { name: '被接管' }],
  ['city manager disables the platform admin', 'AUTHORITY_MANAGER', 'PATCH', () => `/api/v1/users/${ids.admin}`, { status: 'DISABLED' }],
  ['city manager reveals the platform admin phone', 'AUTHORITY_MANAGER', 'POST', () => '/api/v1/pii/unmask', 'unmask-admin'],
  ['city manager creates an org under the root', 'AUTHORITY_MANAGER', 'POST', () => '/api/v1/orgs', 'org-under-root'],
];

function bodyFor(body: unknown) {
  if (body === 'outletB-clerk') return newUser(city.outletB.id, ['OUTLET_CLERK']);
  if (body === 'unmask-admin') return { targetType: 'user', targetId: ids.admin, field: 'phone', reason: '核对身份信息' };
  if (body === 'org-under-root') return { name: '越权机构', kind: 'AUTHORITY', parentId: city.root.id, regionCode: '320400' };
  return body;
}

describe('out-of-scope attempts: 404 like a missing record, nothing changed, audited as DENIED', () => {
  it.each(outOfScope)('%s', async (_name, role, method, url, body) => {
    const before = await fingerprint();
    const res = await h().request(method, url(city), { session: sessions[role], body: bodyFor(body) });
    const error = expectError(res, 404, 'OUT_OF_SCOPE');
    expect(error.message).toBe(messages.NOT_FOUND.zh);
    expect(await fingerprint()).toBe(before);
    const entry = await auditEntryFor(h().ctx, res);
    expect(entry).toMatchObject({ outcome: 'DENIED', actorName: city.usernames[role], details: { error: 'OUT_OF_SCOPE', status: 404 } });
  });
});

describe('nobody mints an account stronger than their own', () => {
  it.each([
    ['an ADMIN', 'POST', '/api/v1/users', () => newUser(city.city.id, ['ADMIN'])],
    ['an AUDITOR', 'POST', '/api/v1/users', () => newUser(city.city.id, ['AUDITOR'])],
    ['an ADMIN API key', 'POST', '/api/v1/api-keys', () => ({ name: 'root key', orgId: city.city.id, roles: ['ADMIN'] })],
    ['a manager out of an auditor', 'PATCH', '/api/v1/users/:auditor', () => ({ roles: ['AUTHORITY_MANAGER'] })],
  ] as const)('the city manager cannot create %s: 403', async (_what, method, url, body) => {
    const before = await fingerprint();
    const res = await h().request(method, url.replace(':auditor', ids.auditor), { session: sessions.AUTHORITY_MANAGER, body: body() });
    expectError(res, 403, 'FORBIDDEN');
    expect(await fingerprint()).toBe(before);
    expect((await auditEntryFor(h().ctx, res)).outcome).toBe('DENIED');
  });

  it('the city manager cannot give OUTLET_CLERK to a user of the producer: ROLE_NOT_ALLOWED', async () => {
    const before = await countRows(h().ctx, users);
    const res = await h().request('POST', '/api/v1/users', { session: sessions.AUTHORITY_MANAGER, body: newUser(city.producer.id, ['OUTLET_CLERK']) });
    const error = expectError(res, 400, 'ROLE_NOT_ALLOWED');
    expect(error.message).toContain('OUTLET_CLERK');
    expect(await countRows(h().ctx, users)).toBe(before);
  });

  it('the outlet manager creates a clerk in its own outlet (and the same request for outlet B is refused)', async () => {
    const res = await h().request('POST', '/api/v1/users', { session: sessions.OUTLET_MANAGER, body: newUser(city.outletA.id, ['OUTLET_CLERK'], 'clerk_a2') });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'clerk_a2', orgId: city.outletA.id, roles: ['OUTLET_CLERK'] });
    const [row] = await h().ctx.db.orm.select().from(users).where(eq(users.username, 'clerk_a2'));
    expect(row).toMatchObject({ orgId: city.outletA.id, roles: ['OUTLET_CLERK'] });
    const refused = await h().request('POST', '/api/v1/users', { session: sessions.OUTLET_MANAGER, body: newUser(city.outletB.id, ['OUTLET_CLERK'], 'clerk_b2') });
    expectError(refused, 404, 'OUT_OF_SCOPE');
    expect(await h().ctx.db.orm.select().from(users).where(eq(users.username, 'clerk_b2'))).toEqual([]);
  });
});
