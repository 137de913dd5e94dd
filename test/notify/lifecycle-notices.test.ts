import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notificationOutbox } from '../../src/modules/applications/schema.ts';
import { relayLifecycleNotices } from '../../src/modules/notify/lifecycle-notices.ts';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import { encryptField } from '../../src/platform/crypto/field-cipher.ts';
import type { Session } from '../helpers/app.ts';
import { useHarness } from '../helpers/app.ts';
import { applicant, photoBase64 } from '../applications/fixtures.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { approvedTemplate, colleague, registerSignature } from './send-fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let approver: Session;
let district: Session;
let districtApprover: Session;
let citySignature = '';
const rejected: { id: string; applicationNo: string }[] = [];

async function reject(n: number) {
  const res = await h().request('POST', '/api/v1/applications', {
    session: lc.sessions.clerkA,
    body: { programmeId: lc.rp.id, ...applicant(n), photoJpegBase64: photoBase64(fakeJpeg(358, 441, 20 * 1024)) },
  });
  expect(res.statusCode, res.body).toBe(201);
  const app = res.json() as { id: string; applicationNo: string };
  const r = await h().request('POST', `/api/v1/applications/${app.id}/reject`, { session: lc.sessions.reviewer, body: { reasonCodes: ['PHOTO_UNSUITABLE'], note: '背景须为白色' } });
  expect(r.statusCode, r.body).toBe(200);
  rejected.push(app);
}

async function notices(kind: string) {
  return h().ctx.db.orm.select().from(notificationOutbox).where(eq(notificationOutbox.kind, kind));
}

async function smsFor(keys: string[]) {
  return keys.length ? h().ctx.db.orm.select().from(smsMessages).where(inArray(smsMessages.idempotencyKey, keys)) : [];
}

beforeAll(async () => {
  lc = await seedLifecycle(h());
  approver = await colleague(h(), 'notice_approver', lc.city.city.id);
  district = await colleague(h(), 'district_author', lc.city.district.id);
  districtApprover = await colleague(h(), 'district_approver', lc.city.district.id);
  citySignature = await registerSignature(h(), lc.manager, '常州市公安局');
  await reject(701);
  await reject(702);
});

