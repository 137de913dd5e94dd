import { embeddedFonts, pdfPages } from '../helpers/pdf.ts';
import { eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardAttempts, cardEvents } from '../../src/modules/cards/schema.ts';
import { remakesDue, type CardRow } from '../../src/modules/cards/service.ts';
import { notificationOutbox } from '../../src/modules/applications/schema.ts';
import { discrepancies, shipments } from '../../src/modules/logistics/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, countRows, expectError } from '../helpers/http.ts';
import { approvedApplications, batchAll, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { applicationStatus, cardById, producedCards, receiveAll, ship } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let rp: CardRow[];
let ssc: CardRow[];
let unproduced: CardRow;

beforeAll(async () => {
  lc = await seedLifecycle(h());
  rp = await producedCards(h(), lc, 'rp', 1, 5);
  ssc = await producedCards(h(), lc, 'ssc', 11, 2);
  const [appId] = await approvedApplications(h(), lc, 'rp', 21, 1);
  await batchAll(h(), lc, lc.rp.id);
  const [card] = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.applicationId, appId!));
  unproduced = card!;
});

type Bad = { cardId: string | null; cardNo: string | null; reason: string };

describe('cards ready to ship', () => {
  it('groups the producer’s PRODUCED unshipped cards by receiver and programme', async () => {
    const res = await h().request('GET', '/api/v1/shipments/ready', { session: lc.sessions.producer });
    expect(res.statusCode, res.body).toBe(200);
    const groups = (res.json() as { items: { receiverOrgId: string; programmeId: string; count: number; cardNos: string[] }[] }).items;
    const rpGroup = groups.find((g) => g.programmeId === lc.rp.id)!;
    expect(rpGroup.receiverOrgId).toBe(lc.city.outletA.id);
    expect(rpGroup.count).toBe(5);
    expect(rpGroup.cardNos.sort()).toEqual(rp.map((c) => c.cardNo).sort());
    const sscGroup = groups.find((g) => g.programmeId === lc.ssc.id)!;
    expect(sscGroup.receiverOrgId).toBe(lc.city.branch.id);
    expect(sscGroup.count).toBe(2);
    // The unproduced card is not ready.
    expect(groups.flatMap((g) => g.cardNos)).not.toContain(unproduced.cardNo);
  });

  it('is empty for an organisation that makes no cards', async () => {
    const res = await h().request('GET', '/api/v1/shipments/ready', { session: lc.sessions.admin });
    expect((res.json() as { items: unknown[] }).items).toEqual([]);
  });
});

