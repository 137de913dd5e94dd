import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { applicant, citizenId, photoBase64, seedProgrammes, sessionsFor } from './fixtures.ts';

const LIMIT = 5;
const h = useHarness({ trackIpLimitPerWindow: LIMIT, trackIpWindowSeconds: 86_400 });

let addressSeq = 0;
/** A fresh client address per call unless one is given, so only the rate-limit test meets the limit. */
const track = (body: Record<string, unknown>, opts: { remoteAddress?: string; lang?: string } = {}) =>
  h().app.inject({
    method: 'POST',
    url: '/api/v1/public/track',
    payload: body,
    remoteAddress: opts.remoteAddress ?? `10.0.${Math.floor(++addressSeq / 250)}.${addressSeq % 250}`,
    headers: opts.lang ? { 'accept-language': opts.lang } : {},
  });

// One person with an X check digit, so lowercase x can be tried.
const xPerson = (() => {
  for (let seq = 1; seq < 999; seq += 2) {
    const id = citizenId('1990-05-17', seq);
    if (id.endsWith('X')) return applicant(7, { citizenId: id, birthDate: '1990-05-17', sex: 'M', name: '欧阳明华' });
  }
  throw new Error('no X check digit found');
})();
const plain = applicant(8, { name: '张三丰' });

let submitted: { id: string; applicationNo: string };
let rejected: { id: string; applicationNo: string };

beforeAll(async () => {
  const { city, rp } = await seedProgrammes(h());
  const s = await sessionsFor(h(), city);
  const submit = async (person: Record<string, unknown>) => {
    const res = await h().request('POST', '/api/v1/applications', { session: s.clerkA, body: { programmeId: rp.id, ...person, photoJpegBase64: photoBase64() } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; applicationNo: string };
  };
  submitted = await submit(plain);
  rejected = await submit(xPerson);
  const res = await h().request('POST', `/api/v1/applications/${rejected.id}/reject`, {
    session: s.reviewer,
    body: { reasonCodes: ['PHOTO_UNSUITABLE'], note: '内部备注：背景颜色不对' },
  });
  expect(res.statusCode, res.body).toBe(200);
});

describe('POST /api/v1/public/track', () => {
  it('answers the masked name, the status and the timeline, without a session and without personal data', async () => {
    const res = await track({ applicationNo: submitted.applicationNo, idLast6: String(plain.citizenId).slice(-6) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['applicationNo', 'cardKind', 'kind', 'nameMasked', 'programmeName', 'status', 'timeline']);
    expect(body).toMatchObject({ applicationNo: submitted.applicationNo, programmeName: '常州居住证', cardKind: 'RESIDENCE_PERMIT', kind: 'NEW', status: 'SUBMITTED' });
    expect(body.nameMasked).not.toBe(plain.name);
    expect(String(body.nameMasked)).toContain('*');
    expect(body.timeline).toEqual([{ type: 'SUBMITTED', at: expect.any(String) }]);
    for (const secret of [plain.name, plain.citizenId, plain.phone, submitted.id, 'u_outlet_clerk', '湖塘']) expect(res.body).not.toContain(secret);
  });

  it('accepts a lowercase x and shows catalogue rejection reasons but not the reviewer note', async () => {
    const last6 = String(xPerson.citizenId).slice(-6).toLowerCase();
    expect(last6.endsWith('x')).toBe(true);
    const res = await track({ applicationNo: rejected.applicationNo.toLowerCase(), idLast6: last6 });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { status: string; timeline: { type: string; reasons?: { code: string }[] }[] };
    expect(body.status).toBe('REJECTED');
    expect(body.timeline.map((e) => e.type)).toEqual(['SUBMITTED', 'REJECTED']);
    expect(body.timeline[1]!.reasons!.map((r) => r.code)).toEqual(['PHOTO_UNSUITABLE']);
    for (const secret of ['内部备注', xPerson.name, xPerson.citizenId, 'u_authority_reviewer']) expect(res.body).not.toContain(secret);
  });

  it('answers wrong digits and an unknown number identically', async () => {
    const wrongDigits = await track({ applicationNo: submitted.applicationNo, idLast6: '000000' });
    const unknown = await track({ applicationNo: 'RP-20260101-999999', idLast6: String(plain.citizenId).slice(-6) });
    const garbage = await track({ applicationNo: 'nonsense', idLast6: '12345X' });
    const a = expectError(wrongDigits, 404, 'TRACK_NOT_FOUND');
    expect(expectError(unknown, 404, 'TRACK_NOT_FOUND')).toEqual(a);
    expect(expectError(garbage, 404, 'TRACK_NOT_FOUND')).toEqual(a);
    expect(a.message).toBe('未查询到该申请，请核对申请编号和身份证号码后六位');
    expect(unknown.body).toBe(wrongDigits.body);
    const en = expectError(await track({ applicationNo: 'RP-20260101-999999', idLast6: '000000' }, { lang: 'en-US' }), 404, 'TRACK_NOT_FOUND');
    expect(en.message).toMatch(/^No application found/);
  });

  it('checks the shape of idLast6', async () => {
    for (const idLast6 of ['12345', '1234567', 'X12345', '12345Y', ''])
      expectError(await track({ applicationNo: submitted.applicationNo, idLast6 }), 400, 'VALIDATION_FAILED');
    expectError(await track({ applicationNo: submitted.applicationNo, idLast6: '123456', extra: 1 }), 400, 'VALIDATION_FAILED');
  });

  it('writes nothing to the audit trail', async () => {
    const before = await h().ctx.db.orm.select({ n: count() }).from(auditLog);
    await track({ applicationNo: submitted.applicationNo, idLast6: String(plain.citizenId).slice(-6) });
    await track({ applicationNo: submitted.applicationNo, idLast6: '000000' });
    const after = await h().ctx.db.orm.select({ n: count() }).from(auditLog);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it(`limits each client address to ${LIMIT} lookups per window (429), found or not; other addresses go on`, async () => {
    const remoteAddress = '203.0.113.7';
    for (let i = 0; i < LIMIT; i++) {
      const res = await track({ applicationNo: submitted.applicationNo, idLast6: i % 2 ? '000000' : String(plain.citizenId).slice(-6) }, { remoteAddress });
      expect([200, 404]).toContain(res.statusCode);
    }
    expectError(await track({ applicationNo: submitted.applicationNo, idLast6: String(plain.citizenId).slice(-6) }, { remoteAddress }), 429, 'RATE_LIMITED');
    expect((await track({ applicationNo: submitted.applicationNo, idLast6: String(plain.citizenId).slice(-6) })).statusCode).toBe(200);
  });

  it('keeps its own budget apart from sign-ins from the same address', async () => {
    const res = await h().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'Admin-password-1' }, remoteAddress: '203.0.113.7' });
    expect(res.statusCode, res.body).toBe(200);
  });
});
