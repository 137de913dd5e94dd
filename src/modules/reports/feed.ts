import { sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { cardScope, withoutPersonalData } from './scope.ts';

export interface FeedItem {
  seq: number;
  type: string;
  fromStatus: string | null;
  toStatus: string;
  at: string;
  cardId: string;
  applicationNo: string;
  programmeKind: string;
  cardNo: string | null;
  batchNo: string | null;
  orgId: string | null;
  details: Record<string, unknown>;
  idempotencyKey: string;
}

export interface FeedPage {
  items: FeedItem[];
  nextCursor: number;
  hasMore: boolean;
}

interface FeedRow extends Record<string, unknown> {
  seq: number | string;
  type: string;
  from_status: string | null;
  to_status: string;
  at: Date | string;
  card_id: string;
  application_no: string;
  card_kind: string;
  card_no: string | null;
  batch_no: string | null;
  org_id: string | null;
  details: Record<string, unknown> | null;
  idempotency_key: string;
}

/**
 * Gaps in the sequence (a number handed out but its row not visible) and, for each, a transaction id
 * taken just after this process first saw it. A gap is either a rolled-back insert (never filled) or
 * an insert whose transaction is still running (filled at its commit). Any transaction that can still
 * fill it was running when the gap was seen, so it has a lower id than the one taken then; once the
 * oldest running transaction (xmin) is not older than that id, the gap is permanent and may be passed.
 * (The snapshot's own xmax cannot serve: it is the latest completed id + 1, and a running transaction
 * may already hold an id at or above it.) Per process and conservative: a process that has not seen a
 * gap before takes a new mark, never passes it early. This relies on a writer holding its transaction
 * id before it takes an event number; every writer here changes a card or application row before it
 * writes events, and even an INSERT of events alone gets its id within the statement's first row.
 */
const gapsSeen = new Map<number, bigint>();
const MAX_TRACKED_GAPS = 10_000;

/**
 * The write-back feed: card events after a cursor, in sequence order, for the population system.
 *
 * Sequence numbers are taken when a row is inserted, not when its transaction commits, so a reader
 * that simply took "seq > after" could pass over an event that commits later with a lower number and
 * never see it. Two rules hold such events back, both evaluated in one statement (one snapshot):
 * - the horizon: every transaction that may still be running has an id at or above the snapshot's
 *   xmin, so the page stops below the first visible event written by such a transaction;
 * - gaps: a transaction that took its id before another one can still insert after it, with an id
 *   below xmin but a higher sequence number than the other's invisible rows; the page therefore also
 *   stops at the first gap in the numbers until no transaction that could fill it is left (gapsSeen).
 * A poller sees the held-back events, in order, once they have committed.
 */
export async function readFeed(ctx: AppContext, principal: Principal, after: number, limit: number, latest = false): Promise<FeedPage> {
  // `latest`: the newest page below the horizon instead of the page after the cursor (for a console view
  // and for a new reader that wants to start from now).
  // The horizon is applied to the fetched page rather than in the WHERE clause: as a sub-select there
  // it hides the row count from the planner, which then joins every event instead of walking the index.
  const rows = await ctx.db.rows<FeedRow & { snap_xmin: string; horizon: string | null; gaps: (string | number)[] | null }>(
    null,
    sql`with horizon as (
          select min(seq) as seq from card_events where txid >= pg_snapshot_xmin(pg_current_snapshot())
        ), cand as (
          select e.seq, e.type, e.from_status, e.to_status, e.at, e.card_id, a.application_no, c.card_kind, c.card_no,
                 b.batch_no, e.org_id, e.details, e.idempotency_key
            from card_events e
            join card_attempts c on c.id = e.card_id
            join programmes p on p.id = e.programme_id
            join applications a on a.id = e.application_id
            left join production_batches b on b.id = c.batch_id
           where e.seq > ${after}
             and ${cardScope(principal)}
           order by ${latest ? sql`e.seq desc` : sql`e.seq`}
           limit ${limit + 1}
        ), lower_bound as (
          select ${latest ? sql`(select min(seq) from cand)` : sql`${after}::bigint`} as seq
        ), span as (
          select seq from card_events where seq > (select seq from lower_bound) and seq <= (select max(seq) from cand)
          union all select seq from lower_bound
        ), gaps as (
          select array_agg((seq + 1)::text order by seq) as list
            from (select seq, lead(seq) over (order by seq) as next from span) x
           where next > seq + 1
        )
        select cand.*, pg_snapshot_xmin(pg_current_snapshot())::text as snap_xmin,
               (select seq from horizon)::text as horizon, (select list from gaps) as gaps
          from cand
         order by cand.seq`,
  );
  const gapStop = await firstOpenGap(ctx, rows[0]);
  const horizon = rows[0]?.horizon == null ? null : Number(rows[0].horizon);
  const stop = gapStop === null ? horizon : horizon === null ? gapStop : Math.min(gapStop, horizon);
  const open = stop === null ? rows : rows.filter((r) => Number(r.seq) < stop);
  let page: typeof rows;
  let hasMore: boolean;
  if (latest) {
    page = open.slice(-limit);
    hasMore = false;
  } else {
    page = open.slice(0, limit);
    hasMore = open.length > limit;
  }
  const items = page.map(
    (r): FeedItem => ({
      seq: Number(r.seq),
      type: r.type,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      at: new Date(r.at).toISOString(),
      cardId: r.card_id,
      applicationNo: r.application_no,
      programmeKind: r.card_kind,
      cardNo: r.card_no,
      batchNo: r.batch_no,
      orgId: r.org_id,
      details: withoutPersonalData(r.details),
      idempotencyKey: r.idempotency_key,
    }),
  );
  return { items, nextCursor: items.length > 0 ? items[items.length - 1]!.seq : after, hasMore };
}

/** The first gap that a running transaction may still fill, or null; records gaps seen for the first time. */
async function firstOpenGap(ctx: AppContext, row: { snap_xmin: string; gaps: (string | number)[] | null } | undefined): Promise<number | null> {
  if (!row?.gaps?.length) return null;
  const gaps = row.gaps.map(Number);
  if (gapsSeen.size > MAX_TRACKED_GAPS) gapsSeen.clear();
  if (gaps.some((g) => !gapsSeen.has(g))) {
    // A new transaction id is above every id in use when the gaps were seen (ids only grow).
    const [mark] = await ctx.db.rows<{ xid: string }>(null, sql`select pg_current_xact_id()::text as xid`);
    for (const g of gaps) if (!gapsSeen.has(g)) gapsSeen.set(g, BigInt(mark!.xid));
  }
  const xmin = BigInt(row.snap_xmin);
  return gaps.find((g) => xmin < gapsSeen.get(g)!) ?? null;
}
