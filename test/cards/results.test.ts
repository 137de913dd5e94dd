import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications } from '../../src/modules/applications/schema.ts';
import { cardAttempts, cardEvents } from '../../src/modules/cards/schema.ts';
import { batchRecords, productionBatches } from '../../src/modules/production/schema.ts';
import { decryptBytes } from '../../src/platform/crypto/field-cipher.ts';
import { sm3 } from '../../src/platform/crypto/sm.ts';
import { parseCsv } from '../../src/modules/applications/csv.ts';
import { useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { approvedApplications, batchAll, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { outsider } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let otherProducer: Session;

beforeAll(async () => {
  lc = await seedLifecycle(h());
  otherProducer = (await outsider(h(), { orgName: '另一制卡中心', kind: 'PRODUCER', parentId: lc.city.city.id, regionCode: '320100', username: 'producer_other', role: 'PRODUCER_OPERATOR' })).session;
});

/**
 * Approves `n` permits, batches them and returns the batch with its cards in packing order and, per
 * card, the SM3 a producer computes over the card's record line (here: the sealed record, opened).
 */
async function orderedBatch(first: number, n: number) {
  await approvedApplications(h(), lc, 'rp', first, n);
  const [batch] = await batchAll(h(), lc, lc.rp.id);
  const cards = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.batchId, batch!.id)).orderBy(asc(cardAttempts.packingSeq));
  const records = await h().ctx.db.orm.select().from(batchRecords).where(eq(batchRecords.batchId, batch!.id));
  const digest = new Map(records.map((r) => [r.cardId, sm3(decryptBytes(h().ctx.keyring, r.recordEnc)).toString('hex')]));
  return { batch: batch!, cards, digest };
}

const produced = (cardId: string, chipDataSm3: string, n: number) => ({ cardId, outcome: 'PRODUCED', cardNo: `A${String(n).padStart(8, '0')}`, chipUid: `04A1B2${String(n).padStart(6, '0')}`, chipDataSm3 });
const report = (batchId: string, body: unknown, session: Session = lc.sessions.producer, headers?: Record<string, string>) =>
  h().request('POST', `/api/v1/batches/${batchId}/results`, { session, body, ...(headers ? { headers } : {}) });
const rowsOf = (res: { json(): unknown }) => ((res.json() as { error: { details: { rows: unknown[] } } }).error.details.rows);

async function card(id: string) {
  const [row] = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.id, id));
  return row!;
}
async function batchRow(id: string) {
  const [row] = await h().ctx.db.orm.select().from(productionBatches).where(eq(productionBatches.id, id));
  return row!;
}

