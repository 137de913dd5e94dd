import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract-rules.ts';
import type { CardEvidence, PenaltyEvidence, SmsEvidence, UsageEvidence } from './evidence.ts';
import { formatYuan, parseUnitPrice, parseYuan, type Fen } from './money.ts';
import { SEED_000_PERMITS, SEED_001_MAINTENANCE, SEED_002_OM, SEED_003_SMS, SEED_004_SSCARDS } from './seed-contracts.ts';
import { buildStatement, type StatementInput } from './statement.ts';

/** Statements built from each seed's numbers, every amount checked by hand in the comments. */

function input(contract: Contract, period: { start: string; end: string }, over: Partial<StatementInput> = {}): StatementInput {
  return { contract, period, usage: [], penaltyEvidence: [], billedToDate: { total: 0, byLot: {} }, penaltiesToDate: {}, priorBreaches: 0, ...over };
}

let serial = 0;

/** `n` card outcomes of one kind; ids and card numbers are unique across the whole file. */
function cards(contractId: string, on: string, n: number, shape: Pick<CardEvidence, 'item' | 'lot' | 'outcome' | 'wasteCause'>): CardEvidence[] {
  return Array.from({ length: n }, () => {
    serial += 1;
    return { kind: 'CARD', id: `card-${serial}`, contractId, on, cardNo: shape.outcome === 'ACCEPTED' ? `NO${serial}` : null, batchNo: 'B1', ...shape };
  });
}

const accepted = (item: string, lot: string | null = null) => ({ item, lot, outcome: 'ACCEPTED' as const, wasteCause: null });
const authorityWaste = (item: string, lot: string | null = null) => ({ item, lot, outcome: 'WASTED' as const, wasteCause: 'AUTHORITY_DATA' as const });
const producerWaste = (item: string, lot: string | null = null) => ({ item, lot, outcome: 'WASTED' as const, wasteCause: 'PRODUCER' as const });

function messages(contractId: string, on: string, n: number, segments: number, duplicateOf: string | null = null): SmsEvidence[] {
  return Array.from({ length: n }, () => {
    serial += 1;
    return { kind: 'SMS', id: `sms-${serial}`, contractId, on, item: 'SMS_SEGMENT', segments, duplicateOf };
  });
}