describe('lifecycle notices', () => {
  it('wait PENDING while no approved template exists for their kind', async () => {
    expect(await relayLifecycleNotices(h().ctx, 100)).toEqual({ sent: 0, failed: 0, waiting: 0 });
    expect((await notices('APPLICATION_REJECTED')).map((n) => n.status)).toEqual(['PENDING', 'PENDING']);
  });

  it('pass over a template with a placeholder the kind cannot fill, or a marketing one', async () => {
    await approvedTemplate(h(), lc.manager, approver, { name: 'application-rejected', signatureId: citySignature, body: '{outletName}退回了您的申请' });
    await approvedTemplate(h(), lc.manager, approver, { name: 'card-ready', signatureId: citySignature, body: '证件已到', category: 'MARKETING' });
    expect(await relayLifecycleNotices(h().ctx, 100)).toEqual({ sent: 0, failed: 0, waiting: 0 });
    expect((await notices('APPLICATION_REJECTED')).map((n) => n.status)).toEqual(['PENDING', 'PENDING']);
  });

  it('become one SMS each through the approved template, with every reason, and are marked SENT', async () => {
    const list = (await h().request('GET', '/api/v1/sms/templates?name=application-rejected', { session: lc.manager })).json() as { items: { id: string }[] };
    const edit = await h().request('PUT', `/api/v1/sms/templates/${list.items[0]!.id}`, {
      session: lc.manager,
      body: { signatureId: citySignature, category: 'NOTIFICATION', body: '您的申请（受理号{applicationNo}）未通过审核：{reasons}。说明：{note}' },
    });
    const v2 = edit.json() as { id: string };
    await h().request('POST', `/api/v1/sms/templates/${v2.id}/submit`, { session: lc.manager });
    await h().request('POST', `/api/v1/sms/templates/${v2.id}/approve`, { session: approver });

    expect(await relayLifecycleNotices(h().ctx, 100)).toEqual({ sent: 2, failed: 0, waiting: 0 });
    const rows = await notices('APPLICATION_REJECTED');
    expect(rows.map((n) => n.status)).toEqual(['SENT', 'SENT']);
    const sms = await smsFor(rows.map((n) => n.idempotencyKey));
    expect(sms).toHaveLength(2);
    const first = sms.find((m) => m.idempotencyKey === `APPLICATION_REJECTED:${rejected[0]!.id}`)!;
    expect(first.text).toMatch(new RegExp(`^【常州市公安局】您的申请（受理号${rejected[0]!.applicationNo}）未通过审核：.+。说明：背景须为白色$`));
    expect(first).toMatchObject({ templateId: v2.id, category: 'NOTIFICATION', senderOrgId: lc.city.city.id, quietHoursExempt: false, status: 'QUEUED' });
  });

  it('are sent exactly once: a second run finds nothing, and a notice put back to PENDING makes no second SMS', async () => {
    expect(await relayLifecycleNotices(h().ctx, 100)).toEqual({ sent: 0, failed: 0, waiting: 0 });
    const [one] = await notices('APPLICATION_REJECTED');
    // As if the mark had been lost after the SMS was queued.
    await h().ctx.db.orm.update(notificationOutbox).set({ status: 'PENDING' }).where(eq(notificationOutbox.id, one!.id));
    const [a, b] = await Promise.all([relayLifecycleNotices(h().ctx, 100), relayLifecycleNotices(h().ctx, 100)]);
    expect(a.sent + b.sent).toBe(1);
    expect(await smsFor([one!.idempotencyKey])).toHaveLength(1);
    expect((await notices('APPLICATION_REJECTED')).every((n) => n.status === 'SENT')).toBe(true);
  });

  it('use the template of the nearest organisation above the outlet, and fail a notice that can never be sent', async () => {
    const districtSignature = await registerSignature(h(), district, '武进分局');
    await approvedTemplate(h(), lc.manager, approver, { name: 'endorsement-due', signatureId: citySignature, body: '市局：请于{dueDate}前签注' });
    await approvedTemplate(h(), district, districtApprover, { name: 'endorsement-due', signatureId: districtSignature, body: '请于{dueDate}前办理签注（受理号{applicationNo}）' });
    const app = rejected[0]!;
    const base = { kind: 'ENDORSEMENT_DUE', applicationId: app.id, payload: { applicationNo: app.applicationNo, dueDate: '2027-03-01' } };
    await h()
      .ctx.db.orm.insert(notificationOutbox)
      .values([
        { ...base, recipientPhoneEnc: encryptField(h().ctx.keyring, '13800000701'), idempotencyKey: 'ENDORSEMENT_DUE:test:ok' },
        { ...base, recipientPhoneEnc: encryptField(h().ctx.keyring, '0519-88881234'), idempotencyKey: 'ENDORSEMENT_DUE:test:landline' },
      ]);
    expect(await relayLifecycleNotices(h().ctx, 100)).toEqual({ sent: 1, failed: 1, waiting: 0 });
    const [sms] = await smsFor(['ENDORSEMENT_DUE:test:ok']);
    expect(sms!.text).toBe(`【武进分局】请于2027-03-01前办理签注（受理号${app.applicationNo}）`);
    expect(sms!.senderOrgId).toBe(lc.city.district.id);
    expect(Object.fromEntries((await notices('ENDORSEMENT_DUE')).map((n) => [n.idempotencyKey, n.status]))).toEqual({
      'ENDORSEMENT_DUE:test:ok': 'SENT',
      'ENDORSEMENT_DUE:test:landline': 'FAILED',
    });
    expect(await smsFor(['ENDORSEMENT_DUE:test:landline'])).toHaveLength(0);
  });
});
