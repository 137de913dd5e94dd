import { describe, expect, it } from 'vitest';
import { ASSET_TYPE_CODES, type AssetType } from './ledger.ts';
import { effectiveRatios, ratioProblems, requiredLevel, restockable, stockLines, swapCreatesShortfall, swapProblem, type SwapAsset } from './spares-rules.ts';

describe('required spare level', () => {
  it('is ceil(share × outlets) in integers, as in the reference example (PCs 10 % of 37 outlets = 4)', () => {
    expect(requiredLevel(100, 37)).toBe(4);
    expect(requiredLevel(100, 30)).toBe(3);
    expect(requiredLevel(100, 31)).toBe(4);
    expect(requiredLevel(10, 1)).toBe(1);
    expect(requiredLevel(10, 100)).toBe(1);
    expect(requiredLevel(10, 101)).toBe(2);
    expect(requiredLevel(150, 37)).toBe(6);
    expect(requiredLevel(0, 500)).toBe(0);
    expect(requiredLevel(100, 0)).toBe(0);
  });

  it('holds for every share and outlet count: the smallest whole number not below share × outlets / 1000', () => {
    for (let perMille = 0; perMille <= 1000; perMille += 7) {
      for (const outlets of [0, 1, 9, 37, 100, 999, 1000, 2501]) {
        const n = requiredLevel(perMille, outlets);
        expect(n * 1000).toBeGreaterThanOrEqual(perMille * outlets);
        expect((n - 1) * 1000).toBeLessThan(perMille * outlets);
      }
    }
  });
});

describe('shares', () => {
  it('default to seed 001 table 2 and give way to the contract’s own', () => {
    const seed = effectiveRatios(new Map());
    expect(seed.DESKTOP_PC).toEqual({ perMille: 100, custom: false });
    expect(seed.CARD_READER.perMille).toBe(150);
    expect(seed.FLATBED_PRINTER.perMille).toBe(50);
    expect(seed.CARD_PRINTER.perMille).toBe(10);
    expect(seed.FISCAL_DONGLE.perMille).toBe(0);
    const own = effectiveRatios(new Map<AssetType, number>([['DESKTOP_PC', 200], ['FISCAL_DONGLE', 20]]));
    expect(own.DESKTOP_PC).toEqual({ perMille: 200, custom: true });
    expect(own.FISCAL_DONGLE).toEqual({ perMille: 20, custom: true });
    expect(own.CARD_READER).toEqual({ perMille: 150, custom: false });
  });

  it('must be known types, once each, whole per-mille from 0 to 1000', () => {
    expect(ratioProblems([{ type: 'DESKTOP_PC', perMille: 100 }])).toEqual([]);
    expect(ratioProblems([{ type: 'TOASTER', perMille: 1 }])).toHaveLength(1);
    expect(ratioProblems([{ type: 'SCANNER', perMille: 1 }, { type: 'SCANNER', perMille: 2 }])).toHaveLength(1);
    expect(ratioProblems([{ type: 'SCANNER', perMille: 1001 }])).toHaveLength(1);
    expect(ratioProblems([{ type: 'SCANNER', perMille: 2.5 }])).toHaveLength(1);
    expect(ratioProblems([{ type: 'SCANNER', perMille: -1 }])).toHaveLength(1);
  });
});

describe('stock lines and shortfalls', () => {
  it('list every type with required, stock and shortfall', () => {
    const lines = stockLines(37, effectiveRatios(new Map()), new Map<AssetType, number>([['DESKTOP_PC', 2], ['CARD_READER', 9]]));
    expect(lines.map((l) => l.type)).toEqual(ASSET_TYPE_CODES);
    expect(lines.find((l) => l.type === 'DESKTOP_PC')).toMatchObject({ required: 4, stock: 2, shortfall: 2 });
    expect(lines.find((l) => l.type === 'CARD_READER')).toMatchObject({ required: 6, stock: 9, shortfall: 0 });
    expect(lines.find((l) => l.type === 'FISCAL_DONGLE')).toMatchObject({ required: 0, stock: 0, shortfall: 0 });
  });

  it('a swap creates a shortfall only when it takes the last spare above the line', () => {
    expect(swapCreatesShortfall(3, 3)).toBe(true);
    expect(swapCreatesShortfall(3, 4)).toBe(false);
    expect(swapCreatesShortfall(3, 2)).toBe(false);
    expect(swapCreatesShortfall(0, 1)).toBe(false);
  });
});

describe('a swap', () => {
  const spare: SwapAsset = { id: 's', type: 'CARD_READER', status: 'SPARE', depotId: 'd', contractId: 'c' };
  const faulty: SwapAsset = { id: 'f', type: 'CARD_READER', status: 'IN_SERVICE', depotId: null, contractId: 'c' };

  it('takes a spare in stock for an asset at work of the same type and contract', () => {
    expect(swapProblem(spare, faulty)).toBeNull();
    expect(swapProblem(spare, { ...faulty, status: 'FAULTY' })).toBeNull();
  });

  it('refuses a spare already in service or not at a depot', () => {
    expect(swapProblem({ ...spare, status: 'IN_SERVICE', depotId: null }, faulty)).toBe('SPARE_NOT_IN_STOCK');
    expect(swapProblem({ ...spare, depotId: null }, faulty)).toBe('SPARE_NOT_IN_STOCK');
  });

  it('refuses an asset that is not at work, or the spare itself', () => {
    expect(swapProblem(spare, { ...faulty, status: 'IN_REPAIR', depotId: 'd' })).toBe('SPARE_ASSET_NOT_IN_SERVICE');
    expect(swapProblem(spare, { ...faulty, status: 'RETIRED' })).toBe('SPARE_ASSET_NOT_IN_SERVICE');
    expect(swapProblem(spare, { ...spare })).toBe('SPARE_ASSET_NOT_IN_SERVICE');
  });

  it('refuses a spare of another type or of another contract', () => {
    expect(swapProblem(spare, { ...faulty, type: 'SCANNER' })).toBe('SPARE_TYPE_MISMATCH');
    expect(swapProblem(spare, { ...faulty, contractId: 'other' })).toBe('SPARE_OTHER_CONTRACT');
    expect(swapProblem(spare, { ...faulty, contractId: null })).toBe('SPARE_OTHER_CONTRACT');
  });

  it('stock takes back repaired and faulty assets, never ones in service or retired', () => {
    expect(restockable('IN_REPAIR')).toBe(true);
    expect(restockable('FAULTY')).toBe(true);
    expect(restockable('SPARE')).toBe(true);
    expect(restockable('IN_SERVICE')).toBe(false);
    expect(restockable('RETIRED')).toBe(false);
  });
});
