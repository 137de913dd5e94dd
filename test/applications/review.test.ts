import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationPhotos, applications, notificationOutbox, rejectionReasons } from '../../src/modules/applications/schema.ts';
import { decryptBytes, decryptField, tokenKeyId } from '../../src/platform/crypto/field-cipher.ts';
import { addKey, generateKeyFile, Keyring } from '../../src/platform/crypto/keyring.ts';
import { keyUsage, reencryptAll } from '../../src/platform/crypto/rotation.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, countRows, expectError } from '../helpers/http.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { applicant, photoBase64, seedProgrammes, sessionsFor, type City } from './fixtures.ts';

const h = useHarness();
let city: City;
let rpId: string;
let s: Awaited<ReturnType<typeof sessionsFor>>;
const keyFile = generateKeyFile();
const photo = fakeJpeg(358, 441, 20 * 1024);

const submit = async (n: number, session = s.clerkA) => {
  const res = await h().request('POST', '/api/v1/applications', { session, body: { programmeId: rpId, ...applicant(n), photoJpegBase64: photoBase64(photo) } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; applicationNo: string };
};

beforeAll(async () => {
  h().ctx.keyring = Keyring.fromKeyFile(keyFile);
  const seeded = await seedProgrammes(h());
  city = seeded.city;
  rpId = seeded.rp.id;
  s = await sessionsFor(h(), city);
});

describe('rejection reasons', () => {
  it('are seeded and listed for clerks and reviewers', async () => {
    const res = await h().request('GET', '/api/v1/rejection-reasons', { session: s.clerkA });
    const codes = (res.json() as { items: { code: string; zh: string }[] }).items.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['PHOTO_UNSUITABLE', 'RESIDENCE_PROOF_INCOMPLETE', 'EMPLOYMENT_PROOF_INCOMPLETE', 'INFO_MISMATCH']));
  });

  it('admins add and retire reasons; a reviewer may not', async () => {
    const created = await h().request('POST', '/api/v1/rejection-reasons', { session: s.admin, body: { code: 'SIGNATURE_MISSING', zh: '申请表未签名', en: 'The form is not signed' } });
    expect(created.statusCode, created.body).toBe(201);
    expectError(await h().request('POST', '/api/v1/rejection-reasons', { session: s.admin, body: { code: 'SIGNATURE_MISSING', zh: 'x', en: 'x' } }), 409, 'CONFLICT');
    const retired = await h().request('PATCH', '/api/v1/rejection-reasons/STUDY_PROOF_INCOMPLETE', { session: s.admin, body: { active: false } });
    expect(retired.json()).toMatchObject({ code: 'STUDY_PROOF_INCOMPLETE', active: false });
    expectError(await h().request('POST', '/api/v1/rejection-reasons', { session: s.reviewer, body: { code: 'X_Y', zh: 'x', en: 'x' } }), 403, 'FORBIDDEN');
  });
});

describe('review', () => {
  let first: { id: string; applicationNo: string };
  let second: { id: string; applicationNo: string };

  beforeAll(async () => {
    first = await submit(1);
    second = await submit(2, s.clerkB);
  });

  it('the review queue lists SUBMITTED applications of the reviewer subtree, oldest first', async () => {
    const res = await h().request('GET', '/api/v1/review-queue', { session: s.reviewer });
    expect(res.json()).toMatchObject({ total: 2, items: [{ id: first.id }, { id: second.id }] });
    const byOutlet = await h().request('GET', `/api/v1/review-queue?outletId=${city.outletB.id}`, { session: s.reviewer });
    expect(byOutlet.json()).toMatchObject({ total: 1, items: [{ id: second.id }] });
    const old = await h().request('GET', '/api/v1/review-queue?olderThanDays=1', { session: s.reviewer });
    expect(old.json()).toEqual({ items: [], total: 0 });
  });

  it('approve: SUBMITTED → APPROVED with an event; a second approve is APPLICATION_STATE_INVALID', async () => {
    const res = await h().request('POST', `/api/v1/applications/${first.id}/approve`, { session: s.reviewer });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'APPROVED' });
    expect(await auditEntryFor(h().ctx, res)).toMatchObject({ action: 'application.approve', outcome: 'SUCCESS', targetId: first.id });
    expectError(await h().request('POST', `/api/v1/applications/${first.id}/approve`, { session: s.reviewer }), 409, 'APPLICATION_STATE_INVALID');
    const detail = await h().request('GET', `/api/v1/applications/${first.id}`, { session: s.clerkA });
    expect((detail.json() as { events: { type: string }[] }).events.map((e) => e.type)).toEqual(['SUBMITTED', 'APPROVED']);
  });

  it('clerks cannot review', async () => {
    expectError(await h().request('POST', `/api/v1/applications/${second.id}/approve`, { session: s.clerkB }), 403, 'FORBIDDEN');
  });

  it('reject needs known, active reasons; nothing changes otherwise', async () => {
    expectError(await h().request('POST', `/api/v1/applications/${second.id}/reject`, { session: s.reviewer, body: { reasonCodes: ['NO_SUCH'] } }), 400, 'REJECTION_REASON_UNKNOWN');
    expectError(await h().request('POST', `/api/v1/applications/${second.id}/reject`, { session: s.reviewer, body: { reasonCodes: ['STUDY_PROOF_INCOMPLETE'] } }), 400, 'REJECTION_REASON_UNKNOWN');
    expectError(await h().request('POST', `/api/v1/applications/${second.id}/reject`, { session: s.reviewer, body: { reasonCodes: [] } }), 400, 'VALIDATION_FAILED');
    expect(await countRows(h().ctx, notificationOutbox)).toBe(0);
    const [row] = await h().ctx.db.orm.select().from(applications).where(eq(applications.id, second.id));
    expect(row!.status).toBe('SUBMITTED');
  });

  it('reject with every reason at once writes the outbox row in the same change', async () => {
    const res = await h().request('POST', `/api/v1/applications/${second.id}/reject`, {
      session: s.reviewer,
      body: { reasonCodes: ['PHOTO_UNSUITABLE', 'RESIDENCE_PROOF_INCOMPLETE'], note: '请补充租赁合同' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'REJECTED' });
    const [outbox] = await h().ctx.db.orm.select().from(notificationOutbox).where(eq(notificationOutbox.applicationId, second.id));
    expect(outbox).toMatchObject({ kind: 'APPLICATION_REJECTED', status: 'PENDING', idempotencyKey: `APPLICATION_REJECTED:${second.id}` });
    expect(decryptField(h().ctx.keyring, outbox!.recipientPhoneEnc)).toBe(applicant(2).phone);
    expect(outbox!.payload).toMatchObject({
      applicationNo: second.applicationNo,
      note: '请补充租赁合同',
      reasons: [{ code: 'PHOTO_UNSUITABLE', zh: expect.stringContaining('照片不合格') }, { code: 'RESIDENCE_PROOF_INCOMPLETE', zh: expect.stringContaining('居住证明材料不全') }],
    });
    expectError(await h().request('POST', `/api/v1/applications/${second.id}/reject`, { session: s.reviewer, body: { reasonCodes: ['OTHER'] } }), 409, 'APPLICATION_STATE_INVALID');
    expect(await countRows(h().ctx, notificationOutbox)).toBe(1);
  });

  it('a rejected person can apply again as a new application; an approved one cannot', async () => {
    const again = await submit(2, s.clerkB);
    expect(again.id).not.toBe(second.id);
    expect(again.applicationNo).not.toBe(second.applicationNo);
    const dup = await h().request('POST', '/api/v1/applications', { session: s.clerkA, body: { programmeId: rpId, ...applicant(1), photoJpegBase64: photoBase64(photo) } });
    expectError(dup, 409, 'APPLICATION_DUPLICATE');
  });

  it('the reject reasons are in the rejected application timeline', async () => {
    const detail = await h().request('GET', `/api/v1/applications/${second.id}`, { session: s.reviewer });
    expect((detail.json() as { events: { type: string; details: unknown }[] }).events[1]).toMatchObject({ type: 'REJECTED', details: { reasons: ['PHOTO_UNSUITABLE', 'RESIDENCE_PROOF_INCOMPLETE'] } });
  });
});

