import { and, eq, sql } from 'drizzle-orm';
import { anyOf } from '../../platform/db/any-of.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { cardAttempts } from '../cards/schema.ts';
import { applyCardChanges, lockCards, type CardChange } from '../cards/service.ts';
import { moveApplications } from '../applications/progress.ts';
import { discrepancies, receiptScans, shipmentItems, shipments, type DiscrepancyKind } from './schema.ts';
import { BULK_SCAN_MAX, classifyScan, classifyScans, maskCardNo, normaliseScannedCardNo, planReceipt, readScanLines, receiptSummary, type ScanOutcome } from './rules.ts';
import { cardActor, iso, moveActor, orgNames, shipmentScope } from './service.ts';
import { scansOf, scanView, shipmentDetail, type ShipmentRow } from './shipments.ts';

/**
 * The shipment, locked, for a change at the receiving counter: only the organisation it is addressed
 * to may scan or confirm (anyone else gets the same 404 as for a missing one), and only until receipt.
 */
async function lockForReceipt(tx: Tx, principal: Principal, id: string): Promise<ShipmentRow> {
  const [row] = await tx.select().from(shipments).where(eq(shipments.id, id)).for('update');
  if (!row || row.receiverOrgId !== principal.orgId) throw new AppError('OUT_OF_SCOPE');
  if (row.status !== 'SHIPPED') throw new AppError('SHIPMENT_ALREADY_RECEIVED');
  return row;
}

/** Records one scan (or typed card number) and classifies it against the manifest. */
export async function scanCard(ctx: AppContext, principal: Principal, shipmentId: string, input: { cardNo: string; damaged?: boolean }) {
  const cardNo = normaliseScannedCardNo(input.cardNo);
  if (!cardNo) throw new AppError('SCAN_CARD_NO_INVALID', { details: { cardNo: input.cardNo.slice(0, 40) } });
  return ctx.db.orm.transaction(async (tx) => {
    await lockForReceipt(tx, principal, shipmentId);
    const [onManifest] = await tx
      .select({ cardId: shipmentItems.cardId })
      .from(shipmentItems)
      .where(and(eq(shipmentItems.shipmentId, shipmentId), eq(shipmentItems.cardNo, cardNo)));
    const previous = await scansOf(tx, shipmentId);
    const result = classifyScan(new Set(onManifest ? [cardNo] : []), previous, cardNo);
    const [scan] = await tx
      .insert(receiptScans)
      .values({ shipmentId, cardNo, result, damaged: result === 'MATCHED' && input.damaged === true, scannedBy: principal.id })
      .returning();
    const [{ n }] = (await ctx.db.rows<{ n: number }>(tx, sql`select count(*)::int as n from shipment_items where shipment_id = ${shipmentId}::uuid`)) as [{ n: number }];
    return { scan: scanView(scan!), result, summary: receiptSummary(n, [...previous, scan!]) };
  });
}

export interface BulkScanResult {
  /** Scans recorded by this request, in the order given. */
  added: number;
  matched: number;
  unexpected: number;
  duplicates: number;
  /** The card numbers of this request that were not on the manifest (first sightings), in order. */
  unexpectedCardNos: string[];
  summary: ReturnType<typeof receiptSummary>;
}

/**
 * Records many scans at once (a scanner's batch file, or a large parcel read in one go): each card number
 * is classified in order exactly as a single scan would be, against the manifest and the scans already
 * recorded, and all are inserted in one statement. Card numbers are read like typed scans; if any is not
 * a card number nothing is recorded (SCAN_BULK_INVALID lists the lines). `skipBlank` for files, where a
 * blank line is a scanner's separator. Also used by the benchmark to receive a whole parcel.
 */
export async function bulkScan(ctx: AppContext, principal: Principal, shipmentId: string, rawCardNos: readonly string[], opts: { skipBlank?: boolean } = {}): Promise<BulkScanResult> {
  const read = readScanLines(rawCardNos, opts.skipBlank ?? false);
  if (read.invalid.length) {
    throw new AppError('SCAN_BULK_INVALID', { params: { count: read.invalid.length }, details: { lines: read.invalid.slice(0, 100) } });
  }
  if (read.cardNos.length === 0) throw new AppError('SCAN_BULK_EMPTY');
  if (read.cardNos.length > BULK_SCAN_MAX) throw new AppError('SCAN_BULK_TOO_MANY', { params: { max: BULK_SCAN_MAX } });
  return ctx.db.orm.transaction(async (tx) => {
    await lockForReceipt(tx, principal, shipmentId);
    const manifest = await tx.select({ cardNo: shipmentItems.cardNo }).from(shipmentItems).where(eq(shipmentItems.shipmentId, shipmentId));
    const previous = await tx
      .select({ cardNo: receiptScans.cardNo, result: receiptScans.result, damaged: receiptScans.damaged })
      .from(receiptScans)
      .where(eq(receiptScans.shipmentId, shipmentId));
    const results = classifyScans(
      new Set(manifest.map((m) => m.cardNo)),
      previous.map((p) => p.cardNo),
      read.cardNos,
    );
    // One statement for the whole batch; the ordinal spaces the scan times a microsecond apart so the
    // scans keep the order they were read in (single scans are ordered by their time too).
    const rows = read.cardNos.map((n, i) => ({ n, r: results[i]! }));
    await ctx.db.rows(
      tx,
      sql`insert into receipt_scans (shipment_id, card_no, result, damaged, scanned_by, scanned_at)
          select ${shipmentId}::uuid, t.e->>'n', t.e->>'r', false, ${principal.id}, now() + (t.o - 1) * interval '1 microsecond'
            from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as t(e, o)`,
    );
    const count = (r: ScanOutcome) => results.filter((x) => x === r).length;
    const added = read.cardNos.map((cardNo, i) => ({ cardNo, result: results[i]!, damaged: false }));
    return {
      added: results.length,
      matched: count('MATCHED'),
      unexpected: count('UNEXPECTED'),
      duplicates: count('DUPLICATE'),
      unexpectedCardNos: added.filter((a) => a.result === 'UNEXPECTED').map((a) => a.cardNo),
      summary: receiptSummary(manifest.length, [...previous, ...added]),
    };
  });
}

