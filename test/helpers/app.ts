import { afterAll, beforeAll } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type AppInstance } from '../../src/http/app.ts';
import type { Config } from '../../src/platform/config/config.ts';
import { bootstrapAdmin, createOrg, createUser, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { seedCalendarIfEmpty } from '../../src/modules/calendar/service.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { createTestContext, type TestContext } from './context.ts';

export const ADMIN_PASSWORD = 'Admin-password-1';
export const USER_PASSWORD = 'Clerk-password-1';

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Harness {
  ctx: TestContext;
  app: AppInstance;
  request(method: string, url: string, opts?: { session?: Session | null; body?: unknown; headers?: Record<string, string>; apiKey?: string; csrf?: boolean }): Promise<LightMyRequestResponse>;
  login(username: string, password?: string): Promise<Session>;
}

export async function createHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const ctx = await createTestContext(overrides);
  await seedCalendarIfEmpty(ctx);
  await bootstrapAdmin(ctx, ADMIN_PASSWORD);
  const app = await buildApp(ctx, { serveConsole: false });
  const harness: Harness = {
    ctx,
    app,
    async request(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.session) {
        headers.cookie = opts.session.cookie;
        if (opts.csrf !== false) headers['x-csrf-token'] = opts.session.csrf;
      }
      if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
      return app.inject({ method: method as 'GET', url, headers, ...(opts.body !== undefined ? { payload: opts.body as object } : {}) });
    },
    async login(username, password = username === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'cf_session');
      return { cookie: `cf_session=${cookie!.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
    },
  };
  return harness;
}

export function useHarness(overrides: Partial<Config> = {}): () => Harness {
  let h: Harness | null = null;
  beforeAll(async () => {
    h = await createHarness(overrides);
  });
  afterAll(async () => {
    await h?.app.close();
    await h?.ctx.cleanup();
  });
  return () => {
    if (!h) throw new Error('harness used before beforeAll ran');
    return h;
  };
}

/**
 * A small city: 常州 authority ⟶ 武进 district office ⟶ outlets A and B; a producer, a bank and
 * its branch, a maintainer and an SMS provider; plus one user per role.
 */
export async function seedCity(ctx: TestContext) {
  const root = await ensureRootOrg(ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  const city = await createOrg(ctx, cli, { name: '常州市公安局', kind: 'AUTHORITY', parentId: root.id, regionCode: '320400' });
  const district = await createOrg(ctx, cli, { name: '武进分局', kind: 'AUTHORITY', parentId: city.id, regionCode: '320412' });
  const outletA = await createOrg(ctx, cli, { name: '湖塘派出所受理点', kind: 'OUTLET', parentId: district.id, regionCode: '320412' });
  const outletB = await createOrg(ctx, cli, { name: '牛塘派出所受理点', kind: 'OUTLET', parentId: district.id, regionCode: '320412' });
  const producer = await createOrg(ctx, cli, { name: '江苏制卡中心', kind: 'PRODUCER', parentId: city.id, regionCode: '320100' });
  const bank = await createOrg(ctx, cli, { name: '合作银行常州分行', kind: 'BANK', parentId: city.id });
  const branch = await createOrg(ctx, cli, { name: '合作银行武进支行', kind: 'BANK', parentId: bank.id });
  const maintainer = await createOrg(ctx, cli, { name: '运维公司', kind: 'MAINTAINER', parentId: city.id });
  const sms = await createOrg(ctx, cli, { name: '短信服务商', kind: 'SMS_PROVIDER', parentId: city.id });
  const orgFor: Record<Role, string> = {
    ADMIN: root.id,
    AUTHORITY_MANAGER: city.id,
    AUTHORITY_REVIEWER: district.id,
    AUDITOR: city.id,
    OUTLET_MANAGER: outletA.id,
    OUTLET_CLERK: outletA.id,
    PRODUCER_OPERATOR: producer.id,
    BANK_OPERATOR: branch.id,
    MAINTAINER_ENGINEER: maintainer.id,
    SMS_OPERATOR: sms.id,
  };
  const usernames = {} as Record<Role, string>;
  for (const [role, orgId] of Object.entries(orgFor) as [Role, string][]) {
    const username = `u_${role.toLowerCase()}`;
    await createUser(ctx, cli, { username, displayName: role, orgId, roles: [role], password: USER_PASSWORD });
    usernames[role] = username;
  }
  await createUser(ctx, cli, { username: 'clerk_b', displayName: '乙网点受理员', orgId: outletB.id, roles: ['OUTLET_CLERK'], password: USER_PASSWORD });
  return { root, city, district, outletA, outletB, producer, bank, branch, maintainer, sms, usernames };
}
