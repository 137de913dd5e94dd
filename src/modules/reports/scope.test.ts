import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { periodOf, withoutPersonalData } from './scope.ts';

describe('withoutPersonalData', () => {
  it('drops keys that could carry personal data, also nested, and keeps the rest', () => {
    const out = withoutPersonalData({
      attemptNo: 2,
      batchId: 'b1',
      wasteCause: 'PRODUCER',
      holderName: '张三',
      citizenId: '320412199001011234',
      phone: '13912345678',
      bankAccount: '6222021234567890',
      nested: { residenceAddress: '某路2号', shipmentId: 's1' },
      reasons: ['PHOTO_UNSUITABLE'],
    });
    expect(out).toEqual({ attemptNo: 2, batchId: 'b1', wasteCause: 'PRODUCER', nested: { shipmentId: 's1' }, reasons: ['PHOTO_UNSUITABLE'] });
  });

  it('answers an empty object for no details', () => {
    expect(withoutPersonalData(null)).toEqual({});
  });
});

describe('periodOf', () => {
  const now = new Date('2026-11-21T17:00:00Z'); // 2026-11-22 01:00 in Shanghai

  it('defaults to the last 30 Shanghai days up to today', () => {
    const p = periodOf(undefined, undefined, now);
    expect(p).toMatchObject({ from: '2026-10-24', to: '2026-11-22' });
    expect(p.start.toISOString()).toBe('2026-10-23T16:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });

  it('accepts one day and refuses a reversed, an over-long or an impossible period', () => {
    expect(periodOf('2026-11-01', '2026-11-01', now).from).toBe('2026-11-01');
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof AppError ? err.code : 'other';
      }
      return 'none';
    };
    expect(code(() => periodOf('2026-11-02', '2026-11-01', now))).toBe('REPORT_PERIOD_INVALID');
    expect(code(() => periodOf('2025-01-01', '2026-11-01', now))).toBe('REPORT_PERIOD_INVALID');
    expect(code(() => periodOf('2026-02-29', '2026-03-01', now))).toBe('REPORT_DATE_INVALID');
  });
});
