import { count, eq, min } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { inDoubtFilter } from './messages-query.ts';
import { smsMessages } from './schema.ts';

/** When the oldest message still waiting for dispatch was queued (null: none waiting); an old one means dispatch is stuck. */
export async function oldestQueuedSmsAt(ctx: AppContext): Promise<Date | null> {
  const [row] = await ctx.db.orm.select({ at: min(smsMessages.createdAt) }).from(smsMessages).where(eq(smsMessages.status, 'QUEUED'));
  return row?.at ?? null;
}

/** Messages in doubt (in-doubt.ts): they keep the queue old until an operator decides or validity ends. */
export async function inDoubtSmsCount(ctx: AppContext, now = new Date()): Promise<number> {
  const [row] = await ctx.db.orm.select({ n: count() }).from(smsMessages).where(inDoubtFilter(ctx, now));
  return Number(row?.n ?? 0);
}