const yuan = (fen: Fen) => formatYuan(fen);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('seed 000: residence permits, Changzhou', () => {
  const Q1 = { start: '2023-07-20', end: '2023-10-19' };
  const c = SEED_000_PERMITS;

  it('bills a quarter: accepted cards and authority-caused waste at 10.85, never producer waste, less two late batches', () => {
    const usage = [
      ...cards(c.id, '2023-08-01', 18_432, accepted('PERMIT_CARD')),
      ...cards(c.id, '2023-08-02', 57, authorityWaste('PERMIT_CARD')),
      ...cards(c.id, '2023-08-03', 41, producerWaste('PERMIT_CARD')),
    ];
    const late: PenaltyEvidence[] = [
      { kind: 'LATE_BATCH', id: 'late-1', contractId: c.id, on: '2023-09-05', batchNo: 'CZ-2023-0142', daysLate: 3 },
      { kind: 'LATE_BATCH', id: 'late-2', contractId: c.id, on: '2023-10-11', batchNo: 'CZ-2023-0187', daysLate: 2 },
    ];
    const s = buildStatement(input(c, Q1, { usage, penaltyEvidence: late }));
    // (18,432 + 57) × 10.85 = 18,489 × 10.85 = 184,890.00 + 15,715.65 = 200,605.65
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({ item: 'PERMIT_CARD', count: 18_489, unitPrice: 1_085_000, formula: '18489 × 10.85 = 200605.65' });
    expect(s.lines[0]?.evidenceIds).toHaveLength(18_489);
    expect(yuan(s.gross)).toBe('200605.65');
    expect(s.excluded).toHaveLength(41);
    expect(s.excluded.every((x) => x.reason === 'PRODUCER_WASTE')).toBe(true);
    // Cap: nothing billed yet, 1,000,000.00 remains.
    expect(s.caps).toEqual([{ scope: 'CONTRACT', limit: parseYuan('1000000'), billedBefore: 0, requested: s.gross, allowed: s.gross }]);
    // Late: (3 + 2) days × 1‰ × 1,000,000.00 = 5,000.00
    expect(yuan(s.deductions)).toBe('5000.00');
    expect(s.penalties[0]?.items.map((i) => i.evidenceIds)).toEqual([['late-1'], ['late-2']]);
    // 200,605.65 − 5,000.00 = 195,605.65
    expect(yuan(s.netPayable)).toBe('195605.65');
  });

  it('clamps the last period to what remains of the 1,000,000 CNY total, and the late charges to 5 % of it', () => {
    const twice: Contract = { ...c, term: { ...c.term, renewal: { lengthMonths: 12, max: 2, taken: 2 } } };
    const last = { start: '2026-04-20', end: '2026-07-19' };
    const s = buildStatement(
      input(twice, last, {
        usage: cards(c.id, '2026-05-06', 2000, accepted('PERMIT_CARD')),
        penaltyEvidence: [{ kind: 'LATE_BATCH', id: 'late-9', contractId: c.id, on: '2026-06-01', batchNo: 'CZ-2026-0077', daysLate: 4 }],
        billedToDate: { total: parseYuan('985432.10'), byLot: {} },
        penaltiesToDate: { 'late-delivery': parseYuan('49000') },
      }),
    );
    // 2,000 × 10.85 = 21,700.00 asked; 1,000,000.00 − 985,432.10 = 14,567.90 left.
    expect(yuan(s.gross)).toBe('21700.00');
    expect(s.caps[0]).toMatchObject({ requested: parseYuan('21700'), allowed: parseYuan('14567.90') });
    expect(yuan(s.billable)).toBe('14567.90');
    // 4 days × 1,000.00 = 4,000.00, but only 50,000.00 − 49,000.00 = 1,000.00 of the 5 % remains.
    expect(s.penalties[0]).toMatchObject({ uncapped: parseYuan('4000'), amount: parseYuan('1000') });
    // 14,567.90 − 1,000.00 = 13,567.90
    expect(yuan(s.netPayable)).toBe('13567.90');
  });

  it('bills nothing once the total is used up', () => {
    const s = buildStatement(input(c, Q1, { usage: cards(c.id, '2023-08-01', 10, accepted('PERMIT_CARD')), billedToDate: { total: parseYuan('1000000'), byLot: {} } }));
    expect(s.gross).toBe(parseYuan('108.50'));
    expect(s.billable).toBe(0);
  });
});

describe('seed 001: outlet maintenance, Shanghai', () => {
  const c = SEED_001_MAINTENANCE;
  const breaches = (n: number, from = 1): PenaltyEvidence[] =>
    Array.from({ length: n }, (_, i) => ({ kind: 'BREACH', id: `br-${from + i}`, contractId: c.id, on: '2025-11-0' + String(i + 1), breachKind: 'RESPONSE_LATE', reference: `SH-BR-${from + i}` }));
  const final: UsageEvidence = { kind: 'MILESTONE', id: 'ms-final', contractId: c.id, on: '2025-10-20', item: 'FINAL' };
  const period = { start: '2025-10-01', end: '2026-08-31' };

  it('pays the second half less three breaches at 1 % of 1,663,800.00', () => {
    const s = buildStatement(input(c, period, { usage: [final], penaltyEvidence: breaches(3), billedToDate: { total: parseYuan('831900'), byLot: {} } }));
    // 1,663,800.00 × 50 % = 831,900.00
    expect(s.lines).toEqual([expect.objectContaining({ item: 'FINAL', count: 1, amount: parseYuan('831900'), evidenceIds: ['ms-final'] })]);
    expect(yuan(s.billable)).toBe('831900.00');
    // 3 × 16,638.00 = 49,914.00
    expect(yuan(s.deductions)).toBe('49914.00');
    expect(s.penalties[0]?.facts).toEqual({ breachCount: 3, terminationAfter: 5, terminationRight: false });
    // 831,900.00 − 49,914.00 = 781,986.00
    expect(yuan(s.netPayable)).toBe('781986.00');
  });

  it('flags the termination right when the register reaches five', () => {
    const s = buildStatement(input(c, period, { usage: [final], penaltyEvidence: breaches(3, 3), priorBreaches: 2 }));
    expect(s.penalties[0]?.facts.terminationRight).toBe(true);
  });
});

