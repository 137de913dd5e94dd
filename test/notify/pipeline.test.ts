import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationOutbox } from '../../src/modules/applications/schema.ts';
import { smsMessages, smsSubmitAttempts } from '../../src/modules/notify/schema.ts';
import { startSmsWorker, type SmsWorker } from '../../src/modules/notify/worker.ts';
import { useHarness } from '../helpers/app.ts';
import { applicant } from '../applications/fixtures.ts';
import { seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { producedCards, receiveAll, ship } from '../logistics/fixtures.ts';
import { approvedTemplate, colleague, registerSignature } from './send-fixtures.ts';

/*
 * The whole pipe, as `cardflow serve` runs it: a clerk confirms a parcel, the cards' holders get their
 * "card ready" notice through the approved template, the worker submits to the in-process SMSC, the
 * receipts come back. No quiet hours, so that the test does not depend on the time of day it runs.
 */
const h = useHarness({ smsQuietHours: '00:00-24:00' });
let lc: Lifecycle;
let worker: SmsWorker | null = null;
const phones = [401, 402, 403].map((n) => applicant(n).phone);

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  lc = await seedLifecycle(h());
  const approver = await colleague(h(), 'ready_approver', lc.city.city.id);
  const signatureId = await registerSignature(h(), lc.manager, '常州市公安局');
  await approvedTemplate(h(), lc.manager, approver, { name: 'card-ready', signatureId, body: '您的居住证（申请号{applicationNo}）已到{outletName}，请携带身份证领取。' });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
});

describe('card ready → SMS', () => {
  it('sends each holder exactly one correct message when the clerk confirms the parcel, and the receipts come back', async () => {
    const cards = await producedCards(h(), lc, 'rp', 401, 3);
    const shipment = await ship(h(), lc.sessions.producer, lc.city.outletA.id, cards.map((c) => c.id));
    await receiveAll(h(), lc.sessions.clerkA, shipment, cards.map((c) => c.cardNo!));
    const notices = await h().ctx.db.orm.select().from(notificationOutbox).where(inArray(notificationOutbox.applicationId, cards.map((c) => c.applicationId)));
    expect(notices.map((n) => n.kind)).toEqual(['CARD_READY', 'CARD_READY', 'CARD_READY']);
    const keys = notices.map((n) => n.idempotencyKey);

    worker = await startSmsWorker(h().ctx, h().ctx.logger);
    const messages = await until(
      'three delivered messages',
      () => h().ctx.db.orm.select().from(smsMessages).where(inArray(smsMessages.idempotencyKey, keys)),
      (rows) => rows.length === 3 && rows.every((m) => m.status === 'DELIVERED'),
    );
    expect(messages.every((m) => m.deliveredAt !== null)).toBe(true);

    const parts = worker.simulator!.stats().parts;
    for (const phone of phones) {
      const got = parts.filter((p) => p.to === phone);
      expect(got, phone).toHaveLength(1);
      expect(got[0]!.text).toMatch(/^【常州市公安局】您的居住证（申请号\S+）已到湖塘派出所受理点，请携带身份证领取。$/);
    }
    const attempts = await h().ctx.db.orm.select().from(smsSubmitAttempts).where(inArray(smsSubmitAttempts.messageId, messages.map((m) => m.id)));
    expect(attempts).toHaveLength(3);
    const relayed = await h().ctx.db.orm.select({ status: notificationOutbox.status }).from(notificationOutbox).where(inArray(notificationOutbox.idempotencyKey, keys));
    expect(relayed.map((n) => n.status)).toEqual(['SENT', 'SENT', 'SENT']);
  }, 120_000);

  it('shows them delivered with masked numbers, and sends nothing more on the next relay rounds', async () => {
    const before = worker!.simulator!.stats().accepted;
    await new Promise((r) => setTimeout(r, 6_000));
    expect(worker!.simulator!.stats().accepted).toBe(before);
    const res = await h().request('GET', '/api/v1/sms/messages?status=DELIVERED', { session: lc.manager });
    expect(res.statusCode, res.body).toBe(200);
    const listed = (res.json() as { items: { phoneMasked: string; status: string }[] }).items;
    expect(listed).toHaveLength(3);
    for (const m of listed) expect(m.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
    for (const phone of phones) expect(JSON.stringify(listed)).not.toContain(phone);
  }, 60_000);
});
