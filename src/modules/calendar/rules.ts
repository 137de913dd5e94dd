import { AppError } from '../../platform/errors/app-error.ts';
import {
  MINUTES_PER_DAY,
  addDaysToDate,
  isValidDate,
  shanghaiDate,
  shanghaiInstant,
  weekdayOf,
  yearOf,
} from './zone.ts';

/**
 * The Chinese working calendar and SLA clock arithmetic (sla-calendar-maintenance.md, domain.md §5).
 * Pure functions: the official-days table is loaded elsewhere and handed in as a WorkingCalendar.
 */

export type DayKind = 'HOLIDAY' | 'MAKEUP_WORKDAY';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string;
  source: string;
}

export interface WorkingCalendar {
  days: ReadonlyMap<string, CalendarDay>;
  publishedYears: ReadonlySet<number>;
}

/** Minutes from Shanghai midnight; a day's segments are sorted, non-overlapping and start < end. */
export interface Segment {
  start: number;
  end: number;
}

const MS_PER_MINUTE = 60 * 1000;

/**
 * The longest real run without working time is a week or so (Spring Festival); a walk of three
 * years means the calendar data is broken (e.g. a whole published year of holidays), and the
 * caller must learn that instead of hanging.
 */
const MAX_IDLE_DAYS = 3 * 366;

function invalid(reason: string): AppError {
  return new AppError('VALIDATION_FAILED', { params: { reason } });
}

function dayInvalid(date: string, reason: string): AppError {
  return new AppError('CALENDAR_DAY_INVALID', { params: { date, reason } });
}

function noWorkingTime(fromDate: string): AppError {
  return dayInvalid(fromDate, `no working time in the ${MAX_IDLE_DAYS} days that follow; check the holiday table`);
}

export function buildCalendar(days: CalendarDay[], publishedYears: Iterable<number>): WorkingCalendar {
  const byDate = new Map<string, CalendarDay>();
  for (const day of days) {
    if (!isValidDate(day.date)) throw dayInvalid(day.date, 'not a real YYYY-MM-DD date');
    if (day.kind !== 'HOLIDAY' && day.kind !== 'MAKEUP_WORKDAY') {
      throw dayInvalid(day.date, `unknown kind ${String(day.kind)}`);
    }
    const weekday = weekdayOf(day.date);
    if (day.kind === 'MAKEUP_WORKDAY' && weekday !== 0 && weekday !== 6) {
      throw dayInvalid(day.date, 'a make-up working day must be a Saturday or Sunday');
    }
    const earlier = byDate.get(day.date);
    if (earlier) {
      throw dayInvalid(
        day.date,
        earlier.kind === day.kind ? 'listed twice' : 'a date cannot be both a holiday and a make-up working day',
      );
    }
    byDate.set(day.date, day);
  }
  const years = new Set<number>();
  for (const year of publishedYears) {
    if (!Number.isInteger(year) || year < 1 || year > 9999) throw invalid(`published year ${year} is not a year`);
    years.add(year);
  }
  return { days: byDate, publishedYears: years };
}

function assertSegments(segments: readonly Segment[]): void {
  if (segments.length === 0) throw invalid('working hours need at least one segment');
  let previousEnd = -1;
  for (const { start, end } of segments) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > MINUTES_PER_DAY || start >= end) {
      throw invalid(`segment ${start}-${end} is not a range of minutes within one day`);
    }
    if (start < previousEnd) throw invalid('working-hour segments overlap or are not in order');
    previousEnd = end;
  }
}

const SEGMENT_PATTERN = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

function clockMinutes(hours: string, minutes: string, allowMidnightEnd: boolean): number | undefined {
  const h = Number(hours);
  const m = Number(minutes);
  if (allowMidnightEnd && h === 24 && m === 0) return MINUTES_PER_DAY;
  return h <= 23 && m <= 59 ? h * 60 + m : undefined;
}

/** "09:00-12:00,13:00-17:00" → segments; "24:00" is allowed as an end so a day can run to midnight. */
export function parseSegments(spec: string): Segment[] {
  if (spec.trim() === '') throw invalid('working hours are empty');
  const segments = spec.split(',').map((part) => {
    const m = SEGMENT_PATTERN.exec(part.trim());
    const start = m ? clockMinutes(m[1] ?? '', m[2] ?? '', false) : undefined;
    const end = m ? clockMinutes(m[3] ?? '', m[4] ?? '', true) : undefined;
    if (start === undefined || end === undefined) throw invalid(`"${part.trim()}" is not a HH:mm-HH:mm range`);
    if (start >= end) throw invalid(`"${part.trim()}" ends before it starts`);
    return { start, end };
  });
  segments.sort((a, b) => a.start - b.start);
  assertSegments(segments);
  return segments;
}

