import { sql } from 'drizzle-orm';
import type { Queryable } from './engine.ts';

/**
 * For the rest of the transaction, plans key lookups as key lookups whatever the statistics say.
 *
 * A table that grows by thousands of rows a minute (the SMS outbox, its attempts and receipts) is
 * analysed long after it has grown: until then the planner believes it small and reads all of it, by
 * a sequential scan, a bitmap of the whole provider or a hash of the whole table, for each batch of a
 * hundred ids. That costs O(table) per batch, and the dispatcher slowed as a campaign went on. The
 * settings only make those plans expensive, so a statement with no index to use still runs. That
 * penalty is far above jit_above_cost, and compiling each statement took longer than running it.
 * A GIN index is read only by a bitmap scan: a transaction that searches one keeps `bitmapScans`.
 */
export async function planKeyLookups(q: Queryable, opts: { bitmapScans?: boolean } = {}): Promise<void> {
  await q.execute(
    sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', ${opts.bitmapScans ? 'on' : 'off'}, true), set_config('enable_sort', 'off', true),
               set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),
               set_config('jit', 'off', true)`,
  );
}
