import { AppError } from '../../platform/errors/app-error.ts';

/**
 * Asia/Shanghai has been a fixed UTC+08:00 since China dropped daylight saving in 1991, so
 * plain offset arithmetic is exact and never consults the host time zone (a server running
 * in UTC would otherwise file 2025-10-01 07:30 Beijing time under 2025-09-30).
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MS_PER_MINUTE = 60 * 1000;
const MS_PER_DAY = 24 * 60 * MS_PER_MINUTE;
export const MINUTES_PER_DAY = 24 * 60;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function invalid(reason: string): AppError {
  return new AppError('VALIDATION_FAILED', { params: { reason } });
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Milliseconds of UTC midnight for a date; setUTCFullYear because Date.UTC maps years 0–99 to 1900+. */
function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function parseDate(date: string): { year: number; month: number; day: number } | undefined {
  const m = DATE_PATTERN.exec(date);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function requireDate(date: string): { year: number; month: number; day: number } {
  const parsed = parseDate(date);
  if (!parsed) throw invalid(`"${date}" is not a real YYYY-MM-DD date`);
  return parsed;
}

function dateFromUtcMidnight(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw invalid(`date arithmetic left the years 0001–9999 (got year ${year})`);
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function instantMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw invalid('the instant is an invalid Date');
  return ms;
}

/** True for a real date written YYYY-MM-DD (2025-02-29 and 2025-2-1 are not). */
export function isValidDate(date: string): boolean {
  return parseDate(date) !== undefined;
}

/** The calendar year of a validated YYYY-MM-DD date. */
export function yearOf(date: string): number {
  return requireDate(date).year;
}

/** The Shanghai calendar date (YYYY-MM-DD) that contains `instant`. */
export function shanghaiDate(instant: Date): string {
  const shifted = instantMs(instant) + SHANGHAI_OFFSET_MS;
  return dateFromUtcMidnight(shifted - mod(shifted, MS_PER_DAY));
}

/** Whole minutes since Shanghai midnight (0–1439); seconds are truncated. */
export function shanghaiMinuteOfDay(instant: Date): number {
  return Math.floor(mod(instantMs(instant) + SHANGHAI_OFFSET_MS, MS_PER_DAY) / MS_PER_MINUTE);
}

/**
 * The instant `minuteOfDay` minutes after Shanghai midnight on `date`. 1440 is accepted and
 * means the next midnight, so a segment ending at 24:00 has a closing instant.
 */
export function shanghaiInstant(date: string, minuteOfDay: number): Date {
  const { year, month, day } = requireDate(date);
  if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0 || minuteOfDay > MINUTES_PER_DAY) {
    throw invalid(`minute of day must be an integer from 0 to ${MINUTES_PER_DAY}, got ${minuteOfDay}`);
  }
  return new Date(utcMidnight(year, month, day) - SHANGHAI_OFFSET_MS + minuteOfDay * MS_PER_MINUTE);
}

export function addDaysToDate(date: string, n: number): string {
  const { year, month, day } = requireDate(date);
  if (!Number.isSafeInteger(n)) throw invalid(`a day count must be an integer, got ${n}`);
  return dateFromUtcMidnight(utcMidnight(year, month, day) + n * MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay but for a date that has no time zone. */
export function weekdayOf(date: string): number {
  const { year, month, day } = requireDate(date);
  return new Date(utcMidnight(year, month, day)).getUTCDay();
}

/** 'YYYY-MM-DD HH:mm' in Shanghai time, for messages and reports. */
export function formatShanghai(instant: Date): string {
  const minute = shanghaiMinuteOfDay(instant);
  return `${shanghaiDate(instant)} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** Instants before 1970 give negative epoch values; % would then return a negative remainder. */
function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
