import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  addMonths,
  assertValidContract,
  billingPeriods,
  contractProblems,
  contractYearStarts,
  periodProblems,
  termEnd,
  termOverlapProblems,
  unitPriceOf,
  type Contract,
  type PriceEntry,
} from './contract-rules.ts';
import { parseUnitPrice, percent } from './money.ts';
import { SEED_000_PERMITS, SEED_001_MAINTENANCE, SEED_002_OM, SEED_003_SMS, SEED_004_SSCARDS, SEED_CONTRACTS } from './seed-contracts.ts';

function codes(contract: Contract): string[] {
  return contractProblems(contract).map((p) => p.code);
}

function reasons(contract: Contract): string {
  return contractProblems(contract)
    .map((p) => String(p.params.reason ?? p.params.item ?? ''))
    .join(' | ');
}

const renewed = (taken: number): Contract => ({ ...SEED_000_PERMITS, term: { ...SEED_000_PERMITS.term, renewal: { lengthMonths: 12, max: 2, taken } } });

describe('the seed contracts', () => {
  it('are all valid', () => {
    for (const c of SEED_CONTRACTS) expect(contractProblems(c), c.id).toEqual([]);
  });

  it('price a prefabricated card as the finished card of its lot less the personalisation fee (seed 004)', () => {
    const prefab = (lot: string) => SEED_004_SSCARDS.prices.find((p) => p.item === 'PREFAB_CARD' && p.lot === lot) as PriceEntry;
    expect(unitPriceOf(SEED_004_SSCARDS, prefab('1'))).toBe(parseUnitPrice('8.60'));
    expect(unitPriceOf(SEED_004_SSCARDS, prefab('2'))).toBe(parseUnitPrice('8.45'));
  });
});

describe('terms and billing periods', () => {
  it('adds months clamping the day to the month end', () => {
    expect(addMonths('2023-07-20', 3)).toBe('2023-10-20');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonths('2024-12-15', 1)).toBe('2025-01-15');
  });

  it('extends the term by the renewals taken, and only those (seed 000: at most two)', () => {
    expect(termEnd(SEED_000_PERMITS.term)).toBe('2024-07-19');
    expect(termEnd(renewed(1).term)).toBe('2025-07-19');
    expect(termEnd(renewed(2).term)).toBe('2026-07-19');
  });

  it('puts an annual fee in the period holding each contract year start, renewals taken included', () => {
    const term = SEED_000_PERMITS.term;
    expect(contractYearStarts(term, { start: '2023-07-20', end: '2023-10-19' })).toEqual(['2023-07-20']);
    expect(contractYearStarts(term, { start: '2023-10-20', end: '2024-07-19' })).toEqual([]);
    // The original term has no second year; one renewal taken adds it, two add the third.
    expect(contractYearStarts(term, { start: '2024-07-20', end: '2024-10-19' })).toEqual([]);
    expect(contractYearStarts(renewed(1).term, { start: '2024-07-20', end: '2024-10-19' })).toEqual(['2024-07-20']);
    expect(contractYearStarts(renewed(2).term, { start: '2023-07-20', end: '2026-07-19' })).toEqual(['2023-07-20', '2024-07-20', '2025-07-20']);
  });

  it('cuts quarters from the term start, the last one stopping at the term end (seed 000)', () => {
    expect(billingPeriods(SEED_000_PERMITS)).toEqual([
      { index: 0, start: '2023-07-20', end: '2023-10-19' },
      { index: 1, start: '2023-10-20', end: '2024-01-19' },
      { index: 2, start: '2024-01-20', end: '2024-04-19' },
      { index: 3, start: '2024-04-20', end: '2024-07-19' },
    ]);
    const all = billingPeriods(renewed(2));
    expect(all).toHaveLength(12);
    expect(all.at(-1)).toEqual({ index: 11, start: '2026-04-20', end: '2026-07-19' });
  });

  it('cuts half years for SMS (seed 003) and stops a short last period at the term end', () => {
    const periods = billingPeriods(SEED_003_SMS);
    expect(periods).toHaveLength(6);
    expect(periods[0]).toEqual({ index: 0, start: '2024-09-01', end: '2025-02-28' });
    expect(periods[5]).toEqual({ index: 5, start: '2027-03-01', end: '2027-08-31' });
    const short = billingPeriods({ ...SEED_003_SMS, term: { start: '2024-09-01', end: '2025-04-15', renewal: null } });
    expect(short.map((p) => p.end)).toEqual(['2025-02-28', '2025-04-15']);
  });

  it('gives milestone contracts one period per due date, the last running to the term end (seeds 001, 002)', () => {
    expect(billingPeriods(SEED_002_OM)).toEqual([
      { index: 0, start: '2026-05-29', end: '2026-06-13' },
      { index: 1, start: '2026-06-14', end: '2027-05-28' },
    ]);
    expect(billingPeriods(SEED_001_MAINTENANCE)).toEqual([
      { index: 0, start: '2025-09-01', end: '2025-09-30' },
      { index: 1, start: '2025-10-01', end: '2026-08-31' },
    ]);
  });
});