describe('seed 002: system O&M, Beijing', () => {
  const c = SEED_002_OM;

  it('pays 50 % of 6,015,320.00 after signing', () => {
    const s = buildStatement(input(c, { start: '2026-05-29', end: '2026-06-13' }, { usage: [{ kind: 'MILESTONE', id: 'ms-1', contractId: c.id, on: '2026-06-01', item: 'SIGNING' }] }));
    expect(yuan(s.netPayable)).toBe('3007660.00');
  });

  it('pays the other 50 % after acceptance plus the repairs above 10,000.00 per event', () => {
    const repairs: PenaltyEvidence[] = [
      { kind: 'REPAIR', id: 'rp-1', contractId: c.id, on: '2026-08-14', ticketNo: 'BJ-0031', cost: parseYuan('8000') },
      { kind: 'REPAIR', id: 'rp-2', contractId: c.id, on: '2026-11-02', ticketNo: 'BJ-0102', cost: parseYuan('10000') },
      { kind: 'REPAIR', id: 'rp-3', contractId: c.id, on: '2027-02-20', ticketNo: 'BJ-0177', cost: parseYuan('12500') },
    ];
    const s = buildStatement(
      input(c, { start: '2026-06-14', end: '2027-05-28' }, {
        usage: [{ kind: 'MILESTONE', id: 'ms-2', contractId: c.id, on: '2027-05-28', item: 'ACCEPTANCE' }],
        penaltyEvidence: repairs,
        billedToDate: { total: parseYuan('3007660'), byLot: {} },
      }),
    );
    expect(yuan(s.billable)).toBe('3007660.00');
    // 8,000.00 and 10,000.00 stay with the supplier; 12,500.00 is the authority's.
    expect(yuan(s.additions)).toBe('12500.00');
    // 3,007,660.00 + 12,500.00 = 3,020,160.00
    expect(yuan(s.netPayable)).toBe('3020160.00');
  });

  it('never bills a milestone twice in one statement', () => {
    const twice: UsageEvidence[] = ['a', 'b'].map((id) => ({ kind: 'MILESTONE', id, contractId: c.id, on: '2026-06-01', item: 'SIGNING' }));
    expect(codeOf(() => buildStatement(input(c, { start: '2026-05-29', end: '2026-06-13' }, { usage: twice })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
  });
});

describe('seed 003: bulk SMS, Changzhou', () => {
  const c = SEED_003_SMS;
  const H1 = { start: '2024-09-01', end: '2025-02-28' };

  it('bills the segments of unique messages at 0.035, never resends, less the delivery, usage-list and fault deductions', () => {
    const single = messages(c.id, '2024-09-12', 10_000, 1);
    const usage = [
      ...single,
      ...messages(c.id, '2024-10-03', 1500, 2),
      ...messages(c.id, '2024-12-24', 1, 3),
      ...messages(c.id, '2024-09-12', 120, 1, single[0]?.id ?? null),
    ];
    const penaltyEvidence: PenaltyEvidence[] = [
      { kind: 'SMS_DELIVERY', id: 'dl-09', contractId: c.id, on: '2024-09-01', delivered: 6000, failedProviderCause: 100, failedOtherCause: 50 },
      { kind: 'SMS_DELIVERY', id: 'dl-10', contractId: c.id, on: '2024-10-01', delivered: 6700, failedProviderCause: 203, failedOtherCause: 0 },
      { kind: 'USAGE_LIST', id: 'ul-09', contractId: c.id, on: '2024-09-01', submittedOn: '2024-10-09', providerCaused: true },
      { kind: 'USAGE_LIST', id: 'ul-10', contractId: c.id, on: '2024-10-01', submittedOn: '2024-11-12', providerCaused: true },
      { kind: 'FAULT_OVERTIME', id: 'ft-1', contractId: c.id, on: '2024-11-20', ticketNo: 'CZ-SMS-07', overMinutes: 75, assessedRate: null },
    ];
    const s = buildStatement(input(c, H1, { usage, penaltyEvidence }));
    // 10,000 × 1 + 1,500 × 2 + 1 × 3 = 13,003 segments; 13,003 × 0.035 = 455.105 → 455.11 (half up)
    expect(s.lines[0]).toMatchObject({ count: 13_003, unitPrice: 3500, amount: parseYuan('455.11') });
    expect(s.excluded).toHaveLength(120);
    expect(s.excluded.every((x) => x.reason === 'DUPLICATE_MESSAGE')).toBe(true);
    expect(s.caps).toEqual([]);
    const byRule = Object.fromEntries(s.penalties.map((p) => [p.ruleId, p.amount]));
    expect(byRule).toEqual({
      // 12,700 / 13,003 = 97.67 % < 98 %: 455.11 × 5 % = 22.7555 → 22.76
      'delivery-rate': parseYuan('22.76'),
      // October's list 2 days after 10 November: 2 × 0.5 % × 455.11 = 4.5511 → 4.55
      'late-usage-list': parseYuan('4.55'),
      // 75 minutes over: the 1 % tier, 455.11 × 1 % = 4.5511 → 4.55
      'fault-overtime': parseYuan('4.55'),
    });
    // 455.11 − 22.76 − 4.55 − 4.55 = 423.25
    expect(yuan(s.netPayable)).toBe('423.25');
  });
});

describe('seed 004: social security cards, Foshan', () => {
  const c = SEED_004_SSCARDS;
  const H1 = { start: '2025-01-01', end: '2025-06-30' };

  it('bills finished and prefabricated cards per lot, prefabricated at the finished price less the personalisation fee', () => {
    const usage = [
      ...cards(c.id, '2025-02-10', 1000, accepted('FINISHED_CARD', '1')),
      ...cards(c.id, '2025-02-11', 3, authorityWaste('FINISHED_CARD', '1')),
      ...cards(c.id, '2025-02-12', 2, producerWaste('FINISHED_CARD', '1')),
      ...cards(c.id, '2025-03-01', 500, accepted('PREFAB_CARD', '1')),
      ...cards(c.id, '2025-04-01', 800, accepted('FINISHED_CARD', '2')),
      ...cards(c.id, '2025-05-01', 200, accepted('PREFAB_CARD', '2')),
    ];
    const s = buildStatement(input(c, H1, { usage }));
    expect(s.lines.map((l) => [l.item, l.lot, l.count, yuan(l.amount)])).toEqual([
      ['FINISHED_CARD', '1', 1003, '9829.40'], // 1,003 × 9.80
      ['PREFAB_CARD', '1', 500, '4300.00'], // 500 × (9.80 − 1.20)
      ['FINISHED_CARD', '2', 800, '7960.00'], // 800 × 9.95
      ['PREFAB_CARD', '2', 200, '1690.00'], // 200 × (9.95 − 1.50)
    ]);
    expect(s.excluded).toHaveLength(2);
    // 9,829.40 + 4,300.00 + 7,960.00 + 1,690.00 = 23,779.40
    expect(yuan(s.netPayable)).toBe('23779.40');
    expect(s.caps.map((x) => x.scope)).toEqual(['1', '2', 'CONTRACT']);
  });

  it('clamps a lot to what remains of its budget', () => {
    const usage = [...cards(c.id, '2025-02-10', 5, accepted('FINISHED_CARD', '3')), ...cards(c.id, '2025-02-10', 10, accepted('FINISHED_CARD', '1'))];
    const s = buildStatement(input(c, H1, { usage, billedToDate: { total: parseYuan('5499990'), byLot: { '3': parseYuan('5499990') } } }));
    // Lot 3: 5 × 9.90 = 49.50 asked, 5,500,000.00 − 5,499,990.00 = 10.00 left; lot 1: 10 × 9.80 = 98.00.
    expect(s.caps[1]).toMatchObject({ scope: '3', requested: parseYuan('49.50'), allowed: parseYuan('10') });
    expect(yuan(s.billable)).toBe('108.00');
  });
});

describe('any statement', () => {
  const Q1 = { start: '2023-07-20', end: '2023-10-19' };

  it('bills no more than the period asks or the total has left, and nets billable − deductions + additions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 60 }), (n, billed, daysLate) => {
        const s = buildStatement(
          input(SEED_000_PERMITS, Q1, {
            usage: cards(SEED_000_PERMITS.id, '2023-08-01', n, accepted('PERMIT_CARD')),
            penaltyEvidence: [{ kind: 'LATE_BATCH', id: 'late', contractId: SEED_000_PERMITS.id, on: '2023-08-01', batchNo: 'B', daysLate }],
            billedToDate: { total: billed, byLot: {} },
          }),
        );
        return (
          s.gross === n * 1085 &&
          s.billable === Math.min(s.gross, parseYuan('1000000') - billed) &&
          s.deductions === Math.min(daysLate, 50) * parseYuan('1000') &&
          s.netPayable === s.billable - s.deductions + s.additions
        );
      }),
      { numRuns: 60 },
    );
  });

  it('bills a fixed annual fee by the year', () => {
    const withFee: Contract = {
      ...SEED_003_SMS,
      prices: [...SEED_003_SMS.prices, { item: 'PLATFORM_FEE', lot: null, label: '平台年费', unit: 'YEAR', price: { kind: 'PER_UNIT', unitPrice: parseUnitPrice('12000') } }],
    };
    const fee: UsageEvidence = { kind: 'QUANTITY', id: 'fee-2024', contractId: withFee.id, on: '2024-09-01', item: 'PLATFORM_FEE', lot: null, quantity: 1 };
    expect(yuan(buildStatement(input(withFee, { start: '2024-09-01', end: '2025-02-28' }, { usage: [fee] })).netPayable)).toBe('12000.00');
    // A bare quantity of cards would hide producer waste: cards are counted one by one.
    const cardCount: UsageEvidence = { kind: 'QUANTITY', id: 'q', contractId: SEED_000_PERMITS.id, on: '2023-08-01', item: 'PERMIT_CARD', lot: null, quantity: 10 };
    expect(codeOf(() => buildStatement(input(SEED_000_PERMITS, Q1, { usage: [cardCount] })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
  });
});

describe('bad input', () => {
  const c = SEED_000_PERMITS;
  const Q1 = { start: '2023-07-20', end: '2023-10-19' };

  it('refuses a penalty whose evidence is from another contract', () => {
    const foreign: PenaltyEvidence = { kind: 'LATE_BATCH', id: 'late-x', contractId: 'seed-999', on: '2023-09-05', batchNo: 'X', daysLate: 1 };
    expect(codeOf(() => buildStatement(input(c, Q1, { penaltyEvidence: [foreign] })))).toBe('SETTLEMENT_EVIDENCE_OTHER_CONTRACT');
  });

  it('refuses usage of another contract', () => {
    expect(codeOf(() => buildStatement(input(c, Q1, { usage: cards('seed-999', '2023-08-01', 1, accepted('PERMIT_CARD')) })))).toBe('SETTLEMENT_EVIDENCE_OTHER_CONTRACT');
  });

  it('refuses a period outside the term', () => {
    expect(codeOf(() => buildStatement(input(c, { start: '2024-07-20', end: '2024-10-19' })))).toBe('SETTLEMENT_PERIOD_OUTSIDE_TERM');
  });

  it('refuses evidence dated outside the period', () => {
    expect(codeOf(() => buildStatement(input(c, Q1, { usage: cards(c.id, '2023-10-20', 1, accepted('PERMIT_CARD')) })))).toBe('SETTLEMENT_EVIDENCE_OUTSIDE_PERIOD');
    expect(codeOf(() => buildStatement(input(c, Q1, { usage: cards(c.id, '2023-8-1', 1, accepted('PERMIT_CARD')) })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
  });

  it('refuses evidence no rule reads, an item not on the price list, and a card accepted twice', () => {
    const breach: PenaltyEvidence = { kind: 'BREACH', id: 'br', contractId: c.id, on: '2023-09-01', breachKind: 'X', reference: 'R' };
    expect(codeOf(() => buildStatement(input(c, Q1, { penaltyEvidence: [breach] })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
    expect(codeOf(() => buildStatement(input(c, Q1, { usage: cards(c.id, '2023-08-01', 1, accepted('SSCARD')) })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
    const [one] = cards(c.id, '2023-08-01', 1, accepted('PERMIT_CARD'));
    const again = { ...(one as CardEvidence), id: 'another-attempt' };
    expect(codeOf(() => buildStatement(input(c, Q1, { usage: [one as CardEvidence, again] })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
  });

  it('refuses to bill on an invalid contract', () => {
    const broken: Contract = { ...c, prices: [{ ...(c.prices[0] as Contract['prices'][number]), unit: null }] };
    expect(codeOf(() => buildStatement(input(broken, Q1)))).toBe('SETTLEMENT_PRICE_UNIT_MISSING');
  });
});
