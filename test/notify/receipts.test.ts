import { afterEach, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { storeReceipt, storeReceipts } from '../../src/modules/notify/receipts-store.ts';
import { smsMessages, smsReceipts } from '../../src/modules/notify/schema.ts';
import { smsStats } from '../../src/modules/notify/messages-query.ts';
import type { Dispatcher } from '../../src/modules/notify/dispatcher.ts';
import type { Gateway } from '../../src/modules/notify/gateway.ts';
import type { Simulator } from '../../src/modules/notify/simulator/index.ts';
import { LONG_NOTICE } from '../../src/modules/notify/simulator/testing.ts';
import { shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { useTestContext } from '../helpers/context.ts';
import { mobile, notice, senderOrg } from './fixtures.ts';
import { acceptedPerNumber, attemptsOf, dispatcherFor, gatewayTo, simulator, untilAll } from './harness.ts';

const ctx = useTestContext();
const running: Array<{ sim: Simulator; gateway: Gateway; dispatcher: Dispatcher }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.dispatcher.stop();
    await r.gateway.stop({ graceMs: 0 });
    await r.sim.stop();
  }
});

let base = 7000;
async function pipe(simOpts: Parameters<typeof simulator>[0] = {}, gatewayExtra: Parameters<typeof gatewayTo>[1] = {}) {
  const sim = await simulator(simOpts);
  const gateway = gatewayTo(sim, gatewayExtra);
  const provider = `receipts-${base}`;
  const dispatcher = dispatcherFor(ctx(), gateway, { provider });
  dispatcher.attach();
  await gateway.start();
  running.push({ sim, gateway, dispatcher });
  return { sim, dispatcher, provider };
}

async function enqueue(n: number, text?: string) {
  const org = await senderOrg(ctx());
  const phones = Array.from({ length: n }, () => mobile(base++));
  const ids = (await enqueueSms(ctx(), ctx().db.orm, phones.map((p) => notice(org, p, text ? { text } : {})))).map((r) => r.id);
  return { ids, phones };
}

/** Two three-segment messages submitted without receipts, with the SMSC's id of each segment. */
async function twoLongSubmitted() {
  const { dispatcher, provider } = await pipe({ receipts: false });
  const { ids } = await enqueue(2, LONG_NOTICE);
  dispatcher.start();
  await untilAll(ctx(), ids, 'SUBMITTED');
  const attempts = await attemptsOf(ctx(), ids);
  const idsOf = (messageId: string) => attempts.find((a) => a.messageId === messageId)!.smscIds;
  return { provider, ids, first: idsOf(ids[0]!), second: idsOf(ids[1]!) };
}

async function admin() {
  const root = await ensureRootOrg(ctx());
  return principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'test', roles: ['ADMIN'] }, root, 'CLI');
}

const receipt = (messageId: string, stat = 'DELIVRD') => ({
  messageId,
  status: stat === 'DELIVRD' ? ('DELIVERED' as const) : ('FAILED' as const),
  stat,
  errorCode: stat === 'DELIVRD' ? null : '001',
  doneAt: new Date(),
});

describe('delivery receipts', () => {
  it('keeps a receipt with an id nobody knows and reports it', async () => {
    const today = shanghaiDate(new Date());
    const before = await smsStats(ctx(), await admin(), { from: today, to: today });
    await storeReceipt(ctx(), 'nobody', receipt('4242424242'));
    const rows = await ctx().db.orm.select().from(smsReceipts).where(eq(smsReceipts.smscMessageId, '4242424242'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.stat).toBe('DELIVRD');
    const after = await smsStats(ctx(), await admin(), { from: today, to: today });
    expect(after.unmatchedReceipts).toBe(before.unmatchedReceipts + 1);
  });

  it('matches a receipt that arrives before the submit answer when the answer is written', async () => {
    const { sim, dispatcher } = await pipe({ responseDelayMs: 150, receipts: { delayMs: 0 } });
    const { ids, phones } = await enqueue(3);
    dispatcher.start();
    await untilAll(ctx(), ids, 'DELIVERED');
    for (const p of phones) expect(acceptedPerNumber(sim).get(p)).toBe(1);
    const [row] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, ids[0]!));
    expect(row!.deliveredAt!.getTime()).toBeGreaterThanOrEqual(row!.submittedAt!.getTime() - 1_000);
  });

  it('counts receipts per segment: a long UCS-2 message is delivered when its last segment is', async () => {
    const { provider, ids, first, second } = await twoLongSubmitted();
    expect(first).toHaveLength(3);
    await storeReceipt(ctx(), provider, receipt(first[0]!));
    await storeReceipt(ctx(), provider, receipt(first[2]!));
    // The SMSC repeats a receipt: it is kept, and changes nothing.
    await storeReceipt(ctx(), provider, receipt(first[2]!));
    let [m] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, ids[0]!));
    expect(m!.status).toBe('SUBMITTED');
    await storeReceipt(ctx(), provider, receipt(first[1]!));
    [m] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, ids[0]!));
    expect(m!.status).toBe('DELIVERED');
    const stored = await ctx().db.orm.select().from(smsReceipts).where(and(eq(smsReceipts.provider, provider), inArray(smsReceipts.smscMessageId, first)));
    expect(stored).toHaveLength(4);
    expect(m!.deliveredAt!.getTime()).toBe(Math.max(...stored.map((r) => r.receivedAt.getTime())));

    await storeReceipt(ctx(), provider, receipt(second[0]!));
    await storeReceipt(ctx(), provider, receipt(second[1]!, 'MBBLACK'));
    const [failed] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, ids[1]!));
    expect(failed!.status).toBe('FAILED');
    expect(failed!.failureCode).toBe('MBBLACK');
  });

  it('settles a long message whose segment receipts come in one batch, and one whose batch names only some', async () => {
    const { provider, ids, first, second } = await twoLongSubmitted();
    await storeReceipts(ctx(), provider, [...first, second[0]!].map((id) => receipt(id)));
    const status = async (id: string) => (await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, id)))[0]!.status;
    expect(await status(ids[0]!)).toBe('DELIVERED');
    expect(await status(ids[1]!)).toBe('SUBMITTED');
    await storeReceipts(ctx(), provider, second.slice(1).map((id) => receipt(id)));
    expect(await status(ids[1]!)).toBe('DELIVERED');
  });

  it('matches ids the SMSC writes in hex in the answer and in decimal in the receipt', async () => {
    const { sim, dispatcher } = await pipe({ messageIds: { submit: 'hex', receipt: 'dec' } }, { messageIds: { submit: 'hex', receipt: 'dec' } });
    const { ids, phones } = await enqueue(3, LONG_NOTICE);
    dispatcher.start();
    await untilAll(ctx(), ids, 'DELIVERED');
    for (const p of phones) expect(acceptedPerNumber(sim).get(p)).toBe(3);
  });

  it('marks a message failed when the receipt says so and keeps the stat for the failure report', async () => {
    const { dispatcher } = await pipe({ receipts: { delayMs: 10, failureRate: 1, failureStats: ['MK:0001'] } });
    const { ids } = await enqueue(2);
    dispatcher.start();
    await untilAll(ctx(), ids, 'FAILED');
    const rows = await ctx().db.orm.select().from(smsMessages).where(inArray(smsMessages.id, ids));
    expect(rows.every((r) => r.failureCode === 'MK:0001' && r.deliveredAt === null && r.finishedAt !== null)).toBe(true);
  });
});
