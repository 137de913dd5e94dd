import { randomInt } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { planKeyLookups } from '../../platform/db/planner.ts';
import { WriteBatcher } from '../../platform/db/write-batcher.ts';
import { decryptField } from '../../platform/crypto/field-cipher.ts';
import { backoffDelay, GatewayError, type Gateway, type GatewayReceipt, type LateAnswer, type SubmitResult } from './gateway.ts';
import { decideFailure, RateLimiter, reconcileAttempts, sendableAt, type QuietHours, type UnmatchedReceipt } from './dispatch-rules.ts';
import { acceptMessages, moveMessage } from './message-updates.ts';
import { lockSegmentIds, recordInbound, settleMessages, storeReceipts } from './receipts-store.ts';
import { smsMessages, smsSubmitAttempts } from './schema.ts';

export interface DispatcherOptions {
  /** The provider's name, stored with each attempt and receipt. */
  provider: string;
  gateway: Gateway;
  ratePerSecond: number;
  /** Messages being submitted at once: the gateway's binds × window. */
  inFlight: number;
  /** Rows claimed per query, at most. */
  batchSize: number;
  quietHours: QuietHours;
  maxAttempts: number;
  /** How long an unknown outcome waits for evidence before the message may go again. */
  reconcileMs: number;
  /** Pause between polls of an empty queue. */
  pollMs: number;
  /** Backoff after a temporary failure; default RETRY. */
  retry?: { minMs: number; maxMs: number };
}

interface Claimed {
  messageId: string;
  idempotencyKey: string;
  attemptId: string;
  phoneEnc: string;
  text: string;
  attempts: number;
}

/** Pause after a throttling answer that the gateway's own retries could not absorb. */
const THROTTLE_PAUSE = { minMs: 200, maxMs: 10_000 } as const;
/** A settle write that fails is tried again: losing it would turn a sent message into a resend. */
const SETTLE_TRIES = 5;
/** Receipts younger than this may still be matched by a submit answer being written. */
const EARLY_RECEIPT_GRACE_MS = 10_000;
/**
 * Submit answers and receipts are written in batches of up to this many, at most this long after the
 * first came: a few milliseconds against the seconds a receipt may take, for a tenth of the round trips.
 */
const WRITE_BATCH = { maxItems: 500, maxDelayMs: 5 } as const;

/**
 * Drains the outbox into one gateway. Every attempt is committed before its submit goes to the wire
 * and settled after; a message with an unsettled attempt is never claimed again until reconcile()
 * has found evidence or given up on it. Safe to run in several processes at once: rows are claimed
 * with FOR UPDATE SKIP LOCKED.
 */
