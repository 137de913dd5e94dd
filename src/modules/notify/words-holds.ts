import { and, asc, count, eq, gte, isNotNull, lt, min } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { formatShanghai, shanghaiDate } from '../calendar/zone.ts';
import { ensureRootOrg, orgsByIds } from '../orgs/service.ts';
import { moveMessage } from './message-updates.ts';
import { rangeInstants, visible, type DateRange } from './messages-query.ts';
import { enqueueSms, type EnqueueResult } from './outbox.ts';
import { smsMessages } from './schema.ts';
import type { SmsEvent } from './states.ts';

/** The duty phone gets at most one alert per slot, however many messages are held meanwhile. */
export const ALERT_SLOT_MS = 10 * 60_000;
const MAX_HOLDS_LISTED = 500;
/** failure_code of a message rejected in review. */
export const REJECTED_CODE = 'SENSITIVE_WORD';

/** Held messages of the organisations the principal sees, oldest first, with the total count for the badge. */
export async function listHolds(ctx: AppContext, principal: Principal, limit: number, now = new Date()) {
  const where = and(eq(smsMessages.status, 'HELD'), visible(ctx, principal));
  const [total] = await ctx.db.orm.select({ n: count() }).from(smsMessages).where(where);
  const rows = await ctx.db.orm
    .select({
      id: smsMessages.id,
      phoneMasked: smsMessages.phoneMasked,
      text: smsMessages.text,
      senderOrgId: smsMessages.senderOrgId,
      category: smsMessages.category,
      heldWords: smsMessages.heldWords,
      heldListVersion: smsMessages.heldListVersion,
      createdAt: smsMessages.createdAt,
    })
    .from(smsMessages)
    .where(where)
    .orderBy(asc(smsMessages.createdAt))
    .limit(Math.min(limit, MAX_HOLDS_LISTED));
  const orgs = await orgsByIds(ctx, rows.map((r) => r.senderOrgId));
  return {
    total: Number(total?.n ?? 0),
    items: rows.map((r) => ({
      id: r.id,
      phoneMasked: r.phoneMasked,
      text: r.text,
      senderOrgId: r.senderOrgId,
      senderOrgName: orgs.get(r.senderOrgId)?.name ?? '',
      category: r.category,
      hits: r.heldWords ?? [],
      listVersion: r.heldListVersion ?? 0,
      createdAt: r.createdAt.toISOString(),
      ageSeconds: Math.max(0, Math.floor((now.getTime() - r.createdAt.getTime()) / 1000)),
    })),
  };
}

export type HoldDecision = 'release' | 'reject';

const DECISION_EVENT: Record<HoldDecision, SmsEvent> = { release: 'RELEASE', reject: 'REJECT' };

/**
 * Releases a held message to the queue (with a fresh validity period, since review time is not the
 * sender's) or rejects it as failed with SENSITIVE_WORD. Only a person of the authority decides.
 */
export async function decideHold(ctx: AppContext, principal: Principal, id: string, decision: HoldDecision, now = new Date()) {
  if (principal.type !== 'USER' || principal.orgKind !== 'AUTHORITY') throw new AppError('SMS_HOLD_DECIDER_INVALID');
  return ctx.db.orm.transaction(async (tx) => {
    const [message] = await tx
      .select({ id: smsMessages.id, status: smsMessages.status })
      .from(smsMessages)
      .where(and(eq(smsMessages.id, id), visible(ctx, principal)))
      .for('update');
    if (!message) throw new AppError('NOT_FOUND');
    if (message.status !== 'HELD') throw new AppError('SMS_NOT_HELD', { params: { status: message.status } });
    const event = DECISION_EVENT[decision];
    await moveMessage(tx, id, event, decision === 'reject' ? { failureCode: REJECTED_CODE } : { nextAttemptAt: now }, now);
    const [moved] = await tx
      .update(smsMessages)
      .set({
        decidedBy: principal.name,
        decidedAt: now,
        ...(decision === 'release' ? { expiresAt: new Date(now.getTime() + ctx.config.smsValidityMinutes * 60_000) } : {}),
      })
      .where(eq(smsMessages.id, id))
      .returning({ id: smsMessages.id, status: smsMessages.status, failureCode: smsMessages.failureCode, decidedBy: smsMessages.decidedBy, decidedAt: smsMessages.decidedAt });
    return { ...moved!, decidedAt: moved!.decidedAt!.toISOString() };
  });
}

