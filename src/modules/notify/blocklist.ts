import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { smsBlocklist, smsMessages } from './schema.ts';
import { SMS_TRANSITIONS } from './states.ts';

export interface BlockEntry {
  id: string;
  phoneMasked: string;
  signature: string;
  source: 'REPLY' | 'MANUAL';
  createdBy: string | null;
  createdAt: string;
}

const entryView = (e: Omit<BlockEntry, 'createdAt'> & { createdAt: Date }): BlockEntry => ({ ...e, createdAt: e.createdAt.toISOString() });

const ENTRY = {
  id: smsBlocklist.id,
  phoneMasked: smsBlocklist.phoneMasked,
  signature: smsBlocklist.signature,
  source: smsBlocklist.source,
  createdBy: smsBlocklist.createdBy,
  createdAt: smsBlocklist.createdAt,
};

/**
 * Messages still waiting for that number and signature are blocked too: an opt-out must stop what
 * is already queued, not only what comes later.
 */
export async function blockQueued(q: Queryable, phoneIdx: string, signature: string): Promise<number> {
  const rows = await q
    .update(smsMessages)
    .set({ status: SMS_TRANSITIONS.BLOCK.to, failureCode: 'BLOCKLIST', finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(smsMessages.phoneIdx, phoneIdx), eq(smsMessages.signature, signature), inArray(smsMessages.status, [...SMS_TRANSITIONS.BLOCK.from])))
    .returning({ id: smsMessages.id });
  return rows.length;
}

/** Adds a number by hand; adding it twice returns the existing entry. */
export async function addBlock(ctx: AppContext, q: Queryable, input: { phone: string; signature: string; createdBy: string }): Promise<BlockEntry> {
  const phone = normaliseMobile(input.phone);
  const signature = input.signature.trim();
  const length = [...signature].length;
  if (length < 2 || length > 16 || /[【】]/.test(signature)) throw new AppError('SMS_SIGNATURE_INVALID', { params: { min: 2, max: 16 } });
  const phoneIdx = blindIndex(ctx.keyring, 'phone', phone);
  await q
    .insert(smsBlocklist)
    .values({ phoneIdx, phoneMasked: maskPhone(phone), signature, source: 'MANUAL', createdBy: input.createdBy })
    .onConflictDoNothing({ target: [smsBlocklist.phoneIdx, smsBlocklist.signature] });
  await blockQueued(q, phoneIdx, signature);
  const [entry] = await q.select(ENTRY).from(smsBlocklist).where(and(eq(smsBlocklist.phoneIdx, phoneIdx), eq(smsBlocklist.signature, signature)));
  return entryView(entry!);
}

export async function removeBlock(q: Queryable, id: string): Promise<BlockEntry> {
  const [entry] = await q.delete(smsBlocklist).where(eq(smsBlocklist.id, id)).returning(ENTRY);
  if (!entry) throw new AppError('SMS_BLOCK_NOT_FOUND');
  return entryView(entry);
}

/** Entries newest first; `phone` narrows to one number (by its blind index). */
export async function listBlocks(ctx: AppContext, q: Queryable, filter: { phone?: string; limit: number; offset: number }): Promise<BlockEntry[]> {
  const where = filter.phone ? eq(smsBlocklist.phoneIdx, blindIndex(ctx.keyring, 'phone', normaliseMobile(filter.phone))) : undefined;
  const rows = await q.select(ENTRY).from(smsBlocklist).where(where).orderBy(desc(smsBlocklist.createdAt), desc(smsBlocklist.id)).limit(filter.limit).offset(filter.offset);
  return rows.map(entryView);
}
