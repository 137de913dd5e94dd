import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/engine.ts';
import { smsMessages } from './schema.ts';
import { SMS_TRANSITIONS, isFinished, type SmsEvent } from './states.ts';

type MessageFields = Partial<Pick<typeof smsMessages.$inferInsert, 'provider' | 'submittedAt' | 'deliveredAt' | 'failureCode' | 'nextAttemptAt'>>;

/**
 * Moves a message by `event` when its current status allows it (states.ts); a message already moved
 * on (by a receipt racing the submit answer, or another worker) is left alone. Returns whether it moved.
 */
export async function moveMessage(q: Queryable, messageId: string, event: SmsEvent, fields: MessageFields = {}, at: Date = new Date()): Promise<boolean> {
  const rule = SMS_TRANSITIONS[event];
  const moved = await q
    .update(smsMessages)
    .set({
      ...fields,
      status: rule.to,
      finishedAt: isFinished(rule.to) ? at : null,
      ...(rule.to === 'DELIVERED' ? {} : { deliveredAt: null }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(smsMessages.id, messageId), inArray(smsMessages.status, [...rule.from])))
    .returning({ id: smsMessages.id });
  return moved.length > 0;
}
