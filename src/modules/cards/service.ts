import { randomUUID } from 'node:crypto';
import { anyOf } from '../../platform/db/any-of.ts';
import { getTableColumns, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { insertJson } from '../../platform/db/bulk.ts';
import { cardAttempts, cardEvents, type CardStatus } from './schema.ts';
import { nextCardStatus, type CardAction } from './states.ts';

export type CardRow = typeof cardAttempts.$inferSelect;
export type NewCard = typeof cardAttempts.$inferInsert;
/** Columns a transition may set besides the status. */
export type CardPatch = Partial<Omit<CardRow, 'id' | 'applicationId' | 'programmeId' | 'cardKind' | 'attemptNo' | 'mode' | 'status' | 'createdAt' | 'updatedAt'>>;

export interface CardActor {
  type: string;
  id: string | null;
  name: string | null;
  orgId: string | null;
}

export interface CardChange {
  card: CardRow;
  action: CardAction;
  set?: CardPatch;
  details?: Record<string, unknown>;
  /** Unique per real-world happening: the same report twice changes nothing. */
  idempotencyKey: string;
}

/** The cards, locked for update in id order (so two writers never deadlock). */
export async function lockCards(tx: Tx, ids: string[]): Promise<CardRow[]> {
  const out: CardRow[] = [];
  const sorted = [...new Set(ids)].sort();
  for (let i = 0; i < sorted.length; i += 5000) {
    out.push(...(await tx.select().from(cardAttempts).where(anyOf(cardAttempts.id, sorted.slice(i, i + 5000))).orderBy(cardAttempts.id).for('update')));
  }
  return out;
}

export async function existingEventKeys(q: Queryable, keys: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const rows = await q.select({ key: cardEvents.idempotencyKey }).from(cardEvents).where(anyOf(cardEvents.idempotencyKey, keys.slice(i, i + 5000)));
    for (const r of rows) out.add(r.key);
  }
  return out;
}

const COLUMNS = getTableColumns(cardAttempts);
const FIXED = new Set(['id', 'applicationId', 'programmeId', 'cardKind', 'attemptNo', 'mode', 'status', 'createdAt', 'updatedAt']);

function arrayValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : (v ?? null);
}

/**
 * Writes the cards' new status and columns: one UPDATE per group of cards that set the same columns,
 * the values travelling as one typed array per column (unnest), so the statement stays small and
 * only the columns that change are written. A card changed twice in one call keeps its last status.
 */
