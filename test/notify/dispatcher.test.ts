import { afterEach, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import { shanghaiMinuteOfDay } from '../../src/modules/calendar/zone.ts';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import type { Dispatcher } from '../../src/modules/notify/dispatcher.ts';
import type { Gateway } from '../../src/modules/notify/gateway.ts';
import type { Simulator } from '../../src/modules/notify/simulator/index.ts';
import { LONG_NOTICE } from '../../src/modules/notify/simulator/testing.ts';
import { useTestContext } from '../helpers/context.ts';
import { mobile, notice, senderOrg } from './fixtures.ts';
import { acceptedPerNumber, attemptsOf, dispatcherFor, gatewayTo, simulator, until, untilAll } from './harness.ts';

const ctx = useTestContext();
const running: Array<{ sim: Simulator; gateway: Gateway; dispatcher: Dispatcher }> = [];

async function pipe(simOpts: Parameters<typeof simulator>[0] = {}, dispatcherOpts: Parameters<typeof dispatcherFor>[2] = {}) {
  const sim = await simulator(simOpts);
  const gateway = gatewayTo(sim);
  // Each test its own provider name: every simulator hands out the same ids.
  const dispatcher = dispatcherFor(ctx(), gateway, { provider: `sim-${base}`, ...dispatcherOpts });
  dispatcher.attach();
  await gateway.start();
  running.push({ sim, gateway, dispatcher });
  return { sim, gateway, dispatcher };
}

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.dispatcher.stop();
    await r.gateway.stop({ graceMs: 0 });
    await r.sim.stop();
  }
});

let base = 1000;
async function enqueue(n: number, text?: string): Promise<{ ids: string[]; phones: string[] }> {
  const org = await senderOrg(ctx());
  const phones = Array.from({ length: n }, () => mobile(base++));
  const results = await enqueueSms(ctx(), ctx().db.orm, phones.map((p) => notice(org, p, text ? { text } : {})));
  return { ids: results.map((r) => r.id), phones };
}

