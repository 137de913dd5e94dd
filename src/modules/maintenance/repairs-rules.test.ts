import { describe, expect, it } from 'vitest';
import { checkRepairDate, normaliseSerials, parseRepairCost, repairShare } from './repairs-rules.ts';

describe('repair cost', () => {
  it('takes yuan with up to two decimals as integer fen', () => {
    expect(parseRepairCost('12345.67')).toEqual({ ok: true, fen: 1234567 });
    expect(parseRepairCost(' 8000 ')).toEqual({ ok: true, fen: 800000 });
    expect(parseRepairCost('0.1')).toEqual({ ok: true, fen: 10 });
    expect(parseRepairCost('0.29')).toEqual({ ok: true, fen: 29 });
  });

  it('refuses zero, negatives, more than two decimals and anything that is not an amount', () => {
    for (const text of ['0', '0.00', '-5', '1.234', '12,345.67', '1e4', '', 'abc', '¥100']) {
      expect(parseRepairCost(text).ok, text).toBe(false);
    }
    expect(parseRepairCost('1.234')).toMatchObject({ reason: expect.stringContaining('2 decimals') });
    expect(parseRepairCost('0')).toMatchObject({ reason: expect.stringContaining('more than 0') });
  });
});

describe('repair date', () => {
  it('lies between the day the ticket was opened and today', () => {
    expect(checkRepairDate('2026-08-14', '2026-08-14', '2026-12-02')).toBeNull();
    expect(checkRepairDate('2026-12-02', '2026-08-14', '2026-12-02')).toBeNull();
    expect(checkRepairDate('2026-12-03', '2026-08-14', '2026-12-02')?.reason).toContain('future');
    expect(checkRepairDate('2026-08-13', '2026-08-14', '2026-12-02')?.reason).toContain('before the ticket');
    expect(checkRepairDate('2026-02-30', '2026-01-01', '2026-12-02')?.reason).toContain('not a YYYY-MM-DD');
  });
});

describe('who bears a repair (seed 002 §3.2(4))', () => {
  it('leaves up to 10,000.00 inclusive with the maintainer and a dearer event wholly with the authority', () => {
    expect(repairShare(800000)).toEqual({ maintainer: 800000, authority: 0 });
    expect(repairShare(1000000)).toEqual({ maintainer: 1000000, authority: 0 });
    expect(repairShare(1000001)).toEqual({ maintainer: 0, authority: 1000001 });
    expect(repairShare(1500000)).toEqual({ maintainer: 0, authority: 1500000 });
  });
});

describe('serial numbers', () => {
  it('are trimmed, blanks dropped, duplicates kept once', () => {
    expect(normaliseSerials([' SN1 ', '', 'SN2', 'SN1'])).toEqual(['SN1', 'SN2']);
  });
});
