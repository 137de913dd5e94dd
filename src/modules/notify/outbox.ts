import { and, inArray } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { insertJson } from '../../platform/db/bulk.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { encryptField } from '../../platform/crypto/field-cipher.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { parseYuanPrice, segmentCostMilliFen } from './pricing.ts';
import { countSegments } from './segments.ts';
import { smsBlocklist, smsMessages } from './schema.ts';
import type { SmsCategory, SmsStatus } from './states.ts';
import { activeWordScreen } from './words-service.ts';

export interface EnqueueItem {
  phone: string;
  text: string;
  templateId: string | null;
  senderOrgId: string;
  category: SmsCategory;
  idempotencyKey: string;
  quietHoursExempt: boolean;
  /** The campaign this message belongs to (sms_campaigns.id), counted in its live progress. */
  campaignId?: string;
  /** Skips the sensitive-word screen: only for the platform's own alerts about held messages. */
  bypassWordScreen?: boolean;
}

export interface EnqueueResult {
  id: string;
  idempotencyKey: string;
  /** false when a message with this key already existed: it is returned as it is, not sent again. */
  created: boolean;
  status: string;
}

const SIGNATURE = /^【([^【】]{2,16})】/;
const MAX_KEY_LENGTH = 200;
/** Rows per INSERT: large campaigns go in a few statements without hitting the parameter limit. */
const CHUNK = 500;

/** The registered signature a text starts with (without brackets), or null. */
export function signatureOf(text: string): string | null {
  return SIGNATURE.exec(text)?.[1] ?? null;
}

interface Prepared {
  item: EnqueueItem;
  phone: string;
  phoneIdx: string;
  signature: string;
  segments: number;
}

/**
 * Inserts the messages in the caller's transaction; an existing idempotency key is not inserted again.
 * Validates phone (Chinese mobile) and length (segments.ts); throws AppError naming the item.
 * A number on the block list for the text's signature is inserted as BLOCKED, not queued; a text with
 * words of the active sensitive-word list is inserted as HELD for review.
 */
export async function enqueueSms(ctx: AppContext, q: Queryable, items: EnqueueItem[]): Promise<EnqueueResult[]> {
  if (items.length === 0) return [];
  const prepared = items.map((item, index) => prepare(ctx, item, index));
  const seen = new Set<string>();
  for (const p of prepared) {
    if (seen.has(p.item.idempotencyKey)) throw new AppError('SMS_IDEMPOTENCY_KEY_REPEATED', { params: { key: p.item.idempotencyKey } });
    seen.add(p.item.idempotencyKey);
  }
  const blocked = await blockedPairs(q, prepared);
  const words = await activeWordScreen(q);
  const price = parseYuanPrice(ctx.config.smsPriceYuan);
  const expiresAt = new Date(Date.now() + ctx.config.smsValidityMinutes * 60_000);
  const inserted = new Map<string, { id: string; status: SmsStatus }>();
  for (let i = 0; i < prepared.length; i += CHUNK) {
    const rows = prepared.slice(i, i + CHUNK).map((p) => {
      const isBlocked = blocked.has(`${p.phoneIdx} ${p.signature}`);
      const hits = isBlocked || !words || p.item.bypassWordScreen ? [] : words.screen(p.item.text);
      const status: SmsStatus = isBlocked ? 'BLOCKED' : hits.length > 0 ? 'HELD' : 'QUEUED';
      return {
        phoneEnc: encryptField(ctx.keyring, p.phone),
        phoneIdx: p.phoneIdx,
        phoneMasked: maskPhone(p.phone),
        text: p.item.text,
        signature: p.signature,
        templateId: p.item.templateId,
        senderOrgId: p.item.senderOrgId,
        category: p.item.category,
        segments: p.segments,
        costMilliFen: segmentCostMilliFen(p.segments, price),
        idempotencyKey: p.item.idempotencyKey,
        status,
        failureCode: isBlocked ? 'BLOCKLIST' : null,
        finishedAt: isBlocked ? new Date() : null,
        quietHoursExempt: p.item.quietHoursExempt,
        campaignId: p.item.campaignId ?? null,
        expiresAt,
        heldWords: hits.length > 0 ? hits : null,
        heldListVersion: hits.length > 0 ? Number(words!.version) : null,
      };
    });
    const created = await insertJson(ctx.db, q, smsMessages, rows, { onConflictDoNothing: [smsMessages.idempotencyKey], returning: true });
    for (const r of created) inserted.set(r.idempotencyKey, { id: r.id, status: r.status });
  }
  const existing = await existingByKey(
    q,
    prepared.map((p) => p.item.idempotencyKey).filter((k) => !inserted.has(k)),
  );
  return prepared.map(({ item }) => {
    const mine = inserted.get(item.idempotencyKey);
    if (mine) return { id: mine.id, idempotencyKey: item.idempotencyKey, created: true, status: mine.status };
    const old = existing.get(item.idempotencyKey)!;
    return { id: old.id, idempotencyKey: item.idempotencyKey, created: false, status: old.status };
  });
}

function prepare(ctx: AppContext, item: EnqueueItem, index: number): Prepared {
  const phone = naming(index, () => normaliseMobile(item.phone));
  if (item.idempotencyKey.length < 1 || item.idempotencyKey.length > MAX_KEY_LENGTH) {
    throw new AppError('SMS_IDEMPOTENCY_KEY_INVALID', { params: { index } });
  }
  const signature = signatureOf(item.text);
  if (!signature) throw new AppError('SMS_SIGNATURE_MISSING', { params: { index } });
  const { segments } = naming(index, () => countSegments(item.text, { ucs2Only: ctx.config.smsProtocol === 'cmpp' }));
  return { item, phone, phoneIdx: blindIndex(ctx.keyring, 'phone', phone), signature, segments };
}

/** Runs a validator and adds the item's position to its error, so a caller can point at the bad row. */
function naming<T>(index: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, { params: error.params, details: { index }, cause: error });
    throw error;
  }
}

/** "phoneIdx signature" of every item whose number is blocked for its signature. */
async function blockedPairs(q: Queryable, prepared: Prepared[]): Promise<Set<string>> {
  const out = new Set<string>();
  const indexes = [...new Set(prepared.map((p) => p.phoneIdx))];
  const signatures = [...new Set(prepared.map((p) => p.signature))];
  for (let i = 0; i < indexes.length; i += CHUNK) {
    const rows = await q
      .select({ phoneIdx: smsBlocklist.phoneIdx, signature: smsBlocklist.signature })
      .from(smsBlocklist)
      .where(and(inArray(smsBlocklist.phoneIdx, indexes.slice(i, i + CHUNK)), inArray(smsBlocklist.signature, signatures)));
    for (const r of rows) out.add(`${r.phoneIdx} ${r.signature}`);
  }
  return out;
}

async function existingByKey(q: Queryable, keys: string[]): Promise<Map<string, { id: string; status: SmsStatus }>> {
  const out = new Map<string, { id: string; status: SmsStatus }>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await q
      .select({ id: smsMessages.id, key: smsMessages.idempotencyKey, status: smsMessages.status })
      .from(smsMessages)
      .where(inArray(smsMessages.idempotencyKey, keys.slice(i, i + CHUNK)));
    for (const r of rows) out.set(r.key, { id: r.id, status: r.status });
  }
  return out;
}
