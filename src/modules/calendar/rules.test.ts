import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  addCalendarDays,
  addWorkingDays,
  addWorkingMinutes,
  buildCalendar,
  isWorkingDay,
  nextWorkingDay,
  parseSegments,
  rollForwardIfNonWorking,
  workingMinutesBetween,
  type CalendarDay,
  type Segment,
} from './rules.ts';
import { officialDaysFromChineseDays } from './seed-data.ts';
import { addDaysToDate, formatShanghai, shanghaiInstant, weekdayOf } from './zone.ts';

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const official = officialDaysFromChineseDays();
const cal = buildCalendar(official.days, official.years);

const OFFICE = parseSegments('09:00-17:00');
const LUNCH = parseSegments('09:00-12:00,13:00-17:00');
const URBAN_SLA = 2 * 60;
const SUBURBAN_SLA = 3 * 60;

/** 'YYYY-MM-DD HH:mm[:ss]' read as Shanghai wall-clock time. */
function at(wallClock: string): Date {
  const [date = '', time = ''] = wallClock.split(' ');
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return new Date(shanghaiInstant(date, h * 60 + m).getTime() + s * 1000);
}

function deadline(start: string, minutes: number, segments: Segment[] = OFFICE): string {
  return formatShanghai(addWorkingMinutes(cal, at(start), minutes, segments));
}

function day(date: string, kind: CalendarDay['kind']): CalendarDay {
  return { date, kind, name: 'test', source: 'test' };
}

describe('buildCalendar', () => {
  it('rejects a make-up working day that is not a Saturday or Sunday', () => {
    const error = appErrorOf(() => buildCalendar([day('2025-09-30', 'MAKEUP_WORKDAY')], [2025]));
    expect(error.code).toBe('CALENDAR_DAY_INVALID');
    expect(error.params).toMatchObject({ date: '2025-09-30', reason: expect.stringMatching(/Saturday or Sunday/) });
  });

  it('rejects a date that is both a holiday and a make-up working day', () => {
    const error = appErrorOf(() =>
      buildCalendar([day('2025-09-28', 'MAKEUP_WORKDAY'), day('2025-09-28', 'HOLIDAY')], [2025]),
    );
    expect(error.code).toBe('CALENDAR_DAY_INVALID');
    expect(error.params).toMatchObject({ date: '2025-09-28', reason: expect.stringMatching(/both/) });
  });

  it('rejects duplicates, impossible dates and unknown kinds', () => {
    expect(appErrorOf(() => buildCalendar([day('2025-10-01', 'HOLIDAY'), day('2025-10-01', 'HOLIDAY')], [2025])).params)
      .toMatchObject({ date: '2025-10-01', reason: 'listed twice' });
    expect(appErrorOf(() => buildCalendar([day('2025-02-29', 'HOLIDAY')], [2025])).code).toBe('CALENDAR_DAY_INVALID');
    const oddKind = { ...day('2025-10-01', 'HOLIDAY'), kind: 'DAY_OFF' } as unknown as CalendarDay;
    expect(appErrorOf(() => buildCalendar([oddKind], [2025])).code).toBe('CALENDAR_DAY_INVALID');
  });

  it('rejects a published year that is not a whole year number', () => {
    expect(appErrorOf(() => buildCalendar([], [2025.5])).code).toBe('VALIDATION_FAILED');
  });
});

describe('parseSegments', () => {
  it('parses lunch-break hours into sorted minute ranges', () => {
    expect(LUNCH).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1020 },
    ]);
    expect(parseSegments(' 13:00-17:00 , 09:00-12:00 ')).toEqual(LUNCH);
  });

  it('allows 24:00 as an end only', () => {
    expect(parseSegments('00:00-24:00')).toEqual([{ start: 0, end: 1440 }]);
    expect(appErrorOf(() => parseSegments('24:00-24:00')).code).toBe('VALIDATION_FAILED');
  });

  it('rejects empty specs, bad times, reversed ranges and overlaps', () => {
    for (const bad of ['', '  ', '9:00-12:00', '09:60-10:00', '25:00-26:00', '12:00-09:00', '10:00-10:00', '09:00-12:00,', '09:00-12:00,11:00-13:00', '09:00~12:00']) {
      expect(appErrorOf(() => parseSegments(bad)).code, bad).toBe('VALIDATION_FAILED');
    }
  });

  it('is re-checked when segments are built by hand', () => {
    const start = at('2025-10-09 10:00');
    expect(appErrorOf(() => addWorkingMinutes(cal, start, 60, [])).code).toBe('VALIDATION_FAILED');
    const overlapping = [{ start: 540, end: 720 }, { start: 700, end: 800 }];
    expect(appErrorOf(() => workingMinutesBetween(cal, start, at('2025-10-10 10:00'), overlapping)).code).toBe('VALIDATION_FAILED');
  });
});

