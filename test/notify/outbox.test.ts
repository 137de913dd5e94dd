import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { enqueueSms, signatureOf } from '../../src/modules/notify/outbox.ts';
import { smsBlocklist, smsMessages } from '../../src/modules/notify/schema.ts';
import { blindIndex } from '../../src/platform/crypto/blind-index.ts';
import { decryptField } from '../../src/platform/crypto/field-cipher.ts';
import { AppError } from '../../src/platform/errors/app-error.ts';
import { useTestContext } from '../helpers/context.ts';
import { mobile, notice, senderOrg } from './fixtures.ts';

const ctx = useTestContext();

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('enqueueSms', () => {
  it('stores each message encrypted, blind-indexed and masked, with segments and cost', async () => {
    const org = await senderOrg(ctx());
    const long = `【常州公安】${'您的居住证已制作完成请到受理点领取'.repeat(5)}`;
    const [a, b] = await enqueueSms(ctx(), ctx().db.orm, [notice(org, '+86 139-0000-0001'), notice(org, mobile(2), { text: long })]);
    expect(a).toMatchObject({ created: true, status: 'QUEUED' });
    const [row] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, a!.id));
    expect(row!.phoneEnc).not.toContain('13900000001');
    expect(decryptField(ctx().keyring, row!.phoneEnc)).toBe('13900000001');
    expect(row!.phoneIdx).toBe(blindIndex(ctx().keyring, 'phone', '13900000001'));
    expect(row!.phoneMasked).toBe('139****0001');
    expect(row!.signature).toBe('常州公安');
    expect(row!.segments).toBe(1);
    expect(row!.costMilliFen).toBe(3500);
    const [longRow] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, b!.id));
    // 6 + 85 = 91 UCS-2 units: two parts of at most 67.
    expect(longRow!.segments).toBe(2);
    expect(longRow!.costMilliFen).toBe(7000);
    expect(longRow!.expiresAt.getTime() - longRow!.createdAt.getTime()).toBeGreaterThan(23 * 3600_000);
  });

  it('inserts an idempotency key once and returns the existing message after that', async () => {
    const org = await senderOrg(ctx());
    const item = notice(org, mobile(10));
    const [first] = await enqueueSms(ctx(), ctx().db.orm, [item]);
    const [again] = await enqueueSms(ctx(), ctx().db.orm, [{ ...item, text: '【常州公安】另一条' }]);
    expect(again).toEqual({ id: first!.id, idempotencyKey: item.idempotencyKey, created: false, status: 'QUEUED' });
    const rows = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.idempotencyKey, item.idempotencyKey));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text).toBe(item.text);
  });

  it('joins the caller transaction: a rollback leaves nothing behind', async () => {
    const org = await senderOrg(ctx());
    const item = notice(org, mobile(11));
    await expect(
      ctx().db.orm.transaction(async (tx) => {
        await enqueueSms(ctx(), tx, [item]);
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.idempotencyKey, item.idempotencyKey))).toHaveLength(0);
  });

  it('refuses landlines, bad numbers, texts without signature, too long texts and repeated keys, naming the item', async () => {
    const org = await senderOrg(ctx());
    const landline = await errorOf(enqueueSms(ctx(), ctx().db.orm, [notice(org, mobile(20)), notice(org, '025-84420000')]));
    expect(landline.code).toBe('PHONE_INVALID');
    expect(landline.details).toEqual({ index: 1 });
    expect((await errorOf(enqueueSms(ctx(), ctx().db.orm, [notice(org, '1390000')]))).code).toBe('PHONE_INVALID');
    expect((await errorOf(enqueueSms(ctx(), ctx().db.orm, [notice(org, mobile(21), { text: '没有签名' })]))).code).toBe('SMS_SIGNATURE_MISSING');
    const tooLong = await errorOf(enqueueSms(ctx(), ctx().db.orm, [notice(org, mobile(22), { text: `【常州公安】${'长'.repeat(67 * 256)}` })]));
    expect(tooLong.code).toBe('SMS_TEXT_TOO_LONG');
    expect((await errorOf(enqueueSms(ctx(), ctx().db.orm, [notice(org, mobile(23), { idempotencyKey: '' })]))).code).toBe('SMS_IDEMPOTENCY_KEY_INVALID');
    const twice = notice(org, mobile(24));
    expect((await errorOf(enqueueSms(ctx(), ctx().db.orm, [twice, { ...twice }]))).code).toBe('SMS_IDEMPOTENCY_KEY_REPEATED');
    const [{ n }] = (await ctx().db.rows<{ n: number }>(null, sql`select count(*)::int as n from sms_messages where phone_masked = '139****0020'`)) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('inserts numbers blocked for the signature as BLOCKED, and queues them under another signature', async () => {
    const org = await senderOrg(ctx());
    const phone = mobile(30);
    await ctx().db.orm.insert(smsBlocklist).values({ phoneIdx: blindIndex(ctx().keyring, 'phone', phone), phoneMasked: '139****0030', signature: '常州公安', source: 'MANUAL' });
    const [blocked, other] = await enqueueSms(ctx(), ctx().db.orm, [notice(org, phone), notice(org, phone, { text: '【常州人社】您的社保卡已制作完成。' })]);
    expect(blocked!.status).toBe('BLOCKED');
    expect(other!.status).toBe('QUEUED');
    const [row] = await ctx().db.orm.select().from(smsMessages).where(eq(smsMessages.id, blocked!.id));
    expect(row!.finishedAt).not.toBeNull();
  });

  it('reads the signature at the start of the text only', () => {
    expect(signatureOf('【常州公安】正文')).toBe('常州公安');
    expect(signatureOf('正文【常州公安】')).toBeNull();
    expect(signatureOf('【公】正文')).toBeNull();
  });
});
