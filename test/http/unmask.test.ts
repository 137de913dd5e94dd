import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/modules/orgs/schema.ts';
import { blindIndex } from '../../src/platform/crypto/blind-index.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';

const h = useHarness();

const PHONE = '13800138000';
// Typed the way clerks type it: the service normalises before it encrypts, indexes and masks.
const PHONE_AS_TYPED = '+86 138-0013-8000';

let city: Awaited<ReturnType<typeof seedCity>>;
let admin: Session;
let auditor: Session;
let userId = '';

beforeAll(async () => {
  city = await seedCity(h().ctx);
  admin = await h().login('admin');
  auditor = await h().login(city.usernames.AUDITOR);
  const res = await h().request('POST', '/api/v1/users', {
    session: admin,
    body: { username: 'with_phone', displayName: '有手机号的受理员', orgId: city.outletA.id, roles: ['OUTLET_CLERK'], password: 'Fresh-password-2', phone: PHONE_AS_TYPED },
  });
  expect(res.statusCode).toBe(201);
  expect(res.body).not.toContain(PHONE);
  userId = (res.json() as { id: string }).id;
});

const unmask = (session: Session, reason?: string) =>
  h().request('POST', '/api/v1/pii/unmask', { session, body: { targetType: 'user', targetId: userId, field: 'phone', ...(reason === undefined ? {} : { reason }) } });

describe('a phone number is masked everywhere it is shown', () => {
  it.each([
    ['the user list', () => '/api/v1/users'],
    ['the user', () => `/api/v1/users/${userId}`],
  ])('%s shows 138****8000 and never the number', async (_what, url) => {
    for (const session of [admin, auditor]) {
      const res = await h().request('GET', url(), { session });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('"phoneMasked":"138****8000"');
      expect(res.body).not.toContain(PHONE);
    }
  });

  it('the database holds a v1 ciphertext and the blind index of the normalised number', async () => {
    const [row] = await h().ctx.db.orm.select().from(users).where(eq(users.id, userId));
    expect(row!.phoneEnc).toMatch(/^v1\./);
    expect(row!.phoneEnc).not.toContain(PHONE);
    expect(row!.phoneEnc).not.toContain(Buffer.from(PHONE).toString('base64url').slice(0, 12));
    expect(row!.phoneIdx).toBe(blindIndex(h().ctx.keyring, 'phone', PHONE));
    expect(row!.phoneMasked).toBe('138****8000');
  });
});

describe('POST /api/v1/pii/unmask', () => {
  it.each([
    ['no reason', undefined],
    ['an empty reason', ''],
    ['a reason of three characters', '看一下'],
    ['a reason of spaces', '        '],
  ])('%s: 400 UNMASK_REASON_REQUIRED, and no number', async (_what, reason) => {
    const res = await unmask(admin, reason);
    const error = expectError(res, 400, 'UNMASK_REASON_REQUIRED');
    expect(error.message).toContain('4');
    expect(res.body).not.toContain(PHONE);
  });

  it('an AUDITOR, who may read users but not personal data, is refused with 403', async () => {
    const res = await unmask(auditor, '审计核查需要');
    expectError(res, 403, 'FORBIDDEN');
    expect(res.body).not.toContain(PHONE);
    expect(await auditEntryFor(h().ctx, res)).toMatchObject({ action: 'pii.unmask', outcome: 'DENIED', actorName: city.usernames.AUDITOR });
  });

  it('an admin with a reason sees the number, and the trail records who, why and which field', async () => {
    const reason = '客户来电核实身份';
    const res = await unmask(admin, reason);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ value: PHONE });
    const entry = await auditEntryFor(h().ctx, res);
    expect(entry).toMatchObject({
      action: 'pii.unmask',
      outcome: 'SUCCESS',
      actorName: 'admin',
      targetType: 'user',
      targetId: userId,
      details: { field: 'phone', reason },
    });
    expect(JSON.stringify(entry)).not.toContain(PHONE);
  });

  it('a field nobody registered cannot be revealed', async () => {
    const res = await h().request('POST', '/api/v1/pii/unmask', { session: admin, body: { targetType: 'user', targetId: userId, field: 'passwordHash', reason: '想看看密码' } });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});