/** Marks a matched card damaged (or not) before the receipt is confirmed. */
export async function setScanDamaged(ctx: AppContext, principal: Principal, shipmentId: string, scanId: string, damaged: boolean) {
  return ctx.db.orm.transaction(async (tx) => {
    await lockForReceipt(tx, principal, shipmentId);
    const [scan] = await tx
      .select()
      .from(receiptScans)
      .where(and(eq(receiptScans.id, scanId), eq(receiptScans.shipmentId, shipmentId)));
    if (!scan) throw new AppError('NOT_FOUND');
    if (scan.result !== 'MATCHED') throw new AppError('SCAN_NOT_MATCHED');
    const [updated] = await tx.update(receiptScans).set({ damaged }).where(eq(receiptScans.id, scanId)).returning();
    const scans = await scansOf(tx, shipmentId);
    const [{ n }] = (await ctx.db.rows<{ n: number }>(tx, sql`select count(*)::int as n from shipment_items where shipment_id = ${shipmentId}::uuid`)) as [{ n: number }];
    return { scan: scanView(updated!), summary: receiptSummary(n, scans) };
  });
}

/**
 * Confirms receipt in one transaction: undamaged scanned cards are RECEIVED (the only ones that count
 * for settlement) and their applications READY with a notice to the holder; damaged cards DAMAGED and
 * never-scanned cards MISSING (both get a remake in the producer's next batch, their applications stay
 * IN_PRODUCTION); every damaged, missing and unexpected card opens a discrepancy for the producer.
 */
export async function confirmReceipt(ctx: AppContext, principal: Principal, shipmentId: string) {
  const at = new Date();
  return ctx.db.orm.transaction(async (tx) => {
    const shipment = await lockForReceipt(tx, principal, shipmentId);
    const items = await tx.select().from(shipmentItems).where(eq(shipmentItems.shipmentId, shipmentId));
    const cards = await lockCards(
      tx,
      items.map((i) => i.cardId),
    );
    const scans = await scansOf(tx, shipmentId);
    const plan = planReceipt(cards.map((c) => ({ ...c, cardNo: c.cardNo! })), scans);
    const changes: CardChange[] = [
      ...plan.received.map((card): CardChange => ({ card, action: 'RECEIVE', set: { receivedAt: at }, details: { shipmentNo: shipment.shipmentNo }, idempotencyKey: `${card.id}:RECEIVE` })),
      ...plan.damaged.map((card): CardChange => ({ card, action: 'REPORT_DAMAGED', details: { shipmentNo: shipment.shipmentNo, onReceipt: true }, idempotencyKey: `${card.id}:DAMAGED` })),
      ...plan.missing.map((card): CardChange => ({ card, action: 'REPORT_MISSING', details: { shipmentNo: shipment.shipmentNo }, idempotencyKey: `${card.id}:MISSING` })),
    ];
    await applyCardChanges(ctx, tx, cardActor(principal), changes, at);
    const [receiver] = [...(await orgNames(ctx, tx, [shipment.receiverOrgId])).values()];
    await moveApplications(
      ctx,
      tx,
      moveActor(principal),
      plan.received.map((card) => ({
        applicationId: card.applicationId,
        action: 'CARD_READY',
        idempotencyKey: `${card.id}:READY`,
        details: { cardId: card.id, shipmentNo: shipment.shipmentNo },
        notify: { kind: 'CARD_READY', payload: { outletName: receiver ?? principal.orgName, cardNoMasked: maskCardNo(card.cardNo) } },
      })),
      at,
    );
    const unexpectedIds = new Map<string, string>();
    for (let i = 0; i < plan.unexpected.length; i += 5000) {
      const rows = await tx
        .select({ id: cardAttempts.id, cardNo: cardAttempts.cardNo })
        .from(cardAttempts)
        .where(and(eq(cardAttempts.programmeId, shipment.programmeId), anyOf(cardAttempts.cardNo, plan.unexpected.slice(i, i + 5000))));
      for (const r of rows) unexpectedIds.set(r.cardNo!, r.id);
    }
    const opened: { cardId: string | null; cardNo: string; kind: DiscrepancyKind }[] = [
      ...plan.damaged.map((c) => ({ cardId: c.id, cardNo: c.cardNo, kind: 'DAMAGED' as const })),
      ...plan.missing.map((c) => ({ cardId: c.id, cardNo: c.cardNo, kind: 'MISSING' as const })),
      ...plan.unexpected.map((no) => ({ cardId: unexpectedIds.get(no) ?? null, cardNo: no, kind: 'UNEXPECTED' as const })),
    ];
    for (let i = 0; i < opened.length; i += 2000) {
      await tx.insert(discrepancies).values(opened.slice(i, i + 2000).map((d) => ({ shipmentId, ...d, status: 'OPEN' as const, openedBy: principal.id, openedAt: at })));
    }
    const [done] = await tx
      .update(shipments)
      .set({ status: 'RECEIVED', receivedAt: at, receivedBy: principal.id, receivedByName: principal.name })
      .where(eq(shipments.id, shipmentId))
      .returning();
    const detail = await shipmentDetail(ctx, tx, done!);
    return { ...detail, outcome: { received: plan.received.length, damaged: plan.damaged.length, missing: plan.missing.length, unexpected: plan.unexpected.length } };
  });
}

