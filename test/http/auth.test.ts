import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { organisations, users } from '../../src/modules/orgs/schema.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { apiKeys, sessions } from '../../src/platform/auth/schema.ts';
import { sm3 } from '../../src/platform/crypto/sm.ts';
import { messages } from '../../src/platform/errors/messages.ts';
import { ADMIN_PASSWORD, seedCity, USER_PASSWORD, useHarness, type Session } from '../helpers/app.ts';
import { countRows, expectError } from '../helpers/http.ts';

// A small budget per address and a window of a day, so that the window cannot roll over mid-test;
// every other sign-in in this file comes from an address of its own.
const h = useHarness({ loginMaxFailures: 3, loginLockMinutes: 15, loginIpLimitPerWindow: 5, loginIpWindowSeconds: 86_400 });

let ipCounter = 0;
const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

function signIn(username: string, password: string, opts: { ip?: string; headers?: Record<string, string> } = {}) {
  return h().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: opts.ip ?? freshIp(), headers: opts.headers });
}

function sessionOf(res: LightMyRequestResponse): Session {
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'cf_session');
  expect(cookie).toBeDefined();
  return { cookie: `cf_session=${cookie!.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

const tokenOf = (s: Session) => s.cookie.slice('cf_session='.length);
const me = (session: Session) => h().request('GET', '/api/v1/auth/me', { session });

let city: Awaited<ReturnType<typeof seedCity>>;
let admin: Session;
let userCount = 0;

/** A user of its own for each scenario, so that failures and locks do not leak between tests. */
async function makeUser(password = USER_PASSWORD) {
  const root = await ensureRootOrg(h().ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  const username = `auth_user_${++userCount}`;
  const user = await createUser(h().ctx, cli, { username, displayName: username, orgId: city.outletA.id, roles: ['OUTLET_CLERK'], password });
  return { id: user.id, username };
}

async function userRow(id: string) {
  const [row] = await h().ctx.db.orm.select().from(users).where(eq(users.id, id));
  return row!;
}

beforeAll(async () => {
  city = await seedCity(h().ctx);
  admin = sessionOf(await signIn('admin', ADMIN_PASSWORD));
});

describe('sign-in', () => {
  it('sets an httpOnly, SameSite=Strict session cookie and hands out a CSRF token', async () => {
    const username = city.usernames.OUTLET_CLERK;
    const res = await signIn(username, USER_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cf_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie!.value.length).toBeGreaterThanOrEqual(40);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Strict/);
    expect((res.json() as { csrfToken: string }).csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(res.body).not.toContain(cookie!.value);
  });

  it.each([
    ['no Accept-Language', {}, messages.AUTH_INVALID_CREDENTIALS.zh],
    ['zh-CN', { 'accept-language': 'zh-CN,zh;q=0.9' }, messages.AUTH_INVALID_CREDENTIALS.zh],
    ['en-US', { 'accept-language': 'en-US,en;q=0.8' }, messages.AUTH_INVALID_CREDENTIALS.en],
  ])('a wrong password and an unknown user get the same 401 (%s)', async (_lang, headers: Record<string, string>, message) => {
    const { username } = await makeUser();
    const wrong = await signIn(username, 'Wrong-password-1', { headers });
    const unknown = await signIn('nobody_here', 'Wrong-password-1', { headers });
    expect(expectError(wrong, 401, 'AUTH_INVALID_CREDENTIALS').message).toBe(message);
    expect(expectError(unknown, 401, 'AUTH_INVALID_CREDENTIALS').message).toBe(message);
    expect(wrong.json()).toEqual({ error: { code: 'AUTH_INVALID_CREDENTIALS', message, details: { username } } });
    expect(unknown.json()).toEqual({ error: { code: 'AUTH_INVALID_CREDENTIALS', message, details: { username: 'nobody_here' } } });
    expect(wrong.cookies).toEqual([]);
  });

  it('locks the account after loginMaxFailures failures, refuses even the right password, and an admin reset unlocks it', async () => {
    const user = await makeUser();
    for (let i = 1; i < 3; i++) expectError(await signIn(user.username, `Wrong-password-${i}`), 401, 'AUTH_INVALID_CREDENTIALS');
    expectError(await signIn(user.username, 'Wrong-password-3'), 423, 'AUTH_ACCOUNT_LOCKED');
    const locked = await signIn(user.username, USER_PASSWORD);
    expectError(locked, 423, 'AUTH_ACCOUNT_LOCKED');
    expect(locked.cookies).toEqual([]);
    const lockedUntil = (await userRow(user.id)).lockedUntil!.getTime();
    expect(lockedUntil - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(lockedUntil - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 5_000);

    const reset = await h().request('POST', `/api/v1/users/${user.id}/reset-password`, { session: admin, body: { password: 'Reset-password-7' } });
    expect(reset.statusCode).toBe(204);
    expect(await userRow(user.id)).toMatchObject({ lockedUntil: null, failedLogins: 0 });
    expectError(await signIn(user.username, USER_PASSWORD), 401, 'AUTH_INVALID_CREDENTIALS');
    expect((await me(sessionOf(await signIn(user.username, 'Reset-password-7')))).statusCode).toBe(200);
  });

  it('limits sign-in attempts per address (429 RATE_LIMITED), even with the right password; other addresses are unaffected', async () => {
    const { username } = await makeUser();
    const ip = '203.0.113.9';
    for (let i = 0; i < 5; i++) expectError(await signIn(`ghost_${i}`, 'Wrong-password-1', { ip }), 401, 'AUTH_INVALID_CREDENTIALS');
    const limited = await signIn(username, USER_PASSWORD, { ip });
    expectError(limited, 429, 'RATE_LIMITED');
    expect(limited.cookies).toEqual([]);
    expect((await signIn(username, USER_PASSWORD, { ip: '203.0.113.10' })).statusCode).toBe(200);
  });

  it('refuses a DISABLED user (AUTH_ACCOUNT_DISABLED) and ends the sessions it had', async () => {
    const user = await makeUser();
    const before = sessionOf(await signIn(user.username, USER_PASSWORD));
    const disable = await h().request('PATCH', `/api/v1/users/${user.id}`, { session: admin, body: { status: 'DISABLED' } });
    expect(disable.statusCode).toBe(200);
    expectError(await me(before), 401, 'AUTH_SESSION_EXPIRED');
    const res = await signIn(user.username, USER_PASSWORD);
    expectError(res, 403, 'AUTH_ACCOUNT_DISABLED');
    expect(res.cookies).toEqual([]);
  });
});

describe('sessions', () => {
  it('a cookie planted before sign-in is not accepted, and every sign-in gets a new token', async () => {
    const username = city.usernames.OUTLET_CLERK;
    const planted = 'planted_by_attacker_0123456789abcdefghijklmnop';
    const first = sessionOf(await signIn(username, USER_PASSWORD, { headers: { cookie: `cf_session=${planted}` } }));
    const second = sessionOf(await signIn(username, USER_PASSWORD, { headers: { cookie: first.cookie } }));
    expect(tokenOf(first)).not.toBe(planted);
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect(second.csrf).not.toBe(first.csrf);
    expectError(await me({ cookie: `cf_session=${planted}`, csrf: first.csrf }), 401, 'AUTH_SESSION_EXPIRED');
    // Signing in over a session replaces it: the first token is dead on the server, not just overwritten in the browser.
    expectError(await me(first), 401, 'AUTH_SESSION_EXPIRED');
    expect((await me(second)).statusCode).toBe(200);
    // Only hashes are stored: the table holds neither the planted value nor the real tokens.
    const stored = JSON.stringify(await h().ctx.db.orm.select().from(sessions));
    for (const t of [planted, tokenOf(first), tokenOf(second)]) expect(stored).not.toContain(t);
  });

  it('logout ends the session', async () => {
    const username = city.usernames.OUTLET_CLERK;
    const session = sessionOf(await signIn(username, USER_PASSWORD));
    const res = await h().request('POST', '/api/v1/auth/logout', { session });
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((c) => c.name === 'cf_session')?.value).toBe('');
    expectError(await me(session), 401, 'AUTH_SESSION_EXPIRED');
    expect(await h().ctx.db.orm.select().from(sessions).where(eq(sessions.tokenHash, sm3(tokenOf(session)).toString('hex')))).toEqual([]);
  });

  const idle = () => h().ctx.config.sessionIdleMinutes;
  it.each([
    ['past its absolute lifetime', 'expiresAt', (): number => -60_000, 401],
    ['idle for longer than the idle timeout', 'lastSeenAt', (): number => -(idle() + 1) * 60_000, 401],
    ['idle for a little less than the idle timeout', 'lastSeenAt', (): number => -(idle() - 2) * 60_000, 200],
  ] as const)('a session %s', async (_what, column, offset, status) => {
    const session = sessionOf(await signIn(city.usernames.OUTLET_CLERK, USER_PASSWORD));
    expect((await me(session)).statusCode).toBe(200);
    const tokenHash = sm3(tokenOf(session)).toString('hex');
    await h().ctx.db.orm.update(sessions).set({ [column]: new Date(Date.now() + offset()) }).where(eq(sessions.tokenHash, tokenHash));
    const res = await me(session);
    const rows = await h().ctx.db.orm.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
    if (status === 401) {
      expectError(res, 401, 'AUTH_SESSION_EXPIRED');
      expect(rows).toEqual([]);
    } else {
      expect(res.statusCode).toBe(200);
      expect(rows).toHaveLength(1);
    }
  });

  it('changing the password ends every existing session', async () => {
    const { username } = await makeUser();
    const one = sessionOf(await signIn(username, USER_PASSWORD));
    const two = sessionOf(await signIn(username, USER_PASSWORD));
    const res = await h().request('POST', '/api/v1/auth/password', { session: one, body: { currentPassword: USER_PASSWORD, newPassword: 'Changed-password-9' } });
    expect(res.statusCode).toBe(204);
    expectError(await me(one), 401, 'AUTH_SESSION_EXPIRED');
    expectError(await me(two), 401, 'AUTH_SESSION_EXPIRED');
    expectError(await signIn(username, USER_PASSWORD), 401, 'AUTH_INVALID_CREDENTIALS');
    expect((await me(sessionOf(await signIn(username, 'Changed-password-9')))).statusCode).toBe(200);
  });

  it('a wrong current password does not change the password', async () => {
    const user = await makeUser();
    const session = sessionOf(await signIn(user.username, USER_PASSWORD));
    const hash = (await userRow(user.id)).passwordHash;
    const res = await h().request('POST', '/api/v1/auth/password', { session, body: { currentPassword: 'Not-my-password-1', newPassword: 'Changed-password-9' } });
    expectError(res, 401, 'AUTH_INVALID_CREDENTIALS');
    expect((await userRow(user.id)).passwordHash).toBe(hash);
    expect((await me(session)).statusCode).toBe(200);
  });
});

describe('password policy', () => {
  let user: { id: string; username: string };
  let session: Session;
  beforeAll(async () => {
    user = await makeUser();
    session = sessionOf(await signIn(user.username, USER_PASSWORD));
  });

  it.each(['Short-1', 'lettersonlypassword', '12345678901234'])('rejects %j as PASSWORD_TOO_WEAK everywhere a password is set', async (weak) => {
    const hash = (await userRow(user.id)).passwordHash;
    const userCountBefore = await countRows(h().ctx, users);
    const own = await h().request('POST', '/api/v1/auth/password', { session, body: { currentPassword: USER_PASSWORD, newPassword: weak } });
    const reset = await h().request('POST', `/api/v1/users/${user.id}/reset-password`, { session: admin, body: { password: weak } });
    const create = await h().request('POST', '/api/v1/users', {
      session: admin,
      body: { username: 'weak_pw_user', displayName: 'weak', orgId: city.outletA.id, roles: ['OUTLET_CLERK'], password: weak },
    });
    for (const res of [own, reset, create]) expectError(res, 400, 'PASSWORD_TOO_WEAK');
    expect((await userRow(user.id)).passwordHash).toBe(hash);
    expect(await countRows(h().ctx, users)).toBe(userCountBefore);
    expect((await me(session)).statusCode).toBe(200);
  });
});

describe('CSRF', () => {
  let other: Session;
  beforeAll(async () => {
    other = sessionOf(await signIn('admin', ADMIN_PASSWORD));
    expect(other.csrf).not.toBe(admin.csrf);
  });
  const orgBody = () => ({ name: `CSRF 测试 ${Math.random()}`, kind: 'MAINTAINER', parentId: city.city.id });

  it.each([
    ['no x-csrf-token header', {}],
    ['a made-up token', { 'x-csrf-token': 'made-up-token' }],
    ['the token of another session of the same user', 'other'],
  ] as const)('a cookie session with %s cannot change anything: 403 AUTH_CSRF_INVALID', async (_what, headers) => {
    const before = await countRows(h().ctx, organisations);
    const res = await h().request('POST', '/api/v1/orgs', {
      session: admin,
      csrf: false,
      headers: headers === 'other' ? { 'x-csrf-token': other.csrf } : headers,
      body: orgBody(),
    });
    expectError(res, 403, 'AUTH_CSRF_INVALID');
    expect(await countRows(h().ctx, organisations)).toBe(before);
  });

  it('reads need no token, and the right token lets the same change through', async () => {
    expect((await h().request('GET', '/api/v1/orgs', { session: admin, csrf: false })).statusCode).toBe(200);
    const before = await countRows(h().ctx, organisations);
    expect((await h().request('POST', '/api/v1/orgs', { session: admin, body: orgBody() })).statusCode).toBe(201);
    expect(await countRows(h().ctx, organisations)).toBe(before + 1);
  });
});

describe('API keys', () => {
  const create = async (name: string) => {
    const res = await h().request('POST', '/api/v1/api-keys', { session: admin, body: { name, orgId: city.city.id, roles: ['AUTHORITY_REVIEWER'] } });
    expect(res.statusCode).toBe(201);
    return res.json() as { apiKey: { id: string; prefix: string }; secret: string };
  };

  it('the secret is shown once, at creation, and never again', async () => {
    const { apiKey, secret } = await create('population feed');
    expect(secret).toMatch(new RegExp(`^cfk_${apiKey.prefix}_[A-Za-z0-9_-]{40,}$`));
    expect((await h().request('GET', '/api/v1/orgs', { apiKey: secret })).statusCode).toBe(200);
    const list = await h().request('GET', '/api/v1/api-keys', { session: admin });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(apiKey.prefix);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain(secret.slice(`cfk_${apiKey.prefix}_`.length));
    const [row] = await h().ctx.db.orm.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(JSON.stringify(row)).not.toContain(secret.slice(`cfk_${apiKey.prefix}_`.length));
  });

  it('a revoked key is refused with 401 AUTH_API_KEY_INVALID', async () => {
    const { apiKey, secret } = await create('to be revoked');
    expect((await h().request('GET', '/api/v1/orgs', { apiKey: secret })).statusCode).toBe(200);
    const revoked = await h().request('POST', `/api/v1/api-keys/${apiKey.id}/revoke`, { session: admin });
    expect(revoked.statusCode).toBe(200);
    expect((revoked.json() as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expectError(await h().request('GET', '/api/v1/orgs', { apiKey: secret }), 401, 'AUTH_API_KEY_INVALID');
  });

  it.each([
    ['a made-up key', () => `cfk_abcdefghij_${'A'.repeat(43)}`],
    ['a live prefix with a wrong secret', (live: string) => `${live.slice(0, -4)}${live.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`],
    ['something that is not a key at all', () => 'let-me-in'],
  ])('%s is refused with 401 AUTH_API_KEY_INVALID', async (what, forge) => {
    const { secret } = await create(`live key: ${what}`);
    expect((await h().request('GET', '/api/v1/orgs', { apiKey: secret })).statusCode).toBe(200);
    expectError(await h().request('GET', '/api/v1/orgs', { apiKey: forge(secret) }), 401, 'AUTH_API_KEY_INVALID');
  });
});
