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

/** A message's move decided by its receipts (receipts-store.ts). */
export interface MessageMove {
  messageId: string;
  event: SmsEvent;
  at: Date;
  deliveredAt: Date | null;
  failureCode: string | null;
}

/**
 * moveMessage for many messages, each with its own time and codes: one statement per event whatever
 * the number of messages. Messages already moved on are left alone, as by moveMessage.
 */
export async function moveMessagesTo(q: Queryable, moves: readonly MessageMove[]): Promise<void> {
  const byEvent = new Map<SmsEvent, MessageMove[]>();
  for (const m of moves) byEvent.set(m.event, [...(byEvent.get(m.event) ?? []), m]);
  for (const [event, group] of byEvent) {
    const rule = SMS_TRANSITIONS[event];
    const rows = JSON.stringify(group.map((m) => ({ id: m.messageId, at: m.at.toISOString(), delivered_at: m.deliveredAt?.toISOString() ?? null, failure_code: m.failureCode })));
    await q.execute(
      sql`update sms_messages m set status = ${rule.to},
            finished_at = ${isFinished(rule.to) ? sql`v.at` : sql`null`},
            delivered_at = ${rule.to === 'DELIVERED' ? sql`v.delivered_at` : sql`null`},
            failure_code = v.failure_code, updated_at = now()
          from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, at timestamptz, delivered_at timestamptz, failure_code text)
          where m.id = v.id and m.status in (${sql.join(rule.from.map((f) => sql`${f}`), sql`, `)})`,
    );
  }
}

/**
 * ACCEPT for many messages at once (their submit answers are written in one batch), each with the time
 * its answer came: one statement. Messages a racing receipt has already moved on are left alone.
 */
export async function acceptMessages(q: Queryable, accepted: ReadonlyArray<{ messageId: string; submittedAt: Date }>, provider: string): Promise<void> {
  if (accepted.length === 0) return;
  const rule = SMS_TRANSITIONS.ACCEPT;
  const rows = JSON.stringify(accepted.map((a) => ({ id: a.messageId, submitted_at: a.submittedAt.toISOString() })));
  await q.execute(
    sql`update sms_messages m set status = ${rule.to}, provider = ${provider}, submitted_at = v.submitted_at, failure_code = null,
          finished_at = null, delivered_at = null, updated_at = now()
        from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, submitted_at timestamptz)
        where m.id = v.id and m.status in (${sql.join(rule.from.map((f) => sql`${f}`), sql`, `)})`,
  );
}