describe('production results', () => {
  it('records produced cards and completes the batch with its destruction time', async () => {
    const { batch, cards, digest } = await orderedBatch(1, 3);
    const items = cards.map((c, i) => produced(c.id, digest.get(c.id)!, 100 + i));
    // The producer's digest is over the exact record line: it equals the one stored when ordering.
    expect(cards.map((c) => digest.get(c.id))).toEqual(cards.map((c) => c.recordSm3));
    const res = await report(batch.id, { items });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ applied: 3, unchanged: 0, produced: 3, wasted: 0, remaining: 0, batchStatus: 'COMPLETED' });
    const after = await card(cards[0]!.id);
    expect(after).toMatchObject({ status: 'PRODUCED', cardNo: 'A00000100', chipUid: '04A1B2000100' });
    expect(after.producedAt).not.toBeNull();
    const events = await h().ctx.db.orm.select().from(cardEvents).where(eq(cardEvents.cardId, cards[0]!.id)).orderBy(asc(cardEvents.seq));
    expect(events.map((e) => [e.type, e.toStatus, e.idempotencyKey])).toEqual([
      ['ORDER', 'ORDERED', `${cards[0]!.id}:ORDER`],
      ['PRODUCE', 'PRODUCED', `${cards[0]!.id}:RESULT`],
    ]);
    const done = await batchRow(batch.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.destroyAfter!.getTime() - done.completedAt!.getTime()).toBe(24 * 3_600_000);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('batch.results.report');

    // The same report again: nothing changes, the answer says so.
    const again = await report(batch.id, { items });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ applied: 0, unchanged: 3, batchStatus: 'COMPLETED' });
    expect(await h().ctx.db.orm.select().from(cardEvents).where(eq(cardEvents.cardId, cards[0]!.id))).toHaveLength(2);
    expect((await batchRow(batch.id)).completedAt!.getTime()).toBe(done.completedAt!.getTime());

    // A different result for a card already reported is a conflict, and nothing of that report is applied.
    const conflicting = await report(batch.id, { items: [{ ...items[0]!, cardNo: 'B00000001' }, { cardId: cards[1]!.id, outcome: 'WASTED', wasteReason: '芯片损坏', wasteCause: 'PRODUCER' }] });
    expectError(conflicting, 400, 'RESULTS_INVALID');
    expect(rowsOf(conflicting)).toEqual([
      { row: 1, field: 'outcome', code: 'RESULT_CONFLICT' },
      { row: 2, field: 'outcome', code: 'RESULT_CONFLICT' },
    ]);
    expect((await card(cards[0]!.id)).cardNo).toBe('A00000100');
  });

  it('refuses cards of another batch, another producer, wrong chip data and reused card numbers', async () => {
    const first = await orderedBatch(10, 2);
    const second = await orderedBatch(20, 2);
    const [c1, c2] = first.cards;
    const foreign = second.cards[0]!;
    const res = await report(first.batch.id, {
      items: [
        produced(c1!.id, first.digest.get(c1!.id)!, 200),
        produced(foreign.id, second.digest.get(foreign.id)!, 201),
        produced(c2!.id, second.digest.get(foreign.id)!, 202),
      ],
    });
    expectError(res, 400, 'RESULTS_INVALID');
    expect(rowsOf(res)).toEqual([
      { row: 2, field: 'cardId', code: 'RESULT_CARD_NOT_IN_BATCH' },
      { row: 3, field: 'chipDataSm3', code: 'CHIP_DATA_MISMATCH' },
    ]);
    expect((await card(c1!.id)).status).toBe('ORDERED');

    // Card numbers: twice in one file, and one already on a card of the programme (batch 1 of the previous test used A00000100).
    const dup = await report(first.batch.id, { items: [produced(c1!.id, first.digest.get(c1!.id)!, 300), { ...produced(c2!.id, first.digest.get(c2!.id)!, 300) }] });
    expect(rowsOf(dup)).toEqual([{ row: 2, field: 'cardNo', code: 'CARD_NO_DUPLICATE' }]);
    const used = await report(first.batch.id, { items: [produced(c1!.id, first.digest.get(c1!.id)!, 100)] });
    expect(rowsOf(used)).toEqual([{ row: 1, field: 'cardNo', code: 'CARD_NO_DUPLICATE' }]);

    // Another producer cannot see the batch at all.
    expectError(await report(first.batch.id, { items: [produced(c1!.id, first.digest.get(c1!.id)!, 301)] }, otherProducer), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('GET', `/api/v1/batches/${first.batch.id}/results-template.csv`, { session: otherProducer }), 404, 'OUT_OF_SCOPE');
    expectError(await report(first.batch.id, { items: [] }), 400, 'RESULTS_EMPTY');
    expectError(await report(first.batch.id, { items: [] }, lc.sessions.bank), 403, 'FORBIDDEN');

    // A partial report by packing position leaves the batch open with the rest still ORDERED.
    const partial = await report(first.batch.id, { items: [{ packingSeq: 2, outcome: 'PRODUCED', cardNo: 'A00000302', chipUid: '04A1B2000302', chipDataSm3: first.digest.get(c2!.id) }] });
    expect(partial.json()).toMatchObject({ applied: 1, remaining: 1, batchStatus: 'OPEN' });
    expect((await card(c2!.id)).cardNo).toBe('A00000302');
    expect((await batchRow(first.batch.id)).status).toBe('OPEN');
  });

  it('the template lists the ORDERED cards; a filled-in CSV with bad rows applies nothing and lists them all', async () => {
    const { batch, cards, digest } = await orderedBatch(30, 4);
    const template = await h().request('GET', `/api/v1/batches/${batch.id}/results-template.csv`, { session: lc.sessions.producer });
    expect(template.statusCode, template.body).toBe(200);
    expect(template.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(template.body);
    expect(header!.fields).toEqual(['cardId', 'outcome', 'cardNo', 'chipUid', 'chipDataSm3', 'wasteReason', 'wasteCause', 'packingSeq', 'applicationNo']);
    expect(rows.map((r) => [r.fields[0], r.fields[7]])).toEqual(cards.map((c) => [c.id, String(c.packingSeq)]));
    expect(rows.every((r) => /^RP-\d{8}-\d{6,}$/.test(r.fields[8]!))).toBe(true);

    const fill = (i: number, cols: string[]) => [cards[i]!.id, ...cols, String(cards[i]!.packingSeq), rows[i]!.fields[8]].join(',');
    const good = (i: number) => fill(i, ['PRODUCED', `A00000${400 + i}`, `04A1B2000${400 + i}`, digest.get(cards[i]!.id)!, '', '']);
    const bad = [
      header!.fields.join(','),
      good(0),
      fill(1, ['PRODUCED', 'x', '04A1B2000401', digest.get(cards[1]!.id)!, '', '']),
      good(2),
      fill(3, ['WASTED', '', '', '', '', 'NOBODY']),
    ].join('\r\n');
    const res = await report(batch.id, bad, lc.sessions.producer, { 'content-type': 'text/csv' });
    expectError(res, 400, 'RESULTS_INVALID');
    expect(rowsOf(res)).toEqual([
      { row: 3, field: 'cardNo', code: 'CARD_NO_INVALID' },
      { row: 5, field: 'wasteCause', code: 'WASTE_CAUSE_INVALID' },
      { row: 5, field: 'wasteReason', code: 'WASTE_REASON_REQUIRED' },
    ]);
    for (const c of cards) expect((await card(c.id)).status).toBe('ORDERED');

    const fixed = [header!.fields.join(','), good(0), good(1), good(2), fill(3, ['WASTED', '', '', '', '"卡面印刷偏移, 重做"', 'PRODUCER'])].join('\r\n');
    const ok = await report(batch.id, fixed, lc.sessions.producer, { 'content-type': 'text/csv' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ applied: 4, produced: 3, wasted: 1, batchStatus: 'COMPLETED' });
    expect(await card(cards[3]!.id)).toMatchObject({ status: 'WASTED', wasteCause: 'PRODUCER', wasteReason: '卡面印刷偏移, 重做' });
    const empty = await h().request('GET', `/api/v1/batches/${batch.id}/results-template.csv`, { session: lc.sessions.producer });
    expect(parseCsv(empty.body)).toHaveLength(1);
  });

  it('a producer waste is remade in the producer\'s next batch as attempt 2', async () => {
    // The previous test wasted the 4th card of its batch through the producer's fault.
    const [wasted] = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.wasteCause, 'PRODUCER'));
    const { batch, cards } = await orderedBatch(40, 1);
    const remake = cards.find((c) => c.applicationId === wasted!.applicationId);
    expect(remake).toMatchObject({ attemptNo: 2, producerOrgId: lc.city.producer.id, status: 'ORDERED', batchId: batch.id });
    expect(cards).toHaveLength(2);
    const [app] = await h().ctx.db.orm.select().from(applications).where(eq(applications.id, wasted!.applicationId));
    expect(app!.status).toBe('IN_PRODUCTION');
    // Finish this batch so later tests start from nothing waiting.
    const digests = new Map((await h().ctx.db.orm.select().from(batchRecords).where(eq(batchRecords.batchId, batch.id))).map((r) => [r.cardId, sm3(decryptBytes(h().ctx.keyring, r.recordEnc)).toString('hex')]));
    const res = await report(batch.id, { items: cards.map((c, i) => produced(c.id, digests.get(c.id)!, 500 + i)) });
    expect(res.json()).toMatchObject({ applied: 2, batchStatus: 'COMPLETED' });
  });

  it('an authority-data waste sends the application back to review; approved again it is batched as attempt 2', async () => {
    const { batch, cards } = await orderedBatch(50, 2);
    const [bad, good] = cards;
    const res = await report(batch.id, {
      items: [
        { cardId: bad!.id, outcome: 'WASTED', wasteReason: '户籍地址与公安数据不一致', wasteCause: 'AUTHORITY_DATA' },
        { cardId: good!.id, outcome: 'WASTED', wasteReason: '制卡机故障', wasteCause: 'PRODUCER' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ applied: 2, wasted: 2, returnedToReview: 1, batchStatus: 'COMPLETED' });
    const [app] = await h().ctx.db.orm.select().from(applications).where(eq(applications.id, bad!.applicationId));
    expect(app).toMatchObject({ status: 'SUBMITTED', decidedAt: null });
    const returned = await h().ctx.db.orm.select().from(applicationEvents).where(eq(applicationEvents.idempotencyKey, `${bad!.id}:RETURNED`));
    expect(returned.map((e) => [e.type, (e.details as { reason: string }).reason])).toEqual([['RETURNED', '户籍地址与公安数据不一致']]);

    const queue = await h().request('GET', '/api/v1/review-queue', { session: lc.sessions.reviewer });
    expect((queue.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(bad!.applicationId);
    const approve = await h().request('POST', `/api/v1/applications/${bad!.applicationId}/approve`, { session: lc.sessions.reviewer, body: {} });
    expect(approve.statusCode, approve.body).toBe(200);

    const [next] = await batchAll(h(), lc, lc.rp.id);
    const again = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.batchId, next!.id));
    // The returned application (attempt 2 after review) and the producer's remake of the other one.
    expect(again.map((c) => [c.applicationId, c.attemptNo]).sort()).toEqual(
      [
        [bad!.applicationId, 2],
        [good!.applicationId, 2],
      ].sort(),
    );
  });
});
