import { count, eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { notificationOutbox } from './schema.ts';

/** Lifecycle notices not yet handed to the SMS platform: a growing number means the relay is stuck. */
export async function pendingNoticeCount(ctx: AppContext): Promise<number> {
  const [row] = await ctx.db.orm.select({ n: count() }).from(notificationOutbox).where(eq(notificationOutbox.status, 'PENDING'));
  return row?.n ?? 0;
}