describe('key rotation covers the application columns', () => {
  it('re-encrypts tokens and photo bytes to the new key, keeping values and blind indexes', async () => {
    const oldKey = keyFile.active;
    const before = await h().ctx.db.orm.select().from(applications);
    const usage = await keyUsage(h().ctx);
    // name, ID, phone, two addresses per application; one photo each; one outbox phone.
    expect(usage[oldKey]).toBe(before.length * 5 + before.length + 1);

    const next = addKey(keyFile);
    h().ctx.keyring = Keyring.fromKeyFile(next);
    const n = await reencryptAll(h().ctx, 2);
    expect(n).toBe(usage[oldKey]);
    expect(Object.keys(await keyUsage(h().ctx))).toEqual([next.active]);

    const after = await h().ctx.db.orm.select().from(applications);
    for (const a of after) {
      const b = before.find((x) => x.id === a.id)!;
      expect(a.citizenIdEnc).not.toBe(b.citizenIdEnc);
      expect(tokenKeyId(a.citizenIdEnc)).toBe(next.active);
      expect(decryptField(h().ctx.keyring, a.citizenIdEnc)).toBe(decryptField(Keyring.fromKeyFile(keyFile), b.citizenIdEnc));
      expect(a.citizenIdIdx).toBe(b.citizenIdIdx);
    }
    const photos = await h().ctx.db.orm.select().from(applicationPhotos);
    for (const p of photos) {
      expect(tokenKeyId(p.photoEnc)).toBe(next.active);
      expect(decryptBytes(h().ctx.keyring, p.photoEnc).equals(photo)).toBe(true);
    }
    const res = await h().request('GET', `/api/v1/applications/${after[0]!.id}/photo`, { session: s.reviewer });
    expect(res.statusCode).toBe(200);
    expect(await reencryptAll(h().ctx, 2)).toBe(0);
    expect(await countRows(h().ctx, rejectionReasons)).toBeGreaterThan(0);
  });
});

describe('approving many at once', () => {
  it('approves every listed application, or none when one is not in scope', async () => {
    const a = await submit(41);
    const b = await submit(42);
    const ghost = '00000000-0000-4000-8000-000000000001';
    expectError(await h().request('POST', '/api/v1/applications/approve', { session: s.reviewer, body: { ids: [a.id, ghost] } }), 404, 'OUT_OF_SCOPE');
    const untouched = await h().ctx.db.orm.select({ status: applications.status }).from(applications).where(eq(applications.id, a.id));
    expect(untouched[0]!.status).toBe('SUBMITTED');

    const res = await h().request('POST', '/api/v1/applications/approve', { session: s.reviewer, body: { ids: [a.id, b.id] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ approved: 2 });
    const rows = await h().ctx.db.orm.select({ status: applications.status }).from(applications).where(eq(applications.id, b.id));
    expect(rows[0]!.status).toBe('APPROVED');
    expectError(await h().request('POST', '/api/v1/applications/approve', { session: s.reviewer, body: { ids: [a.id] } }), 409, 'APPLICATION_STATE_INVALID');
    expectError(await h().request('POST', '/api/v1/applications/approve', { session: s.clerkA, body: { ids: [a.id] } }), 403, 'FORBIDDEN');
  });
});
