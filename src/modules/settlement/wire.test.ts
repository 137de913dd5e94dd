import { describe, expect, it } from 'vitest';
import { SEED_CONTRACTS } from './seed-contracts.ts';
import { termsFromWire, termsToWire } from './wire.ts';

describe('the contract as the API writes it', () => {
  it('turns every seed contract into text and back without losing a fen or a fraction', () => {
    for (const c of SEED_CONTRACTS) {
      const wire = termsToWire(c);
      expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
      expect(termsFromWire(wire)).toEqual({ term: c.term, cycle: c.cycle, value: c.value, lotCaps: c.lotCaps, prices: c.prices, penalties: c.penalties });
    }
  });

  it('writes money and rates as the contracts do', () => {
    const [seed000] = SEED_CONTRACTS;
    const wire = termsToWire(seed000!);
    expect(wire.value).toEqual({ kind: 'CAP', cap: '1000000.00' });
    expect(wire.prices[0]!.price).toEqual({ kind: 'PER_UNIT', unitPrice: '10.85', ceiling: null });
    expect(wire.penaltyRules[0]).toEqual({ id: 'late-delivery', kind: 'LATE_DELIVERY_PER_DAY', perDay: '0.1%', cap: '5%' });
  });
});
