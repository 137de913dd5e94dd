import { and, asc, eq, sql } from 'drizzle-orm';
import { anyOf } from '../../platform/db/any-of.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { cardAttempts } from '../cards/schema.ts';
import { applyCardChanges, lockCards } from '../cards/service.ts';
import { programmeNames } from '../programmes/service.ts';
import { receiptScans, shipmentItems, shipments, type ShipmentStatus } from './schema.ts';
import { normaliseScannedCardNo, receiptSummary, shipmentNumber, type ReceiptSummary } from './rules.ts';
import { cardActor, iso, orgNames, shipmentScope } from './service.ts';

export type ShipmentRow = typeof shipments.$inferSelect;

/** Produced cards of the caller's producer not shipped yet, per receiving organisation and programme. */
export async function readyToShip(ctx: AppContext, principal: Principal) {
  const rows = await ctx.db.orm
    .select({ id: cardAttempts.id, cardNo: cardAttempts.cardNo, receiverOrgId: cardAttempts.receiverOrgId, programmeId: cardAttempts.programmeId, cardKind: cardAttempts.cardKind })
    .from(cardAttempts)
    .where(and(eq(cardAttempts.producerOrgId, principal.orgId), eq(cardAttempts.status, 'PRODUCED')))
    .orderBy(asc(cardAttempts.receiverOrgId), asc(cardAttempts.programmeId), asc(cardAttempts.batchId), asc(cardAttempts.packingSeq));
  const groups = new Map<string, { receiverOrgId: string; programmeId: string; cardKind: string; cardIds: string[]; cardNos: string[] }>();
  for (const r of rows) {
    const key = `${r.receiverOrgId}/${r.programmeId}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { receiverOrgId: r.receiverOrgId, programmeId: r.programmeId, cardKind: r.cardKind, cardIds: [], cardNos: [] }));
    g.cardIds.push(r.id);
    g.cardNos.push(r.cardNo ?? '');
  }
  const list = [...groups.values()];
  const orgs = await orgNames(ctx, ctx.db.orm, list.map((g) => g.receiverOrgId));
  const progs = await programmeNames(ctx, list.map((g) => g.programmeId));
  return list.map((g) => ({ ...g, receiverName: orgs.get(g.receiverOrgId) ?? '', programmeName: progs.get(g.programmeId) ?? '', count: g.cardIds.length }));
}

export interface CreateShipmentInput {
  receiverOrgId: string;
  cardIds?: string[];
  cardNos?: string[];
  carrier?: string | null;
  trackingNo?: string | null;
}

type BadCard = { cardId: string | null; cardNo: string | null; reason: 'NOT_FOUND' | 'OTHER_PRODUCER' | 'NOT_PRODUCED' | 'OTHER_RECEIVER' | 'OTHER_PROGRAMME' | 'DUPLICATE' };

/**
 * Packs produced cards into one shipment to one receiver: every card must be PRODUCED, made by the
 * caller's producer and addressed to that receiver, all of one programme; otherwise nothing happens and
 * the error lists every bad card with its reason. The cards become SHIPPED in the same transaction.
 */
export async function createShipment(ctx: AppContext, principal: Principal, input: CreateShipmentInput): Promise<ShipmentRow> {
  const ids = input.cardIds ?? [];
  const rawNos = input.cardNos ?? [];
  if (ids.length + rawNos.length === 0) throw new AppError('SHIPMENT_CARDS_REQUIRED');
  const at = new Date();
  return ctx.db.orm.transaction(async (tx) => {
    const bad: BadCard[] = [];
    const wanted = new Set(ids);
    const nos: string[] = [];
    for (const raw of rawNos) {
      const no = normaliseScannedCardNo(raw);
      if (no) nos.push(no);
      else bad.push({ cardId: null, cardNo: raw, reason: 'NOT_FOUND' });
    }
    if (nos.length) {
      // Card numbers are unique per programme; a producer's own cards are what it can mean.
      const found = new Map<string, string[]>();
      for (let i = 0; i < nos.length; i += 5000) {
        const rows = await tx
          .select({ id: cardAttempts.id, cardNo: cardAttempts.cardNo })
          .from(cardAttempts)
          .where(and(anyOf(cardAttempts.cardNo, nos.slice(i, i + 5000)), eq(cardAttempts.producerOrgId, principal.orgId)));
        for (const r of rows) found.set(r.cardNo!, [...(found.get(r.cardNo!) ?? []), r.id]);
      }
      for (const no of new Set(nos)) {
        const hit = found.get(no);
        if (!hit) bad.push({ cardId: null, cardNo: no, reason: 'NOT_FOUND' });
        else for (const id of hit) wanted.add(id);
      }
    }
    if (ids.length !== new Set(ids).size) bad.push({ cardId: null, cardNo: null, reason: 'DUPLICATE' });
    const cards = await lockCards(tx, [...wanted]);
    const byId = new Map(cards.map((c) => [c.id, c]));
    for (const id of wanted) if (!byId.has(id)) bad.push({ cardId: id, cardNo: null, reason: 'NOT_FOUND' });
    const programmeId = cards[0]?.programmeId ?? null;
    for (const c of cards) {
      const base = { cardId: c.id, cardNo: c.cardNo };
      // Another producer's card is reported like a missing one: its existence is none of the caller's business.
      if (c.producerOrgId !== principal.orgId) bad.push({ ...base, cardNo: null, reason: 'OTHER_PRODUCER' });
      else if (c.status !== 'PRODUCED' || c.shipmentId) bad.push({ ...base, reason: 'NOT_PRODUCED' });
      else if (c.receiverOrgId !== input.receiverOrgId) bad.push({ ...base, reason: 'OTHER_RECEIVER' });
      else if (c.programmeId !== programmeId) bad.push({ ...base, reason: 'OTHER_PROGRAMME' });
    }
    if (bad.length || cards.length === 0) {
      throw new AppError('SHIPMENT_CARDS_INVALID', { params: { count: bad.length }, details: { cards: bad.slice(0, 200) } });
    }
    const [{ n }] = (await ctx.db.rows<{ n: number }>(tx, sql`select nextval('shipment_no_seq')::int as n`)) as [{ n: number }];
    const [shipment] = await tx
      .insert(shipments)
      .values({
        shipmentNo: shipmentNumber(at, n),
        programmeId: programmeId!,
        producerOrgId: principal.orgId,
        receiverOrgId: input.receiverOrgId,
        status: 'SHIPPED',
        cardCount: cards.length,
        carrier: input.carrier ?? null,
        trackingNo: input.trackingNo ?? null,
        shippedAt: at,
        shippedBy: principal.id,
      })
      .returning();
    for (let i = 0; i < cards.length; i += 2000) {
      await tx.insert(shipmentItems).values(cards.slice(i, i + 2000).map((c) => ({ shipmentId: shipment!.id, cardId: c.id, cardNo: c.cardNo! })));
    }
    await applyCardChanges(
      ctx,
      tx,
      cardActor(principal),
      cards.map((card) => ({ card, action: 'SHIP', set: { shipmentId: shipment!.id, shippedAt: at }, details: { shipmentNo: shipment!.shipmentNo }, idempotencyKey: `${card.id}:SHIP` })),
      at,
    );
    return shipment!;
  });
}

export interface ShipmentFilter {
  status?: ShipmentStatus;
  direction?: 'incoming' | 'outgoing';
  limit?: number;
  offset?: number;
}

/** Shipments the caller may see, newest first, with names and receipt progress. */
export async function listShipments(ctx: AppContext, principal: Principal, filter: ShipmentFilter) {
  const conds = [shipmentScope(ctx, principal)];
  if (filter.status) conds.push(sql`s.status = ${filter.status}`);
  if (filter.direction === 'incoming') conds.push(sql`s.receiver_org_id = ${principal.orgId}::uuid`);
  if (filter.direction === 'outgoing') conds.push(sql`s.producer_org_id = ${principal.orgId}::uuid`);
  const where = sql.join(conds, sql` and `);
  const rows = await ctx.db.rows<{ id: string }>(null, sql`select s.id from shipments s where ${where} order by s.shipped_at desc, s.shipment_no desc limit ${filter.limit ?? 50} offset ${filter.offset ?? 0}`);
  const [total] = await ctx.db.rows<{ n: number }>(null, sql`select count(*)::int as n from shipments s where ${where}`);
  const full = rows.length ? await ctx.db.orm.select().from(shipments).where(anyOf(shipments.id, rows.map((r) => r.id))) : [];
  const byId = new Map(full.map((s) => [s.id, s]));
  const ordered = rows.map((r) => byId.get(r.id)!);
  const matched = await matchedCounts(ctx, ctx.db.orm, ordered.map((s) => s.id));
  return { items: await shipmentViews(ctx, ctx.db.orm, ordered, matched), total: total?.n ?? 0 };
}

async function matchedCounts(ctx: AppContext, q: Queryable, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.rows<{ shipment_id: string; n: number }>(
    q,
    sql`select shipment_id, count(*)::int as n from receipt_scans where result = 'MATCHED' and shipment_id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)}) group by shipment_id`,
  );
  return new Map(rows.map((r) => [r.shipment_id, r.n]));
}

async function shipmentViews(ctx: AppContext, q: Queryable, rows: ShipmentRow[], matched: Map<string, number>) {
  const orgs = await orgNames(ctx, q, rows.flatMap((s) => [s.producerOrgId, s.receiverOrgId]));
  const progs = await programmeNames(ctx, rows.map((s) => s.programmeId), q);
  return rows.map((s) => ({
    id: s.id,
    shipmentNo: s.shipmentNo,
    programmeId: s.programmeId,
    programmeName: progs.get(s.programmeId) ?? '',
    producerOrgId: s.producerOrgId,
    producerName: orgs.get(s.producerOrgId) ?? '',
    receiverOrgId: s.receiverOrgId,
    receiverName: orgs.get(s.receiverOrgId) ?? '',
    status: s.status,
    cardCount: s.cardCount,
    scannedCount: matched.get(s.id) ?? 0,
    carrier: s.carrier,
    trackingNo: s.trackingNo,
    shippedAt: iso(s.shippedAt)!,
    receivedAt: iso(s.receivedAt),
    receivedByName: s.receivedByName,
  }));
}

/** One shipment in the caller's scope (404 OUT_OF_SCOPE otherwise, like a missing one). */
export async function shipmentInScope(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<ShipmentRow> {
  const rows = await ctx.db.rows<{ id: string }>(q, sql`select s.id from shipments s where s.id = ${id}::uuid and ${shipmentScope(ctx, principal)}`);
  if (rows.length === 0) throw new AppError('OUT_OF_SCOPE');
  const [row] = await q.select().from(shipments).where(eq(shipments.id, id));
  return row!;
}

export async function scansOf(q: Queryable, shipmentId: string) {
  return q.select().from(receiptScans).where(eq(receiptScans.shipmentId, shipmentId)).orderBy(asc(receiptScans.scannedAt), asc(receiptScans.id));
}

export async function manifestOf(q: Queryable, shipmentId: string) {
  return q
    .select({ cardId: shipmentItems.cardId, cardNo: shipmentItems.cardNo, status: cardAttempts.status })
    .from(shipmentItems)
    .innerJoin(cardAttempts, eq(cardAttempts.id, shipmentItems.cardId))
    .where(eq(shipmentItems.shipmentId, shipmentId))
    .orderBy(asc(cardAttempts.packingSeq), asc(shipmentItems.cardNo));
}

export type ScanView = { id: string; cardNo: string; result: string; damaged: boolean; scannedAt: string };

export function scanView(s: typeof receiptScans.$inferSelect): ScanView {
  return { id: s.id, cardNo: s.cardNo, result: s.result, damaged: s.damaged, scannedAt: iso(s.scannedAt)! };
}

/** The shipment with its manifest (which cards were scanned, damaged), the scans so far and the summary. */
export async function getShipmentDetail(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm) {
  const shipment = await shipmentInScope(ctx, principal, id, q);
  return shipmentDetail(ctx, q, shipment);
}

export async function shipmentDetail(ctx: AppContext, q: Queryable, shipment: ShipmentRow) {
  const manifest = await manifestOf(q, shipment.id);
  const scans = await scansOf(q, shipment.id);
  const matched = new Map(scans.filter((s) => s.result === 'MATCHED').map((s) => [s.cardNo, s]));
  const summary: ReceiptSummary = receiptSummary(manifest.length, scans);
  const [view] = await shipmentViews(ctx, q, [shipment], new Map([[shipment.id, summary.matched]]));
  return {
    ...view!,
    items: manifest.map((m) => ({ cardId: m.cardId, cardNo: m.cardNo, cardStatus: m.status, scanned: matched.has(m.cardNo), damaged: matched.get(m.cardNo)?.damaged ?? false })),
    scans: scans.map(scanView),
    summary,
  };
}

/** The manifest as CSV (no personal data): what the producer says is in the parcel. */
export async function manifestCsv(ctx: AppContext, principal: Principal, id: string): Promise<{ shipmentNo: string; csv: string }> {
  const shipment = await shipmentInScope(ctx, principal, id);
  const manifest = await manifestOf(ctx.db.orm, id);
  const lines = ['shipment_no,card_no,card_status', ...manifest.map((m) => `${shipment.shipmentNo},${m.cardNo},${m.status}`)];
  return { shipmentNo: shipment.shipmentNo, csv: `${lines.join('\r\n')}\r\n` };
}