describe('isWorkingDay', () => {
  it('treats make-up weekend days as working and holidays as rest (National Day 2025)', () => {
    expect(isWorkingDay(cal, '2025-09-27')).toBe(false); // ordinary Saturday
    expect(isWorkingDay(cal, '2025-09-28')).toBe(true); // make-up Sunday
    expect(isWorkingDay(cal, '2025-09-30')).toBe(true);
    for (let d = 1; d <= 8; d++) expect(isWorkingDay(cal, `2025-10-0${d}`)).toBe(false);
    expect(isWorkingDay(cal, '2025-10-09')).toBe(true);
    expect(isWorkingDay(cal, '2025-10-11')).toBe(true); // make-up Saturday
    expect(isWorkingDay(cal, '2025-10-12')).toBe(false);
  });

  it('knows the 2026 Spring Festival: Feb 15–23 off, Feb 14 and Feb 28 worked', () => {
    expect(isWorkingDay(cal, '2026-02-13')).toBe(true);
    expect(isWorkingDay(cal, '2026-02-14')).toBe(true);
    for (let d = 15; d <= 23; d++) expect(isWorkingDay(cal, `2026-02-${d}`), `Feb ${d}`).toBe(false);
    expect(isWorkingDay(cal, '2026-02-24')).toBe(true);
    expect(isWorkingDay(cal, '2026-02-28')).toBe(true);
    expect(isWorkingDay(cal, '2026-03-01')).toBe(false);
  });

  it('fails closed for 2027, even on an ordinary Monday', () => {
    for (const date of ['2027-01-01', '2027-01-04']) {
      const error = appErrorOf(() => isWorkingDay(cal, date));
      expect(error.code).toBe('CALENDAR_YEAR_UNPUBLISHED');
      expect(error.params).toEqual({ year: 2027 });
    }
    expect(appErrorOf(() => isWorkingDay(cal, '2024-12-31')).params).toEqual({ year: 2024 });
  });
});

describe('addCalendarDays', () => {
  it('counts every day, holidays included, and needs no published calendar', () => {
    expect(addCalendarDays('2025-09-30', 5)).toBe('2025-10-05');
    expect(addCalendarDays('2026-12-30', 5)).toBe('2027-01-04');
  });
});

