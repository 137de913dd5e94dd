import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  allocateByRates,
  applyRate,
  basisPoints,
  formatRate,
  formatUnitPrice,
  formatYuan,
  lineAmount,
  parseRate,
  parseUnitPrice,
  parseYuan,
  percent,
  perMille,
  ratioBelow,
  roundHalfAwayFromZero,
} from './money.ts';

const safeFen = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('parsing and formatting yuan', () => {
  it('reads yuan text into fen without floating point', () => {
    expect(parseYuan('10.85')).toBe(1085);
    expect(parseYuan('0.07')).toBe(7);
    expect(parseYuan('1000000')).toBe(100_000_000);
    expect(parseYuan('6015320.00')).toBe(601_532_000);
    expect(parseYuan('-3.5')).toBe(-350);
    // 0.1 + 0.2 style errors cannot happen: 1.15 is exactly 115 fen (1.15 * 100 is 114.99999999999999 in floats).
    expect(parseYuan('1.15')).toBe(115);
  });

  it('refuses text that is not an amount with at most two decimals', () => {
    for (const bad of ['1.234', 'abc', '1e3', '', '1,000.00', '.5', '10.', '99999999999999999999']) expect(codeOf(() => parseYuan(bad))).toBe('SETTLEMENT_MONEY_INVALID');
  });

  it('writes exactly two decimals, with thousands separators on request', () => {
    expect(formatYuan(1085)).toBe('10.85');
    expect(formatYuan(7)).toBe('0.07');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(-350)).toBe('-3.50');
    expect(formatYuan(20_060_565, { grouping: true })).toBe('200,605.65');
    expect(codeOf(() => formatYuan(0.5))).toBe('SETTLEMENT_MONEY_INVALID');
  });

  it('round-trips every safe amount: parse(format(fen)) = fen', () => {
    fc.assert(fc.property(safeFen, (fen) => parseYuan(formatYuan(fen)) === fen));
  });

  it('round-trips every yuan text with two decimals: format(parse(text)) = text', () => {
    const text = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 90_000_000_000_000n }), fc.integer({ min: 0, max: 99 })).map(([neg, whole, cents]) => {
      const body = `${whole}.${String(cents).padStart(2, '0')}`;
      return neg && (whole > 0n || cents > 0) ? `-${body}` : body;
    });
    fc.assert(fc.property(text, (t) => formatYuan(parseYuan(t)) === t));
  });

  it('reads unit prices to five decimals of a yuan (milli-fen) and writes them back', () => {
    expect(parseUnitPrice('0.035')).toBe(3500);
    expect(parseUnitPrice('10.85')).toBe(1_085_000);
    expect(formatUnitPrice(3500)).toBe('0.035');
    expect(formatUnitPrice(1_085_000)).toBe('10.85');
    expect(formatUnitPrice(1_000_000)).toBe('10.00');
    expect(codeOf(() => parseUnitPrice('0.000001'))).toBe('SETTLEMENT_MONEY_INVALID');
    expect(codeOf(() => parseUnitPrice('-1'))).toBe('SETTLEMENT_MONEY_INVALID');
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (m) => parseUnitPrice(formatUnitPrice(m)) === m));
  });
});

describe('the rounding rule: once per line, half away from zero', () => {
  it('rounds a half fen up and less than half down', () => {
    expect(lineAmount(1, 500)).toBe(1); // 0.5 fen
    expect(lineAmount(1, 499)).toBe(0);
    expect(lineAmount(13_003, 3500)).toBe(45_511); // 455.105 CNY → 455.11
    expect(lineAmount(18_489, 1_085_000)).toBe(20_060_565); // 200,605.65 CNY
    expect(roundHalfAwayFromZero(-5n, 10n)).toBe(-1n);
    expect(roundHalfAwayFromZero(-4n, 10n)).toBe(0n);
  });

  it('is the nearest fen for any count and price, ties going up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (count, price) => {
        const exact = BigInt(count) * BigInt(price); // milli-fen
        const fen = BigInt(lineAmount(count, price));
        const diff = exact - fen * 1000n; // what rounding dropped, in milli-fen
        return diff > -500n && diff < 500n ? true : diff === -500n;
      }),
    );
  });
});

describe('rates', () => {
  it('are exact rationals in lowest terms, written as %, ‰ or bp', () => {
    expect(percent('0.5')).toEqual({ num: 1, den: 200 });
    expect(perMille(1)).toEqual({ num: 1, den: 1000 });
    expect(basisPoints(25)).toEqual({ num: 1, den: 400 });
    expect(parseRate('5%')).toEqual({ num: 1, den: 20 });
    expect(parseRate('1‰')).toEqual(perMille(1));
    expect(parseRate('25bp')).toEqual(percent('0.25'));
    for (const bad of ['5', '-1%', 'x%', '1.2.3%']) expect(codeOf(() => parseRate(bad))).toBe('SETTLEMENT_RATE_INVALID');
  });

  it('apply to a base with the same rounding rule', () => {
    expect(applyRate(parseYuan('1000000'), perMille(1), 3)).toBe(300_000); // 3 days × 1‰ × 1,000,000.00 = 3,000.00
    expect(applyRate(parseYuan('1000000'), percent(5))).toBe(5_000_000);
    expect(applyRate(parseYuan('455.11'), percent(5))).toBe(2276); // 22.7555 → 22.76
    expect(applyRate(parseYuan('455.11'), percent('0.5'), 2)).toBe(455); // 4.5511 → 4.55
  });

  it('compare a ratio exactly, without dividing', () => {
    expect(ratioBelow(9800, 10_000, percent(98))).toBe(false);
    expect(ratioBelow(9799, 10_000, percent(98))).toBe(true);
    expect(ratioBelow(0, 0, percent(98))).toBe(false);
  });

  it('print as percentages for explanations', () => {
    expect(formatRate(perMille(1))).toBe('0.1%');
    expect(formatRate(percent(20))).toBe('20%');
    expect(formatRate(percent('0.5'))).toBe('0.5%');
    expect(formatRate({ num: 1, den: 3 })).toBe('1/3');
  });
});

describe('allocation', () => {
  it('splits a total so the parts add up to it exactly', () => {
    expect(allocate(601_532_000, [1, 1])).toEqual([300_766_000, 300_766_000]);
    expect(allocate(10_000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
    expect(allocate(100, [0, 3])).toEqual([0, 100]);
    expect(allocateByRates(166_380_000, [percent(30), percent('33.3'), percent('36.7')])).toEqual([49_914_000, 55_404_540, 61_061_460]);
    expect(codeOf(() => allocate(100, [0, 0]))).toBe('SETTLEMENT_MONEY_INVALID');
  });

  it('always sums to the total and gives each part within a fen of its exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }), (total, weights) => {
        fc.pre(weights.some((w) => w > 0));
        const parts = allocate(total, weights);
        const sum = weights.reduce((a, b) => a + b, 0);
        const exactOk = parts.every((p, i) => {
          const exact = BigInt(total) * BigInt(weights[i] ?? 0);
          const scaled = BigInt(p) * BigInt(sum);
          return scaled - exact < BigInt(sum) && exact - scaled < BigInt(sum);
        });
        return parts.reduce((a, b) => a + b, 0) === total && exactOk;
      }),
    );
  });
});

describe('no floating point in the settlement module', () => {
  it('has no float helpers in its source', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThanOrEqual(6);
    for (const f of sources) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      expect(text, f).not.toMatch(/parseFloat|toFixed|toPrecision|Math\.(round|ceil|floor|trunc)|Number\.EPSILON/);
    }
  });
});
