import { describe, expect, it } from 'vitest';
import type { PenaltyEvidence } from './evidence.ts';
import { parseYuan, percent, perMille, type Rate } from './money.ts';
import { evaluatePenalty, penaltyRulesProblems, usageListDue, type PenaltyContext, type PenaltyRule } from './penalties.ts';
import { SEED_000_PERMITS, SEED_001_MAINTENANCE, SEED_002_OM, SEED_003_SMS } from './seed-contracts.ts';

function ruleOf<K extends PenaltyRule['kind']>(rules: readonly PenaltyRule[], kind: K): Extract<PenaltyRule, { kind: K }> {
  const rule = rules.find((r): r is Extract<PenaltyRule, { kind: K }> => r.kind === kind);
  if (!rule) throw new Error(`no ${kind} rule`);
  return rule;
}

const LATE = ruleOf(SEED_000_PERMITS.penalties, 'LATE_DELIVERY_PER_DAY');
const BREACH = ruleOf(SEED_001_MAINTENANCE.penalties, 'PER_BREACH');
const REPAIR = ruleOf(SEED_002_OM.penalties, 'REPAIR_COST_SPLIT');
const DELIVERY = ruleOf(SEED_003_SMS.penalties, 'DELIVERY_RATE_BELOW');
const USAGE_LIST = ruleOf(SEED_003_SMS.penalties, 'LATE_STATEMENT_PER_DAY');
const FAULT = ruleOf(SEED_003_SMS.penalties, 'FAULT_OVERTIME');

function ctx(over: Partial<PenaltyContext> = {}): PenaltyContext {
  return { contractBase: null, periodAmount: 0, priorCharged: 0, priorBreaches: 0, ...over };
}

