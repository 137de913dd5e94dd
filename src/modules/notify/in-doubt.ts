import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { moveMessage } from './message-updates.ts';
import { decidableBefore, visible } from './messages-query.ts';
import { smsMessages, smsSubmitAttempts } from './schema.ts';

/**
 * A message is in doubt when it is still QUEUED behind a submit nobody knows the outcome of (a timeout,
 * a connection lost after the write, a worker killed mid-submit) and reconcile has had its window
 * without finding evidence either way. The dispatcher never resends on silence (docs/sms.md, "Never
 * twice"): such a message waits for proof that the SMSC reports again, or for the end of its validity.
 * An operator who has asked the provider need not wait: `resend` lets it go again (a duplicate is then
 * the operator's informed risk), `close` ends it EXPIRED with SUBMIT_UNCONFIRMED, as validity would.
 */
export const IN_DOUBT_DECISIONS = ['resend', 'close'] as const;
export type InDoubtDecision = (typeof IN_DOUBT_DECISIONS)[number];

const openOutcome = or(isNull(smsSubmitAttempts.outcome), eq(smsSubmitAttempts.outcome, 'UNKNOWN'));

/** The operator's reason is the route's to audit; here the attempts are abandoned and the message moved. */
export async function decideInDoubt(ctx: AppContext, principal: Principal, id: string, decision: InDoubtDecision, now = new Date()) {
  return ctx.db.orm.transaction(async (tx) => {
    // Attempts first, then the message: the dispatcher's reconcile takes its locks in that order.
    const open = await tx
      .select({ id: smsSubmitAttempts.id, startedAt: smsSubmitAttempts.startedAt })
      .from(smsSubmitAttempts)
      .where(and(eq(smsSubmitAttempts.messageId, id), openOutcome))
      .for('update');
    const [message] = await tx
      .select({ status: smsMessages.status })
      .from(smsMessages)
      .where(and(eq(smsMessages.id, id), visible(ctx, principal)))
      .for('update');
    if (!message) throw new AppError('SMS_MESSAGE_NOT_FOUND');
    if (message.status !== 'QUEUED' || open.length === 0) throw new AppError('SMS_NOT_IN_DOUBT', { params: { status: message.status } });
    const newest = Math.max(...open.map((a) => a.startedAt.getTime()));
    const waitMs = newest - decidableBefore(ctx, now).getTime();
    if (waitMs > 0) throw new AppError('SMS_IN_DOUBT_TOO_EARLY', { params: { seconds: Math.ceil(waitMs / 1000) } });

    const attemptIds = open.map((a) => a.id);
    await tx.update(smsSubmitAttempts).set({ outcome: 'ABANDONED', finishedAt: now }).where(inArray(smsSubmitAttempts.id, attemptIds));
    if (decision === 'resend') {
      await tx.update(smsMessages).set({ nextAttemptAt: now, updatedAt: sql`now()` }).where(eq(smsMessages.id, id));
    } else {
      await moveMessage(tx, id, 'VALIDITY_END', { failureCode: 'SUBMIT_UNCONFIRMED' }, now);
    }
    const [after] = await tx.select({ status: smsMessages.status, failureCode: smsMessages.failureCode }).from(smsMessages).where(eq(smsMessages.id, id));
    return { id, decision, status: after!.status, failureCode: after!.failureCode, abandonedAttempts: attemptIds };
  });
}
