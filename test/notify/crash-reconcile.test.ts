import { eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import type { Gateway } from '../../src/modules/notify/gateway.ts';
import type { Simulator } from '../../src/modules/notify/simulator/index.ts';
import { useTestContext } from '../helpers/context.ts';
import { mobile, notice, senderOrg } from './fixtures.ts';
import { acceptedPerNumber, attemptsOf, dispatcherFor, gatewayTo, simulator, statuses, until, untilAll } from './harness.ts';

const ctx = useTestContext();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let base = 5000;
/** Each test its own provider name: the simulators of different tests hand out the same ids. */
let provider = 'crash-0';
async function enqueue(n: number) {
  const org = await senderOrg(ctx());
  const phones = Array.from({ length: n }, () => mobile(base++));
  const ids = (await enqueueSms(ctx(), ctx().db.orm, phones.map((p) => notice(org, p)))).map((r) => r.id);
  return { ids, phones };
}

/**
 * A process that dies during submit: `when` = 'before-wire' never sends (the attempt row is written,
 * then the process is gone); 'after-wire' sends, the SMSC accepts, and the answer is never written.
 */
function dying(real: Gateway, when: 'before-wire' | 'after-wire', submitted: () => void): Gateway {
  return {
    ...real,
    name: real.name,
    start: () => real.start(),
    stop: (o) => real.stop(o),
    onReceipt: (l) => real.onReceipt(l),
    onLateAnswer: (l) => real.onLateAnswer(l),
    onInbound: (l) => real.onInbound(l),
    health: () => real.health(),
    metrics: () => real.metrics(),
    submit: async (m) => {
      if (when === 'after-wire') await real.submit(m);
      submitted();
      return new Promise(() => undefined);
    },
  };
}

/** Runs the first process until its submits are under way, then "kills" it: connections cut, nothing settled. */
async function crashDuring(sim: Simulator, when: 'before-wire' | 'after-wire', n: number) {
  const realA = gatewayTo(sim);
  let reached = 0;
  provider = `crash-${base}`;
  const a = dispatcherFor(ctx(), dying(realA, when, () => reached++), { reconcileMs: 600, provider });
  // The dead process stored no receipts: its receipt listener is never attached.
  await realA.start();
  const batch = await enqueue(n);
  await a.dispatchOnce();
  await until(() => reached === n);
  await realA.stop({ graceMs: 0 });
  return batch;
}

async function restart(sim: Simulator) {
  const gateway = gatewayTo(sim);
  const b = dispatcherFor(ctx(), gateway, { reconcileMs: 600, provider });
  b.attach();
  await gateway.start();
  cleanups.push(async () => {
    await b.stop();
    await gateway.stop({ graceMs: 0 });
  });
  return b;
}

describe('crash between submit and database update', () => {
  it('after the attempt row is written but before the wire: resent once the SMSC has reported on later submits, nothing lost', async () => {
    const sim = await simulator();
    cleanups.push(() => sim.stop());
    const { ids, phones } = await crashDuring(sim, 'before-wire', 4);
    expect(sim.stats().accepted).toBe(0);
    const b = await restart(sim);
    // Within the window nothing may go again: the outcome is unknown.
    await b.housekeeping();
    expect(await b.dispatchOnce()).toBe(0);
    await new Promise((r) => setTimeout(r, 650));
    // Past the window but with no sign yet that the SMSC reports: still nothing is resent.
    await b.housekeeping();
    expect(await b.dispatchOnce()).toBe(0);
    // A later notice goes out and its receipt comes back: silence about the four now means they never arrived.
    const later = await enqueue(1);
    b.start();
    await untilAll(ctx(), later.ids, 'DELIVERED', 30_000);
    await untilAll(ctx(), ids, 'DELIVERED', 30_000);
    const accepted = acceptedPerNumber(sim);
    for (const p of phones) expect(accepted.get(p)).toBe(1);
    const attempts = await attemptsOf(ctx(), ids);
    expect(attempts.filter((a) => a.outcome === 'ABANDONED')).toHaveLength(4);
    expect(attempts.filter((a) => a.outcome === 'ACCEPTED')).toHaveLength(4);
  });

  it('after the SMSC accepted: the receipts are the evidence, nothing is resent and the message is delivered', async () => {
    const sim = await simulator();
    cleanups.push(() => sim.stop());
    const { ids, phones } = await crashDuring(sim, 'after-wire', 1);
    expect(sim.stats().accepted).toBe(1);
    const b = await restart(sim);
    // The receipt the SMSC kept for the dead bind arrives on the new one; no attempt knows its id yet.
    await until(() => sim.stats().receiptsAcked === 1);
    expect((await statuses(ctx(), ids)).get(ids[0]!)).toBe('QUEUED');
    await new Promise((r) => setTimeout(r, 650));
    b.start();
    await untilAll(ctx(), ids, 'DELIVERED');
    await b.stop();
    expect(acceptedPerNumber(sim).get(phones[0]!)).toBe(1);
    const attempts = await attemptsOf(ctx(), ids);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.outcome).toBe('ACCEPTED');
    expect(attempts[0]!.smscIds).toEqual([sim.stats().parts.find((p) => p.to === phones[0])!.messageId]);
  });

  it('after the SMSC accepted several and no receipt ever comes: never resent, EXPIRED as unconfirmed when validity ends', async () => {
    const sim = await simulator({ receipts: false });
    cleanups.push(() => sim.stop());
    const { ids, phones } = await crashDuring(sim, 'after-wire', 3);
    const b = await restart(sim);
    await new Promise((r) => setTimeout(r, 650));
    await b.housekeeping();
    expect(await b.dispatchOnce()).toBe(0);
    expect([...(await statuses(ctx(), ids)).values()].every((s) => s === 'QUEUED')).toBe(true);
    const [m] = await ctx().db.orm.select({ expiresAt: smsMessages.expiresAt }).from(smsMessages).where(eq(smsMessages.id, ids[0]!));
    const { reconciled } = await b.housekeeping(new Date(m!.expiresAt.getTime() + 1_000));
    expect(reconciled).toBe(3);
    expect(await b.dispatchOnce()).toBe(0);
    await b.drain();
    // Each number got the SMSC's one copy and no second one.
    const accepted = acceptedPerNumber(sim);
    for (const p of phones) expect(accepted.get(p)).toBe(1);
    expect(sim.stats().repeats).toBe(0);
    const rows = await ctx().db.orm.select().from(smsMessages).where(inArray(smsMessages.id, ids));
    expect(rows.map((r) => [r.status, r.failureCode])).toEqual(ids.map(() => ['EXPIRED', 'SUBMIT_UNCONFIRMED']));
    expect((await attemptsOf(ctx(), ids)).map((a) => a.outcome)).toEqual(['ABANDONED', 'ABANDONED', 'ABANDONED']);
  });
});