export class Dispatcher {
  private running = false;
  private active = 0;
  private readonly pending = new Set<Promise<void>>();
  /** Attempts this process is still submitting or settling: reconcile must not judge them. */
  private readonly ownOpen = new Set<string>();
  /** Late answers by GatewayError.attempt, until the attempt they settle is written. */
  private readonly lateAnswers = new Map<string, { ids: Array<string | null>; at: number }>();
  private readonly limiter: RateLimiter;
  private pausedUntil = 0;
  private throttles = 0;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastHousekeeping = 0;
  /** When this dispatcher began: only its own submits prove that the SMSC is sending receipts again. */
  private readonly bornAt = new Date();
  private readonly accepted: WriteBatcher<{ c: Claimed; result: SubmitResult; answeredAt: Date }>;
  private readonly receipts: WriteBatcher<GatewayReceipt>;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: DispatcherOptions,
  ) {
    this.limiter = new RateLimiter(opts.ratePerSecond, Date.now());
    this.accepted = new WriteBatcher((items) => this.recordAccepted(items), WRITE_BATCH);
    this.receipts = new WriteBatcher((items) => storeReceipts(ctx, opts.provider, items), WRITE_BATCH);
  }

  /**
   * Registers the receipt, late-answer and reply listeners; call before gateway.start() so that no
   * receipt is refused for want of a listener. Returns the function that removes them.
   */
  attach(): () => void {
    const { gateway, provider } = this.opts;
    const offs = [
      gateway.onReceipt((r) => this.receipts.add(r)),
      gateway.onLateAnswer((answer) => this.noteLateAnswer(answer)),
      // Each part of a long reply is kept as it came; opt-outs (退订, T, TD, R) fit in one part.
      gateway.onInbound(async (sms) => {
        await recordInbound(this.ctx, { provider, from: sms.from, text: sms.text, receivedAt: sms.receivedAt });
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming, waits for the submits and writes in flight, and returns; the gateway is the caller's. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.drain();
  }

  /** Waits until every submit and settle write started so far has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.accepted.flush();
    await this.receipts.flush();
  }

  /**
   * Settles attempts left open longer than the reconcile window (a crash, or a timeout with no late
   * answer): with evidence the SMSC took them they count as submitted, else they are abandoned and
   * the message may go again. Then ends the messages whose validity has passed.
   */
  async housekeeping(now = new Date()): Promise<{ reconciled: number; expired: number }> {
    for (const [attempt, entry] of this.lateAnswers) if (now.getTime() - entry.at > 2 * this.opts.reconcileMs) this.lateAnswers.delete(attempt);
    const reconciled = await this.reconcile(now);
    const expired = await this.expire(now);
    await this.deferQuiet(now);
    return { reconciled, expired };
  }

  /** Claims up to `limit` due messages and starts their submits; resolves once they are claimed. */
  async dispatchOnce(limit = this.opts.batchSize): Promise<number> {
    const claimed = await this.claim(Math.min(limit, this.opts.batchSize));
    for (const c of claimed) {
      this.ownOpen.add(c.attemptId);
      this.track(this.submitOne(c).finally(() => this.ownOpen.delete(c.attemptId)));
    }
    return claimed.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (Date.now() - this.lastHousekeeping >= Math.min(this.opts.reconcileMs, 60_000)) {
          this.lastHousekeeping = Date.now();
          await this.housekeeping();
        }
        // Answers still waiting for their write count against the window too: claiming ahead of a
        // database that cannot keep up would only hold more rows leased.
        const free = Math.min(this.opts.inFlight - this.active, this.opts.inFlight + WRITE_BATCH.maxItems - this.accepted.waiting);
        const paused = this.pausedUntil - Date.now();
        if (paused > 0) await this.sleep(paused);
        else if (free <= 0) await this.sleep(this.opts.pollMs);
        else if ((await this.dispatchOnce(free)) === 0) await this.sleep(this.opts.pollMs);
      } catch (error) {
        this.ctx.logger.error({ err: error, provider: this.opts.provider }, 'sms dispatcher loop failed; retrying');
        await this.sleep(this.opts.pollMs * 10);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private track(work: Promise<void>): void {
    const p = work.catch((error: unknown) => this.ctx.logger.error({ err: error, provider: this.opts.provider }, 'sms dispatch work failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async claim(limit: number): Promise<Claimed[]> {
    if (limit <= 0) return [];
    const { provider, reconcileMs } = this.opts;
    const now = new Date();
    const quiet = sendableAt(now, this.opts.quietHours, false).getTime() !== now.getTime();
    return this.ctx.db.orm.transaction(async (tx) => {
      // The queue index read in order and stopped at the limit. Right after a campaign is queued the
      // statistics still say the queue is small, and the planner would fetch, anti-join and sort every
      // due row for each claim: O(queue) per claim, 40 ms at 60,000 queued against 2 ms this way.
      await planKeyLookups(tx);
      // One statement: the rows picked, their attempts inserted and their lease taken in one round trip.
      const rows = await this.ctx.db.rows<{ id: string; idempotency_key: string; phone_enc: string; text: string; attempts: number; attempt_id: string }>(
        tx,
        sql`with picked as (
              select m.id, m.idempotency_key, m.phone_enc, m.text, m.attempts, m.next_attempt_at from sms_messages m
              where m.status = 'QUEUED' and m.next_attempt_at <= now() and m.expires_at > now()
                and not exists (select 1 from sms_submit_attempts a where a.message_id = m.id and (a.outcome is null or a.outcome = 'UNKNOWN'))
                ${quiet ? sql`and m.category = 'NOTIFICATION' and m.quiet_hours_exempt` : sql``}
              order by m.next_attempt_at
              limit ${limit}
              for update of m skip locked),
            attempt as (insert into sms_submit_attempts (message_id, provider) select id, ${provider} from picked returning id, message_id),
            -- A lease: should this process die, nothing claims the message before reconcile has looked at it.
            leased as (update sms_messages m set attempts = m.attempts + 1, provider = ${provider},
                         next_attempt_at = now() + ${`${reconcileMs} milliseconds`}::interval, updated_at = now()
                       from picked where m.id = picked.id)
            select p.id, p.idempotency_key, p.phone_enc, p.text, p.attempts, a.id as attempt_id
            from picked p join attempt a on a.message_id = p.id
            order by p.next_attempt_at`,
      );
      return rows.map((r) => ({ messageId: r.id, idempotencyKey: r.idempotency_key, attemptId: r.attempt_id, phoneEnc: r.phone_enc, text: r.text, attempts: Number(r.attempts) + 1 }));
    });
  }

  private async submitOne(c: Claimed): Promise<void> {
    this.active++;
    let inWindow = true;
    // The gateway's window slot is free once it has answered; the answer's write goes in a batch.
    const release = () => {
      if (!inWindow) return;
      inWindow = false;
      this.active--;
      this.wake?.();
    };
    try {
      await this.waitForToken();
      let result: SubmitResult;
      try {
        result = await this.opts.gateway.submit({ to: decryptField(this.ctx.keyring, c.phoneEnc), text: c.text, reference: randomInt(256), idempotencyKey: c.idempotencyKey });
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        release();
        await this.settleWithRetry(() => this.recordFailure(c, error));
        return;
      }
      this.throttles = 0;
      release();
      const answeredAt = new Date();
      await this.settleWithRetry(() => this.accepted.add({ c, result, answeredAt }));
    } finally {
      release();
    }
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const wait = this.limiter.take(Date.now());
      if (wait === 0) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async settleWithRetry(write: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (attempt + 1 >= SETTLE_TRIES) throw error;
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, 200, 5_000)));
      }
    }
  }

  private async recordAccepted(items: ReadonlyArray<{ c: Claimed; result: SubmitResult; answeredAt: Date }>): Promise<void> {
    const { provider } = this.opts;
    await this.ctx.db.orm.transaction(async (tx) => {
      // Should the database server itself crash before this reaches disk, the attempts stay open (their
      // rows were committed before the wire) and reconcile settles them from the receipts: no resend.
      await tx.execute(sql`set local synchronous_commit = off`);
      await planKeyLookups(tx);
      await lockSegmentIds(tx, [{ provider, ids: items.flatMap((i) => i.result.messageIds) }]);
      const rows = JSON.stringify(items.map((i) => ({ id: i.c.attemptId, smsc_ids: i.result.messageIds })));
      await tx.execute(
        sql`update sms_submit_attempts a set outcome = 'ACCEPTED', smsc_ids = v.smsc_ids, error_code = null, gateway_attempt = null, finished_at = now()
            from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, smsc_ids text[]) where a.id = v.id`,
      );
      await acceptMessages(tx, items.map((i) => ({ messageId: i.c.messageId, submittedAt: i.answeredAt })), provider);
      await settleMessages(tx, items.map((i) => i.c.messageId));
    });
  }

  private async recordFailure(c: Claimed, error: GatewayError): Promise<void> {
    if (error.code === 'SMS_GATEWAY_THROTTLED') this.pausedUntil = Date.now() + backoffDelay(this.throttles++, THROTTLE_PAUSE.minMs, THROTTLE_PAUSE.maxMs);
    const decision = decideFailure(error, c.attempts, this.opts.maxAttempts, this.opts.reconcileMs, this.opts.retry);
    await this.ctx.db.orm.transaction(async (tx) => {
      if (decision.action === 'reconcile') {
        await settleAttempt(tx, c.attemptId, { outcome: 'UNKNOWN', smscIds: error.acceptedIds, errorCode: error.code, gatewayAttempt: error.attempt });
      } else {
        await settleAttempt(tx, c.attemptId, { outcome: error.outcome === 'REFUSED' ? 'REFUSED' : 'NOT_SENT', smscIds: error.acceptedIds, errorCode: error.code });
      }
      if (decision.action === 'fail') {
        await moveMessage(tx, c.messageId, 'REFUSE', { failureCode: error.code });
      } else {
        await tx
          .update(smsMessages)
          .set({ nextAttemptAt: new Date(Date.now() + decision.delayMs), failureCode: error.code, updatedAt: sql`now()` })
          .where(eq(smsMessages.id, c.messageId));
      }
    });
    this.ctx.logger.warn({ messageId: c.messageId, code: error.code, outcome: error.outcome, action: decision.action }, 'sms submit failed');
    if (error.attempt && this.lateAnswers.has(error.attempt)) await this.applyLateAnswer(error.attempt);
  }

  /**
   * A submit that had timed out was answered after all. The answer can beat the write of the
   * attempt's UNKNOWN outcome, so it is kept here until that row exists (see recordFailure).
   */
  private noteLateAnswer(answer: LateAnswer): void {
    const entry = this.lateAnswers.get(answer.attempt) ?? { ids: [], at: Date.now() };
    entry.ids.push(answer.messageId);
    this.lateAnswers.set(answer.attempt, entry);
    this.track(this.applyLateAnswer(answer.attempt));
  }

  private async applyLateAnswer(gatewayAttempt: string): Promise<void> {
    await this.ctx.db.orm.transaction(async (tx) => {
      const [attempt] = await tx
        .select({ id: smsSubmitAttempts.id, messageId: smsSubmitAttempts.messageId, smscIds: smsSubmitAttempts.smscIds, segments: smsMessages.segments })
        .from(smsSubmitAttempts)
        .innerJoin(smsMessages, eq(smsMessages.id, smsSubmitAttempts.messageId))
        .where(and(eq(smsSubmitAttempts.gatewayAttempt, gatewayAttempt), eq(smsSubmitAttempts.outcome, 'UNKNOWN')))
        .for('update', { of: smsSubmitAttempts });
      const answers = this.lateAnswers.get(gatewayAttempt);
      if (!attempt || !answers) return;
      this.lateAnswers.delete(gatewayAttempt);
      const accepted = answers.ids.filter((id): id is string => id !== null);
      if (accepted.length < answers.ids.length) {
        await tx.update(smsSubmitAttempts).set({ outcome: 'REFUSED' }).where(eq(smsSubmitAttempts.id, attempt.id));
        await tx.update(smsMessages).set({ nextAttemptAt: sql`now()`, updatedAt: sql`now()` }).where(eq(smsMessages.id, attempt.messageId));
        return;
      }
      const smscIds = [...attempt.smscIds, ...accepted];
      await lockSegmentIds(tx, [{ provider: this.opts.provider, ids: smscIds }]);
      // The segments after the one that timed out were never written: only a complete message counts as submitted.
      const complete = smscIds.length >= attempt.segments;
      await tx
        .update(smsSubmitAttempts)
        .set({ smscIds, ...(complete ? { outcome: 'ACCEPTED' as const } : {}) })
        .where(eq(smsSubmitAttempts.id, attempt.id));
      if (complete) {
        await moveMessage(tx, attempt.messageId, 'ACCEPT', { provider: this.opts.provider, submittedAt: new Date(), failureCode: null });
        await settleMessages(tx, [attempt.messageId]);
      }
    });
  }

  private async reconcile(now: Date): Promise<number> {
    const { provider, reconcileMs } = this.opts;
    const cutoff = new Date(now.getTime() - reconcileMs);
    const outcome = await this.ctx.db.orm.transaction(async (tx) => {
      const candidates = await tx
        .select({
          id: smsSubmitAttempts.id,
          messageId: smsSubmitAttempts.messageId,
          startedAt: smsSubmitAttempts.startedAt,
          smscIds: smsSubmitAttempts.smscIds,
          segments: smsMessages.segments,
          phoneIdx: smsMessages.phoneIdx,
          expiresAt: smsMessages.expiresAt,
        })
        .from(smsSubmitAttempts)
        .innerJoin(smsMessages, eq(smsMessages.id, smsSubmitAttempts.messageId))
        .where(and(eq(smsSubmitAttempts.provider, provider), or(isNull(smsSubmitAttempts.outcome), eq(smsSubmitAttempts.outcome, 'UNKNOWN')), lt(smsSubmitAttempts.startedAt, cutoff)))
        .orderBy(smsSubmitAttempts.startedAt)
        .for('update', { of: smsSubmitAttempts, skipLocked: true });
      const open = candidates.filter((a) => !this.ownOpen.has(a.id));
      if (open.length === 0) return { decided: 0, waiting: 0, unconfirmed: [] as string[], unmatched: 0 };
      const since = open[0]!.startedAt;
      const settled = new Date(now.getTime() - Math.min(EARLY_RECEIPT_GRACE_MS, reconcileMs / 2));
      const unmatched = await unmatchedReceipts(this.ctx, tx, provider, since, settled);
      // Only submits of this process count as proof: after a crash the SMSC first hands over the
      // receipts it kept for the dead bind, so a receipt for something sent since then comes after them.
      const proofFrom = since > this.bornAt ? since : this.bornAt;
      const latestReceiptedStart = await latestReceiptedSubmit(this.ctx, tx, provider, proofFrom, settled);
      const verdicts = reconcileAttempts(
        open.map((a) => ({ segments: a.segments, knownIds: a.smscIds.length, phoneIdx: a.phoneIdx, startedAt: a.startedAt.getTime(), expiresAt: a.expiresAt.getTime() })),
        unmatched,
        { now: now.getTime(), latestReceiptedStart: latestReceiptedStart?.getTime() ?? null },
      );
      let waiting = 0;
      const unconfirmed: string[] = [];
      for (const [i, a] of open.entries()) {
        const verdict = verdicts[i]!;
        if (verdict.kind === 'wait') {
          waiting++;
        } else if (verdict.kind === 'abandon' || verdict.kind === 'unconfirmed') {
          await tx.update(smsSubmitAttempts).set({ outcome: 'ABANDONED', finishedAt: now }).where(eq(smsSubmitAttempts.id, a.id));
          if (verdict.kind === 'abandon') {
            await tx.update(smsMessages).set({ nextAttemptAt: now, updatedAt: sql`now()` }).where(eq(smsMessages.id, a.messageId));
          } else {
            await moveMessage(tx, a.messageId, 'VALIDITY_END', { failureCode: 'SUBMIT_UNCONFIRMED' }, now);
            unconfirmed.push(a.messageId);
          }
        } else {
          await lockSegmentIds(tx, [{ provider, ids: [...a.smscIds, ...verdict.ids] }]);
          await tx
            .update(smsSubmitAttempts)
            .set({ outcome: 'ACCEPTED', smscIds: [...a.smscIds, ...verdict.ids], finishedAt: now })
            .where(eq(smsSubmitAttempts.id, a.id));
          await moveMessage(tx, a.messageId, 'ACCEPT', { provider, submittedAt: a.startedAt, failureCode: null });
          await settleMessages(tx, [a.messageId]);
        }
      }
      return { decided: open.length - waiting, waiting, unconfirmed, unmatched: unmatched.length };
    });
    if (outcome.decided + outcome.waiting > 0) {
      this.ctx.logger.info({ provider, decided: outcome.decided, waiting: outcome.waiting, unmatchedReceipts: outcome.unmatched }, 'sms attempts with unknown outcome reconciled');
    }
    if (outcome.unconfirmed.length > 0) {
      // Not resent: the SMSC may have delivered them. An operator decides whether to send them again.
      this.ctx.logger.error({ provider, messageIds: outcome.unconfirmed }, 'sms messages expired with an unconfirmed submit: not resent, check with the provider');
    }
    return outcome.decided;
  }

  private async expire(now: Date): Promise<number> {
    const rows = await this.ctx.db.rows<{ id: string }>(
      null,
      sql`update sms_messages m set status = 'EXPIRED', finished_at = ${now.toISOString()}::timestamptz, failure_code = 'VALIDITY', updated_at = now()
          where m.status in ('QUEUED','SUBMITTED') and m.expires_at <= ${now.toISOString()}::timestamptz
            and not exists (select 1 from sms_submit_attempts a where a.message_id = m.id and (a.outcome is null or a.outcome = 'UNKNOWN'))
          returning m.id`,
    );
    return rows.length;
  }

  /** Outside the sending window, marketing waits for its opening instead of being polled all night. */
  private async deferQuiet(now: Date): Promise<void> {
    const opening = sendableAt(now, this.opts.quietHours, false);
    if (opening.getTime() === now.getTime()) return;
    await this.ctx.db.orm
      .update(smsMessages)
      .set({ nextAttemptAt: opening, updatedAt: sql`now()` })
      .where(
        and(
          eq(smsMessages.status, 'QUEUED'),
          lt(smsMessages.nextAttemptAt, opening),
          sql`not (${smsMessages.category} = 'NOTIFICATION' and ${smsMessages.quietHoursExempt})`,
        ),
      );
  }
}

async function settleAttempt(
  q: Queryable,
  attemptId: string,
  fields: { outcome: 'ACCEPTED' | 'NOT_SENT' | 'REFUSED' | 'UNKNOWN'; smscIds: string[]; errorCode?: string; gatewayAttempt?: string | null },
): Promise<void> {
  await q
    .update(smsSubmitAttempts)
    .set({ outcome: fields.outcome, smscIds: fields.smscIds, errorCode: fields.errorCode ?? null, gatewayAttempt: fields.gatewayAttempt ?? null, finishedAt: sql`now()` })
    .where(eq(smsSubmitAttempts.id, attemptId));
}

/** Receipts of the provider, received in [from, to), that no attempt claims: possibly from submits we lost track of. */
async function unmatchedReceipts(ctx: AppContext, q: Queryable, provider: string, from: Date, to: Date): Promise<UnmatchedReceipt[]> {
  const rows = await ctx.db.rows<{ id: string; phone_idx: string | null }>(
    q,
    sql`select distinct r.smsc_message_id as id, r.phone_idx from sms_receipts r
        where r.provider = ${provider} and r.received_at >= ${from.toISOString()}::timestamptz and r.received_at < ${to.toISOString()}::timestamptz
          and not exists (select 1 from sms_submit_attempts a where a.provider = r.provider and a.smsc_ids @> array[r.smsc_message_id])
        order by 1`,
  );
  return rows.map((r) => ({ id: r.id, phoneIdx: r.phone_idx }));
}

/** Start of the latest accepted submit since `since` whose receipt came before `receivedBefore`: proof that the SMSC reports. */
async function latestReceiptedSubmit(ctx: AppContext, q: Queryable, provider: string, since: Date, receivedBefore: Date): Promise<Date | null> {
  const [row] = await ctx.db.rows<{ started_at: string | Date }>(
    q,
    sql`select a.started_at from sms_submit_attempts a
        where a.provider = ${provider} and a.outcome = 'ACCEPTED' and a.started_at >= ${since.toISOString()}::timestamptz
          and exists (select 1 from sms_receipts r where r.provider = a.provider and r.smsc_message_id = any(a.smsc_ids) and r.received_at < ${receivedBefore.toISOString()}::timestamptz)
        order by a.started_at desc
        limit 1`,
  );
  return row ? new Date(row.started_at) : null;
}