describe('shipping: bad input ships nothing', () => {
  it('refuses a card that is not PRODUCED, listing it', async () => {
    const res = await h().request('POST', '/api/v1/shipments', { session: lc.sessions.producer, body: { receiverOrgId: lc.city.outletA.id, cardIds: [rp[0]!.id, unproduced.id] } });
    const err = expectError(res, 409, 'SHIPMENT_CARDS_INVALID');
    expect((err.details as { cards: Bad[] }).cards).toEqual([{ cardId: unproduced.id, cardNo: null, reason: 'NOT_PRODUCED' }]);
    expect((await cardById(h(), rp[0]!.id)).status).toBe('PRODUCED');
    expect(await countRows(h().ctx, shipments)).toBe(0);
  });

  it('refuses a card addressed to another organisation', async () => {
    const res = await h().request('POST', '/api/v1/shipments', { session: lc.sessions.producer, body: { receiverOrgId: lc.city.outletA.id, cardIds: [ssc[0]!.id] } });
    const err = expectError(res, 409, 'SHIPMENT_CARDS_INVALID');
    expect((err.details as { cards: Bad[] }).cards).toEqual([{ cardId: ssc[0]!.id, cardNo: ssc[0]!.cardNo, reason: 'OTHER_RECEIVER' }]);
  });

  it("refuses another producer's card", async () => {
    const other = await h().request('POST', '/api/v1/orgs', { session: lc.sessions.admin, body: { name: '另一制卡厂', kind: 'PRODUCER', parentId: lc.city.city.id, regionCode: '320100' } });
    expect(other.statusCode, other.body).toBe(201);
    const otherId = (other.json() as { id: string }).id;
    await h().ctx.db.orm.update(cardAttempts).set({ producerOrgId: otherId }).where(eq(cardAttempts.id, rp[4]!.id));
    try {
      const res = await h().request('POST', '/api/v1/shipments', { session: lc.sessions.producer, body: { receiverOrgId: lc.city.outletA.id, cardIds: [rp[4]!.id] } });
      const err = expectError(res, 409, 'SHIPMENT_CARDS_INVALID');
      expect((err.details as { cards: Bad[] }).cards).toEqual([{ cardId: rp[4]!.id, cardNo: null, reason: 'OTHER_PRODUCER' }]);
      // By card number the other producer's card is simply not one of mine.
      const byNo = await h().request('POST', '/api/v1/shipments', { session: lc.sessions.producer, body: { receiverOrgId: lc.city.outletA.id, cardNos: [rp[4]!.cardNo!] } });
      expect((expectError(byNo, 409, 'SHIPMENT_CARDS_INVALID').details as { cards: Bad[] }).cards[0]!.reason).toBe('NOT_FOUND');
    } finally {
      await h().ctx.db.orm.update(cardAttempts).set({ producerOrgId: lc.city.producer.id }).where(eq(cardAttempts.id, rp[4]!.id));
    }
  });

  it('needs cards, and checks the body', async () => {
    expectError(await h().request('POST', '/api/v1/shipments', { session: lc.sessions.producer, body: { receiverOrgId: lc.city.outletA.id } }), 400, 'SHIPMENT_CARDS_REQUIRED');
    expectError(await h().request('POST', '/api/v1/shipments', { session: lc.sessions.producer, body: { receiverOrgId: 'x', cardIds: [] } }), 400, 'VALIDATION_FAILED');
    expectError(await h().request('POST', '/api/v1/shipments', { session: lc.sessions.clerkA, body: { receiverOrgId: lc.city.outletA.id, cardIds: [rp[0]!.id] } }), 403, 'FORBIDDEN');
    expect(await countRows(h().ctx, shipments)).toBe(0);
  });
});

