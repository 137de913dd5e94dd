import { describe, expect, it } from 'vitest';
import { isOptOut, messageOutcome, type SegmentReceipt } from './receipt-rules.ts';

const r = (id: string, status: SegmentReceipt['status'], second: number, stat = status === 'DELIVERED' ? 'DELIVRD' : 'UNDELIV'): SegmentReceipt => ({
  smscMessageId: id,
  status,
  stat,
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
});

describe('messageOutcome', () => {
  it('is undecided while a segment has no receipt', () => {
    expect(messageOutcome(['a', 'b', 'c'], [r('a', 'DELIVERED', 1), r('c', 'DELIVERED', 2)])).toBeNull();
    expect(messageOutcome([], [r('a', 'DELIVERED', 1)])).toBeNull();
  });

  it('is delivered when every segment is, at the last receipt', () => {
    expect(messageOutcome(['a', 'b'], [r('b', 'DELIVERED', 5), r('a', 'DELIVERED', 3)])).toEqual({ status: 'DELIVERED', at: r('b', 'DELIVERED', 5).receivedAt, stat: null });
  });

  it('fails at the first failed or expired segment, with its stat', () => {
    expect(messageOutcome(['a', 'b', 'c'], [r('a', 'DELIVERED', 1), r('b', 'FAILED', 2, 'MBBLACK')])).toEqual({ status: 'FAILED', at: r('b', 'FAILED', 2).receivedAt, stat: 'MBBLACK' });
    expect(messageOutcome(['a'], [r('a', 'EXPIRED', 4, 'EXPIRED')])?.status).toBe('EXPIRED');
  });

  it('ignores receipts of other ids and repeated receipts of a segment', () => {
    expect(messageOutcome(['a', 'b'], [r('a', 'DELIVERED', 1), r('a', 'DELIVERED', 2), r('z', 'DELIVERED', 3)])).toBeNull();
    // The first receipt of a segment counts; a later contradicting copy does not.
    expect(messageOutcome(['a'], [r('a', 'FAILED', 9), r('a', 'DELIVERED', 1)])?.status).toBe('DELIVERED');
  });
});

describe('isOptOut', () => {
  it.each(['退订', 'T', 't', 'TD', 'Td', 'R', 'Ｔ', 'Ｒ', ' T ', 'T。', '回T退订', '我要退订', '拒收'])('%j opts out', (text) => {
    expect(isOptOut(text)).toBe(true);
  });

  it.each(['收到', 'OK', 'Thanks', 'TT', '好的，谢谢', ''])('%j does not', (text) => {
    expect(isOptOut(text)).toBe(false);
  });
});
