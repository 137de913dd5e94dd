import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, notificationOutbox } from '../../src/modules/applications/schema.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../../src/modules/calendar/zone.ts';
import { queueEndorsementNotices } from '../../src/modules/reports/notices.ts';
import { useHarness } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { applicant, photoBase64 } from '../applications/fixtures.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let endorsedId = '';
let endorsedOn = '';
let rejectedNo = '';
let rejectedPhoneMasked = '';

async function submit(n: number, overrides: Record<string, unknown> = {}) {
  const res = await h().request('POST', '/api/v1/applications', {
    session: lc.sessions.clerkA,
    body: { programmeId: lc.rp.id, ...applicant(n, overrides), photoJpegBase64: photoBase64(fakeJpeg(358, 441, 20 * 1024)) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; applicationNo: string; status: string; phoneMasked: string };
}

async function dueNotices() {
  return h().ctx.db.orm.select().from(notificationOutbox).where(and(eq(notificationOutbox.kind, 'ENDORSEMENT_DUE'), eq(notificationOutbox.applicationId, endorsedId)));
}

beforeAll(async () => {
  lc = await seedLifecycle(h());
  const endorsed = await submit(1, { kind: 'ENDORSEMENT' });
  expect(endorsed.status).toBe('ENDORSED');
  endorsedId = endorsed.id;
  const [event] = await h().ctx.db.orm.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, endorsedId), eq(applicationEvents.type, 'ENDORSED')));
  endorsedOn = shanghaiDate(event!.at);
  const rejected = await submit(2);
  rejectedNo = rejected.applicationNo;
  rejectedPhoneMasked = rejected.phoneMasked;
  const res = await h().request('POST', `/api/v1/applications/${rejected.id}/reject`, { session: lc.sessions.reviewer, body: { reasonCodes: ['PHOTO_UNSUITABLE'] } });
  expect(res.statusCode, res.body).toBe(200);
});

/** Noon (Shanghai) of the day `days` after the endorsement, `years` later. */
function at(years: number, days: number): Date {
  const [y, m, d] = endorsedOn.split('-');
  return shanghaiInstant(addDaysToDate(`${Number(y) + years}-${m}-${d}`, days), 12 * 60);
}

describe('endorsement due notices', () => {
  it('queue nothing while the anniversary is more than 30 days away', async () => {
    expect(await queueEndorsementNotices(h().ctx, at(0, 100))).toBe(0);
    expect(await queueEndorsementNotices(h().ctx, at(1, -31))).toBe(0);
    expect(await dueNotices()).toEqual([]);
  });

  it('queue one notice within 30 days of the anniversary, once however often it runs', async () => {
    expect(await queueEndorsementNotices(h().ctx, at(1, -30))).toBe(1);
    expect(await queueEndorsementNotices(h().ctx, at(1, -10))).toBe(0);
    expect(await queueEndorsementNotices(h().ctx, at(1, 0))).toBe(0);
    const rows = await dueNotices();
    expect(rows).toHaveLength(1);
    const [y, m, d] = endorsedOn.split('-');
    expect(rows[0]!.payload).toMatchObject({ dueDate: `${Number(y) + 1}-${m}-${d}` });
    expect(rows[0]!.status).toBe('PENDING');
    expect(rows[0]!.recipientPhoneEnc.startsWith('v1.')).toBe(true);
  });

  it('queue the next year’s notice a year later', async () => {
    expect(await queueEndorsementNotices(h().ctx, at(2, -5))).toBe(1);
    expect(await dueNotices()).toHaveLength(2);
  });

  it('leave applications that were never issued or endorsed alone', async () => {
    const rejected = await h().ctx.db.orm.select().from(applications).where(eq(applications.applicationNo, rejectedNo));
    const notices = await h().ctx.db.orm.select().from(notificationOutbox).where(eq(notificationOutbox.applicationId, rejected[0]!.id));
    expect(notices.map((n) => n.kind)).toEqual(['APPLICATION_REJECTED']);
  });
});

describe('notification outbox in the console', () => {
  interface Notice {
    kind: string;
    status: string;
    applicationNo: string;
    recipientMasked: string;
    payload: Record<string, unknown>;
  }

  it('lists the notices of my outlet with the masked mobile number only', async () => {
    const res = await h().request('GET', '/api/v1/notifications', { session: lc.sessions.outletManager });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Notice[]; total: number };
    expect(body.total).toBe(3);
    expect(body.items.map((n) => n.kind).sort()).toEqual(['APPLICATION_REJECTED', 'ENDORSEMENT_DUE', 'ENDORSEMENT_DUE']);
    const rejected = body.items.find((n) => n.kind === 'APPLICATION_REJECTED')!;
    expect(rejected.applicationNo).toBe(rejectedNo);
    expect(rejected.recipientMasked).toBe(rejectedPhoneMasked);
    expect(rejected.recipientMasked).toContain('*');
    for (const n of [1, 2]) {
      expect(res.body).not.toContain(applicant(n).phone);
      expect(res.body).not.toContain(applicant(n).citizenId);
    }
  });

  it('filters by kind and status', async () => {
    const res = await h().request('GET', '/api/v1/notifications?kind=APPLICATION_REJECTED&status=PENDING', { session: lc.sessions.manager });
    expect((res.json() as { items: Notice[] }).items.map((n) => n.applicationNo)).toEqual([rejectedNo]);
    const sent = await h().request('GET', '/api/v1/notifications?status=SENT', { session: lc.sessions.manager });
    expect((sent.json() as { total: number }).total).toBe(0);
    expectError(await h().request('GET', '/api/v1/notifications?kind=PIGEON', { session: lc.sessions.manager }), 400, 'VALIDATION_FAILED');
  });

  it('shows a producer nothing and refuses a clerk', async () => {
    const res = await h().request('GET', '/api/v1/notifications', { session: lc.sessions.producer });
    expect((res.json() as { total: number }).total).toBe(0);
    expectError(await h().request('GET', '/api/v1/notifications', { session: lc.sessions.clerkA }), 403, 'FORBIDDEN');
  });
});
