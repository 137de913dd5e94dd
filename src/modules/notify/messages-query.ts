import { and, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { addDaysToDate, isValidDate, shanghaiInstant } from '../calendar/zone.ts';
import { orgIdsInScope } from '../orgs/service.ts';
import { smsMessages, smsReceipts, smsSubmitAttempts } from './schema.ts';
import { SMS_STATUSES, type SmsStatus } from './states.ts';

/** Longest range a list or statistics query may span. */
const MAX_RANGE_DAYS = 366;

export interface DateRange {
  from: string;
  to: string;
}

export interface MessageFilter {
  status?: SmsStatus;
  from?: string;
  to?: string;
  phone?: string;
  templateId?: string;
  /** Only messages in doubt (in-doubt.ts): queued behind a submit whose outcome reconcile could not find. */
  inDoubt?: boolean;
  limit: number;
  offset: number;
}

const SUMMARY = {
  id: smsMessages.id,
  phoneMasked: smsMessages.phoneMasked,
  text: smsMessages.text,
  templateId: smsMessages.templateId,
  senderOrgId: smsMessages.senderOrgId,
  category: smsMessages.category,
  segments: smsMessages.segments,
  costMilliFen: smsMessages.costMilliFen,
  status: smsMessages.status,
  provider: smsMessages.provider,
  attempts: smsMessages.attempts,
  failureCode: smsMessages.failureCode,
  createdAt: smsMessages.createdAt,
  submittedAt: smsMessages.submittedAt,
  deliveredAt: smsMessages.deliveredAt,
  finishedAt: smsMessages.finishedAt,
  nextAttemptAt: smsMessages.nextAttemptAt,
};

type MessageRow = Pick<typeof smsMessages.$inferSelect, keyof typeof SUMMARY>;

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

function messageView(m: MessageRow) {
  return {
    ...m,
    createdAt: m.createdAt.toISOString(),
    submittedAt: isoOrNull(m.submittedAt),
    deliveredAt: isoOrNull(m.deliveredAt),
    finishedAt: isoOrNull(m.finishedAt),
    nextAttemptAt: m.nextAttemptAt.toISOString(),
  };
}

/**
 * The SMS provider carries every message, so its users see them all (masked); everyone else sees
 * the messages of the organisations in their scope.
 */
export function visible(ctx: AppContext, principal: Principal): SQL | undefined {
  if (principal.orgKind === 'SMS_PROVIDER' || principal.type === 'SYSTEM') return undefined;
  return inArray(smsMessages.senderOrgId, orgIdsInScope(ctx, principal));
}

/** [start, end) instants of a Shanghai date range, both days included. */
export function rangeInstants(range: DateRange): { start: Date; end: Date } {
  if (!isValidDate(range.from) || !isValidDate(range.to)) throw new AppError('SMS_DATE_RANGE_INVALID', { params: { reason: 'YYYY-MM-DD expected' } });
  if (range.to < range.from) throw new AppError('SMS_DATE_RANGE_INVALID', { params: { reason: `${range.to} is before ${range.from}` } });
  if (addDaysToDate(range.from, MAX_RANGE_DAYS) <= range.to) throw new AppError('SMS_DATE_RANGE_INVALID', { params: { reason: `at most ${MAX_RANGE_DAYS} days` } });
  return { start: shanghaiInstant(range.from, 0), end: shanghaiInstant(addDaysToDate(range.to, 1), 0) };
}

/** Attempts younger than the reconcile window may still be in flight in a live worker, or answered late. */
export function decidableBefore(ctx: AppContext, now: Date): Date {
  return new Date(now.getTime() - ctx.config.smsReconcileSeconds * 1000);
}

/** The list filter: queued messages behind an open attempt older than the reconcile window. */
export function inDoubtFilter(ctx: AppContext, now = new Date()): SQL {
  const before = decidableBefore(ctx, now).toISOString();
  return sql`(${smsMessages.status} = 'QUEUED' and exists (select 1 from sms_submit_attempts a where a.message_id = ${smsMessages.id}
              and (a.outcome is null or a.outcome = 'UNKNOWN') and a.started_at < ${before}::timestamptz))`;
}

/** Whether a message with these attempts is in doubt now (the detail view's flag). */
export function isInDoubt(ctx: AppContext, status: string, attempts: ReadonlyArray<{ outcome: string | null; startedAt: Date }>, now = new Date()): boolean {
  const before = decidableBefore(ctx, now).getTime();
  return status === 'QUEUED' && attempts.some((a) => (a.outcome === null || a.outcome === 'UNKNOWN') && a.startedAt.getTime() < before);
}

export async function listMessages(ctx: AppContext, principal: Principal, filter: MessageFilter) {
  const conditions: Array<SQL | undefined> = [visible(ctx, principal)];
  if (filter.status) conditions.push(eq(smsMessages.status, filter.status));
  if (filter.templateId) conditions.push(eq(smsMessages.templateId, filter.templateId));
  if (filter.inDoubt) conditions.push(inDoubtFilter(ctx));
  if (filter.phone) conditions.push(eq(smsMessages.phoneIdx, blindIndex(ctx.keyring, 'phone', normaliseMobile(filter.phone))));
  if (filter.from || filter.to) {
    const { start, end } = rangeInstants({ from: filter.from ?? filter.to!, to: filter.to ?? filter.from! });
    conditions.push(gte(smsMessages.createdAt, start), lt(smsMessages.createdAt, end));
  }
  const rows = await ctx.db.orm
    .select(SUMMARY)
    .from(smsMessages)
    .where(and(...conditions))
    .orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
    .limit(filter.limit)
    .offset(filter.offset);
  return rows.map(messageView);
}

export interface MessageEvent {
  at: Date;
  kind: 'CREATED' | 'ATTEMPT' | 'ATTEMPT_SETTLED' | 'RECEIPT' | 'FINISHED';
  detail: string;
}

/** One message with its submit attempts, every receipt of its segments, and the timeline built from them. */
export async function getMessage(ctx: AppContext, principal: Principal, id: string) {
  const [message] = await ctx.db.orm
    .select(SUMMARY)
    .from(smsMessages)
    .where(and(eq(smsMessages.id, id), visible(ctx, principal)));
  if (!message) throw new AppError('SMS_MESSAGE_NOT_FOUND');
  const attempts = await ctx.db.orm
    .select({
      id: smsSubmitAttempts.id,
      provider: smsSubmitAttempts.provider,
      startedAt: smsSubmitAttempts.startedAt,
      outcome: smsSubmitAttempts.outcome,
      smscIds: smsSubmitAttempts.smscIds,
      errorCode: smsSubmitAttempts.errorCode,
      finishedAt: smsSubmitAttempts.finishedAt,
    })
    .from(smsSubmitAttempts)
    .where(eq(smsSubmitAttempts.messageId, id))
    .orderBy(smsSubmitAttempts.startedAt);
  const receipts = [];
  for (const a of attempts.filter((x) => x.smscIds.length > 0)) {
    const rows = await ctx.db.orm
      .select({ smscMessageId: smsReceipts.smscMessageId, status: smsReceipts.status, stat: smsReceipts.stat, errorCode: smsReceipts.errorCode, doneAt: smsReceipts.doneAt, receivedAt: smsReceipts.receivedAt })
      .from(smsReceipts)
      .where(and(eq(smsReceipts.provider, a.provider), inArray(smsReceipts.smscMessageId, a.smscIds)))
      .orderBy(smsReceipts.receivedAt);
    receipts.push(...rows.map((r) => ({ ...r, segment: a.smscIds.indexOf(r.smscMessageId) + 1 })));
  }
  const events: MessageEvent[] = [{ at: message.createdAt, kind: 'CREATED', detail: message.category }];
  for (const a of attempts) {
    events.push({ at: a.startedAt, kind: 'ATTEMPT', detail: a.provider });
    if (a.finishedAt) events.push({ at: a.finishedAt, kind: 'ATTEMPT_SETTLED', detail: a.errorCode ? `${a.outcome} ${a.errorCode}` : String(a.outcome) });
  }
  for (const r of receipts) events.push({ at: r.receivedAt, kind: 'RECEIPT', detail: `segment ${r.segment}: ${r.stat}` });
  if (message.finishedAt) events.push({ at: message.finishedAt, kind: 'FINISHED', detail: message.failureCode ? `${message.status} ${message.failureCode}` : message.status });
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    ...messageView(message),
    inDoubt: isInDoubt(ctx, message.status, attempts),
    attemptList: attempts.map((a) => ({ ...a, startedAt: a.startedAt.toISOString(), finishedAt: isoOrNull(a.finishedAt) })),
    receipts: receipts.map((r) => ({ ...r, doneAt: isoOrNull(r.doneAt), receivedAt: r.receivedAt.toISOString() })),
    events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

/**
 * Counts per status of the messages created in the range, the delivery rate over finished
 * messages (delivered ÷ delivered + failed + expired), submit → receipt latency percentiles of the
 * delivered ones, and the receipts of the range that match no submitted segment.
 */
export async function smsStats(ctx: AppContext, principal: Principal, range: DateRange) {
  const { start, end } = rangeInstants(range);
  const scope = visible(ctx, principal);
  const inRange = and(gte(smsMessages.createdAt, start), lt(smsMessages.createdAt, end), scope);
  const counts = await ctx.db.orm
    .select({ status: smsMessages.status, n: sql<number>`count(*)::int`, segments: sql<number>`coalesce(sum(${smsMessages.segments}), 0)::int` })
    .from(smsMessages)
    .where(inRange)
    .groupBy(smsMessages.status);
  const byStatus = Object.fromEntries(SMS_STATUSES.map((s) => [s, 0])) as Record<SmsStatus, number>;
  for (const c of counts) byStatus[c.status] = Number(c.n);
  const finished = byStatus.DELIVERED + byStatus.FAILED + byStatus.EXPIRED;
  const [latency] = await ctx.db.orm
    .select({
      p50: sql<number | null>`percentile_disc(0.5) within group (order by extract(epoch from ${smsMessages.deliveredAt} - ${smsMessages.submittedAt}) * 1000)`,
      p99: sql<number | null>`percentile_disc(0.99) within group (order by extract(epoch from ${smsMessages.deliveredAt} - ${smsMessages.submittedAt}) * 1000)`,
    })
    .from(smsMessages)
    .where(and(inRange, eq(smsMessages.status, 'DELIVERED')));
  const [unmatched] = await ctx.db.rows<{ n: number }>(
    null,
    sql`select count(*)::int as n from sms_receipts r
        where r.received_at >= ${start.toISOString()}::timestamptz and r.received_at < ${end.toISOString()}::timestamptz
          and not exists (select 1 from sms_submit_attempts a where a.provider = r.provider and a.smsc_ids @> array[r.smsc_message_id])`,
  );
  const ms = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return {
    from: range.from,
    to: range.to,
    byStatus,
    messages: counts.reduce((a, c) => a + Number(c.n), 0),
    segments: counts.reduce((a, c) => a + Number(c.segments), 0),
    deliveryRate: finished === 0 ? null : Math.round((byStatus.DELIVERED / finished) * 10_000) / 10_000,
    latencyMs: { p50: ms(latency?.p50), p99: ms(latency?.p99) },
    unmatchedReceipts: Number(unmatched?.n ?? 0),
  };
}

/** Messages per status over the whole outbox, for monitoring: QUEUED growing means dispatch is stuck. */
export async function smsStatusCounts(ctx: AppContext): Promise<Record<string, number>> {
  const rows = await ctx.db.orm.select({ status: smsMessages.status, n: count() }).from(smsMessages).groupBy(smsMessages.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
