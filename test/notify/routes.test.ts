import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { storeReceipt } from '../../src/modules/notify/receipts-store.ts';
import { smsMessages, smsSubmitAttempts } from '../../src/modules/notify/schema.ts';
import { shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { mobile, notice } from './fixtures.ts';

const h = useHarness();
let city: Awaited<ReturnType<typeof seedCity>>;
let manager: Session;
let ids: string[];
const today = shanghaiDate(new Date());

/** Puts a message through submit and its receipts by hand: the routes only read what the dispatcher wrote. */
async function deliver(id: string, smscId: string, receivedAfterMs: number) {
  const ctx = h().ctx;
  const submittedAt = new Date(Date.now() - receivedAfterMs);
  const startedAt = new Date();
  await ctx.db.orm.insert(smsSubmitAttempts).values({ messageId: id, provider: 'routes', outcome: 'ACCEPTED', smscIds: [smscId], startedAt, finishedAt: new Date(startedAt.getTime() + 1) });
  await ctx.db.orm.update(smsMessages).set({ status: 'SUBMITTED', submittedAt, provider: 'routes', attempts: 1 }).where(eq(smsMessages.id, id));
  await storeReceipt(ctx, 'routes', { messageId: smscId, status: 'DELIVERED', stat: 'DELIVRD', errorCode: null, doneAt: null });
}

beforeAll(async () => {
  city = await seedCity(h().ctx);
  manager = await h().login(city.usernames.AUTHORITY_MANAGER);
  const results = await enqueueSms(h().ctx, h().ctx.db.orm, [
    notice(city.city.id, mobile(1)),
    notice(city.city.id, mobile(2)),
    notice(city.outletB.id, mobile(3)),
    notice(city.city.id, mobile(4), { templateId: '7d1f0c1e-1d7a-4c1e-9f3b-2f8a6a7b9c01' }),
  ]);
  ids = results.map((r) => r.id);
  await deliver(ids[0]!, '9001', 1_000);
  await deliver(ids[1]!, '9002', 3_000);
});

describe('SMS message routes', () => {
  it('lists messages with masked numbers and filters by status, number, template and date', async () => {
    const all = await h().request('GET', '/api/v1/sms/messages', { session: manager });
    expect(all.statusCode).toBe(200);
    const items = (all.json() as { items: Array<{ id: string; phoneMasked: string; status: string; costMilliFen: number }> }).items;
    expect(items.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(all.body).not.toContain(mobile(1));
    expect(items.find((m) => m.id === ids[0])).toMatchObject({ phoneMasked: '139****0001', status: 'DELIVERED', costMilliFen: 3500 });

    const delivered = (await h().request('GET', '/api/v1/sms/messages?status=DELIVERED', { session: manager })).json() as { items: Array<{ id: string }> };
    expect(delivered.items.map((m) => m.id).sort()).toEqual([ids[0], ids[1]].sort());
    const byPhone = (await h().request('GET', `/api/v1/sms/messages?phone=${mobile(3)}`, { session: manager })).json() as { items: Array<{ id: string }> };
    expect(byPhone.items.map((m) => m.id)).toEqual([ids[2]]);
    const byTemplate = (await h().request('GET', '/api/v1/sms/messages?templateId=7d1f0c1e-1d7a-4c1e-9f3b-2f8a6a7b9c01', { session: manager })).json() as { items: Array<{ id: string }> };
    expect(byTemplate.items.map((m) => m.id)).toEqual([ids[3]]);
    const yesterday = (await h().request('GET', '/api/v1/sms/messages?from=2020-01-01&to=2020-01-02', { session: manager })).json() as { items: unknown[] };
    expect(yesterday.items).toHaveLength(0);
    const bad = await h().request('GET', `/api/v1/sms/messages?from=${today}&to=2020-01-01`, { session: manager });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('SMS_DATE_RANGE_INVALID');
  });

  it('shows only the messages of organisations in scope', async () => {
    const clerk = await h().login('clerk_b');
    const res = await h().request('GET', '/api/v1/sms/messages', { session: clerk });
    // Outlet clerks have no sms.read.
    expect(res.statusCode).toBe(403);
    const provider = await h().login(city.usernames.SMS_OPERATOR);
    const seen = (await h().request('GET', '/api/v1/sms/messages', { session: provider })).json() as { items: unknown[] };
    expect(seen.items).toHaveLength(4);
  });

  it('shows one message with its attempts, receipts per segment and timeline', async () => {
    const res = await h().request('GET', `/api/v1/sms/messages/${ids[0]}`, { session: manager });
    expect(res.statusCode).toBe(200);
    const m = res.json() as { attemptList: Array<{ outcome: string; smscIds: string[] }>; receipts: Array<{ segment: number; stat: string }>; events: Array<{ kind: string }> };
    expect(m.attemptList).toEqual([expect.objectContaining({ outcome: 'ACCEPTED', smscIds: ['9001'] })]);
    expect(m.receipts).toEqual([expect.objectContaining({ segment: 1, stat: 'DELIVRD' })]);
    expect(m.events.map((e) => e.kind)).toEqual(['CREATED', 'ATTEMPT', 'ATTEMPT_SETTLED', 'RECEIPT', 'FINISHED']);
    const missing = await h().request('GET', '/api/v1/sms/messages/00000000-0000-4000-8000-000000000000', { session: manager });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('SMS_MESSAGE_NOT_FOUND');
  });

  it('reports counts, delivery rate, latency percentiles and unmatched receipts for a day range', async () => {
    await storeReceipt(h().ctx, 'routes', { messageId: 'unknown-1', status: 'DELIVERED', stat: 'DELIVRD', errorCode: null, doneAt: null });
    const res = await h().request('GET', `/api/v1/sms/stats?from=${today}&to=${today}`, { session: manager });
    expect(res.statusCode).toBe(200);
    const s = res.json() as { byStatus: Record<string, number>; messages: number; deliveryRate: number; latencyMs: { p50: number; p99: number }; unmatchedReceipts: number };
    expect(s.byStatus).toMatchObject({ DELIVERED: 2, QUEUED: 2, FAILED: 0 });
    expect(s.messages).toBe(4);
    expect(s.deliveryRate).toBe(1);
    expect(s.latencyMs.p50).toBeGreaterThanOrEqual(900);
    expect(s.latencyMs.p99).toBeGreaterThanOrEqual(2_900);
    expect(s.latencyMs.p99).toBeLessThan(60_000);
    expect(s.unmatchedReceipts).toBe(1);
  });

  it('adds, lists and removes block list entries; adding blocks what is queued', async () => {
    const add = await h().request('POST', '/api/v1/sms/blocklist', { session: manager, body: { phone: mobile(4), signature: '常州公安' } });
    expect(add.statusCode).toBe(201);
    const entry = add.json() as { id: string; phoneMasked: string; source: string };
    expect(entry).toMatchObject({ phoneMasked: '139****0004', source: 'MANUAL' });
    const [queued] = await h().ctx.db.orm.select().from(smsMessages).where(eq(smsMessages.id, ids[3]!));
    expect(queued!.status).toBe('BLOCKED');
    const list = (await h().request('GET', `/api/v1/sms/blocklist?phone=${mobile(4)}`, { session: manager })).json() as { items: Array<{ id: string }> };
    expect(list.items.map((e) => e.id)).toEqual([entry.id]);
    const auditor = await h().login(city.usernames.AUDITOR);
    expect((await h().request('POST', '/api/v1/sms/blocklist', { session: auditor, body: { phone: mobile(5), signature: '常州公安' } })).statusCode).toBe(403);
    const badPhone = await h().request('POST', '/api/v1/sms/blocklist', { session: manager, body: { phone: '025-84420000', signature: '常州公安' } });
    expect(badPhone.json().error.code).toBe('PHONE_INVALID');
    expect((await h().request('DELETE', `/api/v1/sms/blocklist/${entry.id}`, { session: manager })).statusCode).toBe(200);
    const again = await h().request('DELETE', `/api/v1/sms/blocklist/${entry.id}`, { session: manager });
    expect(again.json().error.code).toBe('SMS_BLOCK_NOT_FOUND');
  });
});
