import { eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../../src/modules/calendar/zone.ts';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { applyCardChanges, lockCards } from '../../src/modules/cards/service.ts';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import type { SmsStatus } from '../../src/modules/notify/states.ts';
import { addMonths } from '../../src/modules/settlement/contract-rules.ts';
import { gatherEvidence } from '../../src/modules/settlement/drafting.ts';
import { settlementContracts } from '../../src/modules/settlement/schema.ts';
import { SEED_000_PERMITS, SEED_001_MAINTENANCE, SEED_003_SMS, SEED_004_SSCARDS } from '../../src/modules/settlement/seed-contracts.ts';
import { pureContract } from '../../src/modules/settlement/service.ts';
import { buildStatement } from '../../src/modules/settlement/statement.ts';
import type { WasteCause } from '../../src/modules/cards/schema.ts';
import { useHarness, type Harness } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { approvedApplications, batchAll, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { matchApplications, prefabricatedApplication, producedCards, receiveAll, ship } from '../logistics/fixtures.ts';
import { act, openAt, seedMaintenance, type Maintenance } from '../maintenance/fixtures.ts';
import { mobile, notice } from '../notify/fixtures.ts';
import { contractInput, createContract, draftStatement, evidence } from './fixtures.ts';

// Whole card lifecycles through the API on a shared two-core machine: generous limits, no timing is under test.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * Statements drafted from events recorded by the card lifecycle, the SMS outbox and the maintenance
 * module, each expected amount worked out by hand from the seed's prices and rules.
 */

const today = shanghaiDate(new Date());
// The card events are recorded now, so the card contracts' first period is made to hold today.
const termStart = addDaysToDate(today, -20);
const yearTerm = { start: termStart, end: addDaysToDate(addMonths(termStart, 12), -1), renewal: { lengthMonths: 12, max: 2, taken: 0 } };

async function waste(h: Harness, applicationIds: string[], causes: WasteCause[]) {
  const ordered = await h.ctx.db.orm.select({ id: cardAttempts.id }).from(cardAttempts).where(inArray(cardAttempts.applicationId, applicationIds));
  await h.ctx.db.orm.transaction(async (tx) => {
    const cards = await lockCards(
      tx,
      ordered.map((c) => c.id),
    );
    await applyCardChanges(
      h.ctx,
      tx,
      { type: 'SYSTEM', id: null, name: 'test producer', orgId: cards[0]?.producerOrgId ?? null },
      cards.map((card, i) => ({ card, action: 'WASTE', set: { wasteCause: causes[i]!, wasteReason: causes[i] === 'PRODUCER' ? '芯片写入失败' : '照片数据有误' }, idempotencyKey: `${card.id}:WASTE` })),
    );
  });
}

/** Makes a delivered batch late by `days`: its deadline moved to just under that many days before its last receipt. */
async function deliveredLate(h: Harness, batchId: string, days: number) {
  await h.ctx.db.rows(
    null,
    sql`update production_batches b set delivery_due_at = (select max(received_at) from card_attempts where batch_id = b.id) - make_interval(hours => ${days * 24 - 1})
         where id = ${batchId}::uuid returning id`,
  );
}

describe('card contracts, from the card lifecycle', () => {
  const h = useHarness();
  let lc: Lifecycle;

  beforeAll(async () => {
    lc = await seedLifecycle(h());
  });

  it('seed 000: a quarter of accepted cards, authority and producer waste and two late batches, to the fen', async () => {
    const contract = await createContract(
      h(),
      lc.manager,
      contractInput(SEED_000_PERMITS, { authorityOrgId: lc.city.city.id, supplierOrgId: lc.city.producer.id }, { programmeIds: [lc.rp.id] }, { term: yearTerm }),
    );
    // Batch A: 3 cards received 3 days late; batch B: 2 cards received 2 days late.
    const batchNos: string[] = [];
    for (const [first, n, days] of [
      [1, 3, 3],
      [4, 2, 2],
    ] as const) {
      const cards = await producedCards(h(), lc, 'rp', first, n);
      const shipment = await ship(h(), lc.sessions.producer, lc.city.outletA.id, cards.map((c) => c.id));
      await receiveAll(h(), lc.sessions.clerkA, shipment, cards.map((c) => c.cardNo!));
      await deliveredLate(h(), cards[0]!.batchId!, days);
      const [row] = await h().ctx.db.rows<{ batch_no: string }>(null, sql`select batch_no from production_batches where id = ${cards[0]!.batchId}::uuid`);
      batchNos.push(row!.batch_no);
    }
    // Batch C: two cards wasted for the authority's data (paid), one by the producer (never paid).
    const wasted = await approvedApplications(h(), lc, 'rp', 6, 3);
    await batchAll(h(), lc, lc.rp.id);
    await waste(h(), wasted, ['AUTHORITY_DATA', 'AUTHORITY_DATA', 'PRODUCER']);

    const quarterEnd = addDaysToDate(addMonths(termStart, 3), -1);
    const s = await draftStatement(h(), lc.manager, contract.id, termStart, quarterEnd);
    // (3 + 2 accepted + 2 authority waste) × 10.85 = 75.95; (3 + 2) days × 0.1 % × 1,000,000.00 = 5,000.00.
    expect(s.lines).toEqual([expect.objectContaining({ key: 'line:PERMIT_CARD', count: 7, unitPrice: '10.85', amount: '75.95', evidenceCount: 7 })]);
    expect(s.penalties).toEqual([expect.objectContaining({ key: 'penalty:late-delivery', amount: '5000.00', evidenceCount: 2 })]);
    expect(s).toMatchObject({ gross: '75.95', billable: '75.95', deductions: '5000.00', additions: '0.00', netPayable: '-4924.05', excludedCount: 1 });

    const cards = await evidence(h(), lc.manager, s.id, 'line:PERMIT_CARD');
    expect(cards.items.filter((e) => e.details.outcome === 'ACCEPTED')).toHaveLength(5);
    expect(cards.items.filter((e) => e.details.outcome === 'WASTED').map((e) => e.details.wasteCause)).toEqual(['AUTHORITY_DATA', 'AUTHORITY_DATA']);
    expect(cards.items.every((e) => e.details.outcome === 'WASTED' || /^A\d{8}$/.test(String(e.details.cardNo)))).toBe(true);
    expect((await evidence(h(), lc.manager, s.id, 'excluded')).items.map((e) => e.details.wasteCause)).toEqual(['PRODUCER']);
    const late = await evidence(h(), lc.manager, s.id, 'penalty:late-delivery');
    expect(late.items.map((e) => [e.details.batchNo, e.details.daysLate])).toEqual([
      [batchNos[0], 3],
      [batchNos[1], 2],
    ]);

    // Approved by two people; afterwards the only change to the contract is taking a renewal.
    await h().request('POST', `/api/v1/settlement/statements/${s.id}/submit`, { session: lc.manager, body: {} });
    expect((await h().request('POST', `/api/v1/settlement/statements/${s.id}/approve`, { session: lc.sessions.admin, body: {} })).statusCode).toBe(200);
    const renewed = contractInput(SEED_000_PERMITS, { authorityOrgId: lc.city.city.id, supplierOrgId: lc.city.producer.id }, { programmeIds: [lc.rp.id] }, { term: { ...yearTerm, renewal: { ...yearTerm.renewal, taken: 1 } } });
    const put = await h().request('PUT', `/api/v1/settlement/contracts/${contract.id}`, { session: lc.manager, body: renewed });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ termEnd: addDaysToDate(addMonths(termStart, 24), -1) });
    const repriced = { ...renewed, prices: renewed.prices.map((p) => ({ ...p, price: { kind: 'PER_UNIT' as const, unitPrice: '10.50', ceiling: null } })) };
    expectError(await h().request('PUT', `/api/v1/settlement/contracts/${contract.id}`, { session: lc.manager, body: repriced }), 409, 'SETTLEMENT_CONTRACT_LOCKED');
  });

  it('seed 004: finished and prefabricated cards across lots, to the fen', async () => {
    const term = { start: termStart, end: addDaysToDate(addMonths(termStart, 36), -1), renewal: null };
    const contract = await createContract(
      h(),
      lc.manager,
      contractInput(
        SEED_004_SSCARDS,
        { authorityOrgId: lc.city.city.id, supplierOrgId: lc.city.producer.id },
        { programmeIds: [lc.ssc.id], lotByReceiverOrgId: { [lc.city.branch.id]: '1', [lc.city.outletA.id]: '2' } },
        { term },
      ),
    );
    // Lot 1 (the bank branch): 3 finished cards received, 1 wasted for the authority's data, 1 by the producer.
    const finished = await producedCards(h(), lc, 'ssc', 20, 3);
    const shipment = await ship(h(), lc.sessions.producer, lc.city.branch.id, finished.map((c) => c.id));
    await receiveAll(h(), lc.sessions.bank, shipment, finished.map((c) => c.cardNo!));
    const wasted = await approvedApplications(h(), lc, 'ssc', 30, 2);
    await matchApplications(h(), wasted);
    await batchAll(h(), lc, lc.ssc.id);
    await waste(h(), wasted, ['AUTHORITY_DATA', 'PRODUCER']);
    // Prefabricated cards handed out at the counter: one at the branch (lot 1), one at outlet A (lot 2).
    for (const [n, session] of [
      [40, lc.sessions.bank],
      [41, lc.sessions.clerkA],
    ] as const) {
      const id = await prefabricatedApplication(h(), lc, n);
      const res = await h().request('POST', `/api/v1/applications/${id}/issue-prefabricated`, { session, body: { cardNo: `P100000${n}`, chipUid: `04AABBCC${n}`, identityChecked: true } });
      expect(res.statusCode, res.body).toBe(201);
    }

    const s = await draftStatement(h(), lc.manager, contract.id, termStart, addDaysToDate(addMonths(termStart, 6), -1));
    // Lot 1: (3 + 1) × 9.80 = 39.20 and 1 × (9.80 − 1.20) = 8.60; lot 2: 1 × (9.95 − 1.50) = 8.45.
    expect(s.lines.map((l) => [l.key, l.count, l.unitPrice, l.amount])).toEqual([
      ['line:FINISHED_CARD:1', 4, '9.80', '39.20'],
      ['line:PREFAB_CARD:1', 1, '8.60', '8.60'],
      ['line:PREFAB_CARD:2', 1, '8.45', '8.45'],
    ]);
    expect(s).toMatchObject({ gross: '56.25', billable: '56.25', deductions: '0.00', netPayable: '56.25', excludedCount: 1 });
    const prefab = await evidence(h(), lc.manager, s.id, 'line:PREFAB_CARD:2');
    expect(prefab.items.map((e) => [e.details.cardNo, e.details.prefabricated, e.details.lot])).toEqual([['P10000041', true, '2']]);
  });
});