export interface DiscrepancyFilter {
  status?: 'OPEN' | 'ANSWERED';
  shipmentId?: string;
  limit?: number;
  offset?: number;
}

/** Discrepancies of the shipments the caller may see, open ones first. */
export async function listDiscrepancies(ctx: AppContext, principal: Principal, filter: DiscrepancyFilter) {
  const conds = [shipmentScope(ctx, principal)];
  if (filter.status) conds.push(sql`d.status = ${filter.status}`);
  if (filter.shipmentId) conds.push(sql`d.shipment_id = ${filter.shipmentId}::uuid`);
  const where = sql.join(conds, sql` and `);
  const rows = await ctx.db.rows<{
    id: string;
    shipment_id: string;
    shipment_no: string;
    producer_org_id: string;
    receiver_org_id: string;
    card_id: string | null;
    card_no: string;
    kind: string;
    status: string;
    opened_at: string | Date;
    answer: string | null;
    answered_at: string | Date | null;
  }>(
    null,
    sql`select d.id, d.shipment_id, s.shipment_no, s.producer_org_id, s.receiver_org_id, d.card_id, d.card_no, d.kind, d.status, d.opened_at, d.answer, d.answered_at
          from discrepancies d join shipments s on s.id = d.shipment_id
         where ${where}
         order by case when d.status = 'OPEN' then 0 else 1 end, d.opened_at desc, d.card_no
         limit ${filter.limit ?? 50} offset ${filter.offset ?? 0}`,
  );
  const [total] = await ctx.db.rows<{ n: number }>(null, sql`select count(*)::int as n from discrepancies d join shipments s on s.id = d.shipment_id where ${where}`);
  const orgs = await orgNames(
    ctx,
    ctx.db.orm,
    rows.flatMap((r) => [r.producer_org_id, r.receiver_org_id]),
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      shipmentId: r.shipment_id,
      shipmentNo: r.shipment_no,
      producerName: orgs.get(r.producer_org_id) ?? '',
      receiverName: orgs.get(r.receiver_org_id) ?? '',
      cardId: r.card_id,
      cardNo: r.card_no,
      kind: r.kind,
      status: r.status,
      openedAt: iso(r.opened_at)!,
      answer: r.answer,
      answeredAt: iso(r.answered_at),
    })),
    total: total?.n ?? 0,
  };
}

/** The producer of the shipment answers a discrepancy once. */
export async function answerDiscrepancy(ctx: AppContext, principal: Principal, id: string, answer: string) {
  return ctx.db.orm.transaction(async (tx) => {
    const [row] = await tx
      .select({ d: discrepancies, producerOrgId: shipments.producerOrgId })
      .from(discrepancies)
      .innerJoin(shipments, eq(shipments.id, discrepancies.shipmentId))
      .where(eq(discrepancies.id, id))
      .for('update', { of: discrepancies });
    if (!row || row.producerOrgId !== principal.orgId) throw new AppError('OUT_OF_SCOPE');
    if (row.d.status !== 'OPEN') throw new AppError('DISCREPANCY_ALREADY_ANSWERED');
    const [done] = await tx
      .update(discrepancies)
      .set({ status: 'ANSWERED', answer, answeredBy: principal.id, answeredAt: new Date() })
      .where(eq(discrepancies.id, id))
      .returning();
    return { id: done!.id, status: done!.status, answer: done!.answer, answeredAt: iso(done!.answeredAt) };
  });
}