describe('addWorkingDays / nextWorkingDay', () => {
  it('skips National Day 2025 and counts the make-up Saturday', () => {
    expect(addWorkingDays(cal, '2025-09-30', 1)).toBe('2025-10-09');
    // 10-09 Thu, 10-10 Fri, 10-11 Sat (make-up), 10-13 Mon, 10-14 Tue, 10-15 Wed
    expect(addWorkingDays(cal, '2025-09-30', 6)).toBe('2025-10-15');
    expect(addWorkingDays(cal, '2025-09-26', 1)).toBe('2025-09-28');
  });

  it('n = 0 returns the date itself when it is a working day, else the next working day', () => {
    expect(addWorkingDays(cal, '2025-09-30', 0)).toBe('2025-09-30');
    expect(addWorkingDays(cal, '2025-09-28', 0)).toBe('2025-09-28');
    expect(addWorkingDays(cal, '2025-10-01', 0)).toBe('2025-10-09');
  });

  it('does not look up the start date when n ≥ 1, but fails closed on any day it counts', () => {
    expect(addWorkingDays(cal, '2024-12-31', 1)).toBe('2025-01-02');
    expect(addWorkingDays(cal, '2026-12-30', 1)).toBe('2026-12-31');
    expect(appErrorOf(() => addWorkingDays(cal, '2026-12-30', 2)).params).toEqual({ year: 2027 });
    expect(appErrorOf(() => addWorkingDays(cal, '2025-09-30', -1)).code).toBe('VALIDATION_FAILED');
    expect(appErrorOf(() => addWorkingDays(cal, '2025-09-30', 1.5)).code).toBe('VALIDATION_FAILED');
  });

  it('nextWorkingDay crosses the 2026 Spring Festival', () => {
    expect(nextWorkingDay(cal, '2026-02-13')).toBe('2026-02-14');
    expect(nextWorkingDay(cal, '2026-02-14')).toBe('2026-02-24');
    expect(nextWorkingDay(cal, '2026-02-27')).toBe('2026-02-28');
  });

  it('lands on a working day after exactly n working days (property, 2025–2026)', () => {
    const dates = fc.integer({ min: 0, max: 650 }).map((n) => addDaysToDate('2025-01-01', n));
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 40 }), (date, n) => {
        const result = addWorkingDays(cal, date, n);
        expect(isWorkingDay(cal, result)).toBe(true);
        let counted = 0;
        for (let d = addDaysToDate(date, 1); d <= result; d = addDaysToDate(d, 1)) if (isWorkingDay(cal, d)) counted++;
        expect(counted).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('gives up with an error instead of walking forever through a calendar with no working days', () => {
    const everyWeekdayOff: CalendarDay[] = [];
    for (let d = '2025-01-01'; d < '2029-01-01'; d = addDaysToDate(d, 1)) {
      if (weekdayOf(d) !== 0 && weekdayOf(d) !== 6) everyWeekdayOff.push(day(d, 'HOLIDAY'));
    }
    const broken = buildCalendar(everyWeekdayOff, [2025, 2026, 2027, 2028]);
    expect(appErrorOf(() => addWorkingDays(broken, '2025-01-01', 1)).code).toBe('CALENDAR_DAY_INVALID');
    expect(appErrorOf(() => addWorkingMinutes(broken, at('2025-01-01 10:00'), 60, OFFICE)).code).toBe('CALENDAR_DAY_INVALID');
  });
});

describe('rollForwardIfNonWorking (Civil Code Art. 203)', () => {
  it('moves due dates inside holidays to the first working day after them', () => {
    expect(rollForwardIfNonWorking(cal, '2025-10-07')).toBe('2025-10-09');
    expect(rollForwardIfNonWorking(cal, '2026-02-17')).toBe('2026-02-24');
    expect(rollForwardIfNonWorking(cal, '2026-02-21')).toBe('2026-02-24');
    expect(rollForwardIfNonWorking(cal, '2026-10-06')).toBe('2026-10-08');
    expect(rollForwardIfNonWorking(cal, '2025-09-27')).toBe('2025-09-28'); // Saturday → make-up Sunday
  });

  it('leaves a working due date alone', () => {
    expect(rollForwardIfNonWorking(cal, '2025-10-14')).toBe('2025-10-14');
    expect(rollForwardIfNonWorking(cal, '2025-10-11')).toBe('2025-10-11');
  });
});

describe('addWorkingMinutes', () => {
  it('worked example: Tue 2025-09-30 16:00 + 2 h urban → Thu 2025-10-09 10:00', () => {
    const result = addWorkingMinutes(cal, at('2025-09-30 16:00'), URBAN_SLA, OFFICE);
    expect(result.toISOString()).toBe('2025-10-09T02:00:00.000Z');
    expect(formatShanghai(result)).toBe('2025-10-09 10:00');
  });

  it('worked example: Sat 2025-09-27 10:00 + 2 h urban → make-up Sun 2025-09-28 11:00', () => {
    expect(deadline('2025-09-27 10:00', URBAN_SLA)).toBe('2025-09-28 11:00');
  });

  it('3 h suburban across National Day and into a make-up Saturday', () => {
    expect(deadline('2025-09-30 16:00', SUBURBAN_SLA)).toBe('2025-10-09 11:00');
    expect(deadline('2025-10-10 15:30', SUBURBAN_SLA)).toBe('2025-10-11 10:30');
  });

  it('a ticket opened before opening counts from opening', () => {
    expect(deadline('2025-10-09 07:45', URBAN_SLA)).toBe('2025-10-09 11:00');
  });

  it('a ticket opened at or after closing counts from the next working opening', () => {
    expect(deadline('2025-10-09 18:30', URBAN_SLA)).toBe('2025-10-10 11:00');
    expect(deadline('2025-10-09 17:00', URBAN_SLA)).toBe('2025-10-10 11:00');
    expect(deadline('2025-10-10 17:30', URBAN_SLA)).toBe('2025-10-11 11:00');
  });

  it('a deadline exactly at closing is the closing instant, not the next opening', () => {
    expect(deadline('2025-10-09 15:00', URBAN_SLA)).toBe('2025-10-09 17:00');
    expect(deadline('2025-10-09 10:00', URBAN_SLA, LUNCH)).toBe('2025-10-09 12:00');
    // …so the last working day of 2026 computes without touching unpublished 2027.
    expect(deadline('2026-12-31 15:00', URBAN_SLA)).toBe('2026-12-31 17:00');
  });

  it('skips the lunch break', () => {
    expect(deadline('2025-10-09 11:00', URBAN_SLA, LUNCH)).toBe('2025-10-09 14:00');
    expect(deadline('2025-10-09 12:30', 30, LUNCH)).toBe('2025-10-09 13:30');
    expect(deadline('2025-09-30 16:00', URBAN_SLA, LUNCH)).toBe('2025-10-09 10:00');
    expect(deadline('2025-10-09 16:00', SUBURBAN_SLA, LUNCH)).toBe('2025-10-10 11:00');
  });

  it('crosses the 2026 Spring Festival via its make-up Saturday', () => {
    expect(deadline('2026-02-13 16:00', URBAN_SLA)).toBe('2026-02-14 10:00');
    expect(deadline('2026-02-14 16:00', URBAN_SLA)).toBe('2026-02-24 10:00');
  });

  it('zero minutes gives the first working instant at or after the start', () => {
    expect(deadline('2025-10-09 10:00', 0)).toBe('2025-10-09 10:00');
    expect(deadline('2025-10-01 10:00', 0)).toBe('2025-10-09 09:00');
  });

  it('keeps seconds and fractional minutes', () => {
    expect(addWorkingMinutes(cal, at('2025-10-09 10:00:30'), 1, OFFICE).getTime()).toBe(at('2025-10-09 10:01:30').getTime());
    expect(addWorkingMinutes(cal, at('2025-10-09 10:00'), 0.5, OFFICE).getTime()).toBe(at('2025-10-09 10:00:30').getTime());
  });

  it('fails closed when the walk reaches 2027', () => {
    const error = appErrorOf(() => addWorkingMinutes(cal, at('2026-12-31 16:00'), URBAN_SLA, OFFICE));
    expect(error.code).toBe('CALENDAR_YEAR_UNPUBLISHED');
    expect(error.params).toEqual({ year: 2027 });
    expect(appErrorOf(() => addWorkingMinutes(cal, at('2027-03-01 10:00'), 0, OFFICE)).code).toBe('CALENDAR_YEAR_UNPUBLISHED');
  });

  it('rejects negative or non-finite minute counts', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(appErrorOf(() => addWorkingMinutes(cal, at('2025-10-09 10:00'), bad, OFFICE)).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('workingMinutesBetween', () => {
  it('measures the worked example back to 2 h', () => {
    expect(workingMinutesBetween(cal, at('2025-09-30 16:00'), at('2025-10-09 10:00'), OFFICE)).toBe(120);
  });

  it('is 0 when to ≤ from', () => {
    expect(workingMinutesBetween(cal, at('2025-10-09 10:00'), at('2025-10-09 10:00'), OFFICE)).toBe(0);
    expect(workingMinutesBetween(cal, at('2025-10-09 11:00'), at('2025-10-09 10:00'), OFFICE)).toBe(0);
  });

  it('counts only working segments of working days', () => {
    expect(workingMinutesBetween(cal, at('2025-10-09 00:00'), at('2025-10-10 00:00'), LUNCH)).toBe(420);
    // 09-28 (make-up Sun), 09-29, 09-30, 10-09, 10-10, 10-11 (make-up Sat): six days of 8 h
    expect(workingMinutesBetween(cal, at('2025-09-27 00:00'), at('2025-10-13 00:00'), OFFICE)).toBe(6 * 480);
    expect(workingMinutesBetween(cal, at('2025-10-09 10:00'), at('2025-10-09 10:00:30'), OFFICE)).toBe(0.5);
  });

  it('fails closed only when the interval really reaches into 2027', () => {
    expect(workingMinutesBetween(cal, at('2026-12-31 10:00'), at('2027-01-01 00:00'), OFFICE)).toBe(420);
    expect(appErrorOf(() => workingMinutesBetween(cal, at('2026-12-31 10:00'), at('2027-01-01 00:01'), OFFICE)).params)
      .toEqual({ year: 2027 });
  });

  it('inverts addWorkingMinutes for any start in 2025–2026 (property)', () => {
    const segmentChoices = [OFFICE, LUNCH, parseSegments('00:00-24:00'), parseSegments('08:30-11:30,11:30-11:31,14:00-18:00')];
    fc.assert(
      fc.property(
        fc.integer({ min: at('2025-01-01 00:00').getTime(), max: at('2026-11-30 00:00').getTime() }),
        fc.integer({ min: 0, max: 20 * 480 }),
        fc.constantFrom(...segmentChoices),
        (startMs, minutes, segments) => {
          const start = new Date(startMs);
          const end = addWorkingMinutes(cal, start, minutes, segments);
          expect(end.getTime()).toBeGreaterThanOrEqual(startMs);
          expect(workingMinutesBetween(cal, start, end, segments)).toBe(minutes);
        },
      ),
      { numRuns: 500 },
    );
  });
});