describe('dispatcher', () => {
  it('submits every message exactly once and marks it delivered from its receipts', async () => {
    const { sim, dispatcher } = await pipe();
    const short = await enqueue(40);
    const long = await enqueue(5, LONG_NOTICE);
    dispatcher.start();
    await untilAll(ctx(), [...short.ids, ...long.ids], 'DELIVERED');
    const accepted = acceptedPerNumber(sim);
    for (const p of short.phones) expect(accepted.get(p)).toBe(1);
    for (const p of long.phones) expect(accepted.get(p)).toBe(3);
    expect(sim.stats().accepted).toBe(40 + 15);
    // Acknowledged to the SMSC once stored: every receipt, one per segment.
    await until(() => sim.stats().receiptsAcked === 55);
    expect(sim.stats().receiptsRefused).toBe(0);
    const attempts = await attemptsOf(ctx(), [...short.ids, ...long.ids]);
    expect(attempts).toHaveLength(45);
    expect(attempts.every((a) => a.outcome === 'ACCEPTED')).toBe(true);
    expect(attempts.filter((a) => long.ids.includes(a.messageId)).every((a) => a.smscIds.length === 3)).toBe(true);
  });

  it('keeps the in-flight window and the rate limit', async () => {
    const { sim, dispatcher } = await pipe({ responseDelayMs: 20 }, { inFlight: 3, ratePerSecond: 100 });
    const { ids } = await enqueue(30);
    const started = Date.now();
    dispatcher.start();
    await untilAll(ctx(), ids, 'DELIVERED');
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(3);
    // 100/s with a one-second burst of 100: 30 messages fit in the burst, so only the window limits them.
    expect(Date.now() - started).toBeGreaterThanOrEqual((30 / 3) * 20);
  });

  it('loses nothing when the gateway stops answering: timeouts, then reconcile and resend once', async () => {
    const { sim, dispatcher } = await pipe();
    sim.dropResponses(3);
    const { ids, phones } = await enqueue(6);
    dispatcher.start();
    await untilAll(ctx(), ids, 'DELIVERED');
    const accepted = acceptedPerNumber(sim);
    for (const p of phones) expect(accepted.get(p)).toBe(1);
    expect(sim.stats().dropped).toBe(3);
    const attempts = await attemptsOf(ctx(), ids);
    expect(attempts.filter((a) => a.outcome === 'ABANDONED')).toHaveLength(3);
    expect(attempts.filter((a) => a.outcome === 'ACCEPTED')).toHaveLength(6);
  });

  it('reconnects after the SMSC cuts every connection and delivers everything', { timeout: 45_000 }, async () => {
    const { sim, dispatcher } = await pipe({ responseDelayMs: 5 });
    const first = await enqueue(20);
    const bindsBefore = sim.stats().binds;
    dispatcher.start();
    setTimeout(() => sim.closeConnections(), 15);
    // The campaign goes on after the reconnect. A submit cut off before the SMSC read it goes again only
    // once a later submit's receipt proves the SMSC reports (docs/sms.md, "Never twice"); without later
    // traffic it would wait, unresent, until its validity ends.
    await until(() => sim.stats().binds > bindsBefore, 10_000);
    const second = await enqueue(5);
    await untilAll(ctx(), [...first.ids, ...second.ids], 'DELIVERED', 30_000);
    // Submits cut off without an answer are settled by their receipts or resent once, never twice.
    const accepted = acceptedPerNumber(sim);
    for (const p of [...first.phones, ...second.phones]) expect(accepted.get(p)).toBe(1);
    expect(sim.stats().connections).toBeGreaterThan(0);
  });

  it('backs off on throttling and delivers once the SMSC takes messages again', async () => {
    const { sim, dispatcher } = await pipe({}, { retry: { minMs: 50, maxMs: 200 } });
    sim.throttle(8);
    const { ids, phones } = await enqueue(3);
    dispatcher.start();
    await untilAll(ctx(), ids, 'DELIVERED', 30_000);
    const accepted = acceptedPerNumber(sim);
    for (const p of phones) expect(accepted.get(p)).toBe(1);
    const attempts = await attemptsOf(ctx(), ids);
    const throttled = attempts.filter((a) => a.errorCode === 'SMS_GATEWAY_THROTTLED');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((a) => a.outcome === 'REFUSED' || a.outcome === 'NOT_SENT')).toBe(true);
  }, 40_000);

  it('fails a message after the last attempt and keeps the reason', async () => {
    const { sim, dispatcher } = await pipe({}, { maxAttempts: 2, retry: { minMs: 20, maxMs: 40 } });
    sim.throttle(100);
    const { ids, phones } = await enqueue(1);
    dispatcher.start();
    await untilAll(ctx(), ids, 'FAILED');
    expect(acceptedPerNumber(sim).get(phones[0]!)).toBeUndefined();
    const attempts = await attemptsOf(ctx(), ids);
    expect(attempts).toHaveLength(2);
    expect(attempts.every((a) => a.errorCode === 'SMS_GATEWAY_THROTTLED')).toBe(true);
  });

  it('holds marketing and non-exempt notices outside the sending window and sends exempt card notices', async () => {
    // A one-hour window that starts two hours from now (Shanghai), so now is outside it.
    const startMinute = (shanghaiMinuteOfDay(new Date()) + 120) % (23 * 60);
    const { sim, dispatcher } = await pipe({}, { quietHours: { startMinute, endMinute: startMinute + 60 } });
    const org = await senderOrg(ctx());
    const [marketing, plain, exempt] = await enqueueSms(ctx(), ctx().db.orm, [
      notice(org, mobile(base++), { category: 'MARKETING', quietHoursExempt: true, text: '【常州公安】便民服务上线。回T退订' }),
      notice(org, mobile(base++), { quietHoursExempt: false }),
      notice(org, mobile(base++), { quietHoursExempt: true }),
    ]);
    await dispatcher.housekeeping();
    expect(await dispatcher.dispatchOnce()).toBe(1);
    await dispatcher.drain();
    expect(sim.stats().accepted).toBe(1);
    const rows = await ctx().db.orm.select().from(smsMessages).where(inArray(smsMessages.id, [marketing!.id, plain!.id, exempt!.id]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(exempt!.id)!.status).toBe('SUBMITTED');
    for (const held of [marketing!, plain!]) {
      const row = byId.get(held.id)!;
      expect(row.status).toBe('QUEUED');
      expect(row.attempts).toBe(0);
      expect(shanghaiMinuteOfDay(row.nextAttemptAt)).toBe(startMinute);
    }
  });

  it('expires a message whose validity passed before it could be sent', async () => {
    const { sim, dispatcher } = await pipe();
    const { ids } = await enqueue(1);
    await ctx().db.orm.update(smsMessages).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(smsMessages.id, ids[0]!));
    expect(await dispatcher.housekeeping()).toMatchObject({ expired: 1 });
    const [row] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, ids[0]!));
    expect(row).toMatchObject({ status: 'EXPIRED', failureCode: 'VALIDITY' });
    expect(await dispatcher.dispatchOnce()).toBe(0);
    expect(sim.stats().submits).toBe(0);
  });
});
