import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createCmppGateway } from '../../src/modules/notify/cmpp/session.ts';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { smsBlocklist, smsInbound, smsMessages } from '../../src/modules/notify/schema.ts';
import { startSimulator } from '../../src/modules/notify/simulator/index.ts';
import { blindIndex } from '../../src/platform/crypto/blind-index.ts';
import { decryptField } from '../../src/platform/crypto/field-cipher.ts';
import { useTestContext } from '../helpers/context.ts';
import { mobile, notice, senderOrg } from './fixtures.ts';
import { dispatcherFor, until } from './harness.ts';

const ctx = useTestContext();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SP = { id: '901234', secret: 'cmpp-secret' } as const;

/** A CMPP gateway to the simulated ISMG with the dispatcher's listeners attached, as the worker runs it. */
async function connected() {
  const sim = await startSimulator({ protocol: 'cmpp', accounts: [SP], receipts: { delayMs: 20 } });
  const gateway = createCmppGateway({ name: 'cmpp-mo', host: '127.0.0.1', port: sim.port, spId: SP.id, sharedSecret: SP.secret, serviceId: 'NOTICE', srcId: '10690000' });
  const detach = dispatcherFor(ctx(), gateway, { provider: 'cmpp-mo' }).attach();
  await gateway.start();
  cleanups.push(async () => {
    detach();
    await gateway.stop({ graceMs: 0 });
    await sim.stop();
  });
  return sim;
}

/** A message that went out to `phone`, so that a reply can be linked to it. */
async function sentTo(phone: string) {
  const [r] = await enqueueSms(ctx(), ctx().db.orm, [notice(await senderOrg(ctx()), phone)]);
  await ctx().db.orm.update(smsMessages).set({ attempts: 1 }).where(eq(smsMessages.id, r!.id));
  return r!.id;
}

const repliesFrom = (phone: string) => ctx().db.orm.select().from(smsInbound).where(eq(smsInbound.phoneIdx, blindIndex(ctx().keyring, 'phone', phone)));

describe('CMPP replies from handsets (DELIVER with Registered_Delivery = 0)', () => {
  it('are stored encrypted and linked to the last message to the number, and acknowledged after that', async () => {
    const sim = await connected();
    const phone = mobile(8101);
    const last = await sentTo(phone);
    sim.sendInbound!({ from: phone, to: '10690000', text: '收到，周六去领' });
    await until(() => sim.stats().inboundAcked === 1);
    const rows = await repliesFrom(phone);
    expect(rows).toEqual([expect.objectContaining({ provider: 'cmpp-mo', text: '收到，周六去领', optOut: false, replyToMessageId: last })]);
    expect(decryptField(ctx().keyring, rows[0]!.phoneEnc)).toBe(phone);
    // A reply is not a receipt: nothing about the message changed.
    const [m] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, last));
    expect(m!.status).toBe('QUEUED');
    expect(sim.stats().receiptsAcked).toBe(0);
  });

  it.each(['退订', 'TD', 'ｔ'])('an opt-out %j puts the number on the block list of the signature and blocks what waits for it', async (text) => {
    const sim = await connected();
    const phone = mobile(8200 + text.charCodeAt(0) % 100);
    await sentTo(phone);
    const [waiting] = await enqueueSms(ctx(), ctx().db.orm, [notice(await senderOrg(ctx()), phone)]);
    sim.sendInbound!({ from: phone, to: '10690000', text });
    await until(() => sim.stats().inboundAcked === 1);
    const [reply] = await repliesFrom(phone);
    expect(reply!.optOut).toBe(true);
    const [entry] = await ctx().db.orm.select().from(smsBlocklist).where(eq(smsBlocklist.inboundId, reply!.id));
    expect(entry).toMatchObject({ signature: '常州公安', source: 'REPLY' });
    const [w] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, waiting!.id));
    expect(w!.status).toBe('BLOCKED');
  });
});
