import { AppError } from '../../platform/errors/app-error.ts';
import { rollForwardIfNonWorking, type WorkingCalendar } from '../calendar/rules.ts';
import { addDaysToDate, isValidDate, shanghaiInstant, weekdayOf } from '../calendar/zone.ts';
import { breachStanding, BREACH_KINDS, type BreachKind, type TicketClocks } from './sla.ts';
import type { AttendanceSummary } from './staff-rules.ts';
import { monthDays } from './visits-rules.ts';

/**
 * Weekly, monthly and annual maintenance reports (issue 5 item 7): which period a report covers, when
 * it is due, when it is late, and its numbers computed from rows. Seed 001: 《网点运维周报表》 before
 * the Tuesday after the week, 《网点运维月报表》 by the 21st of the month after; seed 002: the annual
 * summary within 15 days of the end of the service. Pure: the caller hands in the calendar and rows.
 */

export const REPORT_KINDS = ['WEEKLY', 'MONTHLY', 'ANNUAL'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_STATUSES = ['DRAFT', 'SUBMITTED', 'ACCEPTED', 'RETURNED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_ACTIONS = ['GENERATE', 'SUBMIT', 'ACCEPT', 'RETURN'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/** DRAFT → SUBMITTED → ACCEPTED | RETURNED; a returned report is corrected (regenerated) and submitted again. */
const ALLOWED_FROM: Record<ReportAction, readonly ReportStatus[]> = {
  GENERATE: ['DRAFT', 'RETURNED'],
  SUBMIT: ['DRAFT', 'RETURNED'],
  ACCEPT: ['SUBMITTED'],
  RETURN: ['SUBMITTED'],
};

const RESULT: Record<ReportAction, ReportStatus> = { GENERATE: 'DRAFT', SUBMIT: 'SUBMITTED', ACCEPT: 'ACCEPTED', RETURN: 'RETURNED' };

/** @throws AppError MAINTENANCE_REPORT_STATE_INVALID {status, action} */
export function nextReportStatus(status: ReportStatus, action: ReportAction): ReportStatus {
  if (!ALLOWED_FROM[action].includes(status)) throw new AppError('MAINTENANCE_REPORT_STATE_INVALID', { params: { status, action } });
  return RESULT[action];
}

export interface Term {
  termStart: string;
  termEnd: string;
}

/** First and last day (YYYY-MM-DD, inclusive) of the days a report covers. */
export interface Period {
  start: string;
  end: string;
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

/** Monday of the week of `day` (weeks run Monday to Sunday). */
function mondayOf(day: string): string {
  return addDaysToDate(day, -((weekdayOf(day) + 6) % 7));
}

/** The first day of the contract year that contains `day`: an anniversary of the term start. */
function contractYearStart(term: Term, day: string): string {
  let start = term.termStart;
  for (let years = 1; ; years++) {
    const next = anniversary(term.termStart, years);
    if (next > day) return start;
    start = next;
  }
}

/** The same month and day `years` later; 29 February falls on 28 February in a common year. */
function anniversary(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const candidate = `${String(y).padStart(4, '0')}${date.slice(4)}`;
  return isValidDate(candidate) ? candidate : `${String(y).padStart(4, '0')}-02-28`;
}

/** The calendar period of a kind around `day`, before clipping to the term. */
function fullPeriod(kind: ReportKind, term: Term, day: string): Period {
  if (kind === 'WEEKLY') {
    const start = mondayOf(day);
    return { start, end: addDaysToDate(start, 6) };
  }
  if (kind === 'MONTHLY') {
    const { first, last } = monthDays(day.slice(0, 7));
    return { start: first, end: last };
  }
  const start = contractYearStart(term, day);
  return { start, end: addDaysToDate(anniversary(term.termStart, Number(start.slice(0, 4)) - Number(term.termStart.slice(0, 4)) + 1), -1) };
}

/**
 * The report period of a kind that contains `day`: a Monday–Sunday week, a calendar month, or a
 * contract year (from an anniversary of the term start), each clipped to the contract term.
 * @throws AppError MAINTENANCE_REPORT_OUTSIDE_TERM, MAINTENANCE_REPORT_PERIOD_INVALID for a date that is not real
 */
export function periodContaining(kind: ReportKind, term: Term, day: string): Period {
  if (!isValidDate(day)) throw new AppError('MAINTENANCE_REPORT_PERIOD_INVALID', { params: { reason: `${day} is not a YYYY-MM-DD date` } });
  if (day < term.termStart || day > term.termEnd) throw new AppError('MAINTENANCE_REPORT_OUTSIDE_TERM', { params: { date: day, termStart: term.termStart, termEnd: term.termEnd } });
  const full = fullPeriod(kind, term, day);
  return { start: later(full.start, term.termStart), end: earlier(full.end, term.termEnd) };
}

/**
 * A period named by its first day must be one: the Monday of a week (or the term's first day), the first of a month, a contract anniversary.
 * @throws AppError MAINTENANCE_REPORT_PERIOD_INVALID {reason}, MAINTENANCE_REPORT_OUTSIDE_TERM
 */
export function periodStartingOn(kind: ReportKind, term: Term, start: string): Period {
  const period = periodContaining(kind, term, start);
  if (period.start !== start) throw new AppError('MAINTENANCE_REPORT_PERIOD_INVALID', { params: { reason: `a ${kind.toLowerCase()} report period starting on ${start} would start on ${period.start}` } });
  return period;
}

/** Every period of a kind in the term that starts on or after `from` and has ended before `today`, oldest first. */
export function endedPeriods(kind: ReportKind, term: Term, from: string, today: string): Period[] {
  const out: Period[] = [];
  let day = later(from, term.termStart);
  if (day > term.termEnd) return out;
  let period = periodContaining(kind, term, day);
  if (period.start < day) {
    if (period.end >= term.termEnd) return out;
    day = addDaysToDate(period.end, 1);
    period = periodContaining(kind, term, day);
  }
  while (period.end < today) {
    out.push(period);
    if (period.end >= term.termEnd) break;
    period = periodContaining(kind, term, addDaysToDate(period.end, 1));
  }
  return out;
}

/**
 * The due date the contract names, before any rolling: the Tuesday after the week, the 21st of the
 * month after, 15 days after the contract year (a clipped period keeps its full week's or month's date).
 */
export function nominalDueDate(kind: ReportKind, period: Period): string {
  if (kind === 'WEEKLY') return addDaysToDate(mondayOf(period.end), 8);
  if (kind === 'MONTHLY') return `${monthDays(period.end.slice(0, 7)).next.slice(0, 8)}21`;
  return addDaysToDate(period.end, 15);
}

/**
 * The due date: the nominal one, or the next working day when it falls on a rest day and the contract
 * rolls due dates (the default, Civil Code art. 203).
 * @throws AppError CALENDAR_YEAR_UNPUBLISHED when rolling needs a year with no published calendar (fail closed)
 */
export function dueDate(cal: WorkingCalendar, kind: ReportKind, period: Period, rolls: boolean): string {
  const nominal = nominalDueDate(kind, period);
  return rolls ? rollForwardIfNonWorking(cal, nominal) : nominal;
}

/** A report is due by the end of its due date in Shanghai: submitting on the day is in time. */
export function dueInstant(due: string): Date {
  return shanghaiInstant(addDaysToDate(due, 1), 0);
}

export function isLate(due: string, at: Date): boolean {
  return at.getTime() >= dueInstant(due).getTime();
}

/**
 * The numbers of a LATE_REPORT breach: the allowance runs from the end of the period to the end of
 * the due date, the time used up to the submission (or, for a report still missing, the sweep).
 */
export function lateReportClock(period: Period, due: string, at: Date): { occurredAt: Date; allowedMinutes: number; usedMinutes: number } {
  const from = dueInstant(period.end).getTime();
  const deadline = dueInstant(due);
  return { occurredAt: deadline, allowedMinutes: Math.round((deadline.getTime() - from) / 60_000), usedMinutes: (at.getTime() - from) / 60_000 };
}

// ---- the content ----

export interface ReportVisitRow {
  month: string;
  kind: 'PREVENTIVE' | 'PHOTO_AT_HOME';
  signedAt: Date | null;
}

export interface ReportTicketRow {
  category: string;
  assetType: string | null;
  /** Clocks as of the end of the period; null when the calendar could not tell (unpublished year). */
  clocks: TicketClocks | null;
  /** Resolved or closed by the end of the period. */
  resolved: boolean;
}

export interface SpareShortfall {
  type: string;
  required: number;
  inStock: number;
  shortfall: number;
}

export interface ReportInput {
  period: Period;
  /** The end of the period, or now for a period still running: what the numbers are as of. */
  asOf: Date;
  outlets: number;
  visits: readonly ReportVisitRow[];
  tickets: readonly ReportTicketRow[];
  breaches: readonly { kind: BreachKind }[];
  breachesInTerm: number;
  terminationThreshold: number | null;
  assets: readonly { status: string; count: number }[];
  /** Left out when the spare-parts register is not available. */
  spareShortfalls?: readonly SpareShortfall[];
  /** Left out when the contract has no on-site posts (nothing is recorded). */
  staffAttendance?: AttendanceSummary | null;
}

export interface SlaSummary {
  met: number;
  missed: number;
  running: number;
  /** Nearest-rank percentiles of the whole minutes used by the clocks that stopped; null when none did. */
  p50Minutes: number | null;
  p90Minutes: number | null;
}

export interface ReportContent {
  periodStart: string;
  periodEnd: string;
  asOf: string;
  outlets: number;
  visits: { preventiveSigned: number; photoSigned: number; months: { month: string; outlets: number; signed: number; missing: number }[] };
  tickets: {
    opened: number;
    resolved: number;
    byCategory: { category: string; count: number }[];
    byAssetType: { type: string; count: number }[];
    response: SlaSummary;
    fix: SlaSummary | null;
    clocksUnknown: number;
  };
  breaches: { byKind: Record<BreachKind, number>; total: number; inTerm: number; terminationThreshold: number | null; standing: 'OK' | 'APPROACHING' | 'REACHED' };
  assets: { total: number; byStatus: Record<string, number> };
  spareShortfalls?: SpareShortfall[];
  staffAttendance?: AttendanceSummary;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function slaSummary(clocks: readonly (TicketClocks['response'] | null)[]): SlaSummary {
  const stopped: number[] = [];
  let met = 0;
  let missed = 0;
  let running = 0;
  for (const c of clocks) {
    if (!c) continue;
    if (c.breached) missed++;
    else if (c.stoppedAt) met++;
    else running++;
    if (c.stoppedAt) stopped.push(Math.floor(c.usedMinutes));
  }
  stopped.sort((a, b) => a - b);
  return { met, missed, running, p50Minutes: percentile(stopped, 50), p90Minutes: percentile(stopped, 90) };
}

function counted<T>(items: readonly T[], key: (t: T) => string): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key, 'zh-CN'));
}

/**
 * The report's numbers. Visits: preventive and photo visits signed in the period, and for each month
 * that ends in it the outlets, the visits signed within the month and the outlets without one (so far,
 * for a month still running: a draft shows the progress).
 * Tickets: those opened in the period, by category and equipment type, with response and fix clocks
 * against the SLA as of the period's end. Breaches: those that occurred in the period, by kind, and the
 * term's count against the termination threshold.
 */
export function reportContent(input: ReportInput): ReportContent {
  const inPeriod = (at: Date | null) => at !== null && at.getTime() >= shanghaiInstant(input.period.start, 0).getTime() && at.getTime() < dueInstant(input.period.end).getTime();
  const months = [...new Set(input.visits.map((v) => v.month))]
    .filter((m) => {
      const { last } = monthDays(m);
      return last >= input.period.start && last <= input.period.end;
    })
    .sort()
    .map((month) => {
      const end = dueInstant(monthDays(month).last).getTime();
      const signed = input.visits.filter((v) => v.month === month && v.kind === 'PREVENTIVE' && v.signedAt !== null && v.signedAt.getTime() < end).length;
      return { month, outlets: input.outlets, signed, missing: Math.max(0, input.outlets - signed) };
    });
  const byKind = Object.fromEntries(BREACH_KINDS.map((k) => [k, 0])) as Record<BreachKind, number>;
  for (const b of input.breaches) byKind[b.kind] += 1;
  const byStatus: Record<string, number> = {};
  for (const a of input.assets) byStatus[a.status] = (byStatus[a.status] ?? 0) + a.count;
  const known = input.tickets.filter((t) => t.clocks !== null);
  const hasFix = known.some((t) => t.clocks!.fix !== null);
  const content: ReportContent = {
    periodStart: input.period.start,
    periodEnd: input.period.end,
    asOf: input.asOf.toISOString(),
    outlets: input.outlets,
    visits: {
      preventiveSigned: input.visits.filter((v) => v.kind === 'PREVENTIVE' && inPeriod(v.signedAt)).length,
      photoSigned: input.visits.filter((v) => v.kind === 'PHOTO_AT_HOME' && inPeriod(v.signedAt)).length,
      months,
    },
    tickets: {
      opened: input.tickets.length,
      resolved: input.tickets.filter((t) => t.resolved).length,
      byCategory: counted(input.tickets, (t) => t.category).map(({ key, count }) => ({ category: key, count })),
      byAssetType: counted(
        input.tickets.filter((t) => t.assetType !== null),
        (t) => t.assetType!,
      ).map(({ key, count }) => ({ type: key, count })),
      response: slaSummary(known.map((t) => t.clocks!.response)),
      fix: hasFix ? slaSummary(known.map((t) => t.clocks!.fix)) : null,
      clocksUnknown: input.tickets.length - known.length,
    },
    breaches: {
      byKind,
      total: input.breaches.length,
      inTerm: input.breachesInTerm,
      terminationThreshold: input.terminationThreshold,
      standing: breachStanding(input.breachesInTerm, input.terminationThreshold),
    },
    assets: { total: input.assets.reduce((n, a) => n + a.count, 0), byStatus },
  };
  if (input.spareShortfalls) content.spareShortfalls = [...input.spareShortfalls];
  if (input.staffAttendance) content.staffAttendance = { ...input.staffAttendance };
  return content;
}