export interface HoldAlert {
  held: number;
  /** The alert SMS queued in this run, or null (nothing held, no duty phone, or already sent in this slot). */
  queued: EnqueueResult | null;
}

/** The fixed alert text: the count and the Shanghai time of the oldest held message. */
export function holdAlertText(held: number, oldest: Date): string {
  return `【cardflow】短信敏感词拦截：${held} 条待审核（最早 ${formatShanghai(oldest).slice(11)}）`;
}

/**
 * Run by the SMS worker every 30 s: when messages are held, queues one SMS to the duty phone per
 * ten-minute slot (the slot is its idempotency key, so several workers send it once). The alert is
 * exempt from quiet hours and from the screen, since it must reach the officer and may quote nothing.
 */
export async function alertHeldMessages(ctx: AppContext, now: Date = new Date()): Promise<HoldAlert> {
  const [row] = await ctx.db.orm.select({ n: count(), oldest: min(smsMessages.createdAt) }).from(smsMessages).where(eq(smsMessages.status, 'HELD'));
  const held = Number(row?.n ?? 0);
  if (held === 0 || !row?.oldest || !ctx.config.smsDutyPhone) return { held, queued: null };
  const root = await ensureRootOrg(ctx);
  const slot = Math.floor(now.getTime() / ALERT_SLOT_MS);
  const [result] = await enqueueSms(ctx, ctx.db.orm, [
    {
      phone: ctx.config.smsDutyPhone,
      text: holdAlertText(held, new Date(row.oldest)),
      templateId: null,
      senderOrgId: root.id,
      category: 'NOTIFICATION',
      idempotencyKey: `sms-hold-alert:${slot}`,
      quietHoursExempt: true,
      bypassWordScreen: true,
    },
  ]);
  return { held, queued: result!.created ? result! : null };
}

interface Count {
  key: string;
  label: string;
  messages: number;
}

function sortedCounts(map: Map<string, Count>): Count[] {
  return [...map.values()].sort((a, b) => b.messages - a.messages || a.key.localeCompare(b.key));
}

function bump(map: Map<string, Count>, key: string, label: string) {
  const c = map.get(key) ?? { key, label, messages: 0 };
  c.messages++;
  map.set(key, c);
}

/**
 * Messages held in a Shanghai date range (whatever became of them), counted per listed word (a
 * message counts once per word), per sending organisation and per day.
 */
export async function holdStats(ctx: AppContext, principal: Principal, range: DateRange) {
  const { start, end } = rangeInstants(range);
  const rows = await ctx.db.orm
    .select({ heldWords: smsMessages.heldWords, senderOrgId: smsMessages.senderOrgId, status: smsMessages.status, failureCode: smsMessages.failureCode, createdAt: smsMessages.createdAt })
    .from(smsMessages)
    .where(and(isNotNull(smsMessages.heldWords), gte(smsMessages.createdAt, start), lt(smsMessages.createdAt, end), visible(ctx, principal)));
  const orgs = await orgsByIds(ctx, rows.map((r) => r.senderOrgId));
  const byWord = new Map<string, Count>();
  const bySender = new Map<string, Count>();
  const byDay = new Map<string, Count>();
  let pending = 0;
  let released = 0;
  let rejected = 0;
  for (const r of rows) {
    for (const word of new Set((r.heldWords ?? []).map((h) => h.word))) bump(byWord, word, word);
    bump(bySender, r.senderOrgId, orgs.get(r.senderOrgId)?.name ?? '');
    const day = shanghaiDate(r.createdAt);
    bump(byDay, day, day);
    if (r.status === 'HELD') pending++;
    else if (r.failureCode === REJECTED_CODE) rejected++;
    else released++;
  }
  return {
    from: range.from,
    to: range.to,
    held: rows.length,
    pending,
    released,
    rejected,
    byWord: sortedCounts(byWord).map((c) => ({ word: c.key, messages: c.messages })),
    bySender: sortedCounts(bySender).map((c) => ({ orgId: c.key, orgName: c.label, messages: c.messages })),
    byDay: [...byDay.values()].sort((a, b) => a.key.localeCompare(b.key)).map((c) => ({ date: c.key, messages: c.messages })),
  };
}