const base = { contractId: 'c', on: '2025-01-15' };
const lateBatch = (id: string, daysLate: number): PenaltyEvidence => ({ ...base, id, kind: 'LATE_BATCH', batchNo: `B-${id}`, daysLate });
const breach = (id: string): PenaltyEvidence => ({ ...base, id, kind: 'BREACH', breachKind: 'RESPONSE_LATE', reference: `BR-${id}` });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('LATE_DELIVERY_PER_DAY (seed 000: 1‰ of the contract total per day, at most 5 %)', () => {
  const total = parseYuan('1000000');

  it('charges each late batch its days × 1‰ × 1,000,000.00', () => {
    const r = evaluatePenalty(LATE, [lateBatch('a', 3), lateBatch('b', 2)], ctx({ contractBase: total }));
    // 3 × 1,000.00 + 2 × 1,000.00 = 5,000.00
    expect(r.amount).toBe(parseYuan('5000'));
    expect(r.items).toEqual([
      { evidenceIds: ['a'], amount: parseYuan('3000'), formula: 'B-a: 3 × 0.1% × 1000000.00 = 3000.00' },
      { evidenceIds: ['b'], amount: parseYuan('2000'), formula: 'B-b: 2 × 0.1% × 1000000.00 = 2000.00' },
    ]);
    expect(r.cap).toEqual({ limit: parseYuan('50000'), prior: 0, remaining: parseYuan('50000') });
  });

  it('stops at 5 % of the total over the whole contract', () => {
    const r = evaluatePenalty(LATE, [lateBatch('a', 4)], ctx({ contractBase: total, priorCharged: parseYuan('48000') }));
    expect(r.uncapped).toBe(parseYuan('4000'));
    expect(r.amount).toBe(parseYuan('2000'));
    expect(evaluatePenalty(LATE, [lateBatch('a', 4)], ctx({ contractBase: total, priorCharged: parseYuan('50000') })).amount).toBe(0);
  });

  it('refuses a fractional or negative day count', () => {
    expect(codeOf(() => evaluatePenalty(LATE, [lateBatch('a', 1.5)], ctx({ contractBase: total })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
    expect(codeOf(() => evaluatePenalty(LATE, [lateBatch('a', -1)], ctx({ contractBase: total })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
  });
});

describe('PER_BREACH (seed 001: 1 % of 1,663,800.00 each, termination right after 5, 20 % on termination)', () => {
  const value = parseYuan('1663800');

  it('charges 16,638.00 per breach', () => {
    const r = evaluatePenalty(BREACH, [breach('1'), breach('2'), breach('3')], ctx({ contractBase: value }));
    expect(r.amount).toBe(parseYuan('49914'));
    expect(r.facts).toEqual({ breachCount: 3, terminationAfter: 5, terminationRight: false });
  });

  it('gives the termination right at the fifth breach counted over the contract, and charges 332,760.00 on termination', () => {
    const terminate: PenaltyEvidence = { ...base, id: 't', kind: 'TERMINATION' };
    const r = evaluatePenalty(BREACH, [breach('4'), breach('5'), terminate], ctx({ contractBase: value, priorBreaches: 3 }));
    expect(r.facts.terminationRight).toBe(true);
    // 2 × 16,638.00 + 332,760.00 = 366,036.00
    expect(r.amount).toBe(parseYuan('366036'));
    expect(r.items.at(-1)).toEqual({ evidenceIds: ['t'], amount: parseYuan('332760'), formula: '1 × 20% × 1663800.00 = 332760.00' });
  });

  it('refuses a termination before the threshold', () => {
    const terminate: PenaltyEvidence = { ...base, id: 't', kind: 'TERMINATION' };
    expect(codeOf(() => evaluatePenalty(BREACH, [breach('1'), terminate], ctx({ contractBase: value, priorBreaches: 3 })))).toBe('SETTLEMENT_EVIDENCE_INVALID');
  });
});

describe('DELIVERY_RATE_BELOW (seed 003: under 98 % for the provider\'s reasons deducts 5 % of the period amount)', () => {
  const stats = (delivered: number, failedProviderCause: number, failedOtherCause = 0): PenaltyEvidence => ({ ...base, id: `s${delivered}`, kind: 'SMS_DELIVERY', delivered, failedProviderCause, failedOtherCause });
  const period = ctx({ periodAmount: parseYuan('455.11') });

  it('deducts nothing at exactly 98 %', () => {
    expect(evaluatePenalty(DELIVERY, [stats(9800, 200)], period).amount).toBe(0);
  });

  it('deducts 5 % below it: 455.11 × 5 % = 22.7555 → 22.76', () => {
    const r = evaluatePenalty(DELIVERY, [stats(9799, 201)], period);
    expect(r.amount).toBe(parseYuan('22.76'));
    expect(r.items[0]?.formula).toBe('9799 / 10000 < 98%: 5% × 455.11 = 22.76');
  });

  it('leaves failures that were not the provider\'s out of the rate', () => {
    expect(evaluatePenalty(DELIVERY, [stats(9800, 200, 5000)], period).amount).toBe(0);
  });
});

describe('LATE_STATEMENT_PER_DAY (seed 003: the month\'s list by the 10th of the next; 0.5 % of the period amount per day)', () => {
  const list = (on: string, submittedOn: string, providerCaused = true): PenaltyEvidence => ({ ...base, id: `l${on}`, on, kind: 'USAGE_LIST', submittedOn, providerCaused });
  const period = ctx({ periodAmount: parseYuan('455.11') });

  it('finds the due day in the following month, across the year end', () => {
    expect(usageListDue('2024-10-01', 10)).toBe('2024-11-10');
    expect(usageListDue('2024-12-01', 10)).toBe('2025-01-10');
  });

  it('charges each day after the due day: 2 × 0.5 % × 455.11 = 4.5511 → 4.55', () => {
    expect(evaluatePenalty(USAGE_LIST, [list('2024-10-01', '2024-11-10')], period).amount).toBe(0);
    const r = evaluatePenalty(USAGE_LIST, [list('2024-10-01', '2024-11-12'), list('2024-12-01', '2025-01-11')], period);
    // 4.55 + 2.28 (1 × 0.5 % × 455.11 = 2.27555 → 2.28)
    expect(r.items.map((i) => i.amount)).toEqual([455, 228]);
    expect(r.amount).toBe(683);
  });

  it('does not charge lateness the authority caused', () => {
    expect(evaluatePenalty(USAGE_LIST, [list('2024-10-01', '2024-11-20', false)], period).amount).toBe(0);
  });
});

describe('FAULT_OVERTIME (seed 003: 0.5 %–2 % of the period amount per fault over time)', () => {
  const fault = (id: string, overMinutes: number, assessedRate: Rate | null = null): PenaltyEvidence => ({ ...base, id, kind: 'FAULT_OVERTIME', ticketNo: `T-${id}`, overMinutes, assessedRate });
  const period = ctx({ periodAmount: parseYuan('1000') });

  it('takes the tier the overtime reached, or the authority\'s assessed rate within the range', () => {
    const r = evaluatePenalty(FAULT, [fault('a', 30), fault('b', 75), fault('c', 300), fault('d', 30, percent('1.5'))], period);
    expect(r.items.map((i) => i.amount)).toEqual([parseYuan('5'), parseYuan('10'), parseYuan('20'), parseYuan('15')]);
  });

  it('refuses an assessed rate outside 0.5 %–2 %', () => {
    expect(codeOf(() => evaluatePenalty(FAULT, [fault('a', 30, percent(3))], period))).toBe('SETTLEMENT_EVIDENCE_INVALID');
  });
});

describe('REPAIR_COST_SPLIT (seed 002: up to 10,000.00 per event the supplier\'s, above it the authority\'s)', () => {
  const repair = (id: string, cost: string): PenaltyEvidence => ({ ...base, id, kind: 'REPAIR', ticketNo: `T-${id}`, cost: parseYuan(cost) });

  it('adds the dearer events in full to the payment, the threshold itself staying with the supplier', () => {
    const r = evaluatePenalty(REPAIR, [repair('a', '8000'), repair('b', '10000.00'), repair('c', '10000.01')], ctx());
    expect(r.effect).toBe('ADDITION');
    expect(r.items.map((i) => i.amount)).toEqual([0, 0, parseYuan('10000.01')]);
    expect(r.items[1]?.formula).toBe('T-b: 10000.00 ≤ 10000.00 → supplier');
  });
});

describe('rule validation', () => {
  it('refuses tiers outside the range, a due day past the 28th, rates over 100 % and a second rule of a kind', () => {
    const problems = penaltyRulesProblems(
      [
        { ...FAULT, tiers: [{ fromMinutes: 1, rate: percent(3) }] },
        { ...USAGE_LIST, dueDay: 31 },
        { id: 'x', kind: 'DELIVERY_RATE_BELOW', threshold: percent(101), deduction: percent(5) },
        { ...LATE, id: 'late-2', perDay: perMille(1) },
        { ...LATE, id: 'late-3' },
      ],
      true,
    );
    expect(problems.map((p) => p.params.reason)).toEqual([
      'tier 1 is outside 0.5%–2%',
      'the due day must be 1 to 28',
      'threshold is more than 100%',
      'the contract already has a LATE_DELIVERY_PER_DAY rule',
    ]);
  });

  it('refuses a malformed rate', () => {
    expect(penaltyRulesProblems([{ ...DELIVERY, deduction: { num: 1, den: 0 } }], false)).toEqual([{ code: 'SETTLEMENT_RATE_INVALID', params: { rate: '1/0' } }]);
  });
});