describe('bad input', () => {
  it('refuses a price rule without a unit', () => {
    const c: Contract = { ...SEED_000_PERMITS, prices: [{ ...(SEED_000_PERMITS.prices[0] as PriceEntry), unit: null }] };
    expect(contractProblems(c)).toEqual([{ code: 'SETTLEMENT_PRICE_UNIT_MISSING', params: { item: 'PERMIT_CARD' } }]);
    try {
      assertValidContract(c);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('SETTLEMENT_PRICE_UNIT_MISSING');
      expect((e as AppError).details).toEqual({ problems: contractProblems(c) });
    }
  });

  it('refuses overlapping terms for the same service and supplier, renewals included', () => {
    const next: Contract = { ...SEED_000_PERMITS, id: 'seed-000-next', contractNo: '常采单[2025]0001', term: { start: '2025-01-01', end: '2025-12-31', renewal: null } };
    expect(termOverlapProblems(next, [SEED_000_PERMITS])).toEqual([]);
    expect(termOverlapProblems(next, [renewed(1)])).toEqual([
      { code: 'SETTLEMENT_TERM_OVERLAP', params: { otherContract: '常采单[2023]0023', start: '2023-07-20', end: '2025-07-19' } },
    ]);
    expect(() => assertValidContract(next, [renewed(1)])).toThrow(expect.objectContaining({ code: 'SETTLEMENT_TERM_OVERLAP' }));
    // Another supplier, or another service of the same supplier, may overlap.
    expect(termOverlapProblems({ ...next, supplierOrgId: 'org-other' }, [renewed(1)])).toEqual([]);
    expect(termOverlapProblems({ ...next, serviceKind: 'SMS' }, [renewed(1)])).toEqual([]);
    // A contract never overlaps itself (editing it).
    expect(termOverlapProblems(renewed(1), [renewed(1)])).toEqual([]);
  });

  it('refuses a period outside the term, and accepts one inside a renewal taken', () => {
    const renewalQuarter = { start: '2024-07-20', end: '2024-10-19' };
    expect(periodProblems(SEED_000_PERMITS, renewalQuarter)).toEqual([
      { code: 'SETTLEMENT_PERIOD_OUTSIDE_TERM', params: { start: '2024-07-20', end: '2024-10-19', termStart: '2023-07-20', termEnd: '2024-07-19' } },
    ]);
    expect(periodProblems(renewed(1), renewalQuarter)).toEqual([]);
    expect(periodProblems(SEED_000_PERMITS, { start: '2023-07-19', end: '2023-10-19' })[0]?.code).toBe('SETTLEMENT_PERIOD_OUTSIDE_TERM');
    expect(periodProblems(SEED_000_PERMITS, { start: '2023-10-19', end: '2023-07-20' })[0]?.code).toBe('SETTLEMENT_CONTRACT_INVALID');
  });

  it('refuses more renewals than allowed and a term that ends before it starts', () => {
    expect(reasons(renewed(3))).toContain('3 renewals taken but the contract allows 2');
    expect(reasons({ ...SEED_003_SMS, term: { start: '2027-01-01', end: '2026-12-31', renewal: null } })).toContain('ends (2026-12-31) before it starts');
  });

  it('refuses a finished card above the 10 CNY ceiling and a prefabricated card priced at nothing (seed 004)', () => {
    const [finished, prefab, ...rest] = SEED_004_SSCARDS.prices as [PriceEntry, PriceEntry, ...PriceEntry[]];
    const dear: Contract = { ...SEED_004_SSCARDS, prices: [{ ...finished, price: { kind: 'PER_UNIT', unitPrice: parseUnitPrice('10.01'), ceiling: parseUnitPrice('10') } }, prefab, ...rest] };
    expect(reasons(dear)).toContain('FINISHED_CARD（1） is above its ceiling');
    const free: Contract = { ...SEED_004_SSCARDS, prices: [finished, { ...prefab, price: { kind: 'LESS_THAN_ITEM', item: 'FINISHED_CARD', less: parseUnitPrice('9.80') } }, ...rest] };
    expect(reasons(free)).toContain('PREFAB_CARD（1） must cost more than nothing');
    const orphan: Contract = { ...SEED_004_SSCARDS, prices: [prefab, ...rest] };
    expect(reasons(orphan)).toContain('priced from FINISHED_CARD, which has no unit price in the same lot');
  });

  it('refuses milestone shares that do not add up to 100 % and a lot budget without prices', () => {
    const [signing, final] = SEED_001_MAINTENANCE.prices as [PriceEntry, PriceEntry];
    const short: Contract = { ...SEED_001_MAINTENANCE, prices: [signing, { ...final, price: { kind: 'SHARE_OF_TOTAL', share: percent(40), dueOn: '2025-10-31' } }] };
    expect(reasons(short)).toContain('must add up to 100%');
    expect(reasons({ ...SEED_004_SSCARDS, lotCaps: { ...SEED_004_SSCARDS.lotCaps, '4': 100 } })).toContain('lot 4 has a budget but no prices');
  });

  it('refuses a rule taken of the contract value on a contract that has none', () => {
    const open: Contract = { ...SEED_000_PERMITS, value: { kind: 'OPEN' } };
    expect(codes(open)).toEqual(['SETTLEMENT_PENALTY_RULE_INVALID']);
  });

  it('refuses the same party on both sides', () => {
    expect(reasons({ ...SEED_003_SMS, supplierOrgId: SEED_003_SMS.authorityOrgId })).toContain('must be different organisations');
  });
});
