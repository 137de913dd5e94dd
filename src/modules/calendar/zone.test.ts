import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  addDaysToDate,
  formatShanghai,
  isValidDate,
  shanghaiDate,
  shanghaiInstant,
  shanghaiMinuteOfDay,
  weekdayOf,
  yearOf,
} from './zone.ts';

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

// An independent oracle: ICU's tz database, asked explicitly for Asia/Shanghai.
const icu = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function icuShanghai(instant: Date): string {
  const parts = Object.fromEntries(icu.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

describe('shanghaiDate / shanghaiMinuteOfDay', () => {
  it('files an early-morning Beijing instant under its Shanghai date, whatever the host zone', () => {
    const instant = new Date('2025-09-30T23:30:00Z'); // 2025-10-01 07:30 in Shanghai
    expect(shanghaiDate(instant)).toBe('2025-10-01');
    expect(shanghaiMinuteOfDay(instant)).toBe(7 * 60 + 30);
  });

  it('switches date exactly at Shanghai midnight (16:00 UTC)', () => {
    expect(shanghaiDate(new Date('2025-09-30T15:59:59.999Z'))).toBe('2025-09-30');
    expect(shanghaiMinuteOfDay(new Date('2025-09-30T15:59:59.999Z'))).toBe(1439);
    expect(shanghaiDate(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10-01');
    expect(shanghaiMinuteOfDay(new Date('2025-09-30T16:00:00Z'))).toBe(0);
  });

  it('handles instants before 1970', () => {
    expect(shanghaiDate(new Date('1969-12-31T16:30:00Z'))).toBe('1970-01-01');
    expect(shanghaiMinuteOfDay(new Date('1969-12-31T16:30:00Z'))).toBe(30);
  });

  it('rejects an invalid Date', () => {
    expect(appErrorOf(() => shanghaiDate(new Date('nope'))).code).toBe('VALIDATION_FAILED');
  });

  it('agrees with the ICU time-zone database for any instant since 1992', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(formatShanghai(new Date(ms))).toBe(icuShanghai(new Date(ms)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('shanghaiInstant', () => {
  it('builds the UTC instant of a Shanghai wall-clock time', () => {
    expect(shanghaiInstant('2025-10-01', 7 * 60 + 30).toISOString()).toBe('2025-09-30T23:30:00.000Z');
    expect(shanghaiInstant('2025-10-09', 0).toISOString()).toBe('2025-10-08T16:00:00.000Z');
  });

  it('accepts 1440 as the next midnight so a 24:00 closing has an instant', () => {
    expect(shanghaiInstant('2025-12-31', 1440).getTime()).toBe(shanghaiInstant('2026-01-01', 0).getTime());
  });

  it('rejects minutes outside 0–1440, fractions and impossible dates', () => {
    for (const minute of [-1, 1441, 1.5]) {
      expect(appErrorOf(() => shanghaiInstant('2025-10-09', minute)).code).toBe('VALIDATION_FAILED');
    }
    expect(appErrorOf(() => shanghaiInstant('2025-02-29', 0)).code).toBe('VALIDATION_FAILED');
  });

  it('inverts shanghaiDate + shanghaiMinuteOfDay (to the minute)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const instant = new Date(ms);
        const rebuilt = shanghaiInstant(shanghaiDate(instant), shanghaiMinuteOfDay(instant));
        expect(rebuilt.getTime()).toBe(ms - (ms % 60_000));
      }),
    );
  });
});

describe('date strings', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    for (const good of ['2025-01-01', '2024-02-29', '2000-02-29', '2025-12-31']) expect(isValidDate(good)).toBe(true);
    for (const bad of ['2025-02-29', '1900-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-1-01', '2025-01-01T00:00', '', '0000-01-01']) {
      expect(isValidDate(bad)).toBe(false);
    }
    expect(appErrorOf(() => weekdayOf('2025-02-29')).params).toMatchObject({ reason: expect.stringContaining('2025-02-29') });
    expect(appErrorOf(() => yearOf('2025-9-1')).code).toBe('VALIDATION_FAILED');
  });

  it('adds days across month, leap-day and year ends', () => {
    expect(addDaysToDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysToDate('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDaysToDate('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDaysToDate('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDaysToDate('2025-09-30', 0)).toBe('2025-09-30');
    expect(appErrorOf(() => addDaysToDate('2025-09-30', 0.5)).code).toBe('VALIDATION_FAILED');
  });

  it('round-trips addDaysToDate and keeps the weekday every 7 days', () => {
    const dates = fc.integer({ min: 0, max: 365 * 200 }).map((n) => addDaysToDate('1950-01-01', n));
    fc.assert(
      fc.property(dates, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        expect(addDaysToDate(addDaysToDate(date, n), -n)).toBe(date);
        expect(weekdayOf(addDaysToDate(date, 7 * n))).toBe(weekdayOf(date));
      }),
    );
  });

  it('gives the weekday of a date with 0 = Sunday', () => {
    expect(weekdayOf('2025-09-28')).toBe(0); // make-up Sunday
    expect(weekdayOf('2025-10-11')).toBe(6); // make-up Saturday
    expect(weekdayOf('2025-09-30')).toBe(2);
    expect(weekdayOf('2026-02-23')).toBe(1);
  });

  it('reads the year of a date', () => {
    expect(yearOf('2027-01-01')).toBe(2027);
  });
});

describe('formatShanghai', () => {
  it('formats as YYYY-MM-DD HH:mm in Shanghai time', () => {
    expect(formatShanghai(new Date('2025-10-09T02:00:00Z'))).toBe('2025-10-09 10:00');
    expect(formatShanghai(new Date('2025-12-31T16:05:59Z'))).toBe('2026-01-01 00:05');
  });
});