describe('a residence permit shipment to outlet A: receipt with duplicates, unexpected, damaged and missing cards', () => {
  let shipmentId = '';

  it('ships cards named by card number (typed loosely) and marks them SHIPPED', async () => {
    const res = await h().request('POST', '/api/v1/shipments', {
      session: lc.sessions.producer,
      body: { receiverOrgId: lc.city.outletA.id, cardNos: rp.slice(0, 4).map((c) => ` ${c.cardNo!.toLowerCase()} `), carrier: 'EMS', trackingNo: 'EMS0001' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { id: string; shipmentNo: string; status: string; cardCount: number; items: { cardNo: string }[]; summary: { expected: number } };
    shipmentId = body.id;
    expect(body.shipmentNo).toMatch(/^SH-\d{8}-\d{6}$/);
    expect(body.status).toBe('SHIPPED');
    expect(body.cardCount).toBe(4);
    expect(body.items.map((i) => i.cardNo).sort()).toEqual(rp.slice(0, 4).map((c) => c.cardNo).sort());
    for (const c of rp.slice(0, 4)) {
      const card = await cardById(h(), c.id);
      expect(card.status).toBe('SHIPPED');
      expect(card.shipmentId).toBe(shipmentId);
      expect(card.shippedAt).not.toBeNull();
    }
    expect((await auditEntryFor(h().ctx, res)).action).toBe('shipment.create');
  });

  it('is listed for the producer and outlet A, not for outlet B', async () => {
    const ids = async (session: typeof lc.sessions.producer) =>
      ((await h().request('GET', '/api/v1/shipments', { session })).json() as { items: { id: string }[] }).items.map((s) => s.id);
    expect(await ids(lc.sessions.producer)).toEqual([shipmentId]);
    expect(await ids(lc.sessions.clerkA)).toEqual([shipmentId]);
    expect(await ids(lc.sessions.manager)).toEqual([shipmentId]);
    expect(await ids(lc.sessions.clerkB)).toEqual([]);
    expect(await ids(lc.sessions.bank)).toEqual([]);
  });

  it('answers 404 to another outlet that opens, scans or confirms it', async () => {
    expectError(await h().request('GET', `/api/v1/shipments/${shipmentId}`, { session: lc.sessions.clerkB }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('POST', `/api/v1/shipments/${shipmentId}/scans`, { session: lc.sessions.clerkB, body: { cardNo: rp[0]!.cardNo } }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('POST', `/api/v1/shipments/${shipmentId}/confirm`, { session: lc.sessions.clerkB, body: {} }), 404, 'OUT_OF_SCOPE');
    // The producer sees the shipment but does not receive it.
    expectError(await h().request('POST', `/api/v1/shipments/${shipmentId}/scans`, { session: lc.sessions.bank, body: { cardNo: rp[0]!.cardNo } }), 404, 'OUT_OF_SCOPE');
  });

  it('classifies each scan and keeps a running summary', async () => {
    const scan = async (cardNo: string, damaged?: boolean) => {
      const res = await h().request('POST', `/api/v1/shipments/${shipmentId}/scans`, { session: lc.sessions.clerkA, body: damaged === undefined ? { cardNo } : { cardNo, damaged } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { scan: { id: string; cardNo: string }; result: string; summary: Record<string, number> };
    };
    // A barcode scanner types the number and Enter; clerks type lower case.
    const first = await scan(`${rp[0]!.cardNo!.toLowerCase()}\r\n`);
    expect(first.result).toBe('MATCHED');
    expect(first.scan.cardNo).toBe(rp[0]!.cardNo);
    expect((await scan(rp[0]!.cardNo!)).result).toBe('DUPLICATE');
    const stranger = await scan('Z99999999');
    expect(stranger.result).toBe('UNEXPECTED');
    expect((await scan('z99999999')).result).toBe('DUPLICATE');
    expect((await scan(rp[1]!.cardNo!, true)).result).toBe('MATCHED');
    const third = await scan(rp[2]!.cardNo!);
    const marked = await h().request('PATCH', `/api/v1/shipments/${shipmentId}/scans/${third.scan.id}`, { session: lc.sessions.clerkA, body: { damaged: true } });
    expect((marked.json() as { summary: Record<string, number> }).summary.damaged).toBe(2);
    const unmarked = await h().request('PATCH', `/api/v1/shipments/${shipmentId}/scans/${third.scan.id}`, { session: lc.sessions.clerkA, body: { damaged: false } });
    expect((unmarked.json() as { summary: Record<string, number> }).summary).toEqual({ expected: 4, matched: 3, missing: 1, unexpected: 1, duplicates: 2, damaged: 1 });
    expectError(await h().request('PATCH', `/api/v1/shipments/${shipmentId}/scans/${stranger.scan.id}`, { session: lc.sessions.clerkA, body: { damaged: true } }), 409, 'SCAN_NOT_MATCHED');
    expectError(await h().request('POST', `/api/v1/shipments/${shipmentId}/scans`, { session: lc.sessions.clerkA, body: { cardNo: 'ab-1' } }), 400, 'SCAN_CARD_NO_INVALID');
  });

  it('shows the manifest with what was scanned, and as CSV', async () => {
    const res = await h().request('GET', `/api/v1/shipments/${shipmentId}`, { session: lc.sessions.clerkA });
    const body = res.json() as { items: { cardNo: string; scanned: boolean; damaged: boolean }[]; scans: unknown[] };
    expect(body.scans).toHaveLength(6);
    expect(body.items.find((i) => i.cardNo === rp[3]!.cardNo)!.scanned).toBe(false);
    expect(body.items.find((i) => i.cardNo === rp[1]!.cardNo)!.damaged).toBe(true);
    const csv = await h().request('GET', `/api/v1/shipments/${shipmentId}/manifest.csv`, { session: lc.sessions.producer });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('shipment_no,card_no,card_status');
    for (const c of rp.slice(0, 4)) expect(csv.body).toContain(`,${c.cardNo},SHIPPED`);
  });

  it('prints the handover sheet before receipt: every card number with an empty box to tick, in the chosen language', async () => {
    const res = await h().request('GET', `/api/v1/shipments/${shipmentId}/handover.pdf`, { session: lc.sessions.clerkA });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(embeddedFonts(pdf).some((f) => f.includes('NotoSansSC'))).toBe(true);
    const [page] = await pdfPages(pdf);
    expect(page).toContain('制卡交付交接单');
    expect(page).toContain(lc.city.outletA.name);
    for (const c of rp.slice(0, 4)) expect(page).toContain(c.cardNo!);
    expect(page).toContain('□');
    expect(page).toContain('接收方签字');

    const en = await h().request('GET', `/api/v1/shipments/${shipmentId}/handover.pdf`, { session: lc.sessions.producer, headers: { 'accept-language': 'en-US' } });
    expect(en.statusCode).toBe(200);
    const [enPage] = await pdfPages(en.rawPayload);
    expect(enPage).toContain('Card delivery handover sheet');
    expect(enPage).toContain('Page 1 of 1');
  });

  it('confirms: received, damaged and missing cards, READY applications with notices, discrepancies', async () => {
    const res = await h().request('POST', `/api/v1/shipments/${shipmentId}/confirm`, { session: lc.sessions.clerkA, body: {} });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { status: string; receivedByName: string; outcome: Record<string, number> };
    expect(body.status).toBe('RECEIVED');
    expect(body.receivedByName).toBe(lc.city.usernames.OUTLET_CLERK);
    expect(body.outcome).toEqual({ received: 2, damaged: 1, missing: 1, unexpected: 1 });

    const status = async (c: CardRow) => (await cardById(h(), c.id)).status;
    expect(await status(rp[0]!)).toBe('RECEIVED');
    expect(await status(rp[2]!)).toBe('RECEIVED');
    expect(await status(rp[1]!)).toBe('DAMAGED');
    expect(await status(rp[3]!)).toBe('MISSING');
    expect((await cardById(h(), rp[0]!.id)).receivedAt).not.toBeNull();
    expect(await applicationStatus(h(), rp[0]!.applicationId)).toBe('READY');
    expect(await applicationStatus(h(), rp[1]!.applicationId)).toBe('IN_PRODUCTION');
    expect(await applicationStatus(h(), rp[3]!.applicationId)).toBe('IN_PRODUCTION');

    const notices = await h().ctx.db.orm.select().from(notificationOutbox).where(eq(notificationOutbox.kind, 'CARD_READY'));
    expect(notices.map((n) => n.applicationId).sort()).toEqual([rp[0]!.applicationId, rp[2]!.applicationId].sort());
    expect(notices[0]!.payload).toMatchObject({ outletName: lc.city.outletA.name });
    expect(String(notices[0]!.payload.cardNoMasked)).toMatch(/^\*+\d{4}$/);

    const opened = await h().ctx.db.orm.select().from(discrepancies).where(eq(discrepancies.shipmentId, shipmentId));
    expect(opened.map((d) => `${d.kind}:${d.cardNo}`).sort()).toEqual([`DAMAGED:${rp[1]!.cardNo}`, `MISSING:${rp[3]!.cardNo}`, 'UNEXPECTED:Z99999999'].sort());
    expect(opened.every((d) => d.status === 'OPEN')).toBe(true);

    // The signed sheet now shows what the scans found, card by card.
    const sheet = await pdfPages((await h().request('GET', `/api/v1/shipments/${shipmentId}/handover.pdf`, { session: lc.sessions.clerkA })).rawPayload);
    // Damaged cards were scanned too, so they count as checked; text extraction may break a line anywhere.
    expect(sheet[0]!.replace(/\s+/g, '')).toContain('应到4张，已核对3张，缺失1张，损坏1张，清单外1张');
    expect(sheet[0]).toMatch(new RegExp(`${rp[1]!.cardNo} +损坏`));
    expect(sheet[0]).toMatch(new RegExp(`${rp[3]!.cardNo} +缺失`));
    expect(sheet[0]).not.toContain('□');

    // Only the cards accepted here count for settlement: RECEIVED events for exactly those two.
    const received = await h().ctx.db.orm.select({ cardId: cardEvents.cardId }).from(cardEvents).where(eq(cardEvents.toStatus, 'RECEIVED'));
    expect(received.map((r) => r.cardId).sort()).toEqual([rp[0]!.id, rp[2]!.id].sort());
    // Damaged and missing cards are remade in the producer's next batch.
    const due = await remakesDue(h().ctx, h().ctx.db.orm, lc.rp.id, lc.city.producer.id, 100);
    expect([...due.keys()].sort()).toEqual([rp[1]!.applicationId, rp[3]!.applicationId].sort());
    expect((await auditEntryFor(h().ctx, res)).action).toBe('shipment.confirm');
  });

  it('refuses scans and a second confirmation after receipt (409)', async () => {
    expectError(await h().request('POST', `/api/v1/shipments/${shipmentId}/scans`, { session: lc.sessions.clerkA, body: { cardNo: rp[3]!.cardNo } }), 409, 'SHIPMENT_ALREADY_RECEIVED');
    expectError(await h().request('POST', `/api/v1/shipments/${shipmentId}/confirm`, { session: lc.sessions.clerkA, body: {} }), 409, 'SHIPMENT_ALREADY_RECEIVED');
    expect(await applicationStatus(h(), rp[3]!.applicationId)).toBe('IN_PRODUCTION');
  });

  it('lets the producer answer each discrepancy once; outlets see them but cannot answer', async () => {
    const list = async (session: typeof lc.sessions.producer) =>
      (await h().request('GET', '/api/v1/discrepancies?status=OPEN', { session })).json() as { items: { id: string; kind: string; shipmentNo: string }[]; total: number };
    const mine = await list(lc.sessions.producer);
    expect(mine.total).toBe(3);
    expect((await list(lc.sessions.clerkA)).total).toBe(3);
    expect((await list(lc.sessions.clerkB)).total).toBe(0);
    const target = mine.items.find((d) => d.kind === 'MISSING')!;
    expectError(await h().request('POST', `/api/v1/discrepancies/${target.id}/answer`, { session: lc.sessions.clerkA, body: { answer: '已补发' } }), 403, 'FORBIDDEN');
    const ok = await h().request('POST', `/api/v1/discrepancies/${target.id}/answer`, { session: lc.sessions.producer, body: { answer: '装箱遗漏，已安排补制' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as { status: string }).status).toBe('ANSWERED');
    expectError(await h().request('POST', `/api/v1/discrepancies/${target.id}/answer`, { session: lc.sessions.producer, body: { answer: '再次答复' } }), 409, 'DISCREPANCY_ALREADY_ANSWERED');
    expect((await list(lc.sessions.producer)).total).toBe(2);
  });
});

describe('a social security card shipment to the bank branch', () => {
  it('is received by the branch: cards RECEIVED, applications READY', async () => {
    const id = await ship(
      h(),
      lc.sessions.producer,
      lc.city.branch.id,
      ssc.map((c) => c.id),
    );
    expectError(await h().request('POST', `/api/v1/shipments/${id}/scans`, { session: lc.sessions.clerkA, body: { cardNo: ssc[0]!.cardNo } }), 404, 'OUT_OF_SCOPE');
    await receiveAll(
      h(),
      lc.sessions.bank,
      id,
      ssc.map((c) => c.cardNo!),
    );
    const cards = await h().ctx.db.orm
      .select()
      .from(cardAttempts)
      .where(
        inArray(
          cardAttempts.id,
          ssc.map((c) => c.id),
        ),
      );
    expect(cards.map((c) => c.status)).toEqual(['RECEIVED', 'RECEIVED']);
    for (const c of ssc) expect(await applicationStatus(h(), c.applicationId)).toBe('READY');
    expect(await h().ctx.db.rows(null, sql`select 1 from discrepancies d join shipments s on s.id = d.shipment_id where s.id = ${id}::uuid`)).toHaveLength(0);
  });
});
