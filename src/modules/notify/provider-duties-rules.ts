import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate, isValidDate, shanghaiDate } from '../calendar/zone.ts';
import { compareRates, formatRate, percent, type Rate } from '../settlement/money.ts';
import { STATEMENT_DUE_DAY } from './statements-rules.ts';

/**
 * The SMS provider's duties under seed 003, as plain rules: the usage list of a month reaches the
 * authority by the 10th of the next month (§5.7), and a reported fault is attended within 60 and
 * cleared within 120 calendar minutes (§5.6; the service runs 7×24, so no working-hour clock).
 */

/** Response limits of a fault, stored with each report so a later change of contract leaves old reports as they were judged. */
export interface FaultLimits {
  arriveWithinMinutes: number;
  clearWithinMinutes: number;
}

export const SEED_003_FAULT_LIMITS: FaultLimits = { arriveWithinMinutes: 60, clearWithinMinutes: 120 };

/** §9(2): each fault handled over time deducts 0.5 %–2 % of the period's fees, the authority picking within. */
export const FAULT_RATE_RANGE: { min: Rate; max: Rate } = { min: percent('0.5'), max: percent(2) };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export function requireMonth(month: string): { first: string; last: string } {
  const m = MONTH.exec(month);
  if (!m) throw new AppError('SMS_STATEMENT_MONTH_INVALID', { params: { month } });
  const y = Number(m[1]);
  const mm = Number(m[2]);
  const next = mm === 12 ? `${y + 1}-01-01` : `${y}-${String(mm + 1).padStart(2, '0')}-01`;
  return { first: `${month}-01`, last: addDaysToDate(next, -1) };
}

/** The day the usage list of `month` is due: the 10th of the following month. */
export function usageListDueOn(month: string): string {
  return addDaysToDate(requireMonth(month).last, STATEMENT_DUE_DAY);
}

/** Whole calendar days from the due date to `on` (handed over, or today while still missing); 0 when on time. */
export function usageListDaysLate(month: string, on: string): number {
  const due = usageListDueOn(month);
  return Math.max(0, Math.round((Date.parse(`${on}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / MS_PER_DAY));
}

/**
 * The date a usage list counts as handed over. The provider hands it over now; an authority user
 * recording a paper hand-over gives the day it arrived, which cannot be in the future nor before the
 * month it lists had ended.
 */
export function handOverDate(month: string, now: Date, given: string | undefined): string {
  const { last } = requireMonth(month);
  const today = shanghaiDate(now);
  if (today <= last) throw new AppError('SMS_USAGE_LIST_MONTH_OPEN', { params: { month } });
  if (given === undefined) return today;
  if (!isValidDate(given)) throw new AppError('VALIDATION_FAILED', { params: { reason: `handedOverOn "${given}" is not a YYYY-MM-DD date` } });
  if (given > today) throw new AppError('SMS_USAGE_LIST_DATE_FUTURE', { params: { date: given } });
  if (given <= last) throw new AppError('SMS_USAGE_LIST_DATE_BEFORE_MONTH_END', { params: { date: given, month } });
  return given;
}

export interface FaultTimes {
  reportedAt: Date;
  arrivedAt: Date | null;
  clearedAt: Date | null;
}

/** Cleared ≥ arrived ≥ reported, nothing in the future, and no clearing without an arrival. */
export function checkFaultTimes(t: FaultTimes, now: Date): void {
  const order = (reason: string) => new AppError('SMS_FAULT_TIMES_OUT_OF_ORDER', { params: { reason } });
  for (const [name, at] of Object.entries(t)) {
    if (at && at.getTime() > now.getTime()) throw new AppError('SMS_FAULT_TIME_FUTURE', { params: { field: name } });
  }
  if (t.clearedAt && !t.arrivedAt) throw order('cleared without an arrival');
  if (t.arrivedAt && t.arrivedAt < t.reportedAt) throw order('arrival before the report');
  if (t.clearedAt && t.arrivedAt && t.clearedAt < t.arrivedAt) throw order('cleared before the arrival');
}

export interface FaultOvertime {
  /** Minutes the arrival came (or, still awaited, is) beyond its limit. */
  arrivalOverMinutes: number;
  clearOverMinutes: number;
  /** The larger of the two: what the contract's tiers are read against. */
  overMinutes: number;
  overTime: boolean;
}

/** Minutes started beyond `limit` after `from`: 60 min 30 s against 60 is one minute over. */
function minutesOver(from: Date, to: Date, limit: number): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / MS_PER_MINUTE) - limit);
}

/**
 * How far a fault went over its limits. A step not done yet is measured to `now`, so a fault still
 * open past its limit already counts as over time.
 */
export function faultOvertime(t: FaultTimes, limits: FaultLimits, now: Date): FaultOvertime {
  const arrivalOverMinutes = minutesOver(t.reportedAt, t.arrivedAt ?? now, limits.arriveWithinMinutes);
  const clearOverMinutes = minutesOver(t.reportedAt, t.clearedAt ?? now, limits.clearWithinMinutes);
  const overMinutes = Math.max(arrivalOverMinutes, clearOverMinutes);
  return { arrivalOverMinutes, clearOverMinutes, overMinutes, overTime: overMinutes > 0 };
}

/** The authority's assessed rate, given in percent ("1.5"), within the contract's range. */
export function assessedRate(percentText: string): Rate {
  let rate: Rate;
  try {
    rate = percent(percentText);
  } catch {
    throw new AppError('SMS_FAULT_RATE_OUT_OF_RANGE', { params: { rate: `${percentText}%`, min: formatRate(FAULT_RATE_RANGE.min), max: formatRate(FAULT_RATE_RANGE.max) } });
  }
  if (compareRates(rate, FAULT_RATE_RANGE.min) < 0 || compareRates(rate, FAULT_RATE_RANGE.max) > 0) {
    throw new AppError('SMS_FAULT_RATE_OUT_OF_RANGE', { params: { rate: `${percentText}%`, min: formatRate(FAULT_RATE_RANGE.min), max: formatRate(FAULT_RATE_RANGE.max) } });
  }
  return rate;
}
