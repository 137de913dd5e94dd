import { inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { productionBatches } from '../../src/modules/production/schema.ts';
import { addDaysToDate, shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { lateBatches, slaOverview } from '../../src/modules/reports/sla.ts';
import { reportSummary } from '../../src/modules/reports/stats.ts';
import type { Principal } from '../../src/platform/auth/principal.ts';
import { useHarness } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { approvedApplications, batchAll, principalOf, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { bankMatch, moveCards, produce, ship } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let manager: Principal;
let rpBatch: typeof productionBatches.$inferSelect;
let sscBatch: typeof productionBatches.$inferSelect;
const DAY = 86_400_000;
const plus = (d: Date, days: number) => new Date(d.getTime() + days * DAY);

beforeAll(async () => {
  lc = await seedLifecycle(h());
  manager = await principalOf(h(), lc.city.usernames.AUTHORITY_MANAGER);

  const rpIds = await approvedApplications(h(), lc, 'rp', 1, 3);
  rpBatch = (await batchAll(h(), lc, lc.rp.id))[0]!;
  const rpCards = await h().ctx.db.orm.select().from(cardAttempts).where(inArray(cardAttempts.applicationId, rpIds)).orderBy(cardAttempts.packingSeq);
  const due = rpBatch.productionDueAt;
  // One card a day early, one two and a half days late (3 whole days for settlement), one still to be made.
  const [early] = await produce(h(), [rpCards[0]!.id], plus(due, -1), lc.city.producer.id);
  await produce(h(), [rpCards[1]!.id], plus(due, 2.5), lc.city.producer.id);
  await ship(h(), lc, lc.rp.id, [early!], plus(due, -0.5));
  await moveCards(h(), [early!.id], 'RECEIVE', plus(due, 0.5), () => ({ receivedAt: plus(due, 0.5) }), early!.receiverOrgId);

  const sscIds = await approvedApplications(h(), lc, 'ssc', 11, 2);
  await bankMatch(h(), lc, sscIds);
  sscBatch = (await batchAll(h(), lc, lc.ssc.id))[0]!;
  const sscCards = await h().ctx.db.orm.select().from(cardAttempts).where(inArray(cardAttempts.applicationId, sscIds)).orderBy(cardAttempts.packingSeq);
  await produce(h(), [sscCards[0]!.id], plus(sscBatch.productionDueAt, -1), lc.city.producer.id);
  await moveCards(h(), [sscCards[1]!.id], 'WASTE', plus(sscBatch.productionDueAt, -1), () => ({ wasteCause: 'PRODUCER', wasteReason: 'chip write failed' }), lc.city.producer.id);
});

describe('SLA overview', () => {
  it('counts overdue, done on time and done late per producer and per receiver', async () => {
    const now = plus(rpBatch.productionDueAt, 3);
    const sla = await slaOverview(h().ctx, manager, { programmeId: lc.rp.id }, now);
    expect(sla.byProducer).toHaveLength(1);
    const producer = sla.byProducer[0]!;
    expect(producer.orgId).toBe(lc.city.producer.id);
    expect(producer.production).toEqual({ onTime: 0, atRisk: 0, overdue: 1, doneOnTime: 1, doneLate: 1 });
    // Delivery is due 10 calendar days after release: the two cards not yet received are still on time.
    expect(producer.delivery).toEqual({ onTime: 2, atRisk: 0, overdue: 0, doneOnTime: 1, doneLate: 0 });
    expect(sla.byReceiver.map((r) => r.orgId)).toEqual([lc.city.outletA.id]);
    expect(sla.byReceiver[0]!.delivery.doneOnTime).toBe(1);
  });

  it('marks a card due within 24 hours as at risk', async () => {
    const sla = await slaOverview(h().ctx, manager, { programmeId: lc.rp.id }, plus(rpBatch.productionDueAt, -0.5));
    expect(sla.byProducer[0]!.production).toMatchObject({ onTime: 0, atRisk: 1, overdue: 0 });
    const calm = await slaOverview(h().ctx, manager, { programmeId: lc.rp.id }, plus(rpBatch.productionDueAt, -2));
    expect(calm.byProducer[0]!.production).toMatchObject({ onTime: 1, atRisk: 0, overdue: 0 });
  });

  it('shows a producer its own row and an outlet its own row only', async () => {
    const asProducer = await h().request('GET', `/api/v1/sla/overview?programmeId=${lc.rp.id}`, { session: lc.sessions.producer });
    expect(asProducer.statusCode, asProducer.body).toBe(200);
    const p = asProducer.json() as { byProducer: { orgId: string }[]; byReceiver: unknown[] };
    expect(p.byProducer.map((r) => r.orgId)).toEqual([lc.city.producer.id]);
    expect(p.byReceiver).toEqual([]);
    const asOutlet = (await h().request('GET', '/api/v1/sla/overview', { session: lc.sessions.outletManager })).json() as { byProducer: unknown[]; byReceiver: { orgId: string }[] };
    expect(asOutlet.byProducer).toEqual([]);
    expect(asOutlet.byReceiver.map((r) => r.orgId)).toEqual([lc.city.outletA.id]);
    expectError(await h().request('GET', '/api/v1/sla/overview', { session: lc.sessions.clerkA }), 403, 'FORBIDDEN');
    expectError(await h().request('GET', '/api/v1/sla/overview?from=2026-12-01&to=2026-11-01', { session: lc.sessions.manager }), 400, 'REPORT_PERIOD_INVALID');
  });
});

describe('late batches', () => {
  it('lists a batch still open after its deadline with the whole days late so far', async () => {
    const now = plus(rpBatch.productionDueAt, 3);
    const late = await lateBatches(h().ctx, manager, { programmeId: lc.rp.id }, now);
    expect(late.items).toHaveLength(1);
    const b = late.items[0]!;
    expect(b).toMatchObject({ batchNo: rpBatch.batchNo, productionOpen: true, lastProducedAt: null, productionDaysLate: 3, deliveryOpen: true, deliveryDaysLate: 0 });
    expect(b.productionDueAt).toBe(rpBatch.productionDueAt.toISOString());
  });

  it('lists nothing while every batch is within its deadlines', async () => {
    const late = await lateBatches(h().ctx, manager, { programmeId: lc.ssc.id }, plus(sscBatch.productionDueAt, -0.5));
    expect(late.items).toEqual([]);
  });

  it('counts the delivery days late once the delivery deadline has passed too', async () => {
    const now = plus(rpBatch.deliveryDueAt!, 1.2);
    const [b] = (await lateBatches(h().ctx, manager, { programmeId: lc.rp.id }, now)).items;
    expect(b!.deliveryDaysLate).toBe(2);
    expect(b!.productionDaysLate).toBe(Math.ceil((now.getTime() - rpBatch.productionDueAt.getTime()) / DAY));
  });

  it('answers over HTTP for the auditor', async () => {
    const res = await h().request('GET', '/api/v1/sla/late-batches', { session: lc.sessions.auditor });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('summary report', () => {
  const today = () => shanghaiDate(new Date());

  it('counts stages, producers, days, waste by cause and SLA compliance', async () => {
    const now = plus(rpBatch.productionDueAt, 3);
    const s = await reportSummary(h().ctx, manager, { from: today(), to: addDaysToDate(today(), 30) }, now);
    expect(s.applicationsByStatus).toContainEqual({ status: 'IN_PRODUCTION', count: 5 });
    expect(s.cardsByStatus).toEqual(
      expect.arrayContaining([
        { status: 'ORDERED', count: 1 },
        { status: 'PRODUCED', count: 2 },
        { status: 'RECEIVED', count: 1 },
        { status: 'WASTED', count: 1 },
      ]),
    );
    expect(s.perProducer).toEqual([{ orgId: lc.city.producer.id, orgName: lc.city.producer.name, ordered: 1, produced: 3, wastedAuthority: 0, wastedProducer: 1 }]);
    const outletA = s.perOutlet.find((o) => o.orgId === lc.city.outletA.id)!;
    expect(outletA).toMatchObject({ submitted: 5, received: 1, awaitingPickup: 1 });
    const lateDay = shanghaiDate(plus(rpBatch.productionDueAt, 2.5));
    expect(s.perDay.find((d) => d.date === lateDay)!.produced).toBeGreaterThanOrEqual(1);
    expect(s.perDay.reduce((sum, d) => sum + d.produced, 0)).toBe(3);
    expect(s.perDay.reduce((sum, d) => sum + d.received, 0)).toBe(1);
    expect(s.perDay.find((d) => d.date === today())!.submitted).toBe(5);
    expect(s.perDay).toHaveLength(31);

    const ssc = s.waste.find((w) => w.programmeId === lc.ssc.id)!;
    expect(ssc).toMatchObject({ cardKind: 'SOCIAL_SECURITY_CARD', produced: 1, wastedProducer: 1, producerRate: 0.5, limit: 0.001, exceeded: true });
    const rp = s.waste.find((w) => w.programmeId === lc.rp.id)!;
    expect(rp).toMatchObject({ produced: 2, wastedProducer: 0, limit: null, exceeded: false });

    expect(s.sla).toMatchObject({ producedTotal: 3, producedOnTime: 2, deliveredTotal: 1, deliveredOnTime: 1, deliveryOnTimeRate: 1 });
    expect(s.sla.productionOnTimeRate).toBeCloseTo(2 / 3);
  });

  it('keeps an outlet to its own applications and cards', async () => {
    const res = await h().request('GET', `/api/v1/reports/summary?from=${today()}&to=${addDaysToDate(today(), 30)}`, { session: lc.sessions.outletManager });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as { perOutlet: { orgId: string }[]; perProducer: { produced: number }[] };
    expect(s.perOutlet.map((o) => o.orgId)).toEqual([lc.city.outletA.id]);
    const asProducer = (await h().request('GET', `/api/v1/reports/summary?from=${today()}&to=${addDaysToDate(today(), 30)}`, { session: lc.sessions.producer })).json() as {
      applicationsByStatus: unknown[];
      perProducer: { orgId: string }[];
    };
    expect(asProducer.applicationsByStatus).toEqual([]);
    expect(asProducer.perProducer.map((p) => p.orgId)).toEqual([lc.city.producer.id]);
  });

  it('exports one sheet per table as XLSX', async () => {
    const res = await h().request('GET', `/api/v1/reports/summary.xlsx?from=${today()}&to=${addDaysToDate(today(), 30)}`, { session: lc.sessions.manager });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['统计区间', '申请状态', '卡片状态', '受理网点', '制卡单位', '每日', '废卡率', '时限达标']);
    expect(wb.getWorksheet('每日')!.rowCount).toBe(32);
    // Seen from the real clock the late card is not produced yet, but the SSC producer waste already exceeds 0.1%.
    const waste = wb.getWorksheet('废卡率')!;
    const flags = [2, 3].map((i) => String(waste.getRow(i).getCell(8).value ?? ''));
    expect(flags).toContain('超标');
  });

  it('refuses an unknown programme like one out of scope, and a clerk', async () => {
    expectError(await h().request('GET', `/api/v1/reports/summary?programmeId=${lc.city.city.id}`, { session: lc.sessions.manager }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('GET', '/api/v1/reports/summary', { session: lc.sessions.clerkA }), 403, 'FORBIDDEN');
  });
});
