import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';

// Windows of an hour: the whole file runs inside one window unless it straddles the full hour.
const h = useHarness({ rateLimitWindowSeconds: 3600, rateLimitPerUser: 6, rateLimitPerApiKey: 4, rateLimitPerIp: 4, loginIpLimitPerWindow: 100 });
let admin: Session;
let clerk: Session;
let secret: string;
let city: Awaited<ReturnType<typeof seedCity>>;

beforeAll(async () => {
  city = await seedCity(h().ctx);
  admin = await h().login('admin');
  clerk = await h().login(city.usernames.OUTLET_CLERK);
  const res = await h().request('POST', '/api/v1/api-keys', { session: admin, body: { name: 'feed', orgId: city.city.id, roles: ['AUTHORITY_REVIEWER'] } });
  expect(res.statusCode, res.body).toBe(201);
  secret = (res.json() as { secret: string }).secret;
}, 120_000);

function expectLimited(res: Awaited<ReturnType<ReturnType<typeof h>['request']>>) {
  expectError(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(3600);
}

describe('general request rate limit', () => {
  it('per user, counted in the database so a second API process sees the same budget', async () => {
    // The key creation above spent one of the admin's six requests.
    for (let i = 0; i < 5; i++) expect((await h().request('GET', '/api/v1/auth/me', { session: admin })).statusCode).toBe(200);
    expectLimited(await h().request('GET', '/api/v1/auth/me', { session: admin }));
    const second = await buildApp(h().ctx, { serveConsole: false });
    try {
      const res = await second.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: admin.cookie } });
      expectLimited(res);
    } finally {
      await second.close();
    }
    // Another user has a budget of their own.
    expect((await h().request('GET', '/api/v1/auth/me', { session: clerk })).statusCode).toBe(200);
  });

  it('per API key', async () => {
    for (let i = 0; i < 4; i++) expect((await h().request('GET', '/api/v1/roles', { apiKey: secret })).statusCode).toBe(200);
    expectLimited(await h().request('GET', '/api/v1/roles', { apiKey: secret }));
  });

  it('per IP address for requests without a session or key, before anything else is answered', async () => {
    const anonymous = (ip: string) => h().app.inject({ method: 'GET', url: '/api/v1/auth/me', remoteAddress: ip });
    for (let i = 0; i < 4; i++) expectError(await anonymous('192.0.2.9'), 401, 'AUTH_REQUIRED');
    expectLimited(await anonymous('192.0.2.9'));
    expectError(await anonymous('192.0.2.10'), 401, 'AUTH_REQUIRED');
  });

  it('does not count pages and files outside the API', async () => {
    for (let i = 0; i < 8; i++) expect((await h().app.inject({ method: 'GET', url: '/healthz', remoteAddress: '192.0.2.11' })).statusCode).toBe(200);
  });
});
