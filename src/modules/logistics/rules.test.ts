import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyScan, classifyScans, maskCardNo, normaliseChipUid, normaliseScannedCardNo, planReceipt, readScanLines, receiptSummary, scanFileLines, shipmentNumber, tempLossUntil, TEMP_LOSS_DAYS, type ScanRecord } from './rules.ts';

describe('normaliseScannedCardNo', () => {
  it('reads what a barcode scanner or a clerk types', () => {
    expect(normaliseScannedCardNo(' a12345678\r\n')).toBe('A12345678');
    expect(normaliseScannedCardNo('\tB00000001')).toBe('B00000001');
    expect(normaliseScannedCardNo('A1234')).toBeNull();
    expect(normaliseScannedCardNo('A123-45678')).toBeNull();
    expect(normaliseScannedCardNo('')).toBeNull();
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = normaliseScannedCardNo(s);
        if (once !== null) expect(normaliseScannedCardNo(once)).toBe(once);
      }),
    );
  });
});

describe('normaliseChipUid', () => {
  it('drops separators and wants whole bytes', () => {
    expect(normaliseChipUid('04:aa:bb:cc')).toBe('04AABBCC');
    expect(normaliseChipUid('04AABBC')).toBeNull();
    expect(normaliseChipUid('XYZ12345')).toBeNull();
  });
});

describe('classifyScan and receiptSummary', () => {
  const manifest = new Set(['A00000001', 'A00000002', 'A00000003']);

  it('matched first, duplicate after, unexpected for strangers', () => {
    const scans: ScanRecord[] = [];
    const add = (cardNo: string, damaged = false) => {
      const result = classifyScan(manifest, scans, cardNo);
      scans.push({ cardNo, result, damaged: result === 'MATCHED' && damaged });
      return result;
    };
    expect(add('A00000001')).toBe('MATCHED');
    expect(add('A00000001')).toBe('DUPLICATE');
    expect(add('Z00000009')).toBe('UNEXPECTED');
    expect(add('Z00000009')).toBe('DUPLICATE');
    expect(add('A00000002', true)).toBe('MATCHED');
    expect(receiptSummary(3, scans)).toEqual({ expected: 3, matched: 2, missing: 1, unexpected: 1, duplicates: 2, damaged: 1 });
  });

  it('never counts more matched cards than the manifest has', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A00000001', 'A00000002', 'A00000003', 'Z00000001', 'Z00000002'), { maxLength: 40 }), (typed) => {
        const scans: ScanRecord[] = [];
        for (const no of typed) scans.push({ cardNo: no, result: classifyScan(manifest, scans, no), damaged: false });
        const s = receiptSummary(manifest.size, scans);
        expect(s.matched + s.missing).toBe(3);
        expect(s.matched).toBeLessThanOrEqual(3);
        expect(s.unexpected).toBeLessThanOrEqual(2);
        expect(s.matched + s.unexpected + s.duplicates).toBe(typed.length);
      }),
    );
  });
});

describe('planReceipt', () => {
  it('splits the manifest into received, damaged and missing; lists unexpected numbers once', () => {
    const manifest = [{ cardNo: 'A1' }, { cardNo: 'A2' }, { cardNo: 'A3' }];
    const plan = planReceipt(manifest, [
      { cardNo: 'A1', result: 'MATCHED', damaged: false },
      { cardNo: 'A2', result: 'MATCHED', damaged: true },
      { cardNo: 'A1', result: 'DUPLICATE', damaged: false },
      { cardNo: 'Z9', result: 'UNEXPECTED', damaged: false },
      { cardNo: 'Z9', result: 'DUPLICATE', damaged: false },
    ]);
    expect(plan.received.map((c) => c.cardNo)).toEqual(['A1']);
    expect(plan.damaged.map((c) => c.cardNo)).toEqual(['A2']);
    expect(plan.missing.map((c) => c.cardNo)).toEqual(['A3']);
    expect(plan.unexpected).toEqual(['Z9']);
  });
});

describe('small rules', () => {
  it('temporary loss lasts 15 days unless told otherwise', () => {
    const at = new Date('2026-03-01T02:00:00Z');
    expect(TEMP_LOSS_DAYS).toBe(15);
    expect(tempLossUntil(at).toISOString()).toBe('2026-03-16T02:00:00.000Z');
    expect(tempLossUntil(at, 30).toISOString()).toBe('2026-03-31T02:00:00.000Z');
  });

  it('masks card numbers to the last four', () => {
    expect(maskCardNo('A12345678')).toBe('*****5678');
  });

  it('numbers shipments by the Shanghai date', () => {
    expect(shipmentNumber(new Date('2026-03-01T17:00:00Z'), 12)).toBe('SH-20260302-000012');
  });
});

describe('classifyScans', () => {
  it('classifies a batch exactly as the same scans one by one would', () => {
    const no = fc.constantFrom('A00000001', 'A00000002', 'A00000003', 'B00000001', 'B00000002');
    fc.assert(
      fc.property(fc.array(no, { maxLength: 8 }), fc.array(no, { maxLength: 30 }), fc.array(no, { maxLength: 4 }), (earlier, batch, manifestNos) => {
        const manifest = new Set(manifestNos);
        // The scans already recorded, made one by one.
        const previous: ScanRecord[] = [];
        for (const n of earlier) previous.push({ cardNo: n, result: classifyScan(manifest, previous, n), damaged: false });
        const oneByOne: ScanRecord[] = [...previous];
        for (const n of batch) oneByOne.push({ cardNo: n, result: classifyScan(manifest, oneByOne, n), damaged: false });
        const bulk = classifyScans(
          manifest,
          previous.map((p) => p.cardNo),
          batch,
        );
        expect(bulk).toEqual(oneByOne.slice(previous.length).map((s) => s.result));
      }),
    );
  });
});

describe('scan files', () => {
  it('reads one card number per line, skipping blank lines of a file and listing the rest', () => {
    const lines = scanFileLines('\uFEFFa00000001\r\n\r\n A00000002 \nnot-a-card\rB00000003\n');
    expect(lines).toEqual(['a00000001', '', ' A00000002 ', 'not-a-card', 'B00000003', '']);
    expect(readScanLines(lines, true)).toEqual({ cardNos: ['A00000001', 'A00000002', 'B00000003'], invalid: [{ line: 4, text: 'not-a-card' }] });
  });

  it('counts a blank entry of a JSON list as invalid', () => {
    expect(readScanLines(['A00000001', ' '], false).invalid).toEqual([{ line: 2, text: '' }]);
  });
});
