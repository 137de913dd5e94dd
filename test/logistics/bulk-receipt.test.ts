import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notificationOutbox } from '../../src/modules/applications/schema.ts';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { insertCards, type CardRow } from '../../src/modules/cards/service.ts';
import { discrepancies, receiptScans } from '../../src/modules/logistics/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, countRows, expectError } from '../helpers/http.ts';
import { approvedApplications, batchAll, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { countWhere, producedCards, ship } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let rp: CardRow[];

type Summary = { expected: number; matched: number; missing: number; unexpected: number; duplicates: number; damaged: number };
type BulkAnswer = { added: number; matched: number; unexpected: number; duplicates: number; unexpectedCardNos: string[]; summary: Summary };
type Detail = { scans: { cardNo: string; result: string }[]; summary: Summary; items: { cardNo: string; scanned: boolean }[] };

beforeAll(async () => {
  lc = await seedLifecycle(h());
  rp = await producedCards(h(), lc, 'rp', 1, 9);
});

const scanUrl = (id: string) => `/api/v1/shipments/${id}/scans`;
const bulkUrl = (id: string) => `/api/v1/shipments/${id}/scans/bulk`;

async function detail(id: string): Promise<Detail> {
  const res = await h().request('GET', `/api/v1/shipments/${id}`, { session: lc.sessions.clerkA });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
}

describe('bulk receipt scans', () => {
  it('classify a parcel with duplicates and unexpected cards exactly as single scans do', async () => {
    const one = await ship(h(), lc.sessions.producer, lc.city.outletA.id, rp.slice(0, 3).map((c) => c.id));
    const two = await ship(h(), lc.sessions.producer, lc.city.outletA.id, rp.slice(3, 6).map((c) => c.id));
    // The same pattern of reads in both parcels: first card, the second, the first again (duplicate), a
    // card of the other parcel (unexpected), the same one lower-case (duplicate), a stranger, the third.
    const pattern = (cards: CardRow[], other: CardRow) => [cards[0]!.cardNo!, cards[1]!.cardNo!, cards[0]!.cardNo!, other.cardNo!, other.cardNo!.toLowerCase(), 'Z99999999', ` ${cards[2]!.cardNo!} `];
    const singles = pattern(rp.slice(0, 3), rp[3]!);
    const results: string[] = [];
    for (const cardNo of singles) {
      const res = await h().request('POST', scanUrl(one), { session: lc.sessions.clerkA, body: { cardNo } });
      expect(res.statusCode, res.body).toBe(200);
      results.push((res.json() as { result: string }).result);
    }
    expect(results).toEqual(['MATCHED', 'MATCHED', 'DUPLICATE', 'UNEXPECTED', 'DUPLICATE', 'UNEXPECTED', 'MATCHED']);

    // The second parcel: the first read alone, then the next three as JSON, the rest as a scanner's file.
    const reads = pattern(rp.slice(3, 6), rp[0]!);
    expect((await h().request('POST', scanUrl(two), { session: lc.sessions.clerkA, body: { cardNo: reads[0] } })).statusCode).toBe(200);
    const json = await h().request('POST', bulkUrl(two), { session: lc.sessions.clerkA, body: { cardNos: reads.slice(1, 4) } });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toMatchObject({ added: 3, matched: 1, unexpected: 1, duplicates: 1, unexpectedCardNos: [rp[0]!.cardNo] });
    const file = `${reads.slice(4).join('\r\n')}\r\n\r\n`;
    const text = await h().request('POST', bulkUrl(two), { session: lc.sessions.clerkA, body: file, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(text.statusCode, text.body).toBe(200);
    const answer = text.json() as BulkAnswer;
    expect(answer).toMatchObject({ added: 3, matched: 1, unexpected: 1, duplicates: 1, unexpectedCardNos: ['Z99999999'] });

    const [a, b] = [await detail(one), await detail(two)];
    expect(b.scans.map((s) => s.result)).toEqual(a.scans.map((s) => s.result));
    expect(b.scans.map((s) => s.cardNo)).toEqual(reads.map((r) => r.trim().toUpperCase()));
    expect(b.summary).toEqual(a.summary);
    expect(answer.summary).toEqual(a.summary);
    expect(a.summary).toEqual({ expected: 3, matched: 3, missing: 0, unexpected: 2, duplicates: 2, damaged: 0 });
    expect(b.items.every((i) => i.scanned)).toBe(true);

    const entry = await auditEntryFor(h().ctx, text);
    expect(entry.action).toBe('shipment.scan.bulk');
    expect(entry.details).toMatchObject({ format: 'text/plain', added: 3, matched: 1 });
  });

  it('records nothing when a line is not a card number, listing the bad lines', async () => {
    const id = await ship(h(), lc.sessions.producer, lc.city.outletA.id, [rp[6]!.id]);
    const before = await countRows(h().ctx, receiptScans);
    const res = await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: `${rp[6]!.cardNo}\nA-1\n\nshort\n`, headers: { 'content-type': 'text/plain' } });
    const err = expectError(res, 400, 'SCAN_BULK_INVALID');
    expect((err.details as { lines: unknown[] }).lines).toEqual([
      { line: 2, text: 'A-1' },
      { line: 4, text: 'short' },
    ]);
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: { cardNos: [rp[6]!.cardNo, '  '] } }), 400, 'SCAN_BULK_INVALID');
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: '\r\n\r\n', headers: { 'content-type': 'text/plain' } }), 400, 'SCAN_BULK_EMPTY');
    expect(await countRows(h().ctx, receiptScans)).toBe(before);
  });

  it('refuses more than 20,000 card numbers at once', async () => {
    const id = await ship(h(), lc.sessions.producer, lc.city.outletA.id, [rp[7]!.id]);
    const many = Array.from({ length: 20_001 }, (_, i) => `T${String(i).padStart(8, '0')}`);
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: many.join('\n'), headers: { 'content-type': 'text/plain' } }), 400, 'SCAN_BULK_TOO_MANY');
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: { cardNos: many } }), 400, 'VALIDATION_FAILED');
    expect(await countWhere(h(), sql`select count(*)::int as n from receipt_scans where shipment_id = ${id}::uuid`)).toBe(0);
  });

  it('is only for the receiving organisation, and only until receipt is confirmed', async () => {
    const id = await ship(h(), lc.sessions.producer, lc.city.outletA.id, [rp[8]!.id]);
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkB, body: { cardNos: [rp[8]!.cardNo] } }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.producer, body: { cardNos: [rp[8]!.cardNo] } }), 403, 'FORBIDDEN');
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: 'x', headers: { 'content-type': 'application/xml' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect((await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: { cardNos: [rp[8]!.cardNo] } })).statusCode).toBe(200);
    expect((await h().request('POST', `/api/v1/shipments/${id}/confirm`, { session: lc.sessions.clerkA, body: {} })).statusCode).toBe(200);
    expectError(await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: { cardNos: [rp[8]!.cardNo] } }), 409, 'SHIPMENT_ALREADY_RECEIVED');
  });
});

