import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { recordInbound } from '../../src/modules/notify/receipts-store.ts';
import { smsBlocklist, smsInbound, smsMessages } from '../../src/modules/notify/schema.ts';
import { blindIndex } from '../../src/platform/crypto/blind-index.ts';
import { decryptField } from '../../src/platform/crypto/field-cipher.ts';
import { useTestContext } from '../helpers/context.ts';
import { createSmppGateway } from '../../src/modules/notify/smpp/session.ts';
import type { InboundListener } from '../../src/modules/notify/gateway.ts';
import { dispatcherFor } from './harness.ts';
import { mobile, notice, senderOrg } from './fixtures.ts';

const ctx = useTestContext();

/** A message that went out (one attempt made), so that a reply can be linked to it. */
async function sent(phone: string, text?: string) {
  const org = await senderOrg(ctx());
  const [r] = await enqueueSms(ctx(), ctx().db.orm, [notice(org, phone, text ? { text } : {})]);
  await ctx().db.orm.update(smsMessages).set({ attempts: 1 }).where(eq(smsMessages.id, r!.id));
  return r!.id;
}

describe('inbound messages', () => {
  it('stores a reply encrypted and linked to the last message to that number, without blocking it', async () => {
    const phone = mobile(1);
    await sent(phone);
    const last = await sent(phone, '【常州人社】您的社保卡已制作完成。');
    const reply = await recordInbound(ctx(), { provider: 'sim', from: `86${phone}`, text: '收到，谢谢' });
    expect(reply).toMatchObject({ optOut: false, blockedSignature: null });
    const [row] = await ctx().db.orm.select().from(smsInbound).where(eq(smsInbound.id, reply.id));
    expect(row!.replyToMessageId).toBe(last);
    expect(row!.phoneEnc).not.toContain(phone);
    expect(decryptField(ctx().keyring, row!.phoneEnc)).toBe(phone);
    expect(row!.phoneMasked).toBe('139****0001');
    expect(await ctx().db.orm.select().from(smsBlocklist).where(eq(smsBlocklist.phoneIdx, blindIndex(ctx().keyring, 'phone', phone)))).toHaveLength(0);
  });

  it.each(['退订', 'T', 'td', 'Ｒ', ' 回T退订 ', '拒收'])('an opt-out reply %j blocks the number for the signature it answered', async (text) => {
    const phone = mobile(100 + text.length + text.charCodeAt(0));
    await sent(phone);
    const queued = (await enqueueSms(ctx(), ctx().db.orm, [notice(await senderOrg(ctx()), phone)]))[0]!;
    const otherSignature = (await enqueueSms(ctx(), ctx().db.orm, [notice(await senderOrg(ctx()), phone, { text: '【常州人社】您的社保卡已制作完成。' })]))[0]!;
    const reply = await recordInbound(ctx(), { provider: 'sim', from: phone, text });
    expect(reply).toMatchObject({ optOut: true, blockedSignature: '常州公安' });
    const [entry] = await ctx().db.orm.select().from(smsBlocklist).where(eq(smsBlocklist.inboundId, reply.id));
    expect(entry).toMatchObject({ signature: '常州公安', source: 'REPLY', phoneMasked: expect.stringMatching(/^139\*{4}\d{4}$/) });
    // What was waiting is stopped; what comes later is not queued; other signatures are untouched.
    const [q] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, queued.id));
    expect(q!.status).toBe('BLOCKED');
    const [later] = await enqueueSms(ctx(), ctx().db.orm, [notice(await senderOrg(ctx()), phone)]);
    expect(later!.status).toBe('BLOCKED');
    const [other] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, otherSignature.id));
    expect(other!.status).toBe('QUEUED');
  });

  it('keeps a reply from a number we never wrote to, unlinked', async () => {
    const reply = await recordInbound(ctx(), { provider: 'sim', from: mobile(999), text: 'T' });
    expect(reply).toMatchObject({ optOut: true, blockedSignature: null });
    const [row] = await ctx().db.orm.select().from(smsInbound).where(eq(smsInbound.id, reply.id));
    expect(row!.replyToMessageId).toBeNull();
  });

  it('takes replies from the gateway through the dispatcher, and blocks on an opt-out', async () => {
    const phone = mobile(500);
    await sent(phone);
    const gateway = createSmppGateway({ name: 'inbound', host: '127.0.0.1', port: 1, systemId: 'x', password: 'y', sourceAddr: '10690000' });
    let deliver: InboundListener | null = null;
    const onInbound = gateway.onInbound.bind(gateway);
    gateway.onInbound = (listener) => {
      deliver = listener;
      return onInbound(listener);
    };
    const detach = dispatcherFor(ctx(), gateway, { provider: 'inbound' }).attach();
    await deliver!({ from: `+86${phone}`, to: '10690000', text: 'TD', concat: null, receivedAt: new Date() });
    detach();
    const rows = await ctx().db.orm.select().from(smsInbound).where(eq(smsInbound.phoneIdx, blindIndex(ctx().keyring, 'phone', phone)));
    expect(rows).toEqual([expect.objectContaining({ provider: 'inbound', text: 'TD', optOut: true })]);
    const [entry] = await ctx().db.orm.select().from(smsBlocklist).where(eq(smsBlocklist.inboundId, rows[0]!.id));
    expect(entry!.signature).toBe('常州公安');
  });
});
