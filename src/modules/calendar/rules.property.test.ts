import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, addWorkingMinutes, buildCalendar, isWorkingDay, parseSegments } from './rules.ts';
import { officialDaysFromChineseDays } from './seed-data.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant, shanghaiMinuteOfDay } from './zone.ts';

const official = officialDaysFromChineseDays();
const cal = buildCalendar(official.days, official.years);
const SEGMENTS = [parseSegments('09:00-17:00'), parseSegments('09:00-12:00,13:00-17:00'), parseSegments('08:30-11:30,14:00-18:00')];
// Starts in 2025 up to mid-November 2026, so every walk stays inside the published years.
const date = fc.integer({ min: 0, max: 680 }).map((n) => addDaysToDate('2025-01-01', n));
const instant = fc.integer({ min: shanghaiInstant('2025-01-01', 0).getTime(), max: shanghaiInstant('2026-11-15', 0).getTime() }).map((ms) => new Date(ms));

describe('working calendar (properties)', () => {
  it('a deadline in working time never lands in a closed period: it is inside an open segment of a working day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10 * 480 }), fc.constantFrom(...SEGMENTS), (start, minutes, segments) => {
        const deadline = addWorkingMinutes(cal, start, minutes, segments);
        const day = shanghaiDate(deadline);
        const minute = shanghaiMinuteOfDay(deadline) + deadline.getUTCSeconds() / 60 + deadline.getUTCMilliseconds() / 60_000;
        expect(isWorkingDay(cal, day)).toBe(true);
        // Open segments are (start, end]: the clock runs inside them, and the end instant itself still counts.
        expect(segments.some((s) => minute > s.start && minute <= s.end)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('adding working days is monotonic in the count and in the start date', () => {
    fc.assert(
      fc.property(date, date, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), (d1, d2, n, m) => {
        const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const [few, many] = n <= m ? [n, m] : [m, n];
        expect(addWorkingDays(cal, early, few) <= addWorkingDays(cal, early, many)).toBe(true);
        if (few >= 1 && few < many) expect(addWorkingDays(cal, early, few) < addWorkingDays(cal, early, many)).toBe(true);
        expect(addWorkingDays(cal, early, few) <= addWorkingDays(cal, late, few)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('adding working minutes is monotonic: more minutes never give an earlier deadline', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 5 * 480 }), fc.integer({ min: 0, max: 5 * 480 }), fc.constantFrom(...SEGMENTS), (start, a, b, segments) => {
        const [few, many] = a <= b ? [a, b] : [b, a];
        expect(addWorkingMinutes(cal, start, few, segments).getTime()).toBeLessThanOrEqual(addWorkingMinutes(cal, start, many, segments).getTime());
      }),
      { numRuns: 200 },
    );
  });
});
