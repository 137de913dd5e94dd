import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../src/platform/auth/schema.ts';
import { sm3 } from '../../src/platform/crypto/sm.ts';
import { fromRoot } from '../../src/platform/paths.ts';
import { ADMIN_PASSWORD, seedCity, useHarness, type Session } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';

const h = useHarness({ loginIpLimitPerWindow: 1000 });
let city: Awaited<ReturnType<typeof seedCity>>;

beforeAll(async () => {
  city = await seedCity(h().ctx);
}, 120_000);

type Response = Awaited<ReturnType<ReturnType<typeof h>['request']>>;
const cookieOf = (res: Response) => res.cookies.find((c) => c.name === 'cf_session')?.value;
const login = (headers: Record<string, string> = {}) => h().app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username: 'admin', password: ADMIN_PASSWORD } });
const me = (token: string) => h().app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `cf_session=${token}` } });
const sessionRow = async (token: string) => (await h().ctx.db.orm.select().from(sessions).where(eq(sessions.tokenHash, sm3(token).toString('hex'))))[0];

describe('Content-Security-Policy of the console', () => {
  const directives = async () => {
    const res = await h().app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
  };

  it('allows no external origin anywhere and no inline or eval scripts', async () => {
    const d = await directives();
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, sources] of d) {
      for (const s of sources) {
        expect(s, `${name} ${s}`).not.toMatch(/^(https?:|wss?:|\*|\/\/)|\.[a-z]{2,}(:\d+)?$/i);
        if (name.startsWith('script')) expect(s).not.toMatch(/unsafe-(inline|eval)|unsafe-hashes/);
      }
    }
  });

  it('the console page itself loads only its own module script, nothing inline or from outside', () => {
    const html = readFileSync(fromRoot('web/index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/[^/]/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('session fixation', () => {
  it('a session cookie planted before sign-in is not the one after, and never becomes valid', async () => {
    const planted = 'attacker-chosen-token-0123456789abcdef';
    const res = await login({ cookie: `cf_session=${planted}` });
    expect(res.statusCode).toBe(200);
    expect(cookieOf(res)).toBeDefined();
    expect(cookieOf(res)).not.toBe(planted);
    expectError(await me(planted), 401, 'AUTH_SESSION_EXPIRED');
    expect((await me(cookieOf(res)!)).statusCode).toBe(200);
  });

  it('signing in again rotates the session id and ends the previous session server side', async () => {
    const first = cookieOf(await login())!;
    const again = await login({ cookie: `cf_session=${first}` });
    const second = cookieOf(again)!;
    expect(second).not.toBe(first);
    expect(await sessionRow(first)).toBeUndefined();
    expectError(await me(first), 401, 'AUTH_SESSION_EXPIRED');
    expect((await me(second)).statusCode).toBe(200);
  });

  it('signing out deletes the session on the server: a copied cookie no longer works', async () => {
    const res = await login();
    const token = cookieOf(res)!;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    expect(await sessionRow(token)).toBeDefined();
    const out = await h().app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `cf_session=${token}`, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(await sessionRow(token)).toBeUndefined();
    expectError(await me(token), 401, 'AUTH_SESSION_EXPIRED');
  });
});

describe('CSRF', () => {
  let admin: Session;
  let other: Session;
  beforeAll(async () => {
    admin = await h().login('admin');
    other = await h().login(city.usernames.OUTLET_CLERK);
  });
  // A change that fails harmlessly (wrong current password, 401) once it is past the CSRF checks.
  const change = (headers: Record<string, string>) =>
    h().app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: admin.cookie, ...headers }, payload: { currentPassword: 'not-it-1', newPassword: 'Another-pass-42' } });

  it('refuses a change with the session cookie but without the token, with a wrong one, or with another session’s', async () => {
    expectError(await change({}), 403, 'AUTH_CSRF_INVALID');
    expectError(await change({ 'x-csrf-token': 'guess' }), 403, 'AUTH_CSRF_INVALID');
    expectError(await change({ 'x-csrf-token': other.csrf }), 403, 'AUTH_CSRF_INVALID');
    expectError(await change({ 'x-csrf-token': admin.csrf }), 401, 'AUTH_INVALID_CREDENTIALS');
  });

  it('refuses a change from a foreign origin even with the right token', async () => {
    expectError(await change({ 'x-csrf-token': admin.csrf, origin: 'https://evil.example' }), 403, 'AUTH_CSRF_INVALID');
    expectError(await change({ 'x-csrf-token': admin.csrf, origin: 'null' }), 403, 'AUTH_CSRF_INVALID');
    expectError(await change({ 'x-csrf-token': admin.csrf, 'sec-fetch-site': 'cross-site' }), 403, 'AUTH_CSRF_INVALID');
    // The console's own origin (light-my-request sends Host: localhost:80).
    expectError(await change({ 'x-csrf-token': admin.csrf, origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' }), 401, 'AUTH_INVALID_CREDENTIALS');
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    expectError(await login({ origin: 'https://evil.example' }), 403, 'AUTH_CSRF_INVALID');
  });

  it('reads need no token', async () => {
    expect((await h().app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: admin.cookie } })).statusCode).toBe(200);
  });
});

describe('password policy', () => {
  const create = async (username: string, password: string) => {
    const admin = await h().login('admin');
    return h().request('POST', '/api/v1/users', { session: admin, body: { username, displayName: '测试', orgId: city.outletA.id, roles: ['OUTLET_CLERK'], password } });
  };

  it.each([
    ['short1', 'PASSWORD_TOO_WEAK'],
    ['onlyletterslong', 'PASSWORD_TOO_WEAK'],
    ['1234567890123', 'PASSWORD_TOO_WEAK'],
    ['zhang.wei2024!', 'PASSWORD_CONTAINS_USERNAME'],
    ['2024ZHANG.WEI', 'PASSWORD_CONTAINS_USERNAME'],
    ['Password123!', 'PASSWORD_TOO_COMMON'],
    ['qwerty123456', 'PASSWORD_TOO_COMMON'],
    ['1q2w3e4r5t', 'PASSWORD_TOO_COMMON'],
  ])('refuses %s with %s and a message that says why', async (password, code) => {
    const res = await create('zhang.wei', password);
    const err = expectError(res, 400, code);
    expect(err.message.length).toBeGreaterThan(8);
  });

  it('accepts a long password with letters and digits that is not built on the name or a common word', async () => {
    expect((await create('zhang.wei', 'Hutang-counter-37')).statusCode).toBe(201);
  });
});
