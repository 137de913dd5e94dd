import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS } from '../../src/http/access.ts';
import { ROLE_DEFINITIONS, ROLES, type Role } from '../../src/platform/auth/roles.ts';
import { apiKeys } from '../../src/platform/auth/schema.ts';
import { calendarDays, calendarYears } from '../../src/modules/calendar/schema.ts';
import { organisations, users } from '../../src/modules/orgs/schema.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';

// Every role signs in a dozen times or more here; the per-address sign-in budget is not under test.
const h = useHarness({ loginIpLimitPerWindow: 10_000 });

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOGOUT = 'POST /api/v1/auth/logout';
// 2026-01-01 is an official holiday: deleting it would succeed and change data. This date has no
// entry (checked below), so an allowed DELETE stops at 404 and changes nothing.
const DATE_WITHOUT_ENTRY = '2026-03-18';

const routes = Object.keys(ACCESS).sort();

function request(key: string) {
  const [method, path] = key.split(' ') as [string, string];
  const date = key === 'DELETE /api/v1/calendar/days/:date' ? DATE_WITHOUT_ENTRY : '2026-01-01';
  const url = path.replace(':id', randomUUID()).replace(':year', '2026').replace(':date', date);
  return { method, url, body: UNSAFE.has(method) ? {} : undefined };
}

function allowed(role: Role, key: string): boolean {
  const need = ACCESS[key]!.need;
  return need === 'public' || need === 'authenticated' || ROLE_DEFINITIONS[role].permissions.includes(need);
}

/** Everything the matrix must leave untouched (sessions and the audit trail change by design). */
async function fingerprint() {
  const { orm } = h().ctx.db;
  return JSON.stringify([
    await orm.select({ id: organisations.id, name: organisations.name, region: organisations.regionCode, at: organisations.updatedAt }).from(organisations).orderBy(asc(organisations.id)),
    await orm
      .select({ id: users.id, name: users.displayName, roles: users.roles, status: users.status, hash: users.passwordHash, phone: users.phoneEnc, at: users.updatedAt })
      .from(users)
      .orderBy(asc(users.id)),
    await orm.select().from(apiKeys).orderBy(asc(apiKeys.id)),
    await orm.select().from(calendarDays).orderBy(asc(calendarDays.date)),
    await orm.select().from(calendarYears).orderBy(asc(calendarYears.year)),
  ]);
}

let city: Awaited<ReturnType<typeof seedCity>>;
const sessions = {} as Record<Role, Session>;
let before = '';

beforeAll(async () => {
  city = await seedCity(h().ctx);
  for (const role of ROLES) sessions[role] = await h().login(city.usernames[role]);
  before = await fingerprint();
});

describe('the access table', () => {
  it('lists exactly the registered API routes', () => {
    expect(new Set(h().app.apiRoutes).size).toBe(h().app.apiRoutes.length);
    expect([...h().app.apiRoutes].sort()).toEqual(routes);
  });

  it('names only permissions that some role has, so no route is unreachable', () => {
    const granted = new Set(ROLES.flatMap((r) => ROLE_DEFINITIONS[r].permissions));
    for (const key of routes) {
      const need = ACCESS[key]!.need;
      if (need !== 'public' && need !== 'authenticated') expect(granted, key).toContain(need);
    }
  });
});

describe.each(routes)('%s', (key) => {
  it.each(ROLES.map((role) => [role, allowed(role, key) ? 'allowed' : 'FORBIDDEN'] as const))('as %s: %s', async (role, expected) => {
    // Signing out ends the session it is sent with: spend a throw-away one.
    const session = key === LOGOUT ? await h().login(city.usernames[role]) : sessions[role];
    const { method, url, body } = request(key);
    const res = await h().request(method, url, { session, body });
    if (expected === 'allowed') {
      expect([401, 403], `${role} ${method} ${url} → ${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
    } else {
      expectError(res, 403, 'FORBIDDEN');
    }
  });

});

describe('without a session', () => {
  it.each(routes.filter((k) => ACCESS[k]!.need !== 'public'))('%s: 401 AUTH_REQUIRED', async (key) => {
    const { method, url, body } = request(key);
    expectError(await h().request(method, url, { body }), 401, 'AUTH_REQUIRED');
  });

  it('only the sign-in form, the holder progress lookup and the SMS provider\'s signed callbacks are public', () => {
    expect(routes.filter((k) => ACCESS[k]!.need === 'public')).toEqual(['POST /api/v1/auth/login', 'POST /api/v1/public/track', 'POST /api/v1/sms/http-callbacks']);
  });

  it('only the signed SMS callbacks and the holder lookup (limited per address on its own) skip the general rate limit', () => {
    expect(routes.filter((k) => ACCESS[k]!.unmetered).sort()).toEqual(['POST /api/v1/public/track', 'POST /api/v1/sms/http-callbacks']);
  });
});

describe('after the matrix', () => {
  it('every allowed call stopped before changing data', async () => {
    const days = await h().ctx.db.orm.select({ date: calendarDays.date }).from(calendarDays);
    expect(days.map((d) => d.date)).toContain('2026-01-01');
    expect(days.map((d) => d.date)).not.toContain(DATE_WITHOUT_ENTRY);
    expect(await fingerprint()).toBe(before);
  });

  it('the long-lived sessions are all still valid (only throw-away ones were signed out)', async () => {
    for (const role of ROLES) expect((await h().request('GET', '/api/v1/auth/me', { session: sessions[role] })).statusCode, role).toBe(200);
  });
});

describe('an API key of a producer (PRODUCER_OPERATOR)', () => {
  const orgReadRoutes = routes.filter((k) => ACCESS[k]!.need === 'org.read');
  let secret = '';

  beforeAll(async () => {
    const res = await h().request('POST', '/api/v1/api-keys', {
      session: sessions.ADMIN,
      body: { name: 'producer feed', orgId: city.producer.id, roles: ['PRODUCER_OPERATOR'] },
    });
    expect(res.statusCode).toBe(201);
    secret = (res.json() as { secret: string }).secret;
  });

  it('is authenticated', async () => {
    const res = await h().request('GET', '/api/v1/roles', { apiKey: secret });
    expect(res.statusCode).toBe(200);
  });

  it.each(orgReadRoutes)('is denied %s with 403 FORBIDDEN (its own organisation, so not a scope answer)', async (key) => {
    const [method, path] = key.split(' ') as [string, string];
    expectError(await h().request(method, path.replace(':id', city.producer.id), { apiKey: secret }), 403, 'FORBIDDEN');
  });

  it('covers the org.read routes', () => {
    expect(orgReadRoutes).toEqual(['GET /api/v1/orgs', 'GET /api/v1/orgs/:id']);
  });
});
