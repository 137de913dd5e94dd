import { eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { organisations, users } from '../../src/modules/orgs/schema.ts';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { sessions } from '../../src/platform/auth/schema.ts';
import { sm3 } from '../../src/platform/crypto/sm.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { countRows, expectError, expectNoStackTrace } from '../helpers/http.ts';

const h = useHarness();

const HOSTILE = "'); DROP TABLE users; --<script>alert(1)</script>";

let city: Awaited<ReturnType<typeof seedCity>>;
let admin: Session;
let outletManager: Session;
let expired: Session;
let revokedKey = '';
const ids = {} as Record<'clerkB', string>;

/** The whole table as text: "nothing is written" means not one column of one row changed. */
async function snapshot(table: PgTable) {
  const rows = await h().ctx.db.orm.select().from(table);
  return rows.map((r) => JSON.stringify(r)).sort();
}

beforeAll(async () => {
  city = await seedCity(h().ctx);
  admin = await h().login('admin');
  outletManager = await h().login(city.usernames.OUTLET_MANAGER);
  expired = await h().login(city.usernames.AUTHORITY_MANAGER);
  await h()
    .ctx.db.orm.update(sessions)
    .set({ expiresAt: new Date(Date.now() - 60_000) })
    .where(eq(sessions.tokenHash, sm3(expired.cookie.slice('cf_session='.length)).toString('hex')));
  const key = await h().request('POST', '/api/v1/api-keys', { session: admin, body: { name: 'to revoke', orgId: city.city.id, roles: ['AUTHORITY_MANAGER'] } });
  const created = key.json() as { apiKey: { id: string }; secret: string };
  revokedKey = created.secret;
  expect((await h().request('GET', '/api/v1/orgs', { apiKey: revokedKey })).statusCode).toBe(200);
  expect((await h().request('POST', `/api/v1/api-keys/${created.apiKey.id}/revoke`, { session: admin })).statusCode).toBe(200);
  const [b] = await h().ctx.db.orm.select({ id: users.id }).from(users).where(eq(users.username, 'clerk_b'));
  ids.clerkB = b!.id;
});

const outletBody = (extra: Record<string, unknown> = {}) => ({ name: '新受理点', kind: 'OUTLET', parentId: city.district.id, regionCode: '320412', ...extra });
const userBody = (extra: Record<string, unknown> = {}) => ({
  username: 'new_clerk',
  displayName: '新受理员',
  orgId: city.outletA.id,
  roles: ['OUTLET_CLERK'],
  password: 'Fresh-password-2',
  ...extra,
});

interface Case {
  send: () => Promise<LightMyRequestResponse>;
  status: number;
  code: string;
  table: PgTable;
  /** A field the problems in details must name, or text the message must contain. */
  field?: string;
  mentions?: string;
}

type As = { session?: Session | null; apiKey?: string; headers?: Record<string, string> };
/** A POST as the admin unless told otherwise. */
const post = (url: string, body: unknown, as: As = {}) => () =>
  h().request('POST', url, { session: 'session' in as || as.apiKey ? as.session : admin, apiKey: as.apiKey, headers: as.headers, body });

const cases: Record<string, () => Case> = {
  'malformed JSON': () => ({ send: post('/api/v1/orgs', '{"name": "半截', { headers: { 'content-type': 'application/json' } }), status: 400, code: 'MALFORMED_JSON', table: organisations }),
  'an empty JSON body': () => ({ send: post('/api/v1/users', '', { headers: { 'content-type': 'application/json' } }), status: 400, code: 'MALFORMED_JSON', table: users }),
  'a number for a name': () => ({ send: post('/api/v1/orgs', outletBody({ name: 42 })), status: 400, code: 'VALIDATION_FAILED', table: organisations, field: 'body.name' }),
  'a string for the roles list': () => ({ send: post('/api/v1/users', userBody({ roles: 'OUTLET_CLERK' })), status: 400, code: 'VALIDATION_FAILED', table: users, field: 'body.roles' }),
  'a parent id that is not a uuid': () => ({ send: post('/api/v1/orgs', outletBody({ parentId: '1 OR 1=1' })), status: 400, code: 'VALIDATION_FAILED', table: organisations, field: 'body.parentId' }),
  'an unknown status': () => ({
    send: () => h().request('PATCH', `/api/v1/users/${ids.clerkB}`, { session: admin, body: { status: 'SUPERUSER' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    table: users,
    field: 'body.status',
  }),
  'an unknown field on create': () => ({ send: post('/api/v1/orgs', outletBody({ isAdmin: true })), status: 400, code: 'VALIDATION_FAILED', table: organisations, mentions: 'isAdmin' }),
  'an unknown field on update': () => ({
    send: () => h().request('PATCH', `/api/v1/users/${ids.clerkB}`, { session: admin, body: { displayName: '改名', passwordHash: 'x' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    table: users,
    mentions: 'passwordHash',
  }),
  'a body over the size limit': () => ({
    send: post('/api/v1/orgs', outletBody({ name: 'x'.repeat(h().ctx.config.bodyLimitBytes) })),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    table: organisations,
  }),
  'a region code that does not exist': () => ({ send: post('/api/v1/orgs', outletBody({ regionCode: '999999' })), status: 400, code: 'REGION_CODE_INVALID', table: organisations, mentions: '999999' }),
  'a credit code with a wrong check character': () => ({
    send: post('/api/v1/orgs', { name: '运维二公司', kind: 'MAINTAINER', parentId: city.city.id, creditCode: '91440300708461137T' }),
    status: 400,
    code: 'CREDIT_CODE_INVALID',
    table: organisations,
  }),
  'a NUL character in a name': () => ({ send: post('/api/v1/orgs', outletBody({ name: 'a\u0000b' })), status: 400, code: 'VALIDATION_FAILED', table: organisations, field: 'body.name' }),
  'a NUL character in a display name (which the audit trail would record)': () => ({
    send: () => h().request('PATCH', `/api/v1/users/${ids.clerkB}`, { session: admin, body: { displayName: 'a\u0000b' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    table: users,
    field: 'body.displayName',
  }),
  'a NUL character in a sign-in name, before any session': () => ({
    send: post('/api/v1/auth/login', { username: 'admin\u0000', password: 'whatever-1' }, { session: null }),
    status: 400,
    code: 'VALIDATION_FAILED',
    table: sessions,
    field: 'body.username',
  }),
  'a NUL character in a query string': () => ({
    send: () => h().request('GET', '/api/v1/audit?actor=%00admin', { session: admin }),
    status: 400,
    code: 'VALIDATION_FAILED',
    table: auditLog,
    field: 'querystring.actor',
  }),
  'an expired session': () => ({ send: post('/api/v1/orgs', outletBody(), { session: expired }), status: 401, code: 'AUTH_SESSION_EXPIRED', table: organisations }),
  'a revoked API key': () => ({ send: post('/api/v1/orgs', outletBody(), { apiKey: revokedKey }), status: 401, code: 'AUTH_API_KEY_INVALID', table: organisations }),
  'a user of another outlet guessing a user id': () => ({
    send: () => h().request('PATCH', `/api/v1/users/${ids.clerkB}`, { session: outletManager, body: { displayName: '被改名' } }),
    status: 404,
    code: 'OUT_OF_SCOPE',
    table: users,
  }),
  'a user of another outlet guessing an id to reset a password': () => ({
    send: post(`/api/v1/users/${ids.clerkB}/reset-password`, { password: 'Taken-over-123' }, { session: outletManager }),
    status: 404,
    code: 'OUT_OF_SCOPE',
    table: users,
  }),
  'an endpoint that does not exist': () => ({ send: post('/api/v1/orgs/delete-all', {}), status: 404, code: 'ROUTE_NOT_FOUND', table: organisations }),
};

describe('bad input gets its documented code and writes nothing', () => {
  it.each(Object.keys(cases))('%s', async (name) => {
    const c = cases[name]!();
    const before = await snapshot(c.table);
    const res = await c.send();
    const error = expectError(res, c.status, c.code);
    if (c.field) expect((error.details as { problems: { field: string }[] }).problems.map((p) => p.field)).toContain(c.field);
    if (c.mentions) expect(`${error.message} ${JSON.stringify(error.details)}`).toContain(c.mentions);
    expect(await snapshot(c.table)).toEqual(before);
  });

  it('an unknown field is reported as unknown, by name', async () => {
    const res = await post('/api/v1/orgs', outletBody({ isAdmin: true }))();
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    expect(error.details).toEqual({ problems: [{ field: 'body', problem: 'unknown field "isAdmin"' }] });
  });
});

describe('citizen ID numbers', () => {
  it('a wrong check digit: 400 ID_CHECKSUM_INVALID', async () => {
    const res = await post('/api/v1/validate', { kind: 'citizen_id', value: '110101199003070012' })();
    expectError(res, 400, 'ID_CHECKSUM_INVALID');
  });

  it.each(['11010519491231002X', ' 11010519491231002x '])('a valid number (%j) comes back masked and normalised, never in full', async (value) => {
    const res = await post('/api/v1/validate', { kind: 'citizen_id', value })();
    expect(res.statusCode).toBe(200);
    const body = res.json() as { valid: boolean; normalised: string; info: Record<string, unknown> };
    expect(body.valid).toBe(true);
    expect(body.normalised).toBe('110105********002X');
    expect(body.info).toMatchObject({ birthDate: '1949-12-31', sex: 'F', regionCode: '110105' });
    expect(res.body.toUpperCase()).not.toContain('11010519491231002X');
  });
});

describe('hostile text is data, not code', () => {
  it('an organisation name and a display name with SQL and script are stored and returned literally', async () => {
    const org = await post('/api/v1/orgs', { name: HOSTILE, kind: 'MAINTAINER', parentId: city.city.id })();
    expect(org.statusCode).toBe(201);
    const orgId = (org.json() as { id: string }).id;
    const usersBefore = await countRows(h().ctx, users);
    const user = await post('/api/v1/users', userBody({ username: 'hostile_name', displayName: HOSTILE }))();
    expect(user.statusCode).toBe(201);
    const userId = (user.json() as { id: string }).id;

    expect((org.json() as { name: string }).name).toBe(HOSTILE);
    expect(((await h().request('GET', `/api/v1/orgs/${orgId}`, { session: admin })).json() as { name: string }).name).toBe(HOSTILE);
    expect(((await h().request('GET', `/api/v1/users/${userId}`, { session: admin })).json() as { displayName: string }).displayName).toBe(HOSTILE);
    const [row] = await h().ctx.db.orm.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
    expect(row!.name).toBe(HOSTILE);

    const list = await h().request('GET', '/api/v1/users', { session: admin });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: unknown[] }).items).toHaveLength(usersBefore + 1);
    expect(await countRows(h().ctx, users)).toBe(usersBefore + 1);
    // The JSON answer escapes nothing away: the text is a JSON string, never markup.
    expect(list.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('internal failures', () => {
  let userId = '';
  beforeAll(async () => {
    const res = await post('/api/v1/users', userBody({ username: 'phone_owner', phone: '13900139000' }))();
    userId = (res.json() as { id: string }).id;
  });
  const reveal = () => post('/api/v1/pii/unmask', { targetType: 'user', targetId: userId, field: 'phone', reason: '核实本人身份' })();

  it('an unexpected exception is a 500 INTERNAL_ERROR with a request id, no message and no stack', async () => {
    const spy = vi.spyOn(h().ctx.keyring, 'key').mockImplementation(() => {
      throw new TypeError('boom: secret internals /srv/cardflow/src/platform/crypto/keyring.ts');
    });
    try {
      const res = await reveal();
      const error = expectError(res, 500, 'INTERNAL_ERROR');
      expect(error.message).toContain(String(res.headers['x-request-id']));
      expect(error.details).toBeNull();
      expect(res.body).not.toContain('boom');
      expect(res.body).not.toContain('13900139000');
      expectNoStackTrace(res.body);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(h().ctx.logs.text).toContain('boom');
    expect((await reveal()).statusCode).toBe(200);
  });

  it('a tampered ciphertext is a 500 with its own code and no stack', async () => {
    const [row] = await h().ctx.db.orm.select({ enc: users.phoneEnc }).from(users).where(eq(users.id, userId));
    const enc = row!.enc!;
    const flipped = `${enc.slice(0, -2)}${enc.endsWith('AA') ? 'BA' : 'AA'}`;
    await h().ctx.db.orm.update(users).set({ phoneEnc: flipped }).where(eq(users.id, userId));
    try {
      const res = await reveal();
      expectError(res, 500, 'CIPHERTEXT_TAMPERED');
      expect(res.body).not.toContain('13900139000');
      expectNoStackTrace(res.body);
    } finally {
      await h().ctx.db.orm.update(users).set({ phoneEnc: enc }).where(eq(users.id, userId));
    }
  });
});