describe('a 5,000-card parcel', () => {
  const N = 5000;

  /** N applications IN_PRODUCTION at outlet A with PRODUCED cards, written straight into the tables. */
  async function manyProducedCards(): Promise<CardRow[]> {
    const [templateId] = await approvedApplications(h(), lc, 'rp', 51, 1);
    await batchAll(h(), lc, lc.rp.id);
    const [template] = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.applicationId, templateId!));
    const ids = await h().ctx.db.rows<{ id: string }>(
      null,
      sql`insert into applications (application_no, programme_id, card_kind, outlet_org_id, bank_org_id, kind, basis, status, name_enc, name_masked,
                                    citizen_id_enc, citizen_id_idx, citizen_id_masked, phone_enc, phone_idx, phone_masked, hukou_address_enc,
                                    residence_address_enc, sex, ethnicity, birth_date, has_photo, source, created_by, decided_at)
          select 'RP-19990101-' || lpad(g::text, 6, '0'), programme_id, card_kind, outlet_org_id, bank_org_id, kind, basis, status, name_enc, name_masked,
                 citizen_id_enc, citizen_id_idx || '-' || g, citizen_id_masked, phone_enc, phone_idx, phone_masked, hukou_address_enc,
                 residence_address_enc, sex, ethnicity, birth_date, has_photo, source, created_by, decided_at
            from applications a, generate_series(1, ${N}) g
           where a.id = ${templateId}::uuid
          returning id`,
    );
    expect(ids).toHaveLength(N);
    const at = new Date();
    const cardIds = await h().ctx.db.orm.transaction((tx) =>
      insertCards(
        h().ctx,
        tx,
        { type: 'SYSTEM', id: null, name: 'test producer', orgId: template!.producerOrgId },
        ids.map((a, i) => ({
          applicationId: a.id,
          programmeId: template!.programmeId,
          cardKind: template!.cardKind,
          attemptNo: 1,
          mode: 'BATCH' as const,
          status: 'PRODUCED' as const,
          batchId: template!.batchId,
          packingSeq: 100_000 + i,
          producerOrgId: template!.producerOrgId,
          receiverOrgId: template!.receiverOrgId,
          cardNo: `K${String(i).padStart(8, '0')}`,
          chipUid: '04A1B2C3D4E5F6',
          producedAt: at,
        })),
        'PRODUCE',
        at,
      ),
    );
    expect(cardIds).toHaveLength(N);
    return h().ctx.db.orm.select().from(cardAttempts).where(inArray(cardAttempts.id, cardIds)).orderBy(asc(cardAttempts.packingSeq));
  }

  it('is shipped, bulk-scanned and confirmed correctly', async () => {
    const cards = await manyProducedCards();
    expect(cards[0]!.receiverOrgId).toBe(lc.city.outletA.id);
    const id = await ship(
      h(),
      lc.sessions.producer,
      lc.city.outletA.id,
      cards.map((c) => c.id),
    );
    // Everything but the last three cards, read twice over in part, plus two strangers.
    const read = cards.slice(0, N - 3).map((c) => c.cardNo!);
    const res = await h().request('POST', bulkUrl(id), { session: lc.sessions.clerkA, body: [...read, ...read.slice(0, 10), 'Z00000001', 'Z00000002'].join('\n'), headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ added: N - 3 + 12, matched: N - 3, duplicates: 10, unexpected: 2, summary: { expected: N, matched: N - 3, missing: 3, unexpected: 2, duplicates: 10, damaged: 0 } });

    // One card is found damaged while unpacking.
    const damaged = cards[1]!;
    const [scan] = await h().ctx.db.orm.select().from(receiptScans).where(and(eq(receiptScans.shipmentId, id), eq(receiptScans.cardNo, damaged.cardNo!), eq(receiptScans.result, 'MATCHED')));
    expect((await h().request('PATCH', `${scanUrl(id)}/${scan!.id}`, { session: lc.sessions.clerkA, body: { damaged: true } })).statusCode).toBe(200);

    const confirm = await h().request('POST', `/api/v1/shipments/${id}/confirm`, { session: lc.sessions.clerkA, body: {} });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect((confirm.json() as { outcome: unknown }).outcome).toEqual({ received: N - 4, damaged: 1, missing: 3, unexpected: 2 });

    const ids = cards.map((c) => c.id);
    const statuses = await h().ctx.db.rows<{ status: string; n: number }>(null, sql`select status, count(*)::int as n from card_attempts where shipment_id = ${id}::uuid group by status order by status`);
    expect(statuses).toEqual([
      { status: 'DAMAGED', n: 1 },
      { status: 'MISSING', n: 3 },
      { status: 'RECEIVED', n: N - 4 },
    ]);
    expect((await h().ctx.db.orm.select({ status: cardAttempts.status }).from(cardAttempts).where(eq(cardAttempts.id, damaged.id)))[0]!.status).toBe('DAMAGED');
    expect(await countWhere(h(), sql`select count(*)::int as n from card_events where type = 'RECEIVE' and card_id in (select card_id from shipment_items where shipment_id = ${id}::uuid)`)).toBe(N - 4);
    expect(await countWhere(h(), sql`select count(*)::int as n from applications where application_no like 'RP-19990101-%' and status = 'READY'`)).toBe(N - 4);
    expect(await countWhere(h(), sql`select count(*)::int as n from applications where application_no like 'RP-19990101-%' and status = 'IN_PRODUCTION'`)).toBe(4);
    const notices = await h()
      .ctx.db.orm.select({ id: notificationOutbox.id })
      .from(notificationOutbox)
      .where(and(eq(notificationOutbox.kind, 'CARD_READY'), inArray(notificationOutbox.applicationId, cards.map((c) => c.applicationId))));
    expect(notices).toHaveLength(N - 4);
    const opened = await h().ctx.db.orm.select({ kind: discrepancies.kind }).from(discrepancies).where(eq(discrepancies.shipmentId, id));
    expect(opened.map((d) => d.kind).sort()).toEqual(['DAMAGED', 'MISSING', 'MISSING', 'MISSING', 'UNEXPECTED', 'UNEXPECTED']);
    expect(await countWhere(h(), sql`select count(*)::int as n from card_events where card_id in (${sql.join(ids.slice(0, 5).map((i) => sql`${i}::uuid`), sql`, `)}) and type in ('RECEIVE', 'REPORT_DAMAGED')`)).toBe(5);
  });
});
