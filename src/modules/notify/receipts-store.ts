import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { encryptField } from '../../platform/crypto/field-cipher.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { blockQueued } from './blocklist.ts';
import type { GatewayReceipt } from './gateway.ts';
import { moveMessage } from './message-updates.ts';
import { isOptOut, messageOutcome, type MessageOutcome } from './receipt-rules.ts';
import { smsBlocklist, smsInbound, smsMessages, smsReceipts, smsSubmitAttempts } from './schema.ts';
import type { SmsEvent } from './states.ts';

const EVENT_OF: Record<MessageOutcome['status'], SmsEvent> = {
  DELIVERED: 'RECEIPT_DELIVERED',
  FAILED: 'RECEIPT_FAILED',
  EXPIRED: 'RECEIPT_EXPIRED',
};

/**
 * Keeps a final receipt and applies it to its message. The gateway acknowledges the receipt to the
 * SMSC only after this resolves, so a receipt is never lost: if the database is down, the SMSC
 * sends it again. An id no attempt knows yet stays in sms_receipts and is matched when the submit
 * answer is written (settleMessage).
 */
export async function storeReceipt(ctx: AppContext, provider: string, receipt: GatewayReceipt): Promise<void> {
  const phoneIdx = receipt.handset ? blindIndex(ctx.keyring, 'phone', mobileOrRaw(receipt.handset)) : null;
  const owner = await ctx.db.orm.transaction(async (tx) => {
    await lockSegmentIds(tx, [{ provider, ids: [receipt.messageId] }]);
    await tx.insert(smsReceipts).values({
      provider,
      smscMessageId: receipt.messageId,
      status: receipt.status,
      stat: receipt.stat,
      errorCode: receipt.errorCode,
      doneAt: receipt.doneAt,
      phoneIdx,
    });
    // SMSCs recycle ids (the simulator restarts from the same one): the latest submit with the id owns it.
    const [row] = await tx
      .select({ messageId: smsSubmitAttempts.messageId })
      .from(smsSubmitAttempts)
      .where(and(eq(smsSubmitAttempts.provider, provider), sql`${smsSubmitAttempts.smscIds} @> array[${receipt.messageId}]::text[]`))
      .orderBy(desc(smsSubmitAttempts.startedAt))
      .limit(1);
    return row?.messageId ?? null;
  });
  // In a transaction of its own, after the receipt is committed: a submit answer being written for
  // the same ids then either sees this receipt or is seen by this settle (see lockSegmentIds).
  if (owner) await ctx.db.orm.transaction((tx) => settleMessage(tx, owner));
}

/**
 * Serialises the receipt of a segment with the write of its submit answer. Without it, under READ
 * COMMITTED a receipt arriving while the answer is being written finds no owner, and the answer's
 * settle finds no receipt: the message would stay SUBMITTED. Keys are taken in sorted order and
 * before any row lock (writers of submit answers call this first), so no two writers deadlock.
 */
export async function lockSegmentIds(q: Queryable, segments: ReadonlyArray<{ provider: string; ids: readonly string[] }>): Promise<void> {
  const keys = new Set(segments.flatMap((s) => s.ids.map((id) => `sms:${s.provider}:${id}`)));
  for (const key of [...keys].sort()) await q.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/**
 * Reads every receipt of the message's submitted segments and moves the message when they decide it.
 * Called for each receipt and right after a submit answer is written (for receipts that came first).
 */
export async function settleMessage(q: Queryable, messageId: string): Promise<void> {
  const attempts = await q
    .select({ provider: smsSubmitAttempts.provider, smscIds: smsSubmitAttempts.smscIds })
    .from(smsSubmitAttempts)
    .where(and(eq(smsSubmitAttempts.messageId, messageId), sql`cardinality(${smsSubmitAttempts.smscIds}) > 0`));
  await lockSegmentIds(q, attempts.map((a) => ({ provider: a.provider, ids: a.smscIds })));
  const outcomes: MessageOutcome[] = [];
  for (const a of attempts) {
    const receipts = await q
      .select({ smscMessageId: smsReceipts.smscMessageId, status: smsReceipts.status, stat: smsReceipts.stat, receivedAt: smsReceipts.receivedAt })
      .from(smsReceipts)
      .where(and(eq(smsReceipts.provider, a.provider), inArray(smsReceipts.smscMessageId, a.smscIds)));
    const outcome = messageOutcome(a.smscIds, receipts);
    if (outcome) outcomes.push(outcome);
  }
  // Of two submissions of one message, the one that reached the handset is what counts.
  const decisive = outcomes.find((o) => o.status === 'DELIVERED') ?? outcomes[0];
  if (!decisive) return;
  await moveMessage(
    q,
    messageId,
    EVENT_OF[decisive.status],
    decisive.status === 'DELIVERED' ? { deliveredAt: decisive.at, failureCode: null } : { failureCode: decisive.stat },
    decisive.at,
  );
}

export interface InboundSms {
  provider: string;
  /** The handset's number as the SMSC gives it (with or without +86). */
  from: string;
  text: string;
  receivedAt?: Date;
}

/**
 * Stores a reply, links it to the last message we sent to that number, and, when it opts out, puts
 * the number on the block list for that message's signature. Returns the stored row's id.
 * A sender that is not a mainland mobile number is stored without link (it cannot be blocked by us).
 */
export async function recordInbound(ctx: AppContext, sms: InboundSms): Promise<{ id: string; optOut: boolean; blockedSignature: string | null }> {
  const phone = mobileOrRaw(sms.from);
  const phoneIdx = blindIndex(ctx.keyring, 'phone', phone);
  const optOut = isOptOut(sms.text);
  return ctx.db.orm.transaction(async (tx) => {
    const [last] = await tx
      .select({ id: smsMessages.id, signature: smsMessages.signature })
      .from(smsMessages)
      .where(and(eq(smsMessages.phoneIdx, phoneIdx), gt(smsMessages.attempts, 0)))
      .orderBy(sql`${smsMessages.createdAt} desc`)
      .limit(1);
    const [row] = await tx
      .insert(smsInbound)
      .values({
        provider: sms.provider,
        phoneEnc: encryptField(ctx.keyring, phone),
        phoneIdx,
        phoneMasked: maskPhone(phone),
        text: sms.text,
        replyToMessageId: last?.id ?? null,
        optOut,
        ...(sms.receivedAt ? { receivedAt: sms.receivedAt } : {}),
      })
      .returning({ id: smsInbound.id });
    const blockedSignature = optOut && last ? last.signature : null;
    if (blockedSignature) {
      await tx
        .insert(smsBlocklist)
        .values({ phoneIdx, phoneMasked: maskPhone(phone), signature: blockedSignature, source: 'REPLY', inboundId: row!.id })
        .onConflictDoNothing({ target: [smsBlocklist.phoneIdx, smsBlocklist.signature] });
      await blockQueued(tx, phoneIdx, blockedSignature);
      ctx.logger.info({ inboundId: row!.id, signature: blockedSignature }, 'sms opt-out: number blocked for the signature');
    }
    return { id: row!.id, optOut, blockedSignature };
  });
}

function mobileOrRaw(from: string): string {
  try {
    return normaliseMobile(from);
  } catch {
    return from.trim();
  }
}