/**
 * (Monday–Friday and not a holiday) or a make-up working day. Fails closed: a year without a
 * published State Council notice throws rather than guessing from the weekday.
 */
export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  const year = yearOf(date);
  if (!cal.publishedYears.has(year)) throw new AppError('CALENDAR_YEAR_UNPUBLISHED', { params: { year } });
  const official = cal.days.get(date);
  if (official) return official.kind === 'MAKEUP_WORKDAY';
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6;
}

/** Plain calendar days (contract 000 counts "5 days" this way); needs no published calendar. */
export function addCalendarDays(date: string, n: number): string {
  return addDaysToDate(date, n);
}

/**
 * The n-th working day after `date`, not counting `date` itself: from Tue 2025-09-30, n=1 is
 * Thu 2025-10-09. n=0 means "`date` if it is a working day, otherwise the next one", which is the
 * roll-forward rule. With n ≥ 1 `date` itself is never looked up, so it may lie in an unpublished year.
 */
export function addWorkingDays(cal: WorkingCalendar, date: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`a working-day count must be a whole number ≥ 0, got ${n}`);
  if (n === 0) return isWorkingDay(cal, date) ? date : addWorkingDays(cal, date, 1);
  let current = date;
  let remaining = n;
  let idleDays = 0;
  while (remaining > 0) {
    current = addDaysToDate(current, 1);
    if (isWorkingDay(cal, current)) {
      remaining -= 1;
      idleDays = 0;
    } else if (++idleDays > MAX_IDLE_DAYS) {
      throw noWorkingTime(date);
    }
  }
  return current;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(cal: WorkingCalendar, date: string): string {
  return addWorkingDays(cal, date, 1);
}

/**
 * Civil Code Art. 203: a period whose last day is a rest day ends on the next working day instead.
 * Whether a contract's report due dates roll is a per-contract setting decided by the caller.
 */
export function rollForwardIfNonWorking(cal: WorkingCalendar, date: string): string {
  return addWorkingDays(cal, date, 0);
}

/**
 * The instant at which `minutes` of working time have elapsed since `start`, walking day by day
 * like GLPI's Calendar::computeEndDate. The clock starts at the first working instant at or after
 * `start` (before opening → opening; at or after closing, or on a rest day → the next opening).
 * Unlike GLPI, a deadline that lands exactly on a segment's end returns that closing instant rather
 * than the next opening; breach checks should compare workingMinutesBetween, where both agree.
 * Fractional minutes are honoured to the millisecond.
 */
export function addWorkingMinutes(cal: WorkingCalendar, start: Date, minutes: number, segments: Segment[]): Date {
  assertSegments(segments);
  if (!Number.isFinite(minutes) || minutes < 0) throw invalid(`a minute count must be ≥ 0, got ${minutes}`);
  let remaining = Math.round(minutes * MS_PER_MINUTE);
  let date = shanghaiDate(start);
  let dayStart = shanghaiInstant(date, 0).getTime();
  let offset = start.getTime() - dayStart;
  let idleDays = 0;
  for (;;) {
    if (isWorkingDay(cal, date)) {
      for (const segment of segments) {
        const segmentEnd = segment.end * MS_PER_MINUTE;
        if (offset >= segmentEnd) continue;
        const from = Math.max(offset, segment.start * MS_PER_MINUTE);
        if (remaining <= segmentEnd - from) return new Date(dayStart + from + remaining);
        remaining -= segmentEnd - from;
        idleDays = 0;
      }
    }
    if (++idleDays > MAX_IDLE_DAYS) throw noWorkingTime(shanghaiDate(start));
    date = addDaysToDate(date, 1);
    dayStart = shanghaiInstant(date, 0).getTime();
    offset = 0;
  }
}

/**
 * Working minutes inside [from, to); 0 when to ≤ from. Fractional when the instants carry seconds,
 * so that an SLA breach test (elapsed > allowed) is exact. Only days that overlap the interval are
 * looked up, so an interval ending at midnight of an unpublished year's first day still computes.
 */
export function workingMinutesBetween(cal: WorkingCalendar, from: Date, to: Date, segments: Segment[]): number {
  assertSegments(segments);
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (toMs <= fromMs) return 0;
  const lastDate = shanghaiDate(new Date(toMs - 1));
  let date = shanghaiDate(from);
  let totalMs = 0;
  for (;;) {
    if (isWorkingDay(cal, date)) {
      const dayStart = shanghaiInstant(date, 0).getTime();
      for (const segment of segments) {
        const lo = Math.max(dayStart + segment.start * MS_PER_MINUTE, fromMs);
        const hi = Math.min(dayStart + segment.end * MS_PER_MINUTE, toMs);
        if (hi > lo) totalMs += hi - lo;
      }
    }
    if (date === lastDate) return totalMs / MS_PER_MINUTE;
    date = addDaysToDate(date, 1);
  }
}
