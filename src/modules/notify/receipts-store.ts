import { and, eq, gt, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { insertJson } from '../../platform/db/bulk.ts';
import { planKeyLookups } from '../../platform/db/planner.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { encryptField } from '../../platform/crypto/field-cipher.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { blockQueued } from './blocklist.ts';
import type { GatewayReceipt } from './gateway.ts';
import { moveMessagesTo, type MessageMove } from './message-updates.ts';
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
 * answer is written (settleMessages).
 */
export function storeReceipt(ctx: AppContext, provider: string, receipt: GatewayReceipt): Promise<void> {
  return storeReceipts(ctx, provider, [receipt]);
}

/**
 * storeReceipt for many receipts of one provider, in one transaction whatever their number; a second
 * settles the messages with segments beyond these receipts (see below).
 */
export async function storeReceipts(ctx: AppContext, provider: string, receipts: readonly GatewayReceipt[]): Promise<void> {
  if (receipts.length === 0) return;
  const ids = receipts.map((r) => r.messageId);
  const later = await ctx.db.orm.transaction(async (tx) => {
    await planKeyLookups(tx, { bitmapScans: true });
    await lockSegmentIds(tx, [{ provider, ids }]);
    await insertJson(
      ctx.db,
      tx,
      smsReceipts,
      receipts.map((r) => ({
        provider,
        smscMessageId: r.messageId,
        status: r.status,
        stat: r.stat,
        errorCode: r.errorCode,
        doneAt: r.doneAt,
        phoneIdx: r.handset ? blindIndex(ctx.keyring, 'phone', mobileOrRaw(r.handset)) : null,
      })),
    );
    // SMSCs recycle ids (the simulator restarts from the same one): the latest submit with the id owns it.
    // `covered`: every segment of every submission of the message is among these receipts, so locked.
    const owners = await ctx.db.rows<{ message_id: string; covered: boolean }>(
      tx,
      sql`select o.message_id, bool_and(a.provider = ${provider} and a.smsc_ids <@ ${sql.param(ids)}::text[]) as covered
          from (select distinct (select a.message_id from sms_submit_attempts a
                                 where a.provider = ${provider} and a.smsc_ids @> array[r.id]
                                 order by a.started_at desc limit 1) as message_id
                from unnest(${sql.param(ids)}::text[]) as r(id)) o
          join sms_submit_attempts a on a.message_id = o.message_id and cardinality(a.smsc_ids) > 0
          group by o.message_id`,
    );
    await settleMessages(tx, owners.filter((o) => o.covered).map((o) => o.message_id));
    return owners.filter((o) => !o.covered).map((o) => o.message_id);
  });
  // A message whose other segments these receipts do not name (a long message, a resend) is settled
  // after the receipts are committed, taking all its locks at once (lockSegmentIds): a submit answer
  // being written for the same ids then either sees these receipts or is seen by this settle.
  if (later.length > 0) {
    await ctx.db.orm.transaction(async (tx) => {
      await planKeyLookups(tx);
      await settleMessages(tx, later);
    });
  }
}

/**
 * Serialises the receipt of a segment with the write of its submit answer. Without it, under READ
 * COMMITTED a receipt arriving while the answer is being written finds no owner, and the answer's
 * settle finds no receipt: the message would stay SUBMITTED. All keys are taken in one statement, in
 * the order of their lock numbers and before any row lock (writers of submit answers call this
 * first), so no two writers deadlock, however many keys each takes.
 */
export async function lockSegmentIds(q: Queryable, segments: ReadonlyArray<{ provider: string; ids: readonly string[] }>): Promise<void> {
  const keys = [...new Set(segments.flatMap((s) => s.ids.map((id) => `sms:${s.provider}:${id}`)))];
  if (keys.length === 0) return;
  await q.execute(
    sql`select pg_advisory_xact_lock(k.h) from (select distinct hashtext(key) as h from unnest(${sql.param(keys)}::text[]) as key order by 1) as k`,
  );
}

/**
 * Reads every receipt of the messages' submitted segments and moves each message its receipts decide.
 * Called with the messages of stored receipts, and right after submit answers are written (for
 * receipts that came first).
 */
export async function settleMessages(q: Queryable, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  const attempts = await q
    .select({ messageId: smsSubmitAttempts.messageId, provider: smsSubmitAttempts.provider, smscIds: smsSubmitAttempts.smscIds })
    .from(smsSubmitAttempts)
    .where(sql`${smsSubmitAttempts.messageId} = any(${sql.param([...messageIds])}::uuid[]) and cardinality(${smsSubmitAttempts.smscIds}) > 0`);
  if (attempts.length === 0) return;
  await lockSegmentIds(q, attempts.map((a) => ({ provider: a.provider, ids: a.smscIds })));
  const segments = [...new Map(attempts.flatMap((a) => a.smscIds.map((id) => [`${a.provider}\u0000${id}`, { provider: a.provider, id }] as const))).values()];
  const receipts = await q
    .select({ provider: smsReceipts.provider, smscMessageId: smsReceipts.smscMessageId, status: smsReceipts.status, stat: smsReceipts.stat, receivedAt: smsReceipts.receivedAt })
    .from(smsReceipts)
    // Pairs, not two lists: with two lists the planner may read every receipt of the provider and filter.
    .where(
      sql`(${smsReceipts.provider}, ${smsReceipts.smscMessageId}) in (select * from unnest(${sql.param(segments.map((k) => k.provider))}::text[], ${sql.param(segments.map((k) => k.id))}::text[]))`,
    );
  const receiptsOf = new Map<string, typeof receipts>();
  for (const r of receipts) {
    const key = `${r.provider}\u0000${r.smscMessageId}`;
    receiptsOf.set(key, [...(receiptsOf.get(key) ?? []), r]);
  }
  const outcomesOf = new Map<string, MessageOutcome[]>();
  for (const a of attempts) {
    const outcome = messageOutcome(
      a.smscIds,
      a.smscIds.flatMap((id) => receiptsOf.get(`${a.provider}\u0000${id}`) ?? []),
    );
    if (outcome) outcomesOf.set(a.messageId, [...(outcomesOf.get(a.messageId) ?? []), outcome]);
  }
  const moves: MessageMove[] = [];
  for (const [messageId, outcomes] of outcomesOf) {
    // Of two submissions of one message, the one that reached the handset is what counts.
    const decisive = outcomes.find((o) => o.status === 'DELIVERED') ?? outcomes[0]!;
    moves.push({
      messageId,
      event: EVENT_OF[decisive.status],
      at: decisive.at,
      deliveredAt: decisive.status === 'DELIVERED' ? decisive.at : null,
      failureCode: decisive.status === 'DELIVERED' ? null : decisive.stat,
    });
  }
  await moveMessagesTo(q, moves);
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
