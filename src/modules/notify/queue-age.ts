import { eq, min } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { smsMessages } from './schema.ts';

/** When the oldest message still waiting for dispatch was queued (null: none waiting); an old one means dispatch is stuck. */
export async function oldestQueuedSmsAt(ctx: AppContext): Promise<Date | null> {
  const [row] = await ctx.db.orm.select({ at: min(smsMessages.createdAt) }).from(smsMessages).where(eq(smsMessages.status, 'QUEUED'));
  return row?.at ?? null;
}