async function writeCardChanges(ctx: AppContext, tx: Tx, changes: { id: string; to: CardStatus; set: CardPatch | undefined }[], at: Date): Promise<void> {
  const merged = new Map<string, { to: CardStatus; set: Record<string, unknown> }>();
  for (const c of changes) {
    const prev = merged.get(c.id);
    merged.set(c.id, { to: c.to, set: { ...prev?.set, ...c.set } });
  }
  const groups = new Map<string, string[]>();
  for (const [id, m] of merged) {
    const key = Object.keys(m.set).sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  for (const [key, ids] of groups) {
    const props = key ? key.split(',') : [];
    const columns = props.map((p) => {
      const col = COLUMNS[p as keyof typeof COLUMNS];
      if (!col || FIXED.has(p)) throw new Error(`card column ${p} cannot be set by a transition`);
      return col;
    });
    const arrays = [
      sql`${sql.param(ids)}::uuid[]`,
      sql`${sql.param(ids.map((id) => merged.get(id)!.to))}::text[]`,
      ...columns.map((col, i) => sql`${sql.param(ids.map((id) => arrayValue(merged.get(id)!.set[props[i]!])))}::${sql.raw(col.getSQLType())}[]`),
    ];
    const names = ['id', 'status', ...columns.map((c) => c.name)];
    const sets = sql.raw(['status = v.status', ...columns.map((c) => `"${c.name}" = v."${c.name}"`)].join(', '));
    await ctx.db.rows(
      tx,
      sql`update card_attempts c set ${sets}, updated_at = ${at.toISOString()}::timestamptz
          from unnest(${sql.join(arrays, sql`, `)}) as v(${sql.raw(names.map((n) => `"${n}"`).join(', '))})
          where c.id = v.id`,
    );
  }
}

/**
 * Applies state changes to locked cards in bulk, inside the caller's transaction. Each change is
 * checked against the state machine; a change whose idempotency key was already recorded is skipped
 * (a retried report); anything else not allowed throws CARD_STATE_INVALID and the caller's transaction
 * rolls back. One UPDATE per 2,000 cards and group of changed columns, and one INSERT of events.
 * Returns how many changes were applied (the rest were repeats).
 */
export async function applyCardChanges(ctx: AppContext, tx: Tx, actor: CardActor, changes: CardChange[], at = new Date()): Promise<number> {
  const seen = await existingEventKeys(tx, changes.map((c) => c.idempotencyKey));
  const applied: { change: CardChange; from: CardStatus; to: CardStatus }[] = [];
  const current = new Map<string, CardStatus>();
  for (const change of changes) {
    if (seen.has(change.idempotencyKey)) continue;
    const from = current.get(change.card.id) ?? change.card.status;
    const to = nextCardStatus(from, change.action);
    if (!to) throw new AppError('CARD_STATE_INVALID', { params: { from, action: change.action }, details: { cardId: change.card.id, cardNo: change.card.cardNo } });
    current.set(change.card.id, to);
    seen.add(change.idempotencyKey);
    applied.push({ change, from, to });
  }
  for (let i = 0; i < applied.length; i += 2000) {
    const chunk = applied.slice(i, i + 2000);
    await writeCardChanges(ctx, tx, chunk.map(({ change, to }) => ({ id: change.card.id, to, set: change.set })), at);
    await insertJson(
      ctx.db,
      tx,
      cardEvents,
      chunk.map(({ change, from, to }) => ({
        cardId: change.card.id,
        applicationId: change.card.applicationId,
        programmeId: change.card.programmeId,
        type: change.action,
        fromStatus: from,
        toStatus: to,
        at,
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        orgId: actor.orgId,
        details: change.details ?? {},
        idempotencyKey: change.idempotencyKey,
      })),
    );
  }
  return applied.length;
}

/**
 * Creates card attempts (ORDERED in a batch, or straight to a status for an instant card) with their
 * first event, in bulk inside the caller's transaction.
 */
export async function insertCards(ctx: AppContext, tx: Tx, actor: CardActor, cards: (NewCard & { status: CardStatus })[], eventType: string, at = new Date()): Promise<string[]> {
  // Ids are made here (unless given) so the events can be written without reading the cards back.
  const withIds = cards.map((c) => ({ ...c, id: c.id ?? randomUUID(), createdAt: at, updatedAt: at }));
  for (let i = 0; i < withIds.length; i += 2000) {
    const chunk = withIds.slice(i, i + 2000);
    await insertJson(ctx.db, tx, cardAttempts, chunk);
    await insertJson(
      ctx.db,
      tx,
      cardEvents,
      chunk.map((c) => ({
        cardId: c.id,
        applicationId: c.applicationId,
        programmeId: c.programmeId,
        type: eventType,
        fromStatus: null,
        toStatus: c.status,
        at,
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        orgId: actor.orgId,
        details: { attemptNo: c.attemptNo, batchId: c.batchId ?? null },
        idempotencyKey: `${c.id}:${eventType}`,
      })),
    );
  }
  return withIds.map((c) => c.id);
}

/**
 * Applications of a programme whose last attempt at this producer ended through no fault of the
 * authority (producer waste, damaged or missing on delivery) and that have no live attempt: they get
 * a remake in the producer's next batch. Returns application id → the next attempt number.
 */
export async function remakesDue(ctx: AppContext, q: Queryable, programmeId: string, producerOrgId: string, limit: number): Promise<Map<string, number>> {
  const rows = await ctx.db.rows<{ application_id: string; next_no: number }>(
    q,
    sql`select c.application_id, max(c.attempt_no) + 1 as next_no
          from card_attempts c
         where c.programme_id = ${programmeId}
         group by c.application_id
        having bool_and(c.status in ('WASTED','DAMAGED','MISSING','CANCELLED'))
           and (array_agg(c.producer_org_id order by c.attempt_no desc))[1] = ${producerOrgId}::uuid
           and (array_agg(c.status order by c.attempt_no desc))[1] in ('WASTED','DAMAGED','MISSING')
           and coalesce((array_agg(c.waste_cause order by c.attempt_no desc))[1], 'PRODUCER') = 'PRODUCER'
         order by c.application_id
         limit ${limit}`,
  );
  return new Map(rows.map((r) => [r.application_id, Number(r.next_no)]));
}

/** The card attempts of an application, oldest first, with the batch and parcel they went through. */
export async function cardsOfApplication(ctx: AppContext, applicationId: string, q: Queryable = ctx.db.orm) {
  const rows = await ctx.db.rows<{ id: string; attempt_no: number; mode: string; status: string; card_no: string | null; waste_cause: string | null; batch_no: string | null; shipment_no: string | null; production_due_at: Date | null; issued_at: Date | null; updated_at: Date }>(
    q,
    sql`select c.id, c.attempt_no, c.mode, c.status, c.card_no, c.waste_cause, b.batch_no, s.shipment_no, c.production_due_at, c.issued_at, c.updated_at
          from card_attempts c
          left join production_batches b on b.id = c.batch_id
          left join shipments s on s.id = c.shipment_id
         where c.application_id = ${applicationId}::uuid
         order by c.attempt_no`,
  );
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return rows.map((r) => ({
    id: r.id,
    attemptNo: Number(r.attempt_no),
    mode: r.mode,
    status: r.status,
    cardNo: r.card_no,
    wasteCause: r.waste_cause,
    batchNo: r.batch_no,
    shipmentNo: r.shipment_no,
    productionDueAt: iso(r.production_due_at),
    issuedAt: iso(r.issued_at),
    updatedAt: iso(r.updated_at)!,
  }));
}

/**
 * Cards waiting at a counter (RECEIVED) since before `receivedBefore`, longest waiting first: the
 * "ready for pickup for more than N days" reminder reads its recipients from here.
 */
export async function cardsWaitingAt(ctx: AppContext, receiverOrgId: string, receivedBefore: Date, limit: number, q: Queryable = ctx.db.orm) {
  const rows = await ctx.db.rows<{ id: string; application_id: string; received_at: Date | string }>(
    q,
    sql`select c.id, c.application_id, c.received_at from card_attempts c
         where c.status = 'RECEIVED' and c.receiver_org_id = ${receiverOrgId}::uuid and c.received_at < ${receivedBefore.toISOString()}::timestamptz
         order by c.received_at, c.id limit ${limit}`,
  );
  return rows.map((r) => ({ cardId: r.id, applicationId: r.application_id, receivedAt: new Date(r.received_at) }));
}