interface Sim {
  phone: number;
  segments: number;
  status: SmsStatus;
  at: [string, number];
  submitted: boolean;
  code?: string;
}

describe('maintenance and SMS contracts, from the breach register and the SMS outbox', () => {
  const h = useHarness();
  let m: Maintenance;

  beforeAll(async () => {
    m = await seedMaintenance(h());
  });

  async function breachOn(day: string) {
    const t = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, `${day}T09:00`)).json() as { id: string };
    const res = await act(h(), m.sessions.engineer, t.id, 'acknowledge', `${day}T16:00`);
    expect(res.statusCode, res.body).toBe(200);
  }

  it('seed 001: the second payment less three breaches of the register, to the fen', async () => {
    const contract = await createContract(
      h(),
      m.sessions.manager,
      contractInput(SEED_001_MAINTENANCE, { authorityOrgId: m.city.city.id, supplierOrgId: m.city.maintainer.id }, { maintenanceContractId: m.contract.id }),
    );
    for (const day of ['2025-09-22', '2025-09-23', '2025-10-13', '2025-10-14', '2025-10-15']) await breachOn(day);

    const first = await draftStatement(h(), m.sessions.manager, contract.id, '2025-09-01', '2025-09-30');
    // 50 % of 1,663,800.00 = 831,900.00, less 2 × 1 % × 1,663,800.00.
    expect(first).toMatchObject({ billable: '831900.00', deductions: '33276.00', netPayable: '798624.00' });

    const second = await draftStatement(h(), m.sessions.manager, contract.id, '2025-10-01', '2026-08-31');
    // 831,900.00 − 3 × 16,638.00 = 781,986.00; with the two before, the fifth breach gives the termination right.
    expect(second).toMatchObject({ billable: '831900.00', deductions: '49914.00', netPayable: '781986.00' });
    expect(second.penalties[0]!.explanation.split('; ')).toHaveLength(3);
    const breaches = await evidence(h(), m.sessions.manager, second.id, 'penalty:breach');
    expect(breaches.items.map((e) => [e.on, e.details.breachKind])).toEqual([
      ['2025-10-13', 'LATE_RESPONSE'],
      ['2025-10-14', 'LATE_RESPONSE'],
      ['2025-10-15', 'LATE_RESPONSE'],
    ]);
    const full = (await h().request('GET', `/api/v1/settlement/statements/${second.id}`, { session: m.sessions.manager })).json() as { statement: { penalties: { facts: Record<string, unknown> }[] } };
    expect(full.statement.penalties[0]!.facts).toMatchObject({ breachCount: 5, terminationRight: true });
  });

  it('refuses penalty evidence gathered for another contract', async () => {
    const [mine] = await h().ctx.db.orm.select().from(settlementContracts).where(eq(settlementContracts.code, SEED_001_MAINTENANCE.contractNo));
    const other = await createContract(
      h(),
      m.sessions.manager,
      contractInput({ ...SEED_001_MAINTENANCE, contractNo: 'OTHER-001' }, { authorityOrgId: m.city.city.id, supplierOrgId: m.city.producer.id }, { maintenanceContractId: m.contract.id }),
    );
    const [otherRow] = await h().ctx.db.orm.select().from(settlementContracts).where(eq(settlementContracts.id, other.id));
    const period = { start: '2025-10-01', end: '2026-08-31' };
    const gathered = await gatherEvidence(h().ctx, h().ctx.db.orm, pureContract(mine!), mine!.source, period);
    expect(gathered.penaltyEvidence).toHaveLength(3);
    const build = () =>
      buildStatement({ contract: pureContract(otherRow!), period, usage: [], penaltyEvidence: gathered.penaltyEvidence, billedToDate: { total: 0, byLot: {} }, penaltiesToDate: {}, priorBreaches: 0 });
    expect(build).toThrowError(expect.objectContaining({ code: 'SETTLEMENT_EVIDENCE_OTHER_CONTRACT' }));
  });

  it('seed 003: billed segments without duplicates and a delivery rate under 98 %, to the fen', async () => {
    const contract = await createContract(
      h(),
      m.sessions.manager,
      contractInput(SEED_003_SMS, { authorityOrgId: m.city.city.id, supplierOrgId: m.city.sms.id }, { smsProviders: ['sim'] }),
    );
    const sims: Sim[] = [
      { phone: 1, segments: 1, status: 'DELIVERED', at: ['2024-09-10', 600], submitted: true },
      { phone: 1, segments: 1, status: 'DELIVERED', at: ['2024-09-10', 605], submitted: true }, // the same notice again: a duplicate
      { phone: 2, segments: 2, status: 'DELIVERED', at: ['2024-09-11', 600], submitted: true },
      { phone: 3, segments: 3, status: 'FAILED', at: ['2024-09-12', 600], submitted: true, code: 'UNDELIV' }, // the provider's failure
      { phone: 4, segments: 3, status: 'FAILED', at: ['2024-10-05', 600], submitted: true, code: 'MK:0001' }, // no such number: billed, outside the rate
      ...Array.from({ length: 10 }, (_, i): Sim => ({ phone: 5 + i, segments: 1, status: 'DELIVERED', at: ['2024-10-08', 600 + i], submitted: true })),
      { phone: 15, segments: 1, status: 'BLOCKED', at: ['2024-10-09', 600], submitted: false, code: 'BLOCKLIST' }, // never sent
      { phone: 16, segments: 1, status: 'DELIVERED', at: ['2025-03-01', 600], submitted: true }, // the next period
    ];
    const results = await enqueueSms(
      h().ctx,
      h().ctx.db.orm,
      sims.map((s) => notice(m.city.city.id, mobile(s.phone))),
    );
    for (const [i, r] of results.entries()) {
      const s = sims[i]!;
      const createdAt = shanghaiInstant(s.at[0], s.at[1]);
      const submittedAt = s.submitted ? new Date(createdAt.getTime() + 1000) : null;
      const finishedAt = s.status === 'SUBMITTED' ? null : new Date(createdAt.getTime() + 3000);
      await h()
        .ctx.db.orm.update(smsMessages)
        .set({
          segments: s.segments,
          costMilliFen: s.segments * 3500,
          status: s.status,
          provider: s.submitted ? 'sim' : null,
          attempts: s.submitted ? 1 : 0,
          failureCode: s.code ?? null,
          createdAt,
          submittedAt,
          deliveredAt: s.status === 'DELIVERED' ? finishedAt : null,
          finishedAt,
        })
        .where(eq(smsMessages.id, r.id));
    }

    // Every usage list on its due day, so only the delivery rate deducts (an outstanding list would cost per day).
    for (const month of ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02']) {
      const body = { provider: 'sim', month, handedOverOn: `${addMonths(`${month}-01`, 1).slice(0, 7)}-10` };
      const res = await h().request('POST', '/api/v1/sms/duties/usage-lists', { session: m.sessions.manager, body });
      expect(res.statusCode, res.body).toBe(201);
    }
    const s = await draftStatement(h(), m.sessions.manager, contract.id, '2024-09-01', '2025-02-28');
    // (1 + 2 + 3 + 3 + 10 × 1) = 19 segments × 0.035 = 0.665 → 0.67; delivered 12 of 13 (92.31 %) < 98 %: 5 % × 0.67 = 0.0335 → 0.03.
    expect(s.lines).toEqual([expect.objectContaining({ key: 'line:SMS_SEGMENT', count: 19, unitPrice: '0.035', amount: '0.67', evidenceCount: 14 })]);
    expect(s.penalties.map((p) => [p.rule, p.amount])).toEqual([
      ['delivery-rate', '0.03'],
      ['late-usage-list', '0.00'],
      ['fault-overtime', '0.00'],
    ]);
    expect(s).toMatchObject({ billable: '0.67', deductions: '0.03', netPayable: '0.64', excludedCount: 1 });
    const [duplicate] = (await evidence(h(), m.sessions.manager, s.id, 'excluded')).items;
    expect(duplicate).toMatchObject({ kind: 'SMS', on: '2024-09-10', details: { duplicateOf: results[0]!.id, messageId: results[1]!.id } });
    const months = await evidence(h(), m.sessions.manager, s.id, 'penalty:delivery-rate');
    expect(months.items.map((e) => e.details)).toEqual([
      { month: '2024-09', delivered: 2, failedProviderCause: 1, failedOtherCause: 0 },
      { month: '2024-10', delivered: 10, failedProviderCause: 0, failedOtherCause: 1 },
    ]);
  });
});
