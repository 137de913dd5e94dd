import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applicationPhotos, applications } from '../../src/modules/applications/schema.ts';
import { decryptBytes, decryptField } from '../../src/platform/crypto/field-cipher.ts';
import { useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, countRows, expectError } from '../helpers/http.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { applicant, photoBase64, seedProgrammes, sessionsFor, type City } from './fixtures.ts';

const h = useHarness();
let city: City;
let rpId: string;
let sscId: string;
let manager: Session;
let s: Awaited<ReturnType<typeof sessionsFor>>;

beforeAll(async () => {
  const seeded = await seedProgrammes(h());
  city = seeded.city;
  rpId = seeded.rp.id;
  sscId = seeded.ssc.id;
  manager = seeded.manager;
  s = await sessionsFor(h(), city);
});

const submit = (body: Record<string, unknown>, session: Session = s.clerkA) => h().request('POST', '/api/v1/applications', { session, body: { programmeId: rpId, photoJpegBase64: photoBase64(), ...body } });

describe('programmes', () => {
  it('defaults per kind and the authority province', async () => {
    const res = await h().request('GET', `/api/v1/programmes/${rpId}`, { session: manager });
    expect(res.json()).toMatchObject({
      kind: 'RESIDENCE_PERMIT',
      productionDeadline: { amount: 5, unit: 'CALENDAR_DAYS' },
      deliveryDeadline: { amount: 10, unit: 'CALENDAR_DAYS' },
      productionRegionPrefix: '32',
      personalisationRetentionHours: 24,
      producers: [{ id: city.producer.id }],
    });
    const ssc = await h().request('GET', `/api/v1/programmes/${sscId}`, { session: manager });
    expect(ssc.json()).toMatchObject({ productionDeadline: { amount: 6, unit: 'WORKING_DAYS' }, deliveryDeadline: null, packingOrder: 'BY_SSN' });
  });

  it('participants see the programmes they take part in; others do not', async () => {
    const ids = async (session: Session) => ((await h().request('GET', '/api/v1/programmes', { session })).json() as { items: { id: string }[] }).items.map((p) => p.id).sort();
    expect(await ids(s.clerkB)).toEqual([rpId]);
    expect(await ids(s.clerkA)).toEqual([rpId, sscId].sort());
    expect(await ids(s.reviewer)).toEqual([rpId, sscId].sort());
    expect(await ids(await h().login(city.usernames.BANK_OPERATOR))).toEqual([sscId]);
    expect(await ids(await h().login(city.usernames.PRODUCER_OPERATOR))).toEqual([rpId, sscId].sort());
    expectError(await h().request('GET', `/api/v1/programmes/${sscId}`, { session: s.clerkB }), 404, 'OUT_OF_SCOPE');
  });

  it('refuses a bank as receiver of residence permits and a non-producer as producer', async () => {
    const res = await h().request('POST', '/api/v1/programmes', {
      session: manager,
      body: { kind: 'RESIDENCE_PERMIT', name: '错误项目', authorityOrgId: city.city.id, producerOrgIds: [city.outletA.id], receiverOrgIds: [city.bank.id] },
    });
    const error = expectError(res, 400, 'PROGRAMME_INVALID');
    expect((error.details as { problems: string[] }).problems).toHaveLength(2);
  });

  it('PATCH changes settings and participants; a district reviewer cannot', async () => {
    const res = await h().request('PATCH', `/api/v1/programmes/${rpId}`, { session: manager, body: { batchSizeLimit: 500, deliveryDeadline: { amount: 7, unit: 'WORKING_DAYS' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ batchSizeLimit: 500, deliveryDeadline: { amount: 7, unit: 'WORKING_DAYS' }, receivers: expect.arrayContaining([expect.objectContaining({ id: city.outletB.id })]) });
    expectError(await h().request('PATCH', `/api/v1/programmes/${rpId}`, { session: s.reviewer, body: { batchSizeLimit: 1 } }), 403, 'FORBIDDEN');
  });
});

describe('intake at the counter', () => {
  let id = '';

  it('creates an application with masked values only; the database holds tokens', async () => {
    const body = applicant(1);
    const photo = fakeJpeg(358, 441, 100 * 1024);
    const res = await submit({ ...body, photoJpegBase64: photoBase64(photo) });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json() as Record<string, unknown>;
    id = view.id as string;
    expect(view).toMatchObject({ status: 'SUBMITTED', kind: 'NEW', outletOrgId: city.outletA.id, nameMasked: '申*', phoneMasked: '139****0001', hasPhoto: true });
    expect(view.applicationNo).toMatch(/^RP-\d{8}-\d{6}$/);
    for (const plain of [body.citizenId, body.name, body.phone, body.hukouAddress, body.residenceAddress]) expect(res.body).not.toContain(plain);
    const [row] = await h().ctx.db.orm.select().from(applications).where(eq(applications.id, id));
    for (const col of [row!.nameEnc, row!.citizenIdEnc, row!.phoneEnc, row!.hukouAddressEnc!, row!.residenceAddressEnc!]) expect(col.startsWith('v1.')).toBe(true);
    expect(decryptField(h().ctx.keyring, row!.citizenIdEnc)).toBe(body.citizenId);
    const [p] = await h().ctx.db.orm.select().from(applicationPhotos).where(eq(applicationPhotos.applicationId, id));
    expect(p!.photoEnc.includes(photo.subarray(0, 64))).toBe(false);
    expect(decryptBytes(h().ctx.keyring, p!.photoEnc).equals(photo)).toBe(true);
    const audit = await auditEntryFor(h().ctx, res);
    expect(JSON.stringify(audit)).not.toContain(body.citizenId);

    const detail = await h().request('GET', `/api/v1/applications/${id}`, { session: s.reviewer });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id, events: [{ type: 'SUBMITTED' }], residenceAddressMasked: '常州市武进区****' });
    for (const plain of [body.citizenId, body.name, body.phone, body.residenceAddress]) expect(detail.body).not.toContain(plain);
    const list = await h().request('GET', `/api/v1/applications?programmeId=${rpId}`, { session: s.clerkA });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id }] });
    expect(list.body).not.toContain(body.citizenId);
  });

  it('the photo is shown to a reviewer and every view is audited', async () => {
    const res = await h().request('GET', `/api/v1/applications/${id}/photo`, { session: s.reviewer });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.rawPayload.length).toBe(100 * 1024);
    expect(await auditEntryFor(h().ctx, res)).toMatchObject({ action: 'application.photo.view', outcome: 'SUCCESS', targetId: id });
  });

  it('reveals the full ID number only through the audited unmask', async () => {
    const res = await h().request('POST', '/api/v1/pii/unmask', { session: manager, body: { targetType: 'application', targetId: id, field: 'citizenId', reason: '核对身份信息' } });
    expect(res.json()).toEqual({ value: applicant(1).citizenId });
    expect((await auditEntryFor(h().ctx, res)).action).toBe('pii.unmask');
  });

  it('a clerk of outlet B cannot read, list or see the photo of outlet A applications', async () => {
    expectError(await h().request('GET', `/api/v1/applications/${id}`, { session: s.clerkB }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('GET', `/api/v1/applications/${id}/photo`, { session: s.clerkB }), 404, 'OUT_OF_SCOPE');
    expect((await h().request('GET', '/api/v1/applications', { session: s.clerkB })).json()).toEqual({ items: [], total: 0 });
  });

  it('a second open application of the same person is APPLICATION_DUPLICATE, also from another outlet', async () => {
    const before = await countRows(h().ctx, applications);
    const error = expectError(await submit(applicant(1), s.clerkB), 409, 'APPLICATION_DUPLICATE');
    expect(error.message).toMatch(/RP-\d{8}-\d{6}/);
    expect(await countRows(h().ctx, applications)).toBe(before);
  });

  it('the database refuses a second open application even without the service check', async () => {
    const [row] = await h().ctx.db.orm.select().from(applications).where(eq(applications.id, id));
    const { id: _id, applicationNo: _no, ...rest } = row!;
    await expect(h().ctx.db.orm.insert(applications).values({ ...rest, applicationNo: 'RP-20260101-999999' })).rejects.toThrow();
  });

  it.each([
    ['invalid ID', { citizenId: '110101199003070012' }, 400, 'ID_CHECKSUM_INVALID'],
    ['invalid phone', { phone: '1234567' }, 400, 'PHONE_INVALID'],
    ['sex mismatch', { sex: 'F' }, 400, 'APPLICANT_SEX_MISMATCH'],
    ['birth date mismatch', { birthDate: '1971-02-12' }, 400, 'APPLICANT_BIRTHDATE_MISMATCH'],
    ['a PNG photo', { photoJpegBase64: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64') }, 400, 'PHOTO_NOT_JPEG'],
    ['an oversize photo', { photoJpegBase64: photoBase64(fakeJpeg(358, 441, 100 * 1024 + 1)) }, 400, 'PHOTO_SIZE_INVALID'],
    ['a photo of the wrong size', { photoJpegBase64: photoBase64(fakeJpeg(300, 400)) }, 400, 'PHOTO_SIZE_INVALID'],
    ['no photo', { photoJpegBase64: null }, 400, 'PHOTO_REQUIRED'],
    ['no basis for a permit', { basis: null }, 400, 'APPLICATION_INVALID'],
    ['an unknown ethnicity', { ethnicity: '60' }, 400, 'APPLICATION_INVALID'],
  ])('%s → %s', async (_name, patch, status, code) => {
    const before = await countRows(h().ctx, applications);
    const res = await submit({ ...applicant(2), ...patch });
    const error = expectError(res, status, code);
    if (code === 'PHOTO_SIZE_INVALID') expect(error.message).toContain('358×441');
    expect(await countRows(h().ctx, applications)).toBe(before);
  });

  it('a social security card needs a participating bank; PREFABRICATED is allowed there', async () => {
    const base = { programmeId: sscId, ...applicant(3), basis: null, kind: 'PREFABRICATED' };
    expectError(await submit({ ...base, bankOrgId: city.bank.id }), 400, 'APPLICATION_INVALID');
    const res = await submit({ ...base, bankOrgId: city.branch.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ cardKind: 'SOCIAL_SECURITY_CARD', kind: 'PREFABRICATED', bankOrgId: city.branch.id });
    expect((res.json() as { applicationNo: string }).applicationNo).toMatch(/^SC-/);
    expectError(await submit({ ...applicant(4), kind: 'PREFABRICATED' }), 400, 'APPLICATION_INVALID');
  });

  it('an endorsement is completed at the counter, without a photo', async () => {
    const res = await submit({ ...applicant(1), kind: 'ENDORSEMENT', photoJpegBase64: null });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'ENDORSED', hasPhoto: false });
    const [event] = await h().ctx.db.orm.select().from(applicationEvents).where(eq(applicationEvents.applicationId, (res.json() as { id: string }).id));
    expect(event!.type).toBe('ENDORSED');
  });

  it('clerk B cannot apply for a programme its outlet is not part of', async () => {
    expectError(await submit({ programmeId: sscId, ...applicant(5), basis: null, bankOrgId: city.branch.id }, s.clerkB), 404, 'OUT_OF_SCOPE');
  });

  it('application events cannot be changed', async () => {
    await expect(h().ctx.db.orm.update(applicationEvents).set({ type: 'APPROVED' })).rejects.toThrow();
  });
});
